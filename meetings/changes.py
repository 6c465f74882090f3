"""Readers' pages about corrections: the recent corrections across the record, and "Report an error"."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from council.accounts import client_ip
from meetings.caching import cached_by_record_version
from meetings.corrections import CorrectionReport, CorrectionReportForm, sender_key
from meetings.history import recent_corrections
from meetings.models import Meeting

SENT = "correction_report_sent"


@require_GET
@cached_by_record_version
def changes(request):
    return render(request, "meetings/changes.html", {"changes": recent_corrections(), "nav": "changes"})


# Never cached: the form carries a CSRF token of the reader's own.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_error(request, day):
    meeting = Meeting.objects.published().filter(date=day).only("date", "title").first()
    if meeting is None:
        raise Http404(f"No event on {day:%-d %B %Y} is in the record.")
    sender = sender_key(client_ip(request))
    if request.method == "POST":
        form = CorrectionReportForm(request.POST, sender=sender)
        if form.is_valid():
            report = form.save(meeting)
            request.session[SENT] = report.pk
            return redirect(f"{request.path}?sent=1")
    else:
        form = CorrectionReportForm(sender=sender)
    sent = None
    if request.GET.get("sent") and request.session.get(SENT):
        sent = CorrectionReport.objects.filter(pk=request.session[SENT], meeting=meeting).first()
    context = {"meeting": meeting, "form": form, "sent": sent, "limit": settings.CORRECTION_REPORTS_PER_HOUR}
    return render(request, "meetings/report_error.html", context,
                  status=400 if request.method == "POST" else 200)
