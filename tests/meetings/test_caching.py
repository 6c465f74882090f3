"""Pages are rendered once per version of the record, and never outlive a change."""

import pytest
from django.db import connection

from council.models import State
from meetings.models import Ballot, Meeting, Position, RecordVersion, Statement

pytestmark = pytest.mark.django_db

TABLE_WRITES = [
    lambda: State.objects.filter(iso3="CHN").update(short_name="China (PRC)"),
    lambda: Meeting.objects.filter(date="2014-12-22").update(title="Changed"),
    lambda: Ballot.objects.filter(state__iso3="TCD", meeting__date="2014-12-22").update(position=Position.IN_FAVOUR),
    lambda: Statement.objects.filter(order=1, meeting__date="2014-12-22").delete(),
    lambda: Meeting.objects.get(date="2024-06-12").request.requesters.clear(),
]


@pytest.mark.parametrize("write", TABLE_WRITES)
def test_every_kind_of_write_changes_the_version(record, write):
    before = RecordVersion.current()
    write()
    assert RecordVersion.current() != before


def test_a_cached_page_costs_one_query(client, record, django_assert_num_queries):
    first = client.get("/votes/")
    with django_assert_num_queries(1):
        second = client.get("/votes/")
    assert second.content == first.content and second["ETag"] == first["ETag"]


def test_a_change_is_shown_at_once(client, record):
    assert "12 in favour" not in client.get("/meetings/2014-12-22/").content.decode()
    Ballot.objects.filter(state__iso3="TCD", meeting__date="2014-12-22").update(position=Position.IN_FAVOUR)
    assert "12 in favour" in client.get("/meetings/2014-12-22/").content.decode()


def test_a_change_made_with_sql_is_shown_too(client, record):
    client.get("/meetings/")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_meeting SET title = 'Retitled by hand' WHERE date = '2016-12-09'")
    assert "Retitled by hand" in client.get("/meetings/").content.decode()


def test_conditional_get(client, record):
    etag = client.get("/").headers["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    Meeting.objects.filter(date="2014-12-22").update(title="Changed")
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_page_and_fragment_are_cached_apart(client, record):
    page = client.get("/meetings/?format=closed").content.decode()
    fragment = client.get("/meetings/?format=closed", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in page and "<html" not in fragment
    assert "<html" in client.get("/meetings/?format=closed").content.decode()


def test_errors_are_not_cached(client, record):
    assert client.get("/meetings/?year=abc").status_code == 400
    assert "ETag" not in client.get("/meetings/?year=abc").headers


def test_a_download_is_made_once_per_version(client, record, django_assert_num_queries):
    first = client.get("/data/meetings.json")
    with django_assert_num_queries(1):
        second = client.get("/data/meetings.json")
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert client.get("/data/meetings.json", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_download_says_when_the_record_last_changed(client, record):
    generated = client.get("/data/meetings.json").json()["generated"]
    assert generated == RecordVersion.objects.get().changed.isoformat(timespec="seconds")
    Meeting.objects.filter(date="2014-12-22").update(title="Changed")
    after = client.get("/data/meetings.json").json()["generated"]
    assert after == RecordVersion.objects.get().changed.isoformat(timespec="seconds") and after >= generated


def test_with_a_version_memo_warm_pages_ask_the_database_nothing(client, record, settings, django_assert_num_queries,
                                                                  monkeypatch):
    from meetings import caching

    settings.RECORD_VERSION_TTL = 2
    caching.memo.forget()
    client.get("/votes/")
    with django_assert_num_queries(0):
        assert client.get("/votes/").status_code == 200
    # A write from elsewhere (here SQL, which no signal sees) shows once the memo is older than the TTL.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_meeting SET title = 'Retitled elsewhere' WHERE date = '2016-12-09'")
    clock = caching.time.monotonic() + 2.5
    monkeypatch.setattr(caching.time, "monotonic", lambda: clock)
    assert "Retitled elsewhere" in client.get("/meetings/").content.decode()


def test_a_write_by_this_process_is_seen_at_once_despite_the_memo(client, record, settings):
    from meetings import caching

    settings.RECORD_VERSION_TTL = 60
    caching.memo.forget()
    client.get("/meetings/")
    meeting = Meeting.objects.get(date="2016-12-09")
    meeting.title = "Retitled in the admin"
    meeting.save()
    assert "Retitled in the admin" in client.get("/meetings/").content.decode()


@pytest.mark.parametrize("url", ["/votes/", "/data/meetings.json", "/data/feed.atom"])
def test_a_page_served_early_from_the_cache_has_the_headers_of_a_rendered_one(client, record, url):
    rendered = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    cached = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert not hasattr(cached.wsgi_request, "user")  # answered before the authentication middleware
    for header in ("Content-Type", "Cache-Control", "ETag", "Vary", "Content-Encoding", "X-Frame-Options",
                   "X-Content-Type-Options", "Access-Control-Allow-Origin", "Content-Disposition"):
        assert cached.get(header) == rendered.get(header), header
    assert "default-src 'self'" in cached["Content-Security-Policy"]
    assert cached.content == rendered.content


def test_a_worker_that_meets_an_outage_knowing_no_version_uses_the_one_others_saw(client, record, monkeypatch):
    from django.db import OperationalError

    from meetings import caching

    page = client.get("/votes/")  # another worker read the version and rendered the page
    caching.memo.value = caching.memo.checked = None  # this worker has seen nothing

    def database_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(caching.RecordVersion.objects, "filter", database_down)
    again = client.get("/votes/")
    assert again.status_code == 200 and again.content == page.content
