from django.urls import path, register_converter

from meetings import changes, site, views
from meetings.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

app_name = "meetings"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("meetings/", views.timeline, name="timeline"),
    path("meetings/<isodate:day>/", views.detail, name="detail"),
    path("meetings/<isodate:day>/card.png", site.event_card_png, name="card"),
    path("votes/", views.vote_matrix, name="votes"),
    path("countries/", views.country_list, name="countries"),
    path("countries/<str:iso3>/", views.country_detail, name="country"),
    path("search/", views.search, name="search"),
    path("method/", views.method, name="method"),
    path("changes/", changes.changes, name="changes"),
    path("meetings/<isodate:day>/report/", changes.report_error, name="report"),
]
