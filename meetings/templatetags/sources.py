"""Template filters for lists of sources."""

from django import template

from meetings.presenters import SourceItem, source_items

register = template.Library()


@register.filter(name="source_items")
def to_source_items(sources):
    """Sources (model rows or prepared items) as the list behind a "3 sources" marker, UN records first."""
    sources = list(sources or [])
    if all(isinstance(source, SourceItem) for source in sources):
        return sources
    return source_items(sources)
