"""Readers' corrections: a reader reports an error in an event's record; editors answer in the admin.

What a reader sends is kept as plain text and only ever shown escaped. Where a mail to
the editors would go: `notify_editors()` below, called once a report is stored.
"""

import hashlib
import hmac
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from meetings.models import Meeting

MAX_TEXT = 5000


class ReportStatus(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class CorrectionReport(models.Model):
    """A reader's report that something in an event's record is wrong, and the editors' answer."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="correction_reports")
    text = models.TextField("what is wrong", max_length=MAX_TEXT)
    source = models.URLField("source", max_length=500, blank=True)
    email = models.EmailField("reader's e-mail", blank=True, help_text="Given by the reader for a reply; never shown.")
    received = models.DateTimeField(auto_now_add=True)
    # A keyed hash of the reader's address: enough to count reports per address, not to recover it.
    sender = models.CharField(max_length=64, db_index=True, editable=False)
    status = models.CharField(max_length=10, choices=ReportStatus, default=ReportStatus.NEW)
    reply = models.TextField("editor's reply", blank=True, help_text="What was done about it, in a sentence or two.")

    class Meta:
        ordering = ["-received"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ReportStatus.values), name="report_status_known"),
        ]

    def __str__(self):
        return f"Report on {self.meeting.date:%d %B %Y}, received {self.received:%d %B %Y %H:%M}"


def sender_key(address):
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def web_address(value):
    URLValidator(schemes=["http", "https"], message="Give the source as a web address starting with http:// or https://.")(value)


class CorrectionReportForm(forms.Form):
    text = forms.CharField(
        label="What is wrong?", widget=forms.Textarea(attrs={"rows": 8, "maxlength": MAX_TEXT}),
        max_length=MAX_TEXT,
        error_messages={"required": "Say what is wrong, in a few words.",
                        "max_length": f"Please keep the report under {MAX_TEXT:,} characters (it has %(show_value)d)."},
        help_text="Which fact, and what the right one is.",
    )
    source = forms.CharField(label="A source, if you know one (optional)", required=False, max_length=500,
                             validators=[web_address], widget=forms.URLInput,
                             help_text="A web address, e.g. https://undocs.org/S/PV.7353.")
    email = forms.EmailField(label="Your e-mail (optional)", required=False,
                             help_text="Only if you would like a reply. It is never shown.")
    # A field people do not see (hidden by the stylesheet) and robots fill in.
    website = forms.CharField(label="Leave this empty", required=False)

    def __init__(self, *args, sender, **kwargs):
        super().__init__(*args, **kwargs)
        self.sender = sender

    def clean(self):
        if self.cleaned_data.get("website"):
            raise ValidationError("This report looks automated and was not accepted. If you are a person, "
                                  "leave the field marked “Leave this empty” empty.")
        since = timezone.now() - timedelta(hours=1)
        limit = settings.CORRECTION_REPORTS_PER_HOUR
        if CorrectionReport.objects.filter(sender=self.sender, received__gte=since).count() >= limit:
            raise ValidationError(f"We have received {limit} reports from your address in the last hour, the most we "
                                  "accept. Please try again later.")
        return super().clean()

    def save(self, meeting):
        report = CorrectionReport.objects.create(
            meeting=meeting, text=self.cleaned_data["text"], source=self.cleaned_data["source"],
            email=self.cleaned_data["email"], sender=self.sender,
        )
        notify_editors(report)
        return report


def notify_editors(report):
    """Where a notification to the editors plugs in (mail, chat); the admin's queue is the record.

    For mail: `django.core.mail.mail_managers(subject, body)` with MANAGERS and EMAIL_* set,
    best sent after the transaction commits (`transaction.on_commit`). Put the reader's text
    in the body as plain text only.
    """
