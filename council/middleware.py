"""Middleware that keeps the site's answers clean: hostile addresses, compression, database outages."""

import logging
import sys
from urllib.parse import unquote_to_bytes

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Seconds a client should wait before asking again while the database is away.
RETRY_AFTER = 5
UNAVAILABLE = (OperationalError, InterfaceError)


# Tab, line feed and carriage return can come from a pasted search; the other controls cannot.
CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0D} | {0x7F}


def has_bad_bytes(data):
    """Whether `data` holds a control byte or bytes that are not UTF-8."""
    if not CONTROL.isdisjoint(data):
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


class HeadMiddleware:
    """A HEAD answer carries the GET's headers (Content-Length included) and no body, as HTTP says.

    Servers drop the body themselves, gunicorn with a warning in the log for each request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming and response.content:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


class RejectBadBytesMiddleware:
    """A NUL, another control byte or bytes that are not UTF-8 in the path or query: a 400, before any view.

    No page of the site has such an address, and PostgreSQL refuses NUL in text, so
    letting them through can only end in an error further in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Servers %-decode the path (WSGI), clients and proxies sometimes once more: decoding
        # it again costs a legitimate address nothing, since none holds a "%".
        path = unquote_to_bytes(request.META.get("PATH_INFO", "").encode("latin-1", "replace"))
        query = unquote_to_bytes(request.META.get("QUERY_STRING", "").encode("latin-1", "replace"))
        if has_bad_bytes(path) or has_bad_bytes(query):
            return HttpResponseBadRequest(
                "The address holds a control character or bytes that are not UTF-8 text.\n",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class CompressionMiddleware(GZipMiddleware):
    """gzip for whatever was not compressed already, except the admin.

    Public pages hold no secret (no CSRF token, no personal data), so compressing them
    gives BREACH nothing to find; the admin's pages do hold tokens and stay as they are.
    Cached pages arrive compressed already (meetings/caching.py).
    """

    def process_response(self, request, response):
        if request.path.startswith("/admin/"):
            return response
        return super().process_response(request, response)


def unavailable(request=None):
    """The 503 page: rendered without the database, and asks the client to retry shortly."""
    response = HttpResponse(render_to_string("503.html", {"retry_after": RETRY_AFTER}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with Retry-After, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE):
            logger.warning("The database is unreachable: %s %s answered 503 (%s).", request.method, request.path,
                           exception)
            return unavailable(request)
        return None


def server_error(request):
    """handler500: a database outage met outside a view is still a 503; anything else the 500 page."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return unavailable(request)
    return HttpResponse(render_to_string("500.html"), status=500)
