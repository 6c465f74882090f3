"""The site's own files and addresses: robots.txt, the sitemap, the favicon, share cards, SITE_URL."""

import re
import struct

import pytest
from django.test import override_settings

from meetings.models import Ballot, Meeting, Position

pytestmark = pytest.mark.django_db

SITE = "https://record.example.org"


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "a PNG"
    return struct.unpack(">II", data[16:24])


@override_settings(SITE_URL=SITE)
def test_robots_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


@override_settings(SITE_URL=SITE)
def test_sitemap_lists_every_event_state_and_page_at_the_public_address(client, record):
    from meetings.models import Country

    xml = client.get("/sitemap.xml").content.decode()
    locations = set(re.findall(r"<loc>([^<]+)</loc>", xml))
    assert all(loc.startswith(SITE + "/") for loc in locations)
    for meeting in Meeting.objects.all():
        assert f"{SITE}{meeting.get_absolute_url()}" in locations
    for country in Country.objects.in_the_record():
        assert f"{SITE}/countries/{country.iso3.lower()}/" in locations
    for path in ["/", "/meetings/", "/votes/", "/countries/", "/search/", "/method/", "/data/"]:
        assert f"{SITE}{path}" in locations


def test_favicon_ico_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"
    assert png_size(response.content[22:]) == (32, 32)


def test_not_found_offers_search(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert re.search(r'<form[^>]*action="/search/"[^>]*role="search"', html)
    assert 'name="q"' in html


@override_settings(SITE_URL=SITE)
def test_citation_example_and_feed_use_the_public_address(client, record):
    assert f"{SITE}/data/" in client.get("/data/").content.decode()
    assert "testserver" not in client.get("/data/").content.decode()
    feed = client.get("/data/feed.atom").content.decode()
    assert f'href="{SITE}/meetings/2014-12-22/"' in feed and "testserver" not in feed


@override_settings(SITE_URL=SITE)
def test_event_page_and_overview_carry_share_cards(client, record):
    html = client.get("/meetings/2014-12-22/").content.decode()
    meta = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)"', html))
    assert meta["og:title"] == "Council votes to place the situation in the DPRK on its agenda"
    assert meta["og:description"].startswith("Agenda adopted, 11–2–2: two votes to spare.")
    assert meta["og:image"] == f"{SITE}/meetings/2014-12-22/card.png"
    assert meta["twitter:card"] == "summary_large_image"
    assert "11 in favour, 2 against and 2 abstaining; 9 votes in favour were needed" in meta["og:image:alt"]
    overview = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)"',
                               client.get("/").content.decode()))
    assert overview["og:image"] == f"{SITE}/card.png"
    assert "2024: 12–2–1" in overview["og:image:alt"]
    assert {"og:title", "og:description", "twitter:card"} <= overview.keys()


def test_share_card_is_a_1200_by_630_png_that_follows_the_vote(client, record):
    response = client.get("/meetings/2014-12-22/card.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    before = response.content
    assert png_size(before) == (1200, 630)
    assert client.get("/meetings/2014-12-22/card.png").content == before, "the same vote, the same picture"
    chad = Ballot.objects.get(meeting__date="2014-12-22", state__iso3="TCD")
    chad.position = Position.IN_FAVOUR
    chad.save()
    after = client.get("/meetings/2014-12-22/card.png").content
    assert png_size(after) == (1200, 630)
    assert after != before, "a corrected vote gets a new picture"
    assert "12–2–1" in client.get("/meetings/2014-12-22/").content.decode()


def test_share_card_text_is_drawn(record):
    """Without fonts resvg silently draws no text: the same card with another title must differ."""
    from meetings.cards import event_card, render_png
    from meetings.presenters import EventPage

    page = EventPage(Meeting.objects.for_event_page().get(date="2014-12-22"))
    card = event_card(page)
    plain = render_png(card)
    card.title = "Another title altogether"
    assert render_png(card) != plain


def test_site_card_and_events_without_a_vote(client, record):
    assert png_size(client.get("/card.png").content) == (1200, 630)
    assert client.get("/meetings/2020-12-11/card.png").status_code == 404
    assert client.get("/meetings/2014-12-23/card.png").status_code == 404
    assert client.get("/meetings/2014-13-45/card.png").status_code == 404
    html = client.get("/meetings/2020-12-11/").content.decode()
    assert 'property="og:image" content="http' in html and "/card.png" in html
