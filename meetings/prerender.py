"""The full downloads rendered ahead of readers, once per version of the record, and stored.

meetings.json, meetings.csv, ballots.csv and statements.csv hold the whole record, so
rendering them grows with it (~0.4 s for meetings.json at 100x the shipped record). When
a process sees a version it has not seen before (VersionMemo; a gunicorn worker reads the
version as it starts, council/wsgi.py), it renders them in a
background thread, for the site's own origin (settings.SITE_URL) and every origin that
has asked this process for a download, and puts them in the page cache exactly as a
reader's request would, plain and compressed. Readers then get them from the cache.

The first render of a version is also stored in PostgreSQL (StoredDownload), plain,
gzip and brotli. A process whose page cache does not hold them (after a restart, on
another host, after an eviction) serves the stored bytes with one query instead of
rendering (stored_entry, called by caching.cached_by_record_version), and its own
render ahead loads them the same way. Rows of older versions are deleted when a newer
one is stored; a version is stored only while it is still the current one.

A reader who asks in the seconds between a change and the end of the first render
still waits for a render of their own (both are the same bytes). With LocMem each
worker fills its own cache (from the stored rows once they exist); with Redis each
version is handled by whichever process claims it first.
"""

import json
import logging
import threading
from functools import cache as once
from urllib.parse import urlsplit

import psycopg
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import resolve, reverse

from meetings.caching import KEPT_HEADERS
from meetings.models import RecordVersion, StoredDownload

logger = logging.getLogger(__name__)

FULL_DOWNLOADS = ("data:meetings_json", "data:meetings_csv", "data:ballots_csv", "data:statements_csv")
# The encodings stored for each: brotli and gzip (what browsers and most clients send), and plain.
ENCODINGS = ("br", "gzip", "")
# The StoredDownload column of each encoding (caching.accepted_encoding's None is plain).
COLUMNS = {"br": "br", "gzip": "gzip", "": "plain", None: "plain"}
# The headers a cache entry keeps, and the encoding of its body.
ENTRY_HEADERS = (*KEPT_HEADERS, "Content-Encoding")

origins = set()  # (scheme, host) of the requests for a download this process has answered
_lock = threading.Lock()
_state = {"wanted": None, "running": False}


def remember_origin(request):
    """Called by a download's view: later versions are rendered ahead for this origin too."""
    origins.add((request.scheme, request.get_host()))


def soon(current):
    """Renders the full downloads for `current` (version, changed) in a background thread."""
    if not settings.RECORD_PRERENDER:
        return
    with _lock:
        _state["wanted"] = current
        if _state["running"]:
            return  # the running thread takes the newest version when it is done
        _state["running"] = True
    threading.Thread(target=_work, name="prerender-downloads", daemon=True).start()


def _work():
    try:
        while True:
            with _lock:
                current, _state["wanted"] = _state["wanted"], None
                if current is None:
                    _state["running"] = False
                    return
            try:
                render_downloads(current)
            except Exception:
                logger.exception("The downloads of record version %s could not be rendered ahead.", current[0])
    finally:
        connection.close()


def render_downloads(current):
    """Renders (or loads) and caches every full download for version `current`; returns how many responses."""
    # One process per version when the cache is shared (Redis); with LocMem each process claims its own.
    if not cache.add(f"prerender:{current[0]}", True, 24 * 60 * 60):
        return 0
    site = urlsplit(settings.SITE_URL)
    stored = set(StoredDownload.objects.filter(version=current[0]).values_list("path", flat=True))
    rendered = 0
    for scheme, host in sorted(origins | {(site.scheme, site.netloc)}):
        factory = RequestFactory(HTTP_HOST=host)
        for path in full_paths():
            view = resolve(path).func
            entries = {}
            for encoding in ENCODINGS:
                request = factory.get(path, secure=scheme == "https", HTTP_ACCEPT_ENCODING=encoding)
                request.record_version = current
                response = view(request)
                if response.status_code == 200:
                    rendered += 1
                    entries[encoding] = entry_of(response)
            if path not in stored and len(entries) == len(ENCODINGS):
                store(path, current[0], entries)
                stored.add(path)
    return rendered


@once
def full_paths():
    return tuple(reverse(name) for name in FULL_DOWNLOADS)


def entry_of(response):
    """(headers, body) of a rendered download, as the page cache keeps it for that encoding."""
    return {name: response[name] for name in ENTRY_HEADERS if response.has_header(name)}, response.content


def store(path, version, entries):
    """Keeps the download's three encodings for `version`, if that is still the current version."""
    with transaction.atomic():
        if RecordVersion.current() != version:
            return  # a later write has made it stale: the process that sees that version stores its own
        with connection.cursor() as cursor:
            # Plain SQL: a queryset delete would load every row (and its bodies) to send signals.
            cursor.execute("DELETE FROM meetings_storeddownload WHERE path = %s AND version <> %s", [path, version])
        StoredDownload.objects.bulk_create([StoredDownload(
            path=path, version=version, headers={encoding: headers for encoding, (headers, _) in entries.items()},
            plain=entries[""][1], gzip=entries["gzip"][1], br=entries["br"][1],
        )], ignore_conflicts=True)


def stored_entry(request, version, encoding):
    """The cache entry (headers, body) of a full download stored for `version`, or None.

    `encoding` is caching.accepted_encoding's: "br", "gzip" or None for plain. Only the
    downloads' own addresses, without a query string, are ever stored.
    """
    if not settings.RECORD_STORED_DOWNLOADS or request.META.get("QUERY_STRING") or request.path not in full_paths():
        return None
    column = COLUMNS[encoding]
    with binary_cursor() as cursor:
        cursor.execute(f"SELECT headers::text, {column} FROM meetings_storeddownload WHERE path = %s AND version = %s",
                       [request.path, version])
        row = cursor.fetchone()
    if row is None:
        return None
    remember_origin(request)
    headers, body = row
    return json.loads(headers)[encoding or ""], body


class BinaryResultCursor(psycopg.Cursor):
    """A cursor that asks PostgreSQL for binary results: bytea arrives as its bytes, not as hex to decode."""

    def execute(self, query, params=None, **kwargs):
        return super().execute(query, params, binary=True, **kwargs)


def binary_cursor():
    """A Django cursor (counted in connection.queries under DEBUG, like any other) over BinaryResultCursor.

    The stored meetings.json is 14 MB at 100x the shipped record: read as text, its hex
    form alone took longer to decode than the bytes took to arrive.
    """
    connection.ensure_connection()
    raw = BinaryResultCursor(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
