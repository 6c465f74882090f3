"""Public pages and downloads cached and validated against the record's version.

A response is rendered once per version of the record (per address, and per htmx or
full request), compressed once per encoding a client asks for (gzip, and brotli where
installed), and then served from the cache, by PageCacheMiddleware before the rest of
the middleware runs; a browser that already has it gets a 304. The version changes with
every write to the record (see RecordVersion), so a cached page never outlives the
data it shows by more than the version memo's few seconds (below).

The version itself is remembered in each process for settings.RECORD_VERSION_TTL
seconds (1 in production, 0 under DEBUG), so that a warm page costs no query at all.
A write made by this process forgets it at once; a write made elsewhere (another
worker or host, the loader, SQL) reaches this process within that time: that second is
the only staleness the cache allows. While the
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
from django.utils.csp import build_policy

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
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Vary", "Cache-Control",
                "Access-Control-Allow-Origin")


# The latest version any worker has read, for a worker that meets an outage knowing none.
LAST_SEEN = "record-version:last-seen"


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
                # A worker that started during the outage, or has not been asked yet: the
                # version the other workers last saw, when the cache is shared (Redis).
                self.value = cache_get(LAST_SEEN)
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
        previous = self.value
        self.value = None if row is None else (f"{row[0]}.{row[1].timestamp():.6f}", row[1])
        self.checked = now
        if self.value is not None and (previous is None or previous[0] != self.value[0]):
            # A version new to this process: the whole-record downloads are rendered before anyone asks.
            from meetings import prerender  # it builds on this module

            prerender.soon(self.value)
        if self.value is not None:  # once per TTL: the shared copy may have been evicted
            shared = cache_get(LAST_SEEN)
            if shared is None or shared[1] < self.value[1]:
                cache_set_many({LAST_SEEN: self.value})
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


def compressible(headers, body):
    return headers.get("Content-Type", "").split(";")[0].strip() in COMPRESSIBLE and len(body) >= MIN_COMPRESS


def entry_from(response):
    """What the cache keeps of a rendered response: (headers, body), uncompressed."""
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    body = response.content
    if compressible(headers, body):
        headers["Vary"] = ", ".join(filter(None, [headers.get("Vary"), "Accept-Encoding"]))
    return headers, body


def compressed(entry, encoding):
    """The entry for `encoding` (gzip or br), made from the plain one; the plain one if not worth it."""
    headers, body = entry
    if encoding is None or not compressible(headers, body) or (encoding == "br" and brotli is None):
        return entry
    body = gzip.compress(body, compresslevel=6, mtime=0) if encoding == "gzip" else brotli.compress(body, quality=5)
    return {**headers, "Content-Encoding": encoding}, body


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


def page_key(request, version):
    """(key prefix, ETag) of this address's rendering for this version, full page or htmx fragment.

    Read from the headers, not request.htmx, so that PageCacheMiddleware can use it
    before django-htmx's middleware has run.
    """
    htmx = request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"
    # The host and scheme too: a few pages and downloads print their own absolute address.
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{'htmx' if htmx else 'page'}"
    digest = hashlib.sha256(where.encode()).hexdigest()[:20]
    # Weak: the gzip, brotli and plain bodies are the same page.
    return f"page:{version}:{digest}", f'W/"{version}-{digest}"'


def cached_response(request, version):
    """The cached response for this request, a 304 when the client has it, or None."""
    prefix, etag = page_key(request, version)
    encoding = accepted_encoding(request)
    entry = cache_get(f"{prefix}:{encoding}")
    if entry is None and encoding is not None:
        # Compressed on the first request that accepts this encoding, then kept.
        plain = cache_get(f"{prefix}:None")
        if plain is None:
            return None
        entry = compressed(plain, encoding)
        cache_set_many({f"{prefix}:{encoding}": entry})
    if entry is None:
        return None
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = response_from(entry)
    response["ETag"] = etag
    return response


def cached_by_record_version(view):
    """Renders `view` once per version of the record, then serves it from the cache."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # PageCacheMiddleware has read the version already for this request: one read, one version.
        current = getattr(request, "record_version", None) or memo.current()
        if current is None:
            return view(request, *args, **kwargs)
        version, request.record_changed = current
        prefix, etag = page_key(request, version)
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        response = cached_response(request, version)
        if response is not None:
            return response
        from meetings import prerender  # it builds on this module

        encoding = accepted_encoding(request)
        stored = prerender.stored_entry(request, version, encoding)
        if stored is not None:
            # A whole-record download another process (or this one, before a restart) stored for this version.
            cache_set_many({f"{prefix}:{encoding}": stored})
            response = response_from(stored)
            response["ETag"] = etag
            return response
        rendered = view(request, *args, **kwargs)
        if rendered.status_code != 200 or rendered.streaming:
            return rendered
        if "Cache-Control" not in rendered:
            # Readers may keep a copy but must ask whether it is still current.
            patch_cache_control(rendered, public=True, no_cache=True)
        plain = entry_from(rendered)
        entries = {None: plain}
        if encoding is not None:
            entries[encoding] = compressed(plain, encoding)
        cache_set_many({f"{prefix}:{name}": value for name, value in entries.items()})
        response = response_from(entries[encoding])
        response["ETag"] = etag
        return response

    return wrapped


class PageCacheMiddleware:
    """Serves a page already cached for the current version before the rest of the stack runs.

    Sessions, CSRF, authentication, messages and URL resolving do nothing for a cached
    public page, so skipping them makes a warm page cost little more than the cache
    read. The two headers those inner middleware would add to it are added here: the
    clickjacking and Content-Security-Policy headers (a cached page carries no nonce of
    its own: its scripts come from our own origin).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy(settings.SECURE_CSP, None) if settings.SECURE_CSP else None

    # Never cached: the probes must not ask the database for the version, the admin is private.
    NEVER = ("/healthz", "/readyz", "/admin/", "/static/")

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not request.path.startswith(self.NEVER):
            try:
                current = memo.current()
            except (OperationalError, InterfaceError):
                current = None  # the view will answer (a 503)
            if current is not None:
                request.record_version = current
                response = cached_response(request, current[0])
                if response is not None:
                    response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
                    if self.policy:
                        response["Content-Security-Policy"] = self.policy
                    return response
        return self.get_response(request)
