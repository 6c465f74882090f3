"""Public pages cached and validated against the record's version.

A page is rendered once per version of the record (per address, and per htmx or full
request) and then served from the cache; a browser that already has it gets a 304.
The version changes with every write to the record (see RecordVersion), so a cached
page can never outlive the data it shows.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_cache_control

from meetings.models import RecordVersion

# A version's pages stay until evicted; a day bounds how long an unused one lingers.
TIMEOUT = 24 * 60 * 60


def cached_by_record_version(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        version = RecordVersion.current()
        if version is None:
            return view(request, *args, **kwargs)
        variant = "htmx" if request.htmx and not request.htmx.history_restore_request else "page"
        digest = hashlib.sha256(f"{request.get_full_path()}|{variant}".encode()).hexdigest()[:20]
        etag = f'"{version}-{digest}"'
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        key = f"page:{version}:{digest}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            cache.set(key, response, TIMEOUT)
        response["ETag"] = etag
        # Readers may keep a copy but must ask whether it is still current.
        patch_cache_control(response, public=True, no_cache=True)
        return response

    return wrapped
