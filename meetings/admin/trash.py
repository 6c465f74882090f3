"""The trash: a deleted event is kept whole, as its record file, until an editor restores it."""

from pathlib import Path

from django.contrib import admin, messages
from django.db import transaction

from council.models import State
from meetings.history import recorded
from meetings.models import DeletedEvent, Meeting, Source
from meetings.record import Checker, RecordError, dump_event, load_event, parse_event, source_ref


def move_to_trash(meeting, user):
    """Keep the event's whole record in the trash, then delete it."""
    with transaction.atomic():
        DeletedEvent.objects.create(date=meeting.date, title=meeting.title, data=dump_event(meeting),
                                    deleted_by=user.get_username() if user else "")
        meeting.delete()


def restore(deleted):
    """Bring a deleted event back with everything it held; returns the event. Raises RecordError."""
    if Meeting.objects.filter(date=deleted.date).exists():
        raise RecordError([f"another event is now recorded on {deleted.date:%d %B %Y}; delete or move it first"])
    problems = []
    states = {s.iso3: s for s in State.objects.all()}
    sources = {s.url: s for s in Source.objects.all()}
    refs = {source_ref(s): s.url for s in sources.values()} | {url: url for url in sources}
    event = parse_event(Checker("the trash", problems), Path(f"{deleted.date.isoformat()}.json"), deleted.data,
                        set(states), refs)
    # The record files insist on sources; an event restores as it was, even if it still lacked some.
    problems = [p for p in problems if not p.endswith("cite at least one source")]
    if problems:
        raise RecordError(problems)
    with transaction.atomic():
        load_event(event, states, sources, problems)
        deleted.delete()
    return Meeting.objects.get(date=deleted.date)


@admin.register(DeletedEvent)
class DeletedEventAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "holds", "deleted", "deleted_by"]
    readonly_fields = ["date", "title", "holds", "deleted", "deleted_by"]
    fields = readonly_fields
    actions = ["restore_events"]
    ordering = ["-deleted"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="holds")
    def holds(self, obj):
        data = obj.data
        vote = "a vote, " if data.get("vote") else ""
        return (f"{vote}{len(data.get('statements', []))} statements, {len(data.get('joint_statements', []))} joint "
                f"statements, {sum(len(c['sources']) for c in data.get('citations', []))} citations, "
                f"{len(data.get('caveats', []))} caveats")

    @admin.action(description="Restore the selected events with everything they held", permissions=["delete"])
    def restore_events(self, request, queryset):
        if not request.user.has_perm("meetings.add_meeting"):
            self.message_user(request, "Restoring an event needs the permission to add events.", messages.ERROR)
            return
        for deleted in queryset:
            try:
                with recorded(reason="Restored from the trash", user=request.user):
                    meeting = restore(deleted)
            except RecordError as error:
                self.message_user(request, f"{deleted.date:%d %B %Y} was not restored: {'; '.join(error.problems)}",
                                  messages.ERROR)
            else:
                self.message_user(request, f"{meeting} is restored, with everything it held.", messages.SUCCESS)
