"""HTTP as clients and monitors expect it: HEAD, hostile bytes, compression, probes."""

import gzip
import logging

import brotli
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/meetings/", "/meetings/2014-12-22/", "/votes/", "/countries/", "/countries/chn/",
          "/search/?q=forced+labour", "/method/", "/data/", "/data/meetings.json", "/data/meetings.csv",
          "/data/ballots.csv", "/data/statements.csv", "/data/members.json", "/data/members.csv",
          "/data/meetings.schema.json", "/data/feed.atom", "/healthz", "/readyz"]


@pytest.mark.parametrize("url", PUBLIC)
def test_head_works_wherever_get_does(client, record, url):
    get = client.get(url)
    head = client.head(url)
    assert get.status_code == head.status_code == 200
    assert head["Content-Type"] == get["Content-Type"] and head.content == b""
    assert int(head["Content-Length"]) == len(get.content)


def test_head_of_a_cached_page_is_answered_from_the_cache(client, record, django_assert_num_queries):
    client.get("/votes/")
    with django_assert_num_queries(1):  # the version only
        assert client.head("/votes/").status_code == 200


@pytest.mark.parametrize("url", [
    "/countries/%00/", "/countries/chn%00/", "/countries/%E2%80%AE%00/", "/meetings/%00", "/%FF%FE/",
    "/search/?q=%00", "/search/?q=%FF", "/meetings/?year=2014%00", "/data/meetings.json?state=%00",
    "/votes/?group=%01", "/countries/%C0%AF/",
])
def test_nul_and_undecodable_bytes_are_a_client_error(client, url):
    assert client.get(url).status_code in (400, 404)


def test_a_path_out_of_the_static_folder_is_not_found(client):
    assert client.get("/static/../council/settings.py").status_code == 404
    assert client.get("/static/%2e%2e/council/settings.py").status_code in (400, 404)


@pytest.mark.parametrize(("url", "kind"), [("/votes/", "text/html"), ("/data/meetings.json", "application/json"),
                                           ("/data/meetings.csv", "text/csv"), ("/data/feed.atom", "application/atom+xml")])
def test_pages_and_downloads_are_compressed_when_accepted(client, record, url, kind):
    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    squeezed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain["Content-Type"].startswith(kind) and "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip" and gzip.decompress(zipped.content) == plain.content
    assert squeezed["Content-Encoding"] == "br" and brotli.decompress(squeezed.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3
    assert "Accept-Encoding" in plain["Vary"]


def test_an_uncached_answer_is_compressed_too(client, record):
    response = client.get("/meetings/?year=" + "9" * 400, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 400 and response["Content-Encoding"] == "gzip"


def test_the_admin_is_not_compressed(client, admin_client):
    response = admin_client.get("/admin/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200 and "Content-Encoding" not in response


@pytest.mark.parametrize("url", PUBLIC[:9])
def test_public_pages_carry_no_csrf_token_or_cookie(client, record, url):
    response = client.get(url)
    assert b"csrfmiddlewaretoken" not in response.content
    assert not response.cookies and "Cookie" not in response.get("Vary", "")


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_readyz_says_ready_when_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_readyz_says_503_with_a_migration_unapplied(client):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'meetings' AND name LIKE '0005%'")
    response = client.get("/readyz")
    assert response.status_code == 503 and b"not applied" in response.content


def test_a_starting_worker_begins_the_render_ahead_before_any_request(record, monkeypatch):
    from council import wsgi
    from meetings import prerender
    from meetings.caching import memo

    started = []
    monkeypatch.setattr(prerender, "soon", started.append)
    monkeypatch.setattr(memo, "value", None)  # as in a worker that has read no version yet
    memo.forget()
    wsgi.render_ahead_now()
    assert started == [memo.current()]


def test_a_worker_starts_even_when_the_database_does_not_answer(monkeypatch, caplog):
    from django.db import OperationalError

    from council import wsgi
    from meetings.caching import memo

    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(memo, "current", unreachable)
    logger = logging.getLogger("council.wsgi")  # the project's logging does not propagate to pytest's
    logger.addHandler(caplog.handler)
    try:
        wsgi.render_ahead_now()  # no exception: the worker goes on starting
    finally:
        logger.removeHandler(caplog.handler)
    assert "did not answer as this worker started" in caplog.text
