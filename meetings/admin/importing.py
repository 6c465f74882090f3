"""“Import a verbatim record”: upload an S/PV record, compare it with the record, apply what the editor ticks."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from council.models import CouncilTerm, State
from meetings.management.commands.read_verbatim import MAX_BYTES, text_of
from meetings.models import (
    Ballot,
    Citation,
    Fact,
    Format,
    Meeting,
    ProceduralVote,
    Source,
    SourceKind,
    Statement,
    Timing,
)
from meetings.verbatim import NotAVerbatimRecord, UnreadablePdf, read_text

SESSION_KEY = "verbatim_import_text"
TO_BE_WRITTEN = "To be written: summarise this statement from the verbatim record."
BRIEFER_OFFICE = "To be named from the verbatim record"
PARTS = [("event", "The event (created if new; its meeting number and citation)"),
         ("vote", "The vote and its ballots"),
         ("statements", "The statements, in the order printed")]


class UploadForm(forms.Form):
    record = forms.FileField(label="Verbatim record (.pdf or .txt, at most 5 MB)")

    def clean_record(self):
        upload = self.cleaned_data["record"]
        if upload.size > MAX_BYTES:
            raise ValidationError(f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB.")
        try:
            text = text_of(upload.name, upload.read())
            self.read = read_text(text)
        except (NotAVerbatimRecord, UnreadablePdf) as error:
            raise ValidationError(str(error)) from error
        if self.read.problems:
            raise ValidationError(" ".join(self.read.problems) + " Nothing was read; correct the names first.")
        self.text = text
        return upload


class ApplyForm(forms.Form):
    parts = forms.MultipleChoiceField(choices=PARTS, widget=forms.CheckboxSelectMultiple, label="Apply")


def differences(read):
    """What the record holds for the day of `read`, difference by difference, as sentences."""
    meeting = Meeting.objects.filter(date=read.date).select_related("vote").first()
    if meeting is None:
        return None, [f"New event: there is no event on {read.date:%d %B %Y} in the record."]
    found = []
    if meeting.meeting_number != read.meeting_number:
        found.append(f"Meeting number: the record holds {meeting.meeting_number or 'none'}, the document {read.meeting_number}.")
    ballots = dict(meeting.ballots.values_list("state__iso3", "position"))
    if read.vote:
        for iso3 in sorted(set(read.members) | set(ballots)):
            position = read.vote.position_of(iso3)
            if ballots.get(iso3) != position:
                found.append(f"Ballot of {iso3}: the record holds {ballots.get(iso3) or 'no ballot'}, "
                             f"the document {position or 'no ballot'}.")
    elif ballots:
        found.append("The record holds ballots; the document has no vote.")
    held = list(meeting.statements.select_related("state").order_by("order"))
    for read_speaker in read.speakers:
        match = held[read_speaker.order - 1] if read_speaker.order <= len(held) else None
        state = read_speaker.state
        if match is None:
            found.append(f"Speaker {read_speaker.order} ({read_speaker.name}, {state or 'briefer'}) is missing from the record.")
        elif (match.state.iso3 if match.state else None) != state or match.capacity != read_speaker.capacity:
            elsewhere = [s.order for s in held if (s.state.iso3 if s.state else None) == state and s.capacity == read_speaker.capacity]
            where = f"; the record has them at {', '.join(map(str, elsewhere))}" if elsewhere else ""
            found.append(f"Speaker {read_speaker.order}: the document has {read_speaker.name} ({state or 'briefer'}, "
                         f"{read_speaker.capacity}), the record {match.speaker or 'unnamed'} ({match.state or match.office}, "
                         f"{match.capacity}){where}.")
    if len(held) > len(read.speakers):
        found.append(f"The record holds {len(held) - len(read.speakers)} statement(s) more than the document.")
    return meeting, found


def side_by_side(read, meeting):
    """One row per place in the speaking order: what the document says beside what the record holds."""
    held = {} if meeting is None else {s.order: s for s in meeting.statements.select_related("state")}
    rows = []
    for order in range(1, max([len(read.speakers), *held.keys(), 0]) + 1):
        got = read.speakers[order - 1] if order <= len(read.speakers) else None
        has = held.get(order)
        document = "—" if got is None else f"{got.name} ({_where(got.state, got.capacity or 'unknown')}" + (
            f", p. {got.page})" if got.page else ")")
        record = "—" if has is None else f"{has.speaker or 'unnamed'} ({_where(has.state and has.state.iso3, has.capacity)})"
        if got is None or has is None:
            agree = "—"
        else:
            agree = "yes" if (has.state.iso3 if has.state else None) == got.state and has.capacity == got.capacity else "no"
        rows.append({"order": order, "document": document, "record": record, "agree": agree})
    return rows


def _where(state, capacity):
    """State and capacity ("CHN, member"), or only "briefer" for a briefer."""
    return capacity if capacity == "briefer" or not state else f"{state}, {capacity}"


def _check_ballots(meeting, vote):
    """The rules the admin's ballot formset applies: every member of that day votes once, the tally as announced."""
    members = set(CouncilTerm.objects.active_on(meeting.date).values_list("state__iso3", flat=True))
    voted = set(meeting.ballots.values_list("state__iso3", flat=True))
    if members - voted:
        raise ValidationError(f"Every member of the Council on {meeting.date:%d %B %Y} needs a ballot; "
                              f"the document gives none for {', '.join(sorted(members - voted))}.")
    for position, number in vote.announced.items():
        if len(getattr(vote, position)) != number:
            raise ValidationError(f"The document announces {number} {position.replace('_', ' ')} but lists "
                                  f"{len(getattr(vote, position))}; correct the record by hand.")


def _ordinal(number):
    """7353 -> "7353rd", as the UN numbers its meetings."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def apply(read, parts):
    """Write the ticked parts of `read` to the record, each object through full_clean(); all or nothing."""
    source = Source.objects.filter(symbol=read.symbol.split(" ")[0]).first() or _save(Source(
        url=f"https://undocs.org/{read.symbol.split(' ')[0]}", symbol=read.symbol.split(" ")[0],
        kind=SourceKind.VERBATIM_RECORD,
        title=f"Security Council, {_ordinal(read.meeting_number)} meeting ({read.date:%d %B %Y}), verbatim record",
    ))
    meeting = Meeting.objects.filter(date=read.date).first()
    if meeting is None or "event" in parts:
        meeting = meeting or Meeting(date=read.date, title=f"Meeting {read.meeting_number} (headline to be written)",
                                     summary="To be written: what happened and why it mattered.")
        meeting.format, meeting.meeting_number = Format.PUBLIC, read.meeting_number
        _save(meeting)
        if not Citation.objects.filter(meeting=meeting, fact=Fact.MEETING, source=source).exists():
            _save(Citation(meeting=meeting, fact=Fact.MEETING, source=source))
    states = {s.iso3: s for s in State.objects.all()}
    missing = sorted({c for c in read.members + [s.state for s in read.speakers if s.state]} - set(states))
    if missing:
        raise ValidationError(f"These states are not in the record's list of states; add them first: {', '.join(missing)}.")
    if "vote" in parts:
        meeting.ballots.all().delete()
        ProceduralVote.objects.filter(meeting=meeting).delete()
        if read.vote:
            _save(ProceduralVote(meeting=meeting, announced_in_favour=read.vote.announced["in_favour"],
                                 announced_against=read.vote.announced["against"],
                                 announced_abstaining=read.vote.announced["abstaining"]))
            for position in ("in_favour", "against", "abstaining", "not_participating"):
                for iso3 in getattr(read.vote, position):
                    _save(Ballot(meeting=meeting, state=states[iso3], position=position))
            _check_ballots(meeting, read.vote)
            if not Citation.objects.filter(meeting=meeting, fact=Fact.VOTE, source=source).exists():
                _save(Citation(meeting=meeting, fact=Fact.VOTE, source=source))
    if "statements" in parts:
        has_vote = ProceduralVote.objects.filter(meeting=meeting).exists()
        meeting.statements.all().delete()
        for s in read.speakers:
            timing = Timing.NO_VOTE if not has_vote else (Timing.BEFORE_VOTE if s.before_vote else Timing.AFTER_VOTE)
            name = s.name.split(" ", 1)[1] if s.name.split(" ", 1)[0] in {"Mr.", "Ms.", "Mrs.", "Sir", "Dame", "Miss"} else s.name
            _save(Statement(
                meeting=meeting, order=s.order, speaker=name[:120], capacity=s.capacity,
                state=states[s.state] if s.state else None, office=BRIEFER_OFFICE if s.capacity == "briefer" else "",
                timing=timing, summary=TO_BE_WRITTEN, source=source, page=s.page,
            ))
        if not Citation.objects.filter(meeting=meeting, fact=Fact.STATEMENTS, source=source).exists():
            _save(Citation(meeting=meeting, fact=Fact.STATEMENTS, source=source))
    return meeting


def import_view(request, model_admin):
    """Upload (GET, POST), preview, and apply (POST with the ticked parts)."""
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    context = {**admin.site.each_context(request), "opts": Meeting._meta, "title": "Import a verbatim record"}
    if request.method == "POST" and "apply" in request.POST:
        text = request.session.get(SESSION_KEY)
        form = ApplyForm(request.POST)
        if not text:
            messages.error(request, "The uploaded record has expired; upload it again.")
            return redirect(request.path)
        if not form.is_valid():
            messages.error(request, "Tick at least one part to apply.")
            return redirect(request.path)
        read = read_text(text)
        try:
            meeting = apply(read, form.cleaned_data["parts"])
        except ValidationError as error:
            messages.error(request, "Nothing was saved: " + " ".join(error.messages))
            return redirect(request.path)
        del request.session[SESSION_KEY]
        messages.success(request, f"{read.symbol} was applied to the event of {read.date:%d %B %Y}. "
                                  "Write the summaries marked “To be written”.")
        return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = form.text
        meeting, found = differences(form.read)
        ticked = [part for part, _ in PARTS] if found else []
        context.update(read=form.read, meeting=meeting, differences=found, rows=side_by_side(form.read, meeting),
                       apply_form=ApplyForm(initial={"parts": ticked}))
        return TemplateResponse(request, "admin/meetings/meeting/import_preview.html", context)
    context["form"] = form
    return TemplateResponse(request, "admin/meetings/meeting/import_upload.html", context)
