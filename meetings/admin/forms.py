"""Forms of the event change page: dates that cannot change meaning, all the rules at once, no lost updates."""

import datetime
import re

from django import forms
from django.contrib import admin
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection

from council.models import CouncilTerm
from meetings.admin.rendering import FAST
from meetings.admin.widgets import IsoDateInput, PickerSelectMultiple
from meetings.models import (
    Ballot,
    Citation,
    EventDay,
    Fact,
    Format,
    JointStatement,
    Meeting,
    Position,
    Request,
    Source,
    Statement,
)

# Only forms that cannot be read two ways: 2025-12-10, 10 December 2025, 10 Dec 2025.
DATE_FORMATS = ["%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%A %d %B %Y"]
AMBIGUOUS = re.compile(r"^\s*\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\s*$")


class IsoDateField(forms.DateField):
    """A date in ISO form or in words; 12/10/2025, which reads as October or as December, is refused."""

    widget = IsoDateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "As 2025-12-10 or 10 December 2025.")
        super().__init__(input_formats=DATE_FORMATS, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and AMBIGUOUS.match(value):
            raise ValidationError(
                f"“{value.strip()}” can be read as two different days: write it as 2025-12-10 or as 10 December 2025.",
                code="ambiguous",
            )
        try:
            return super().to_python(value.strip() if isinstance(value, str) else value)
        except ValidationError:
            raise ValidationError(
                f"“{value}” is not a date this form reads: write it as 2025-12-10 or as 10 December 2025.", code="invalid",
            ) from None


def posted_day(data):
    """The event's day from posted data (its date field), or None when it is missing or wrong."""
    raw = data.get("date")
    if raw is None:
        return None
    try:
        return IsoDateField(required=False).clean(raw)
    except ValidationError:
        return None


# -- Optimistic locking: the version of the event the page was opened on ---------------

SALT = "meetings.admin.event-version"
WATCHED_FIELDS = ["date", "format", "title", "meeting_number", "press_release", "summary", "dprk_took_part", "published"]
SECTIONS = {
    "request": "the request",
    "vote": "the procedural vote",
    "ballots": "the ballots",
    "statements": "the statements",
    "joint_statements": "the joint statements",
    "citations": "the sources",
    "caveats": "the caveats",
}


def section_fingerprints(meeting_pk):
    """A digest of each part of the event as stored, all in one query."""
    m2m = {
        "requesters": Request.requesters.through._meta.db_table,
        "joint_states": JointStatement.states.through._meta.db_table,
        "joint_sources": JointStatement.sources.through._meta.db_table,
    }
    tables = {
        "request": f"SELECT t.*, (SELECT string_agg(r.state_id::text, ',' ORDER BY r.state_id) FROM {m2m['requesters']} r "
                   f"WHERE r.request_id = t.id) AS who FROM {Request._meta.db_table} t WHERE t.meeting_id = %(pk)s",
        "vote": "SELECT t.* FROM meetings_proceduralvote t WHERE t.meeting_id = %(pk)s",
        "ballots": f"SELECT t.* FROM {Ballot._meta.db_table} t WHERE t.meeting_id = %(pk)s",
        "statements": f"SELECT t.* FROM {Statement._meta.db_table} t WHERE t.meeting_id = %(pk)s",
        "joint_statements": (
            f"SELECT t.*, (SELECT string_agg(s.state_id::text, ',' ORDER BY s.state_id) FROM {m2m['joint_states']} s "
            f"WHERE s.jointstatement_id = t.id) AS who, (SELECT string_agg(s.source_id::text, ',' ORDER BY s.source_id) "
            f"FROM {m2m['joint_sources']} s WHERE s.jointstatement_id = t.id) AS src "
            f"FROM {JointStatement._meta.db_table} t WHERE t.meeting_id = %(pk)s"),
        "citations": "SELECT t.* FROM meetings_citation t WHERE t.meeting_id = %(pk)s",
        "caveats": "SELECT t.* FROM meetings_caveat t WHERE t.meeting_id = %(pk)s",
    }
    columns = ", ".join(
        f"(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM ({sql}) x) AS {name}"
        for name, sql in tables.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", {"pk": meeting_pk})
        row = cursor.fetchone()
    return {name: digest[:12] for name, digest in zip(tables, row)}


def field_value(meeting, name):
    value = getattr(meeting, name)
    return value.isoformat() if isinstance(value, datetime.date) else value


def version_token(meeting):
    """What the editor's page was built from: the event's fields and a digest of each section."""
    return signing.dumps({
        "fields": {name: field_value(meeting, name) for name in WATCHED_FIELDS},
        "sections": section_fingerprints(meeting.pk),
        "updated": meeting.updated.isoformat(),
    }, salt=SALT, compress=True)


def short(value):
    text = "empty" if value in (None, "") else str(value)
    return f"“{text[:80]}…”" if len(text) > 80 else f"“{text}”"


def changes_since(token, meeting):
    """What another save changed since the page was opened, as sentences; [] if nothing did."""
    try:
        seen = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return ["the page's version mark is missing or damaged, so it cannot be told what changed"]
    changed = []
    for name in WATCHED_FIELDS:
        before, now = seen["fields"].get(name), field_value(meeting, name)
        if before != now:
            label = Meeting._meta.get_field(name).verbose_name
            changed.append(f"{label}: {short(before)} is now {short(now)}")
    now = section_fingerprints(meeting.pk)
    changed += [f"{SECTIONS[name]} were changed" if name not in ("request", "vote") else f"{SECTIONS[name]} was changed"
                for name in SECTIONS if seen["sections"].get(name) != now.get(name)]
    return changed


class MeetingForm(forms.ModelForm):
    """The event itself, with the version of the page it was edited on."""

    default_renderer = FAST
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Marks a post made from this page, which carries the source pickers (an empty picker
    # posts nothing); a post without it (a script, an import) leaves the citations alone.
    sources_shown = forms.CharField(widget=forms.HiddenInput, required=False, initial="1")
    date = IsoDateField(label="Date")
    db_error = None  # set by the admin when the database refused the save anyway

    # One picker per fact: the sources that support it (the event's citations).
    for _fact, _label in Fact.choices:
        locals()[f"cite_{_fact}"] = forms.ModelMultipleChoiceField(
            queryset=Source.objects.all(), required=False, label=_label,
            widget=PickerSelectMultiple(Citation._meta.get_field("source"), admin.site),
        )
    del _fact, _label

    class Meta:
        model = Meeting
        fields = "__all__"
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5, "cols": 90}),
            "title": forms.TextInput(attrs={"size": 90}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = version_token(self.instance)
        if not self.instance.pk:
            self.fields["published"].initial = False
        self.fields["published"].help_text = "Readers see the event once it is published. Preview it first from this page."
        if self.instance.pk and not self.is_bound:
            for fact, source in self.instance.citations.values_list("fact", "source_id"):
                self.initial.setdefault(f"cite_{fact}", []).append(source)

    def cited_sources(self):
        """{fact: [sources]} as posted, or None when the post did not come with the source pickers."""
        if not self.data.get("sources_shown"):
            return None
        return {fact: list(self.cleaned_data.get(f"cite_{fact}") or []) for fact in Fact.values}

    def clean(self):
        cleaned = super().clean()
        if self.db_error:
            raise ValidationError(self.db_error)
        cited = self.cited_sources()
        if cited is not None and not any(cited.values()) and not any(f"cite_{f}" in self.errors for f in Fact.values):
            self.add_error("cite_date", "Cite at least one source for this event (for example for its date).")
        if self.instance.pk and "version" in self.data:
            # Every page sends its version; a post without one (a script) is not checked.
            current = Meeting.objects.get(pk=self.instance.pk)
            changed = changes_since(self.data.get("version", ""), current)
            if changed:
                # The next save from this page is a deliberate one: it carries the current version.
                self.data = self.data.copy()
                self.data["version"] = version_token(current)
                raise ValidationError(
                    f"Another save changed this event at {current.updated:%H:%M:%S} ({current.updated:%d %B %Y}), "
                    f"after you opened this page: {'; '.join(changed)}. Nothing was saved and your entries are kept "
                    "below. Open the event in a new tab to see the current version; saving this page again "
                    "replaces it with yours."
                )
        return cleaned


# -- Inline formsets: each rule of the record, checked on Add as on Change ---------------


def live_forms(formset):
    """(number, form) of the rows that will be saved: filled in and not marked for deletion."""
    return [(i + 1, f) for i, f in enumerate(formset.forms)
            if f.has_changed() or f.instance.pk
            if not (formset.can_delete and formset._should_delete_form(f)) and hasattr(f, "cleaned_data")]


def event_day(formset):
    return formset.instance.date or posted_day(formset.data)


def vote_posted(data):
    """The announced tally from the vote form posted beside the ballots, or None when there is none."""
    if data.get("vote-TOTAL_FORMS") in (None, "", "0") or data.get("vote-0-DELETE"):
        return None
    if not any(data.get(f"vote-0-announced_{p}") for p in (Position.IN_FAVOUR, Position.AGAINST, Position.ABSTAINING)):
        return None
    try:
        return {position: int(data.get(f"vote-0-announced_{position}", "")) for position in
                (Position.IN_FAVOUR, Position.AGAINST, Position.ABSTAINING)}
    except ValueError:
        return {}  # The vote form reports its own error.


class FastInlineFormSet(forms.BaseInlineFormSet):
    """Inline rows drawn by the fast renderer (see meetings.admin.rendering)."""

    renderer = FAST


class MembersMixin:
    def members(self):
        """{state id: state} of the Council's members on the posted day (one query, kept)."""
        if not hasattr(self, "_members"):
            day = event_day(self)
            self._members = {} if day is None else {
                t.state_id: t.state for t in CouncilTerm.objects.active_on(day).select_related("state")}
        return self._members


class BallotFormSet(MembersMixin, FastInlineFormSet):
    """The ballots, checked row by row against the Council of the day and as a whole against the vote."""

    def clean(self):
        super().clean()
        day = event_day(self)
        rows = live_forms(self)
        kept = [(n, f) for n, f in rows if f.cleaned_data.get("state")]
        announced = vote_posted(self.data)
        problems = []
        if announced is None:
            if kept:
                problems.append("These ballots belong to a procedural vote: add the vote (with its announced tally) "
                                "or clear the ballots.")
            if problems:
                raise ValidationError(problems)
            return
        if day is None:
            raise ValidationError(problems + ["Give the event's date: the ballots are checked against the Council of that day."])
        members = self.members()
        voted = {f.cleaned_data["state"].pk for _, f in kept}
        for number, form in kept:
            state = form.cleaned_data["state"]
            if state.pk not in members and "state" not in form.errors:
                form.add_error("state", f"Ballot {number}: {state} was not on the Council on {day:%d %B %Y}, so it "
                                        "cannot have a ballot. Remove the row or pick a member of that day.")
        missing = sorted(s.short_name for pk, s in members.items() if pk not in voted)
        if missing:
            problems.append(f"Every member of the Council on {day:%d %B %Y} needs a ballot; missing: "
                            f"{', '.join(missing)}. Choose a position in their rows.")
        for position, number in (announced or {}).items():
            counted = sum(1 for _, f in kept if f.cleaned_data.get("position") == position)
            if counted != number:
                label = Position(position).label.lower()
                problems.append(f"Tally: the vote announces {number} {label} but the ballots record {counted}; "
                                "correct a ballot or the announced tally.")
        if problems:
            raise ValidationError(problems)


class VoteFormSet(FastInlineFormSet):
    def clean(self):
        super().clean()
        if live_forms(self) and self.data.get("format") != Format.PUBLIC:
            raise ValidationError("Only a public meeting has a procedural vote: choose “Public meeting” or remove the vote.")


class RequestFormSet(FastInlineFormSet):
    def clean(self):
        super().clean()
        day = event_day(self)
        for _, form in live_forms(self):
            letter = form.cleaned_data.get("date")
            if day and letter and letter > day and "date" not in form.errors:
                form.add_error("date", f"The request must be dated on or before the event ({day:%d %B %Y}).")


class StatementFormSet(FastInlineFormSet):
    """Statements checked against the event as posted, on Add as on Change: its day, its Council, its vote.

    Each row's own clean() applies the rules (Statement.clean); this gives it the event as the
    page has it, so a vote added in the same save counts and a vote removed in it does not.
    """

    def full_clean(self):
        if self.is_bound:
            event = self.event_as_posted()
            for form in self.forms:
                form.instance.event_day = event
        super().full_clean()

    def event_as_posted(self):
        """The posted day (the saved one if the posted date is wrong) and vote, or None without a day."""
        day = posted_day(self.data) or self.instance.date
        return None if day is None else EventDay.of(day, has_vote=vote_posted(self.data) is not None)


class BallotForm(forms.ModelForm):
    """One member's row of the vote grid: the state fixed, the position as radio buttons."""

    class Meta:
        model = Ballot
        fields = ["state", "position"]
        widgets = {"state": forms.HiddenInput, "position": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = Position.choices
        self.fields["position"].widget.choices = Position.choices


class StatementForm(forms.ModelForm):
    """A statement; the fields' help shows on the first row only, not thirty times."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.prefix.endswith("-0") or "__prefix__" in self.prefix):
            for field in self.fields.values():
                field.help_text = ""
        if self.instance.pk:
            # A saved statement has its capacity and timing; the empty choice only lengthens the page.
            for name in ("capacity", "timing"):
                self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]

    class Meta:
        model = Statement
        fields = "__all__"
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4, "cols": 60}),
            "quotation": forms.Textarea(attrs={"rows": 4, "cols": 60}),
            "role": forms.TextInput(attrs={"size": 30}),
            "office": forms.TextInput(attrs={"size": 20}),
            "speaker": forms.TextInput(attrs={"size": 22}),
            "order": forms.NumberInput(attrs={"class": "narrow"}),
            "page": forms.NumberInput(attrs={"class": "narrow"}),
        }

