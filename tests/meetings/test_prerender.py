"""The whole-record downloads are rendered when the record changes, not when a reader asks."""

import pytest
from django.core.cache import cache

from meetings import prerender
from meetings.caching import memo
from meetings.models import Meeting

pytestmark = pytest.mark.django_db

DOWNLOADS = ["/data/meetings.json", "/data/meetings.csv", "/data/ballots.csv", "/data/statements.csv"]


def test_rendered_ahead_the_downloads_cost_a_reader_one_query(client, record, django_assert_num_queries):
    rendered = {path: client.get(path).content for path in DOWNLOADS}  # this origin has asked once
    cache.clear()
    memo.forget()
    assert prerender.render_downloads(memo.current()) >= 4 * len(prerender.ENCODINGS)
    for path in DOWNLOADS:
        with django_assert_num_queries(1):  # the record's version; nothing rendered
            response = client.get(path)
        assert response.status_code == 200 and response.content == rendered[path], path
    with django_assert_num_queries(1):
        assert client.get("/data/meetings.json", HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"


def test_a_version_is_rendered_ahead_once_per_process(record):
    cache.clear()
    memo.forget()
    current = memo.current()
    assert prerender.render_downloads(current) > 0
    assert prerender.render_downloads(current) == 0


def test_a_new_version_starts_the_render(record, monkeypatch):
    started = []
    monkeypatch.setattr(prerender, "soon", started.append)
    memo.forget()
    memo.current()
    memo.forget()
    memo.current()
    assert len(started) <= 1  # the same version twice: at most once (once if this process had not seen it)
    started.clear()
    Meeting.objects.filter(date="2014-12-22").update(title="Changed")
    memo.forget()
    current = memo.current()
    assert started == [current]
