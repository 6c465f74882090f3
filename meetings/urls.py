from django.urls import path, register_converter

from meetings import views
from meetings.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.timeline, name="timeline"),
    path("meetings/<isodate:day>/", views.detail, name="detail"),
]
