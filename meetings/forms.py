from django import forms

from council.models import State
from meetings.models import Format


class TimelineFilter(forms.Form):
    """The timeline's query parameters; anything else is a 400, never a 500."""

    year = forms.IntegerField(required=False, min_value=1945, max_value=2100)
    format = forms.ChoiceField(required=False, choices=[("", "All formats"), *Format.choices])
    state = forms.CharField(required=False, max_length=3, help_text="ISO 3166-1 alpha-3 code, e.g. chn")

    def clean_state(self):
        code = self.cleaned_data["state"].upper()
        if not code:
            return None
        try:
            return State.objects.get(iso3=code)
        except State.DoesNotExist:
            raise forms.ValidationError(f"No state with the code “{code.lower()}” is in the record.") from None

    def filter(self, meetings):
        data = self.cleaned_data
        if data["year"]:
            meetings = meetings.filter(date__year=data["year"])
        if data["format"]:
            meetings = meetings.filter(format=data["format"])
        if data["state"]:
            meetings = meetings.involving(data["state"])
        return meetings
