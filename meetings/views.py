from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from council.models import State
from meetings.forms import TimelineFilter
from meetings.models import Meeting
from meetings.presenters import EventPage, TimelineRow


def render_page_or_fragment(request, template, fragment, context, status=200):
    """The full page, or for an htmx request only its fragment; both vary on HX-Request."""
    partial = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    name = f"{template}#{fragment}" if partial else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def bad_request(request, message):
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request=request))


@require_GET
def timeline(request):
    form = TimelineFilter(request.GET)
    if not form.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        return bad_request(request, f"The filter was not understood ({problems}).")
    meetings = form.filter(Meeting.objects.for_timeline())
    rows = [TimelineRow(m) for m in meetings]
    context = {
        "form": form,
        "rows": rows,
        "years": Meeting.objects.dates("date", "year"),
        "states": State.objects.order_by("short_name"),
        "filtered": any(form.cleaned_data.values()),
    }
    return render_page_or_fragment(request, "meetings/timeline.html", "meeting-list", context)


@require_GET
def detail(request, day):
    meeting = get_object_or_404(Meeting.objects.for_event_page(), date=day)
    return render(request, "meetings/detail.html", {"page": EventPage(meeting)})
