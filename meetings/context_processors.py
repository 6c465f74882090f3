"""Context every page gets."""

from dataclasses import replace

from meetings.cards import default_card


def share_card(request):
    """The site's share card, for pages that do not draw their own (an event's page does)."""
    return {"site_card": replace(default_card(), page_path=request.path)}
