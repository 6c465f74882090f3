"""The event change page: a workbench where an editor enters a meeting quickly and cannot lose work."""

import re

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, models, transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse

from council.models import CouncilTerm, Presidency, State
from meetings.admin.forms import (
    BallotForm,
    BallotFormSet,
    FastInlineFormSet,
    IsoDateField,
    MeetingForm,
    RequestFormSet,
    StatementForm,
    StatementFormSet,
    VoteFormSet,
    posted_day,
)
from meetings.admin.history import REASON, RecordedChangeAdmin
from meetings.admin.importing import import_view
from meetings.admin.rendering import FAST
from meetings.admin.search import NeedsAttention, VoteFilter, YearFilter, search_meetings
from meetings.admin.trash import move_to_trash
from meetings.admin.widgets import IsoDateInput, PickerSelect, PickerSelectMultiple, in_words
from meetings.history import recorded
from meetings.models import (
    VOTES_NEEDED,
    Ballot,
    Caveat,
    Citation,
    Fact,
    Format,
    JointStatement,
    Meeting,
    Position,
    ProceduralVote,
    Request,
    Source,
    SourceKind,
    Statement,
)
from meetings.presenters import EventPage

BLANK_BETWEEN_TAGS = re.compile(r">[ \t]*\n\s*<")
AFTER_BLOCK = re.compile(r"(</(?:option|div|td|tr|th|select|p|li|ul|fieldset|h2|h3|table|label)>)\n<")

# Sections of the change page, in the order the jump links show them.
SECTIONS = [("record", "Record"), ("vote-group", "Vote"), ("ballots-group", "Ballots"), ("statements-group", "Statements"),
            ("joint_statements-group", "Joint statements"), ("sources", "Sources"), ("caveats-group", "Caveats"),
            ("request-group", "Request"), ("why", "Why")]


class PickerMixin:
    """Pickers that fetch their labels once per page, no add/change/delete icons beside each row, fast rows."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = PickerSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = PickerSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            field.widget = field.widget.widget
        return field

    def get_formset(self, request, obj=None, **kwargs):
        # formset_factory sets the default renderer on the class unless it is given one.
        return super().get_formset(request, obj, renderer=FAST, **kwargs)


class RequestInline(PickerMixin, admin.StackedInline):
    model = Request
    formset = RequestFormSet
    formfield_overrides = {models.DateField: {"form_class": IsoDateField, "widget": IsoDateInput}}
    extra = 0
    autocomplete_fields = ["requesters"]
    classes = ["collapse"]
    fields = [("symbol", "date"), "requesters"]


class VoteInline(PickerMixin, admin.StackedInline):
    model = ProceduralVote
    formset = VoteFormSet
    extra = 1
    max_num = 1
    fields = ["question", ("announced_in_favour", "announced_against", "announced_abstaining"), "result"]
    readonly_fields = ["result"]
    verbose_name = "procedural vote (nine votes in favour adopt it; the veto does not apply)"

    @admin.display(description="result, from the saved ballots")
    def result(self, vote):
        if vote.pk is None:
            return "Counted from the ballots when you save."
        counts = Ballot.objects.filter(meeting_id=vote.meeting_id).values("position").annotate(n=Count("pk"))
        tally = dict.fromkeys(Position.values, 0) | {row["position"]: row["n"] for row in counts}
        outcome = "adopted" if tally[Position.IN_FAVOUR] >= VOTES_NEEDED else "not adopted"
        return (f"{outcome}: {tally[Position.IN_FAVOUR]} in favour, {tally[Position.AGAINST]} against, "
                f"{tally[Position.ABSTAINING]} abstaining")

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.format != Format.PUBLIC else 1


class BallotInline(PickerMixin, admin.TabularInline):
    """The vote grid: one row per member of the Council that day, the positions as radio buttons."""

    model = Ballot
    form = BallotForm
    formset = BallotFormSet
    extra = 0
    template = "admin/meetings/meeting/ballot_grid.html"
    verbose_name_plural = "ballots (one per member of the Council that day)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("state").order_by("state__short_name")

    def get_extra(self, request, obj=None, **kwargs):
        # A public meeting without ballots gets one row per member of that day, ready to fill.
        if obj is not None and obj.format == Format.PUBLIC and not has_ballots(obj):
            return len(members_of(obj.date))
        return 0


def has_ballots(meeting):
    if not hasattr(meeting, "_has_ballots"):
        meeting._has_ballots = meeting.ballots.exists()
    return meeting._has_ballots


class InlineSection(helpers.InlineAdminFormSet):
    """An inline section whose media is read from one row: every row has the same widgets.

    Django sums the media of every row (and of each row's admin wrapper); on the 2014 page
    that merge was a third of the render time.
    """

    @property
    def media(self):
        forms = self.formset.forms or [self.formset.empty_form]
        return self.opts.media + self.formset.media + forms[0].media


def members_of(day):
    return list(State.objects.filter(terms__in=CouncilTerm.objects.active_on(day)).order_by("short_name"))


class StatementInline(PickerMixin, admin.StackedInline):
    model = Statement
    form = StatementForm
    formset = StatementFormSet
    template = "admin/meetings/meeting/statements.html"
    extra = 0
    autocomplete_fields = ["state", "source"]
    fields = [("order", "capacity", "timing"), ("speaker", "role"), ("state", "office"), ("summary", "quotation"),
              ("source", "page")]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("state", "source")


class JointStatementInline(PickerMixin, admin.StackedInline):
    model = JointStatement
    formset = FastInlineFormSet
    extra = 0
    classes = ["collapse"]
    autocomplete_fields = ["read_by", "states", "sources"]
    fields = [("read_by", "speaker"), "states", "summary", "sources"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("read_by").prefetch_related("states", "sources")


class CaveatInline(PickerMixin, admin.TabularInline):
    model = Caveat
    formset = FastInlineFormSet
    extra = 0
    classes = ["collapse"]
    verbose_name_plural = "caveats (where sources disagree, rest on one source, or are silent)"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "text":
            field.widget.attrs.update({"rows": 2, "cols": 60})
        return field


def fill_picker_labels(forms):
    """Give every picker on the page its selected options' labels: one query per model, not one per row."""
    wanted = {}
    pickers = []
    for form in forms:
        for name, field in form.fields.items():
            widget = field.widget
            if isinstance(widget, (PickerSelect, PickerSelectMultiple)):
                model = field.queryset.model
                values = widget.selected_values(form[name].value())
                wanted.setdefault(model, set()).update(values)
                pickers.append((widget, model))
    labels = {model: {str(obj.pk): str(obj) for obj in model.objects.filter(pk__in=pks)} if pks else {}
              for model, pks in wanted.items()}
    for widget, model in pickers:
        widget.labels = labels[model]


def press_release_url(symbol, day):
    """The UN's address for a meetings-coverage press release: SC/11720 of 2014 -> press.un.org/en/2014/sc11720.doc.htm."""
    return f"https://press.un.org/en/{day:%Y}/{symbol.replace('/', '').lower()}.doc.htm"


@admin.register(Meeting)
class MeetingAdmin(RecordedChangeAdmin, admin.ModelAdmin):
    form = MeetingForm
    change_form_template = "admin/meetings/meeting/change_form.html"
    save_on_top = True
    list_display = ["date", "format", "title", "status", "meeting_number", "press_release", "in_favour", "against",
                    "abstaining", "speakers"]
    list_display_links = ["date", "title"]
    list_filter = [YearFilter, "format", "published", VoteFilter, NeedsAttention]
    search_fields = ["title", "summary", "press_release", "statements__speaker", "request__symbol",
                     "citations__source__symbol", "citations__source__title"]
    search_help_text = "A word of the title or summary, a speaker (Nebenzia), a symbol (S/PV.9653, SC/11720, S/2014/872) or a year."
    date_hierarchy = "date"
    ordering = ["-date"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": [("date", "format", "published"), "title", ("meeting_number", "press_release"),
                           "summary", "dprk_took_part", "version", "sources_shown"]}),
        ("Sources: which sources support each fact", {"fields": [f"cite_{fact}" for fact in Fact.values],
                                                       "classes": ["workbench-sources"]}),
    ]
    inlines = [VoteInline, BallotInline, StatementInline, JointStatementInline, CaveatInline, RequestInline]

    class Media:
        css = {"all": ["css/admin-workbench.css"]}
        js = ["js/admin-dates.js", "js/admin-unsaved.js", "js/admin-vote-grid.js", "js/admin-pickers.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_tallies().annotate_speakers()

    def get_search_results(self, request, queryset, search_term):
        return search_meetings(super(), request, queryset, search_term)

    def get_urls(self):
        return [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview), name="meetings_meeting_preview"),
            path("ballot-grid/", self.admin_site.admin_view(self.ballot_grid), name="meetings_meeting_ballot_grid"),
            path("import/", self.admin_site.admin_view(lambda request: import_view(request, self)),
                 name="meetings_meeting_import"),
            *super().get_urls(),
        ]

    # -- Pages of our own -------------------------------------------------------------

    def preview(self, request, pk):
        """The public page of an event as readers will see it, drafts included; never cached."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        meeting = Meeting.objects.for_event_page().filter(pk=pk).first()
        if meeting is None:
            raise Http404("No such event.")
        response = render(request, "meetings/detail.html", {"page": EventPage(meeting), "preview": True})
        response["Cache-Control"] = "private, no-store"
        return response

    def ballot_grid(self, request):
        """The vote grid for a day: its members, each with a row of positions (fetched when the date is typed)."""
        if not self.has_add_permission(request) and not self.has_change_permission(request):
            raise PermissionDenied
        day = posted_day(request.GET)
        if day is None:
            return render(request, "admin/meetings/meeting/ballot_grid_empty.html")
        members = members_of(day)
        formset_class = BallotInline(Meeting, self.admin_site).get_formset(request, None, extra=len(members))
        formset = formset_class(instance=Meeting(date=day, format=Format.PUBLIC), prefix="ballots",
                                initial=[{"state": s.pk} for s in members], queryset=Ballot.objects.none())
        for form, state in zip(formset.forms, members):
            form.state_label = state.short_name
        return render(request, "admin/meetings/meeting/ballot_grid_rows.html",
                      {"formset": formset, "positions": Position.choices, **president_note(day)})

    # -- The change page --------------------------------------------------------------

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BallotInline) and obj.pk and request.method == "GET" and obj.format == Format.PUBLIC \
                and not has_ballots(obj):
            kwargs["initial"] = [{"state": state.pk} for state in members_of(obj.date)]
        return kwargs

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        sections = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for section in sections:
            section.__class__ = InlineSection
        return sections

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        formsets = [f.formset for f in context.get("inline_admin_formsets", [])]
        forms = [context["adminform"].form] + [form for formset in formsets for form in formset.forms]
        fill_picker_labels(forms)
        day = obj.date if obj is not None else posted_day(context["adminform"].form.data)
        for formset in formsets:
            if formset.prefix == "ballots":
                label_ballot_rows(formset)
            if formset.prefix == "statements" and day:
                for form in formset.forms:
                    form.fields["state"].widget.day = day
        context.update({
            "sections": SECTIONS,
            "positions": Position.choices,
            "error_summary": error_summary(context["adminform"].form, formsets),
            "preview_url": reverse("admin:meetings_meeting_preview", args=[obj.pk]) if obj is not None and obj.pk else None,
            "ballot_grid_url": reverse("admin:meetings_meeting_ballot_grid"),
            "date_in_words": in_words(day) if day else "",
            **(president_note(day) if day else {}),
        })
        response = super().render_change_form(request, context, add, change, form_url, obj)
        response.add_post_render_callback(compact)
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A rule that only the database caught comes back as a message on the form, with the entries kept."""
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except DatabaseError as error:
            if request.method != "POST":
                raise
            request.database_refusal = database_message(error)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        refusal = getattr(request, "database_refusal", None)
        if refusal:
            # The same form, refusing with the database's reason (per request: admins are shared by threads).
            form = type(form.__name__, (form,), {"db_error": refusal})
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cited_sources() is not None:
            save_citations(form.instance, form.cited_sources())
        link_press_release(form.instance)

    def get_fieldsets(self, request, obj=None):
        # The reason (RecordedChangeAdmin) comes last, just above the Save buttons.
        return [*self.fieldsets, ("Why", {"fields": [REASON]})]

    # -- Drafts and the trash ---------------------------------------------------------

    @admin.action(description="Publish the selected events (readers see them)", permissions=["change"])
    def publish(self, request, queryset):
        self.set_published(request, queryset, True)

    @admin.action(description="Unpublish the selected events (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        self.set_published(request, queryset, False)

    def set_published(self, request, queryset, published):
        changed = list(queryset.exclude(published=published))
        # Recorded in the history like any change, with the action as its reason.
        with recorded(reason="Published" if published else "Returned to draft", user=request.user):
            for meeting in changed:
                meeting.published = published
                meeting.save(update_fields=["published", "updated"])
                self.log_change(request, meeting, [{"changed": {"fields": ["published"]}}])
        word = "published" if published else "returned to draft"
        self.message_user(request, f"{len(changed)} event(s) {word}.", messages.SUCCESS)

    def delete_model(self, request, obj):
        move_to_trash(obj, request.user)

    def delete_queryset(self, request, queryset):
        for meeting in queryset:
            move_to_trash(meeting, request.user)

    # -- List columns -----------------------------------------------------------------

    @admin.display(description="status", ordering="published")
    def status(self, obj):
        return "published" if obj.published else "draft"

    @admin.display(description="in favour", ordering="tally_in_favour")
    def in_favour(self, obj):
        return obj.tally_in_favour if obj.tally_in_favour or obj.tally_against else "–"

    @admin.display(description="against", ordering="tally_against")
    def against(self, obj):
        return obj.tally_against if obj.tally_in_favour or obj.tally_against else "–"

    @admin.display(description="abstaining", ordering="tally_abstaining")
    def abstaining(self, obj):
        return obj.tally_abstaining if obj.tally_in_favour or obj.tally_against else "–"

    @admin.display(description="statements", ordering="speaker_count")
    def speakers(self, obj):
        return obj.speaker_count


def label_ballot_rows(formset):
    """The state's name for each grid row (the state itself is a hidden field)."""
    ids = {str(form["state"].value()) for form in formset.forms if form["state"].value() and not form.instance.pk}
    names = {str(pk): name for pk, name in State.objects.filter(pk__in=ids).values_list("pk", "short_name")} if ids else {}
    for form in formset.forms:
        if form.instance.pk and form.instance.state_id and str(form.instance.state_id) == str(form["state"].value()):
            form.state_label = form.instance.state.short_name
        else:
            form.state_label = names.get(str(form["state"].value()), "")


def president_note(day):
    presidency = Presidency.objects.for_month(day).select_related("state").first()
    if presidency is None:
        return {"president_missing": f"No presidency is recorded for {day:%B %Y}: add it under Council › Presidencies "
                                     "before statements “in national capacity” can be checked."}
    return {"president": f"President in {day:%B %Y}: {presidency.state.short_name}"}


def error_summary(form, formsets):
    """Every problem on the page as (link, sentence), each naming its section and row."""
    items = []
    for name, errors in form.errors.items():
        label = "Event" if name == "__all__" else f"Event, {form.fields[name].label or name}" if name in form.fields else name
        items += [("#record", f"{label}: {e}") for e in errors]
    for formset in formsets:
        section = formset.model._meta.verbose_name_plural.split(" (")[0].capitalize()
        items += [(f"#{formset.prefix}-group", f"{section}: {e}") for e in formset.non_form_errors()]
        for i, row in enumerate(formset.forms):
            for name, errors in row.errors.items():
                where = f"{formset.model._meta.verbose_name.capitalize()} {i + 1}"
                if name != "__all__" and name in row.fields:
                    where += f", {row.fields[name].label.lower()}"
                items += [(f"#{formset.prefix}-{i}", f"{where}: {e}") for e in errors]
    return items


DATABASE_RULES = {
    "ballot_state_on_council": "A ballot's state was not on the Council that day: remove that ballot or pick a member of the day.",
    "ballot_one_per_member_per_vote": "A state has two ballots in this vote: remove one.",
    "statement_unique_order_per_meeting": "Two statements have the same place in the speaking order: renumber one.",
    "citation_unique_per_fact": "A source is cited twice for the same fact: remove one.",
    "meeting_date_key": "Another event is already recorded on this date.",
}


def database_message(error):
    text = str(error)
    for name, message in DATABASE_RULES.items():
        if name in text:
            return f"The database refused the save: {message} Nothing was saved; your entries are kept below."
    first = text.strip().splitlines()[0] if text.strip() else error.__class__.__name__
    return f"The database refused the save ({first}). Nothing was saved; your entries are kept below."


def save_citations(meeting, cited):
    """Make the event's citations exactly those posted, fact by fact."""
    have = {(c.fact, c.source_id): c.pk for c in meeting.citations.all()}
    want = {(fact, source.pk) for fact, sources in cited.items() for source in sources}
    Citation.objects.filter(pk__in=[pk for key, pk in have.items() if key not in want]).delete()
    Citation.objects.bulk_create([Citation(meeting=meeting, fact=fact, source_id=source) for fact, source in sorted(want)
                                  if (fact, source) not in have])


def compact(response):
    """Drop the template's indentation between tags (a third of the page), never inside a text."""
    html = BLANK_BETWEEN_TAGS.sub(">\n<", response.content.decode())
    response.content = AFTER_BLOCK.sub(r"\1<", html).encode()
    return response


def link_press_release(meeting):
    """The press release field names its Source: link it (or create it) and cite it for the meeting's record."""
    if not meeting.press_release:
        return
    source = Source.objects.filter(symbol=meeting.press_release).first()
    if source is None:
        source = Source.objects.create(
            symbol=meeting.press_release, kind=SourceKind.PRESS_RELEASE,
            url=press_release_url(meeting.press_release, meeting.date),
            title=f"UN press release on the meeting of {meeting.date:%-d %B %Y}",
        )
    if not meeting.citations.filter(source=source).exists():
        Citation.objects.create(meeting=meeting, fact=Fact.MEETING, source=source)

