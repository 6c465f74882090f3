"""The full downloads rendered ahead of readers, once per version of the record.

meetings.json, meetings.csv, ballots.csv and statements.csv hold the whole record, so
rendering them grows with it (2.5 s for meetings.json at 100x the shipped record). When
a process sees a version it has not seen before (VersionMemo), it renders them in a
background thread, for the site's own origin (settings.SITE_URL) and every origin that
has asked this process for a download, and stores them in the page cache exactly as a
reader's request would, plain and compressed. Readers then get them from the cache.

A reader who asks in the seconds between a change and the end of that render still
waits for a render of their own (both are the same bytes). With LocMem each worker
renders its own copy; with Redis each version is rendered by whichever process claims
it first.
"""

import logging
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.urls import resolve, reverse

logger = logging.getLogger(__name__)

FULL_DOWNLOADS = ("data:meetings_json", "data:meetings_csv", "data:ballots_csv", "data:statements_csv")
# The encodings stored for each: brotli and gzip (what browsers and most clients send), and plain.
ENCODINGS = ("br", "gzip", "")

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
    """Renders and caches every full download for version `current`; returns how many responses."""
    # One process per version when the cache is shared (Redis); with LocMem each process claims its own.
    if not cache.add(f"prerender:{current[0]}", True, 24 * 60 * 60):
        return 0
    site = urlsplit(settings.SITE_URL)
    rendered = 0
    for scheme, host in sorted(origins | {(site.scheme, site.netloc)}):
        factory = RequestFactory(HTTP_HOST=host)
        for name in FULL_DOWNLOADS:
            path = reverse(name)
            view = resolve(path).func
            for encoding in ENCODINGS:
                request = factory.get(path, secure=scheme == "https", HTTP_ACCEPT_ENCODING=encoding)
                request.record_version = current
                if view(request).status_code == 200:
                    rendered += 1
    return rendered
