from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("data/", include("meetings.data_urls")),
    path("", include("meetings.urls")),
]
