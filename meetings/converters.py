import datetime

from django.http import Http404


class IsoDateConverter:
    """A calendar date in a URL, YYYY-MM-DD; an impossible one (2014-02-30) is a 404 that says so."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise Http404(f"“{value}” is not a date on the calendar.") from None

    def to_url(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value
