from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from council.models import CouncilTerm
from meetings.admin.history import RecordedChangeAdmin
from meetings.models import (
    Ballot,
    Caveat,
    Citation,
    Format,
    JointStatement,
    Meeting,
    Position,
    ProceduralVote,
    Request,
    Statement,
)


class RequestInline(admin.StackedInline):
    model = Request
    extra = 0
    autocomplete_fields = ["requesters"]


class VoteInline(admin.StackedInline):
    model = ProceduralVote
    extra = 0
    max_num = 1
    fields = ["question", ("announced_in_favour", "announced_against", "announced_abstaining"), "result"]
    readonly_fields = ["result"]
    verbose_name_plural = "procedural vote (nine votes in favour adopt it; the veto does not apply)"

    @admin.display(description="result, from the saved ballots")
    def result(self, vote):
        if vote.pk is None:
            return "Saved with the ballots below."
        tally = vote.tally()
        outcome = "adopted" if vote.adopted else "not adopted"
        return (f"{outcome}: {tally[Position.IN_FAVOUR]} in favour, {tally[Position.AGAINST]} against, "
                f"{tally[Position.ABSTAINING]} abstaining")


class BallotFormSet(forms.BaseInlineFormSet):
    """Checks the ballots against the vote on the same page: all members, tally as announced."""

    def vote_posted(self):
        """The announced tally from the vote form posted beside these ballots, or None."""
        data, prefix = self.data, "vote-0-"
        if not data.get("vote-TOTAL_FORMS") or data.get("vote-TOTAL_FORMS") == "0" or data.get(prefix + "DELETE"):
            return None
        try:
            return {position: int(data.get(prefix + f"announced_{position}", "")) for position in
                    (Position.IN_FAVOUR, Position.AGAINST, Position.ABSTAINING)}
        except ValueError:
            return None  # The vote form reports its own error.

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        announced = self.vote_posted()
        if announced is None:
            if kept:
                raise ValidationError("These ballots belong to a procedural vote: add the vote (with its announced tally) or delete the ballots.")
            return
        if self.instance.format != Format.PUBLIC:
            raise ValidationError("Only a public meeting has a procedural vote.")
        members = {t.state for t in CouncilTerm.objects.active_on(self.instance.date).select_related("state")}
        voted = {row["state"] for row in kept}
        missing = sorted(s.short_name for s in members - voted)
        if missing:
            raise ValidationError(f"Every member of the Council on {self.instance.date:%d %B %Y} needs a ballot; missing: {', '.join(missing)}.")
        for position, number in announced.items():
            counted = sum(1 for row in kept if row["position"] == position)
            if counted != number:
                label = Position(position).label.lower()
                raise ValidationError(
                    f"The vote announces {number} {label} but the ballots record {counted}: correct a ballot or the announced tally."
                )


class BallotInline(admin.TabularInline):
    model = Ballot
    formset = BallotFormSet
    extra = 0
    autocomplete_fields = ["state"]
    verbose_name_plural = "ballots (one per member of the Council that day)"

    def members(self, obj):
        if obj is None or obj.format != Format.PUBLIC:
            return []
        return list(CouncilTerm.objects.active_on(obj.date).order_by("state__short_name").values_list("state_id", flat=True))

    def get_extra(self, request, obj=None, **kwargs):
        # A public meeting without ballots gets one row per member of that day, ready to fill.
        if obj is not None and not obj.ballots.exists():
            return len(self.members(obj))
        return 0



class StatementInline(admin.StackedInline):
    model = Statement
    extra = 0
    autocomplete_fields = ["state", "source"]
    fields = [("order", "capacity", "timing"), ("speaker", "role"), ("state", "office"), "summary", "quotation", ("source", "page")]


class JointStatementInline(admin.StackedInline):
    model = JointStatement
    extra = 0
    autocomplete_fields = ["read_by", "states", "sources"]


class CitationFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(f.cleaned_data and not f.cleaned_data.get("DELETE") for f in self.forms):
            raise ValidationError("Cite at least one source for this event (for example its date or its summary).")


class CitationInline(admin.TabularInline):
    model = Citation
    formset = CitationFormSet
    extra = 1
    autocomplete_fields = ["source"]
    verbose_name_plural = "sources (which source supports which fact)"


class CaveatInline(admin.TabularInline):
    model = Caveat
    extra = 0
    verbose_name_plural = "caveats (where sources disagree, rest on one source, or are silent)"


@admin.register(Meeting)
class MeetingAdmin(RecordedChangeAdmin, admin.ModelAdmin):
    list_display = ["date", "format", "title", "meeting_number", "press_release", "in_favour", "against", "abstaining", "speakers"]
    list_filter = ["format"]
    search_fields = ["title", "summary", "press_release", "meeting_number"]
    date_hierarchy = "date"
    ordering = ["-date"]
    inlines = [RequestInline, VoteInline, BallotInline, StatementInline, JointStatementInline, CitationInline, CaveatInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_tallies().annotate_speakers()

    def get_urls(self):
        from django.urls import path

        from meetings.admin.importing import import_view

        view = self.admin_site.admin_view(lambda request: import_view(request, self))
        return [path("import/", view, name="meetings_meeting_import"), *super().get_urls()]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BallotInline) and obj.pk and not obj.ballots.exists():
            kwargs["initial"] = [{"state": state_id} for state_id in inline.members(obj)]
        return kwargs

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
