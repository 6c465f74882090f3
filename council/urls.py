from django.contrib import admin
from django.urls import include, path

from council import probes
from meetings import site

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", probes.healthz, name="healthz"),
    path("readyz", probes.readyz, name="readyz"),
    path("data/", include("meetings.data_urls")),
    path("robots.txt", site.robots_txt, name="robots"),
    path("sitemap.xml", site.sitemap, name="sitemap"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("card.png", site.site_card_png, name="site_card"),
    path("", include("meetings.urls")),
]

handler500 = "council.middleware.server_error"
