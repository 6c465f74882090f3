from django.urls import path

from meetings import downloads
from meetings.feeds import feed

app_name = "data"
urlpatterns = [
    path("", downloads.index, name="index"),
    path("meetings.json", downloads.meetings_json, name="meetings_json"),
    path("meetings.csv", downloads.meetings_csv, name="meetings_csv"),
    path("ballots.csv", downloads.ballots_csv, name="ballots_csv"),
    path("statements.csv", downloads.statements_csv, name="statements_csv"),
    path("members.json", downloads.members_json, name="members_json"),
    path("members.csv", downloads.members_csv, name="members_csv"),
    path("meetings.schema.json", downloads.schema, {"name": "meetings"}, name="meetings_schema"),
    path("members.schema.json", downloads.schema, {"name": "members"}, name="members_schema"),
    path("feed.atom", feed, name="feed"),
]
