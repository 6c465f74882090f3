"""The editors' interface: one module per part of the record."""

from django.contrib import admin

from meetings.admin import corrections, history, meeting, names, sources, trash  # noqa: F401  (registers the model admins)

SITE_NAME = "DPRK human rights at the UN Security Council"

admin.site.site_header = f"{SITE_NAME}: the editors' workbench"
admin.site.site_title = f"{SITE_NAME} (editors)"
admin.site.index_title = "The record"
# The sidebar repeats the index on every page; the event page needs the width (and the bytes).
admin.site.enable_nav_sidebar = False
