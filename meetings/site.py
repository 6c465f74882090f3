"""The site's own files: robots.txt, favicon.ico, the sitemap and the share-card pictures."""

import struct
from functools import lru_cache

import resvg_py
from django.conf import settings
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from meetings.caching import cached_by_record_version
from meetings.cards import event_card, overview_card, render_png
from meetings.models import Meeting
from meetings.presenters import OVERVIEW_VOTES, EventPage, vote_rows
from meetings.sitemaps import SITEMAPS


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@lru_cache(maxsize=1)
def favicon_bytes():
    """static/img/favicon.svg as a 32x32 .ico (a PNG inside an ICO header), for browsers that ask for it."""
    png = bytes(resvg_py.svg_to_bytes(svg_path=str(settings.BASE_DIR / "static" / "img" / "favicon.svg"),
                                      width=32, height=32))
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", 32, 32, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    return HttpResponse(favicon_bytes(), content_type="image/x-icon")


@require_safe
def sitemap(request):
    return sitemap_view(request, SITEMAPS)


def png_response(card):
    response = HttpResponse(render_png(card), content_type="image/png")
    response["Content-Disposition"] = 'inline; filename="vote.png"'
    return response


@require_safe
@cached_by_record_version
def event_card_png(request, day):
    meeting = Meeting.objects.published().for_event_page().filter(date=day).first()
    if meeting is None:
        raise Http404(f"No event on {day:%-d %B %Y} is in the record.")
    page = EventPage(meeting)
    if not page.vote:
        raise Http404(f"The event of {day:%-d %B %Y} had no procedural vote to draw.")
    return png_response(event_card(page))


@require_safe
@cached_by_record_version
def site_card_png(request):
    return png_response(overview_card(vote_rows(Meeting.objects.latest_votes(OVERVIEW_VOTES))))
