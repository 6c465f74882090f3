from django import forms

from council.models import RegionalGroup, Seat, State
from meetings.models import Format


def describe_errors(form):
    """A form's errors in one line, for a 400 that says what was wrong."""
    return "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())


class StateCodeField(forms.CharField):
    """An optional ISO 3166-1 alpha-3 code in any case (`chn`), cleaned to the State it names."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=3, help_text="ISO 3166-1 alpha-3 code, e.g. chn", **kwargs)

    def clean(self, value):
        code = super().clean(value).upper()
        if not code:
            return None
        try:
            return State.objects.get(iso3=code)
        except State.DoesNotExist:
            raise forms.ValidationError(f"No state with the code “{code.lower()}” is in the record.") from None


class TimelineFilter(forms.Form):
    """The timeline's query parameters; anything else is a 400, never a 500."""

    year = forms.IntegerField(required=False, min_value=1945, max_value=2100)
    format = forms.ChoiceField(required=False, choices=[("", "All formats"), *Format.choices])
    state = StateCodeField()

    def description(self):
        """The filter in a few words, for the page title: "2016, public meeting, Japan"."""
        data = self.cleaned_data
        parts = [str(data["year"]) if data["year"] else "", Format(data["format"]).label.lower() if data["format"] else "",
                 data["state"].short_name if data["state"] else ""]
        return ", ".join(p for p in parts if p)

    def filter(self, meetings):
        data = self.cleaned_data
        if data["year"]:
            meetings = meetings.filter(date__year=data["year"])
        if data["format"]:
            meetings = meetings.filter(format=data["format"])
        if data["state"]:
            meetings = meetings.involving(data["state"])
        return meetings


class MatrixFilter(forms.Form):
    """The vote matrix's filters and sort order."""

    SORTS = [
        ("name", "Name"),
        ("in_favour", "Most votes in favour"),
        ("against", "Most votes against"),
        ("abstaining", "Most abstentions"),
        ("group", "Regional group"),
    ]
    seat = forms.ChoiceField(required=False, choices=[("", "All seats"), *Seat.choices])
    group = forms.ChoiceField(required=False, choices=[("", "All groups"), *RegionalGroup.choices])
    sort = forms.ChoiceField(required=False, choices=SORTS)
    page = forms.IntegerField(required=False, min_value=1, max_value=10**6)


class SearchForm(TimelineFilter):
    """Full-text search, filterable like the timeline."""

    q = forms.CharField(required=False, max_length=200, strip=True, label="Search")
    page = forms.IntegerField(required=False, min_value=1)


class CountryFilter(forms.Form):
    group = forms.ChoiceField(required=False, choices=[("", "All groups"), *RegionalGroup.choices])
