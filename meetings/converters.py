import datetime


class IsoDateConverter:
    """A calendar date in a URL, YYYY-MM-DD; an impossible date (2014-02-30) matches nothing, so 404."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        return datetime.date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value
