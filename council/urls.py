from django.contrib import admin
from django.urls import include, path

from council import probes

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", probes.healthz, name="healthz"),
    path("readyz", probes.readyz, name="readyz"),
    path("data/", include("meetings.data_urls")),
    path("", include("meetings.urls")),
]

handler500 = "council.middleware.server_error"
