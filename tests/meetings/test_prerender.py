"""The whole-record downloads are rendered when the record changes, not when a reader asks."""

import gzip

import brotli
import pytest
from django.core.cache import cache
from django.test import override_settings

from meetings import prerender
from meetings.caching import memo
from meetings.models import Meeting, StoredDownload

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


# -- Stored in PostgreSQL: a process with an empty page cache does not render again --------


def test_the_first_render_is_stored_and_served_to_a_process_with_an_empty_cache(client, record, django_assert_num_queries):
    cache.clear()
    memo.forget()
    current = memo.current()
    prerender.render_downloads(current)
    rows = StoredDownload.objects.all()
    assert sorted(rows.values_list("path", flat=True)) == sorted(DOWNLOADS)
    assert set(rows.values_list("version", flat=True)) == {current[0]}
    rendered = {}
    with override_settings(RECORD_STORED_DOWNLOADS=False):
        for path in DOWNLOADS:
            cache.clear()
            rendered[path] = client.get(path)
    for path in DOWNLOADS:
        cache.clear()  # as after a restart, or in another process
        with django_assert_num_queries(2):  # the version, then the stored download
            plain = client.get(path)
        assert plain.content == rendered[path].content and plain["ETag"] == rendered[path]["ETag"], path
        assert plain["Content-Type"] == rendered[path]["Content-Type"] and "Content-Encoding" not in plain
        assert plain["Access-Control-Allow-Origin"] == "*" and "max-age=300" in plain["Cache-Control"]
        cache.clear()
        packed = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert packed["Content-Encoding"] == "gzip" and gzip.decompress(packed.content) == plain.content
        cache.clear()
        packed = client.get(path, HTTP_ACCEPT_ENCODING="br")
        assert packed["Content-Encoding"] == "br" and brotli.decompress(packed.content) == plain.content
        with django_assert_num_queries(1):  # kept in the page cache once read
            assert client.get(path, HTTP_ACCEPT_ENCODING="br").content == packed.content


def test_a_stored_download_of_an_older_version_is_never_served(client, record):
    cache.clear()
    memo.forget()
    old = memo.current()
    prerender.render_downloads(old)
    Meeting.objects.filter(date="2014-12-22").update(title="A corrected headline")
    cache.clear()
    memo.forget()
    assert "A corrected headline" in client.get("/data/meetings.json").content.decode()
    assert "A corrected headline" in client.get("/data/meetings.csv").content.decode()
    # The next render ahead stores the new version and drops the old one.
    new = memo.current()
    assert new[0] != old[0]
    prerender.render_downloads(new)
    assert set(StoredDownload.objects.values_list("version", flat=True)) == {new[0]}
    assert StoredDownload.objects.count() == len(DOWNLOADS)


def test_a_version_made_stale_by_a_write_is_not_stored(client, record):
    cache.clear()
    memo.forget()
    old = memo.current()
    response = client.get("/data/ballots.csv")
    entry = prerender.entry_of(response)
    Meeting.objects.filter(date="2014-12-22").update(title="Changed meanwhile")
    prerender.store("/data/ballots.csv", old[0], {"": entry, "gzip": entry, "br": entry})
    assert not StoredDownload.objects.exists()


def test_filtered_downloads_are_neither_stored_nor_served_from_storage(client, record, django_assert_num_queries):
    cache.clear()
    memo.forget()
    prerender.render_downloads(memo.current())
    assert not StoredDownload.objects.filter(path__contains="?").exists()
    cache.clear()
    whole = client.get("/data/meetings.json").content
    cache.clear()
    filtered = client.get("/data/meetings.json?year=2016").content
    assert filtered != whole and b'"2016-' in filtered and b'"2014-' not in filtered


def test_without_stored_downloads_a_process_renders_its_own(client, record, django_assert_num_queries):
    cache.clear()
    memo.forget()
    prerender.render_downloads(memo.current())
    cache.clear()
    with override_settings(RECORD_STORED_DOWNLOADS=False), django_assert_num_queries(2):  # version, ballots
        assert client.get("/data/ballots.csv").status_code == 200
