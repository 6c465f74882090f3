"""Template tags for the sources behind a fact."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from meetings.presenters import SourceItem, source_items

register = template.Library()


@register.filter(name="source_items")
def to_source_items(sources):
    """Sources (model rows or prepared items) as the list behind a "3 sources" marker, UN records first."""
    sources = list(sources or [])
    if all(isinstance(source, SourceItem) for source in sources):
        return sources
    return source_items(sources)


@register.simple_tag
def cite(sources, caveats=None):
    """The "3 sources" disclosure after a fact, with the fact's caveats.

    It follows every fact of an event page (ten or more times) and every term on a
    country's page, so it is written here rather than as an included template, whose
    own cost per use was a tenth of the event page's render. Escaped as Django escapes.
    """
    items = to_source_items(sources)
    html = ""
    if items:
        listed = "".join(f'\n<li><span class="kind">{escape(item.kind_word)}</span> <a href="{escape(item.url)}" '
                         f'rel="external">{escape(item.label)}</a>{": " + escape(item.title) if item.title else ""}</li>'
                         for item in items)
        html = (f'<details class="cite"><summary>{len(items)} source{"" if len(items) == 1 else "s"}</summary>'
                f'<ul class="cite-list">{listed}\n</ul></details>')
    for caveat in caveats or ():
        html += (f'\n<div class="caveat caveat-{escape(caveat.kind)}"><strong>{escape(caveat.get_kind_display())}:'
                 f'</strong> {escape(caveat.text)}</div>')
    return mark_safe(html + "\n")
