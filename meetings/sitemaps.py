"""/sitemap.xml: every event, every state's page and every other public page, at the public address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from meetings.models import Country, Meeting


class PublicSitemap(Sitemap):
    """Addresses on settings.SITE_URL, whatever host the request came to."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"


class EventSitemap(PublicSitemap):
    def items(self):
        return Meeting.objects.order_by("date").only("date", "updated")

    def lastmod(self, meeting):
        return meeting.updated


class StateSitemap(PublicSitemap):
    def items(self):
        return Country.objects.in_the_record().order_by("iso3").only("iso3")

    def location(self, country):
        return reverse("meetings:country", kwargs={"iso3": country.iso3.lower()})


class PageSitemap(PublicSitemap):
    def items(self):
        return ["meetings:overview", "meetings:timeline", "meetings:votes", "meetings:countries",
                "meetings:search", "meetings:method", "data:index"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "events": EventSitemap, "states": StateSitemap}
