"""Public pages and downloads cached and validated against the record's version.

A response is rendered once per version of the record (per address, and per htmx or
full request), compressed once (gzip, and brotli where installed), and then served
from the cache; a browser that already has it gets a 304. The version changes with
every write to the record (see RecordVersion), so a cached page never outlives the
data it shows by more than the version memo's few seconds (below).

The version itself is remembered in each process for settings.RECORD_VERSION_TTL
seconds (1 in production, 0 under DEBUG), so that a warm page costs no query at all.
A write made by this process forgets it at once; a write made elsewhere (another
worker or host, the loader, SQL) reaches this process within that time. While the
database cannot be reached, the last version seen is still the current one (nothing
can be written), so pages already rendered for it are served from the cache; all
else gets a 503 (council/middleware.py).
"""

import gzip
import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from meetings.models import RecordVersion

try:
    import brotli
except ImportError:  # brotli is optional: gzip alone is enough for every browser.
    brotli = None

logger = logging.getLogger(__name__)

# A version's pages stay until evicted; a day bounds how long an unused one lingers.
TIMEOUT = 24 * 60 * 60
COMPRESSIBLE = ("text/html", "text/csv", "text/plain", "application/json", "application/schema+json",
                "application/atom+xml", "application/xml")
# Below this a compressed body is hardly smaller, and not worth a header.
MIN_COMPRESS = 256
# Headers the view sets that the cache keeps; the middleware adds the rest on every request.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Vary")


class VersionMemo:
    """The record's current version, remembered for a few seconds by this process."""

    def __init__(self):
        self.value = None  # (version string, datetime of the change) or None
        self.checked = None
        self.unreachable = False

    def forget(self, **kwargs):
        self.checked = None

    def current(self):
        """The (version, changed) pair, or None when no change was ever counted.

        Raises OperationalError/InterfaceError only when the database is down and no
        version was ever seen by this process.
        """
        now = time.monotonic()
        if self.checked is not None and now - self.checked < settings.RECORD_VERSION_TTL:
            return self.value
        try:
            row = RecordVersion.objects.filter(pk=1).values_list("version", "changed").first()
        except (OperationalError, InterfaceError):
            if self.value is None:
                raise
            if not self.unreachable:
                logger.warning("The database is unreachable; serving cached pages of record version %s.",
                               self.value[0])
            # Ask again after the TTL, not on every request of an outage.
            self.unreachable, self.checked = True, now
            return self.value
        if self.unreachable:
            logger.warning("The database is reachable again.")
        self.unreachable = False
        self.value = None if row is None else (f"{row[0]}.{row[1].timestamp():.6f}", row[1])
        self.checked = now
        return self.value


memo = VersionMemo()
# A write made by this process (an editor's save) is seen by its next request at once.
for signal in (post_save, post_delete, m2m_changed):
    signal.connect(memo.forget, dispatch_uid=f"record-version-memo-{signal!r}")


def version_time(request):
    """When the record last changed (the version's time) as this request saw it, or None."""
    return getattr(request, "record_changed", None)


def accepted_encoding(request):
    accepted = {part.split(";")[0].strip().lower() for part in request.headers.get("Accept-Encoding", "").split(",")}
    if brotli is not None and "br" in accepted:
        return "br"
    if "gzip" in accepted:
        return "gzip"
    return None


ENCODINGS = (None, "gzip", "br")


def entries_from(response):
    """What the cache keeps of a rendered response, one entry per encoding a client may accept.

    Each is (headers, body), stored under its own key, so that a request loads only the
    body it will send.
    """
    body = response.content
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    content_type = headers.get("Content-Type", "").split(";")[0].strip()
    if content_type not in COMPRESSIBLE or len(body) < MIN_COMPRESS:
        return dict.fromkeys(ENCODINGS, (headers, body))
    varied = {**headers, "Vary": ", ".join(filter(None, [headers.get("Vary"), "Accept-Encoding"]))}
    entries = {None: (varied, body), "gzip": ({**varied, "Content-Encoding": "gzip"},
                                             gzip.compress(body, compresslevel=6, mtime=0))}
    entries["br"] = ({**varied, "Content-Encoding": "br"}, brotli.compress(body, quality=5)) if brotli else entries[None]
    return entries


def response_from(entry):
    headers, body = entry
    response = HttpResponse(body)
    for name, value in headers.items():
        response[name] = value
    response["Content-Length"] = str(len(body))
    return response


def cache_get(key):
    try:
        return cache.get(key)
    except Exception:  # A shared cache (Redis) that is down costs a render, never a page.
        logger.exception("The page cache could not be read.")
        return None


def cache_set_many(entries):
    try:
        cache.set_many(entries, TIMEOUT)
    except Exception:
        logger.exception("The page cache could not be written.")


def cached_by_record_version(view=None, *, max_age=None):
    """Caches `view` by the record's version; with `max_age`, browsers may keep it that long unasked."""
    if view is None:
        return lambda view: cached_by_record_version(view, max_age=max_age)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        current = memo.current()
        if current is None:
            return view(request, *args, **kwargs)
        version, request.record_changed = current
        variant = "htmx" if request.htmx and not request.htmx.history_restore_request else "page"
        # The host and scheme too: a few pages and downloads print their own absolute address.
        where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(f"{where}|{variant}".encode()).hexdigest()[:20]
        # Weak: the gzip, brotli and plain bodies are the same page.
        etag = f'W/"{version}-{digest}"'
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        encoding = accepted_encoding(request)
        entry = cache_get(f"page:{version}:{digest}:{encoding}")
        if entry is None:
            rendered = view(request, *args, **kwargs)
            if rendered.status_code != 200 or rendered.streaming:
                return rendered
            entries = entries_from(rendered)
            cache_set_many({f"page:{version}:{digest}:{name}": value for name, value in entries.items()})
            entry = entries[encoding]
        response = response_from(entry)
        response["ETag"] = etag
        if max_age:
            patch_cache_control(response, public=True, max_age=max_age)
        else:
            # Readers may keep a copy but must ask whether it is still current.
            patch_cache_control(response, public=True, no_cache=True)
        return response

    return wrapped
