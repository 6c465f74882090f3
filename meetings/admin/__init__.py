"""The editors' interface: one module per part of the record."""

from meetings.admin import corrections, history, meeting, sources  # noqa: F401  (registers the model admins)
