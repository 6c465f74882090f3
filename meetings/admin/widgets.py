"""Widgets of the event change page: pickers that do not query per row, dates in words."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.utils.html import format_html


class KnownLabelsMixin:
    """An autocomplete whose selected options are labelled from `labels`, filled once per page.

    Django's autocomplete looks up each widget's selected object on its own; on a page of 80
    citations and 30 statements that is a query per row. The change view collects every
    selected id first and fills `labels` ({str(pk): label}) with one query per model.
    `day`, when set, goes with each search so that the state picker can rank or restrict to
    the Council's members of that day.
    """

    labels = None
    day = None

    def get_url(self):
        url = super().get_url()
        return f"{url}?{urlencode({'day': self.day.isoformat()})}" if self.day else url

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # What select2 and jQuery do anyway, left out: fifty bytes on each of a hundred pickers.
        for name, default in (("data-ajax--cache", "true"), ("data-ajax--type", "GET"), ("lang", "en")):
            if attrs.get(name) == default:
                del attrs[name]
        return attrs

    def selected_values(self, value):
        if value is None:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        return [str(v) for v in values if str(v) not in self.choices.field.empty_values]

    def optgroups(self, name, value, attr=None):
        if self.labels is None:
            return super().optgroups(name, value, attr)
        selected = [v for v in self.selected_values(value) if v in self.labels]
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in selected:
            options.append(self.create_option(name, pk, self.labels[pk], set(selected), len(options)))
        return [(None, options, 0)]


class PickerSelect(KnownLabelsMixin, AutocompleteSelect):
    pass


class PickerSelectMultiple(KnownLabelsMixin, AutocompleteSelectMultiple):
    pass


def in_words(day):
    return f"{day:%A} {day.day} {day:%B %Y}"


class IsoDateInput(forms.TextInput):
    """A date typed as 2025-12-10 or 10 December 2025, echoed in words beside the field.

    The echo is filled on the server for the saved value and kept current as the editor
    types by static/js/admin-dates.js.
    """

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "2025-12-10", "size": 18, "autocomplete": "off",
                          "class": "iso-date", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        words = in_words(value) if isinstance(value, datetime.date) else ""
        echo_id = f"{(attrs or {}).get('id') or name}-in-words"
        return format_html('{} <span class="date-in-words" id="{}" aria-live="polite">{}</span>', field, echo_id, words)
