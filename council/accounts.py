"""Who is asking: the client's address, as the login lock and the readers' reports count it."""

from django.conf import settings
from django.shortcuts import render


def client_ip(request, credentials=None):
    """The address of the client; behind TRUSTED_PROXY_COUNT proxies, the one the nearest proxy saw.

    Only the entries our own proxies appended to X-Forwarded-For are trusted: a client can
    write anything to the left of them.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out login gets: what happened, for how long, and what to do."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html",
                  {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}, status=429)
