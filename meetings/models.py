"""What happened under the item “The situation in the Democratic People's Republic of Korea”."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, ExtractYear, RowNumber
from django.urls import reverse

from council.models import CaveatKind, ChoiceLabels, CouncilTerm, Presidency, State

# Rule: a procedural decision of the Council needs nine affirmative votes (Charter, Art. 27(2));
# the veto of a permanent member does not apply to it.
VOTES_NEEDED = 9
COUNCIL_SIZE = 15


class Format(models.TextChoices):
    PUBLIC = "public", "Public meeting"
    CLOSED = "closed", "Closed discussion"
    INFORMAL = "informal", "Informal (Arria-formula) meeting"
    NOT_HELD = "not_held", "Requested, not held"


class SourceKind(models.TextChoices):
    VERBATIM_RECORD = "verbatim_record", "Verbatim record"
    PRESS_RELEASE = "press_release", "UN press release"
    UN_DOCUMENT = "un_document", "UN document"
    UN_NEWS = "un_news", "UN News"
    RESEARCH = "research", "Research (Security Council Report, scprocedure.org)"
    GOVERNMENT = "government", "A government's own statement"
    NEWS = "news", "News report"


class Fact(models.TextChoices):
    DATE = "date", "Date"
    FORMAT = "format", "Format"
    MEETING = "meeting", "Meeting number and record"
    REQUEST = "request", "Request"
    VOTE = "vote", "Procedural vote"
    SUMMARY = "summary", "Summary"
    PRESIDENT = "president", "President"
    STATEMENTS = "statements", "Statements"
    JOINT_STATEMENTS = "joint_statements", "Joint statements"


class Position(models.TextChoices):
    IN_FAVOUR = "in_favour", "In favour"
    AGAINST = "against", "Against"
    ABSTAINING = "abstaining", "Abstaining"
    NOT_PARTICIPATING = "not_participating", "Not participating"


class Capacity(models.TextChoices):
    MEMBER = "member", "Council member"
    PRESIDENT = "president", "President, in national capacity"
    NON_MEMBER = "non_member", "Non-member invited under rule 37"
    BRIEFER = "briefer", "Briefer invited under rule 39"


class Timing(models.TextChoices):
    BEFORE_VOTE = "before_vote", "Before the vote"
    AFTER_VOTE = "after_vote", "After the vote"
    NO_VOTE = "no_vote", "No vote was held"


class SourceQuerySet(models.QuerySet):
    def get_by_natural_key(self, url):
        return self.get(url=url)


class Source(ChoiceLabels):
    """A document or page that supports a fact: a UN symbol (S/PV.7353, SC/11720) or an address."""

    url = models.URLField(max_length=500, unique=True, help_text="Where a reader finds it, e.g. https://undocs.org/S/PV.7353.")
    symbol = models.CharField(
        max_length=40, unique=True, null=True, blank=True,
        help_text="UN document symbol, e.g. S/PV.7353, SC/11720 or S/2014/872. Leave empty for other sources.",
    )
    kind = models.CharField(max_length=20, choices=SourceKind)
    title = models.CharField(max_length=300, help_text="What it is, in a few words.")
    terms = models.ManyToManyField(CouncilTerm, blank=True, related_name="sources",
                                   help_text="Council terms this source establishes.")
    presidencies = models.ManyToManyField(Presidency, blank=True, related_name="sources",
                                          help_text="Presidencies this source establishes.")

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["symbol", "url"]
        constraints = [
            models.CheckConstraint(condition=Q(symbol__isnull=True) | ~Q(symbol=""), name="source_symbol_null_not_blank"),
            models.CheckConstraint(condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                                   name="source_url_is_web_address"),
        ]

    def __str__(self):
        return self.symbol or self.title

    def natural_key(self):
        return (self.url,)

    @property
    def label(self):
        return self.label_for(self.symbol, self.title)

    @staticmethod
    def label_for(symbol, title):
        """How a source is named to readers: its UN symbol, or its title when it has none."""
        return symbol or title


def count_of(rows, by="meeting"):
    """The number of `rows` (filtered on <by>=OuterRef("pk")) as a subquery: 0, never NULL."""
    return Coalesce(Subquery(rows.order_by().values(by).annotate(n=Count("pk")).values("n")), 0)


def count_by_state(rows):
    """The number of `rows` of each state, as an annotation on states: `rows` are counted
    once, grouped by state (PostgreSQL runs the uncorrelated subquery once, as an InitPlan),
    and each state reads its own count from the result: 0, never NULL."""
    sql, params = rows.filter(state__isnull=False).order_by().values("state").annotate(n=Count("*")).values("state", "n").query.sql_with_params()
    return RawSQL(f"COALESCE(((SELECT jsonb_object_agg(g.state, g.n) FROM ({sql}) g(state, n))"
                  f' ->> "{State._meta.db_table}"."id"::text)::integer, 0)', params, output_field=models.IntegerField())


class MeetingQuerySet(models.QuerySet):
    def get_by_natural_key(self, date):
        return self.get(date=date)

    def published(self):
        """Events readers may see: drafts stay in the admin until an editor publishes them."""
        return self.filter(published=True)

    def with_tallies(self):
        # Counted in subqueries, not joins: joining ballots and statements together multiplies
        # the rows (15 x the statements per event) before COUNT(DISTINCT) folds them again.
        return self.annotate(
            **{
                f"tally_{position}": count_of(Ballot.objects.filter(meeting=OuterRef("pk"), position=position))
                for position in Position.values
            }
        )

    def involving(self, state):
        """Events where the state voted, spoke, asked for the event or joined a joint statement."""
        involved = Meeting.objects.filter(
            Q(ballots__state=state) | Q(statements__state=state) | Q(request__requesters=state)
            | Q(joint_statements__states=state)
        )
        return self.filter(pk__in=involved.values("pk"))

    def annotate_speakers(self):
        return self.annotate(speaker_count=count_of(Statement.objects.filter(meeting=OuterRef("pk"))))

    def with_president(self):
        month = Presidency.objects.filter(month__year=OuterRef("date__year"), month__month=OuterRef("date__month"))
        return self.annotate(
            president_iso3=Subquery(month.values("state__iso3")[:1]),
            president_name=Subquery(month.values("state__short_name")[:1]),
        )

    def for_timeline(self):
        return (
            self.published()
            .with_tallies()
            .with_president()
            .select_related("vote", "request")
            .annotate_speakers()
            .order_by("date")
        )

    def first_of_each_year(self, n):
        """The first `n` published events of each year, for the overview, with what the timeline shows of them."""
        ranked = (self.published().annotate(rank=Window(RowNumber(), partition_by=ExtractYear("date"), order_by=F("date").asc()))
                  .filter(rank__lte=n).values("pk"))
        return self.for_timeline().filter(pk__in=ranked)

    def counts_by_year(self):
        """(year, format, number of published events) rows."""
        return self.published().order_by().values_list(ExtractYear("date"), "format").annotate(n=Count("pk"))

    def voted(self):
        """Events whose procedural vote is in the record, ballots and all."""
        return self.filter(Exists(Ballot.objects.filter(meeting=OuterRef("pk"))))

    def latest_votes(self, n):
        """The `n` most recent published procedural votes, oldest first, with their tallies."""
        return reversed(self.published().voted().with_tallies().order_by("-date")[:n])

    def for_event_page(self):
        return (
            self.with_president()
            .select_related("vote", "request")
            .prefetch_related(
                Prefetch("ballots", queryset=Ballot.objects.select_related("state").order_by("state__short_name")),
                Prefetch("request__requesters", queryset=State.objects.order_by("short_name")),
                Prefetch("statements", queryset=Statement.objects.select_related("state", "source").order_by("order")),
                Prefetch("citations", queryset=Citation.objects.select_related("source").order_by("fact", "source__symbol", "source__url")),
                Prefetch("caveats", queryset=Caveat.objects.order_by("fact", "pk")),
                Prefetch("joint_statements", queryset=JointStatement.objects.select_related("read_by").prefetch_related(
                    Prefetch("states", queryset=State.objects.order_by("short_name")), "sources")),
            )
        )


def verbatim_symbol(meeting_number):
    """S/PV.7353 for meeting 7353; None for an event without a meeting number."""
    return f"S/PV.{meeting_number}" if meeting_number else None


class Meeting(ChoiceLabels):
    """An event under the item: a public meeting, a closed discussion, an informal meeting, or a request that did not become a meeting."""

    date = models.DateField(unique=True, help_text="Day it took place, or was planned for if it was not held.")
    format = models.CharField(max_length=10, choices=Format)
    title = models.CharField(max_length=200, help_text="A short headline in our own words.")
    meeting_number = models.PositiveIntegerField(
        unique=True, null=True, blank=True,
        help_text="Number of a formal meeting, e.g. 7353 (its verbatim record is S/PV.7353). Public meetings only.",
    )
    press_release = models.CharField(
        max_length=20, unique=True, null=True, blank=True,
        help_text="UN meetings-coverage press release, e.g. SC/11720.",
    )
    summary = models.TextField(help_text="A neutral summary in our own words: what happened and why it mattered.")
    dprk_took_part = models.BooleanField(
        "DPRK took part", null=True, blank=True,
        help_text="Whether the DPRK was at the table (invited under rule 37). Leave unknown if the sources are silent.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    published = models.BooleanField(
        default=True, help_text="Readers see the event only once it is published; a new event starts as a draft.",
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        # The feed's newest events, read in order rather than sorted from the whole table.
        indexes = [models.Index(fields=["-created", "-date"], name="meeting_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=Q(format=Format.PUBLIC, meeting_number__isnull=False)
                | ~Q(format=Format.PUBLIC) & Q(meeting_number__isnull=True),
                name="meeting_number_exactly_for_public_meetings",
                violation_error_message="A public meeting needs its meeting number; other formats have none.",
            ),
            models.CheckConstraint(
                condition=Q(press_release__isnull=True) | Q(press_release__regex=r"^SC/[0-9]+$"),
                name="meeting_press_release_symbol",
                violation_error_message="A press release symbol looks like SC/11720.",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="meeting_has_summary"),
        ]

    def __str__(self):
        return f"{self.date:%d %B %Y} ({self.get_format_display().lower()})"

    def natural_key(self):
        return (self.date,)

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"day": self.date})

    @property
    def symbol(self):
        """The verbatim record's symbol, which the UN derives from the meeting number."""
        return verbatim_symbol(self.meeting_number)

    def members(self):
        return CouncilTerm.objects.for_composition(self.date)

    def clean(self):
        if self.format != Format.PUBLIC and self.meeting_number:
            raise ValidationError({"meeting_number": "Only a public meeting has a meeting number; clear it or change the format."})
        if self.format == Format.PUBLIC and not self.meeting_number:
            raise ValidationError({"meeting_number": "A public meeting needs its meeting number, e.g. 7353."})


class Request(models.Model):
    """The letter (or unpublished request) by which members asked for the event, e.g. S/2014/872."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="request")
    symbol = models.CharField(
        max_length=20, unique=True, null=True, blank=True,
        help_text="Symbol of the published letter, e.g. S/2014/872. Leave empty if none was published.",
    )
    date = models.DateField(null=True, blank=True, help_text="Date of the letter, if known.")
    requesters = models.ManyToManyField(State, related_name="requests", blank=True,
                                        help_text="Every state that signed or made the request.")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(symbol__isnull=True) | Q(symbol__regex=r"^S/[0-9]{4}/[0-9]+$"),
                                   name="request_letter_symbol",
                                   violation_error_message="A letter's symbol looks like S/2014/872."),
        ]

    def __str__(self):
        return self.symbol or f"Request for {self.meeting}"

    def clean(self):
        if self.date and self.meeting_id and self.date > self.meeting.date:
            raise ValidationError({"date": f"The request must be dated on or before the event ({self.meeting.date:%d %B %Y})."})


class ProceduralVote(models.Model):
    """The vote on adopting the provisional agenda: nine affirmative votes carry it; the veto does not apply."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="vote")
    question = models.CharField(max_length=200, default="Adoption of the provisional agenda")
    announced_in_favour = models.PositiveSmallIntegerField(help_text="Votes in favour as the record announces them.")
    announced_against = models.PositiveSmallIntegerField(help_text="Votes against as the record announces them.")
    announced_abstaining = models.PositiveSmallIntegerField(help_text="Abstentions as the record announces them.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(announced_in_favour__lte=COUNCIL_SIZE - models.F("announced_against") - models.F("announced_abstaining")),
                name="vote_announced_tally_at_most_fifteen",
                violation_error_message="The announced votes add up to more than the Council's fifteen members.",
            ),
        ]

    def __str__(self):
        return f"Procedural vote of {self.meeting.date:%d %B %Y}"

    def clean(self):
        if self.meeting_id and self.meeting.format != Format.PUBLIC:
            raise ValidationError("Only a public meeting has a procedural vote; change the event's format first.")

    @property
    def announced(self):
        return {
            Position.IN_FAVOUR: self.announced_in_favour,
            Position.AGAINST: self.announced_against,
            Position.ABSTAINING: self.announced_abstaining,
        }

    def tally(self):
        """Counts by position, from the meeting's ballots (prefetch `meeting.ballots`)."""
        counts = dict.fromkeys(Position.values, 0)
        for ballot in self.meeting.ballots.all():
            counts[ballot.position] += 1
        return counts

    def disagreements(self):
        """Where the announced tally differs from the ballots, as readable sentences."""
        counts = self.tally()
        return [
            f"{label}: {self.announced[position]} announced, {counts[position]} ballots recorded"
            for position, label in Position.choices
            if position in self.announced and self.announced[position] != counts[position]
        ]

    @property
    def adopted(self):
        return self.tally()[Position.IN_FAVOUR] >= VOTES_NEEDED

    @property
    def margin(self):
        """Affirmative votes above (or below, negative) the nine needed."""
        return self.tally()[Position.IN_FAVOUR] - VOTES_NEEDED


class BallotQuerySet(models.QuerySet):
    def in_favour_per_vote(self):
        """The votes in favour in each published procedural vote: one number per vote, in one grouped scan."""
        return (self.filter(meeting__published=True).order_by().values("meeting")
                .annotate(n=Count("pk", filter=Q(position=Position.IN_FAVOUR))).values_list("n", flat=True))


class Ballot(ChoiceLabels):
    """One member's position in the event's procedural vote (an event has at most one)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ballots")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="ballots")
    position = models.CharField(max_length=20, choices=Position)

    objects = BallotQuerySet.as_manager()

    class Meta:
        ordering = ["state__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "state"], name="ballot_one_per_member_per_vote",
                                    violation_error_message="This state already has a ballot in this vote."),
        ]
        # A ballot from a state not on the Council that day is refused by the trigger
        # `ballot_state_on_council` (migration 0002), as well as by clean().

    def __str__(self):
        return f"{self.state}: {self.get_position_display()}"

    def clean(self):
        if self.meeting_id and self.state_id:
            day = self.meeting.date
            if not CouncilTerm.objects.active_on(day).filter(state_id=self.state_id).exists():
                raise ValidationError({"state": f"{self.state} was not on the Council on {day:%d %B %Y}, so it cannot have a ballot."})


class Statement(ChoiceLabels):
    """One time a speaker took the floor at the event."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="statements")
    order = models.PositiveSmallIntegerField(help_text="Speaking order: 1 for the first speaker.")
    speaker = models.CharField(max_length=120, blank=True, help_text="The person as the source names them, e.g. “Liu Jieyi”. Empty if unknown.")
    role = models.CharField(max_length=200, blank=True, help_text="Their title where the source gives it, e.g. “Assistant Secretary-General for Human Rights”.")
    capacity = models.CharField(max_length=12, choices=Capacity)
    state = models.ForeignKey(State, on_delete=models.PROTECT, null=True, blank=True, related_name="statements",
                              help_text="The state spoken for. Empty for a briefer.")
    office = models.CharField(max_length=200, blank=True, help_text="For a briefer: the office they spoke for, e.g. “OHCHR”.")
    timing = models.CharField(max_length=12, choices=Timing)
    summary = models.TextField(help_text="One or two sentences in our own words.")
    quotation = models.CharField(max_length=300, blank=True, help_text="Optional: a short quotation copied exactly from the source.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="statements")
    page = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Page of the source where the statement starts.")

    class Meta:
        ordering = ["meeting__date", "order"]
        # Counting each state's statements for the countries list reads this index alone,
        # not the table, whose rows carry the text (14 MB at 100x the record).
        indexes = [models.Index(fields=["state", "meeting"], name="statement_state_meeting")]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="statement_unique_order_per_meeting",
                                    violation_error_message="Another statement of this event has this place in the speaking order."),
            models.CheckConstraint(condition=Q(order__gte=1), name="statement_order_from_one"),
            models.CheckConstraint(
                condition=Q(capacity=Capacity.BRIEFER, state__isnull=True) & ~Q(office="")
                | ~Q(capacity=Capacity.BRIEFER) & Q(state__isnull=False, office=""),
                name="statement_state_or_office_by_capacity",
                violation_error_message="A briefer speaks for an office (no state); everyone else speaks for a state (no office).",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="statement_has_summary"),
            models.CheckConstraint(condition=Q(page__isnull=True) | Q(page__gte=1), name="statement_page_from_one"),
        ]

    def __str__(self):
        return f"{self.order}. {self.speaker or 'unnamed'} ({self.state or self.office})"

    @property
    def anchor(self):
        return f"statement-{self.order}"

    # The event the day's rules are read from. None reads the event as saved; the admin gives the
    # event as its page posted it, whose vote or date may not be saved yet.
    event_day = None

    def clean(self):
        errors = {}
        event = self.event_day or (EventDay.saved(self.meeting) if self.meeting_id else None)
        if event is None:
            return
        if self.capacity == Capacity.BRIEFER:
            if self.state_id:
                errors["state"] = "A briefer speaks for an office, not a state: clear the state and fill in the office."
            if not self.office:
                errors["office"] = "Name the office the briefer spoke for."
        else:
            if not self.state_id:
                errors["state"] = "Pick the state this speaker spoke for."
            if self.office:
                errors["office"] = "Only a briefer has an office; clear it."
        errors |= event.statement_problems(self)
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class EventDay:
    """What an event's statements are checked against: its day, the Council that day, the President, its vote."""

    day: datetime.date
    members: frozenset  # ids of the states on the Council that day
    president: State | None
    has_vote: bool

    @classmethod
    def of(cls, day, has_vote):
        presidency = Presidency.objects.for_month(day).select_related("state").first()
        members = frozenset(CouncilTerm.objects.active_on(day).values_list("state_id", flat=True))
        return cls(day, members, presidency.state if presidency else None, has_vote)

    @classmethod
    def saved(cls, meeting):
        return cls.of(meeting.date, ProceduralVote.objects.filter(meeting_id=meeting.pk).exists())

    def statement_problems(self, statement):
        """{field: message} for each rule of the day that `statement` breaks."""
        errors = {}
        day, state = self.day, statement.state
        if statement.state_id and statement.capacity in (Capacity.MEMBER, Capacity.PRESIDENT, Capacity.NON_MEMBER):
            on_council = statement.state_id in self.members
            if statement.capacity == Capacity.NON_MEMBER and on_council:
                errors["capacity"] = f"{state} was on the Council on {day:%d %B %Y}: choose “Council member”."
            if statement.capacity != Capacity.NON_MEMBER and not on_council:
                errors["capacity"] = f"{state} was not on the Council on {day:%d %B %Y}: choose “Non-member invited under rule 37”."
        if statement.capacity == Capacity.PRESIDENT and statement.state_id and self.president \
                and self.president.pk != statement.state_id:
            errors["capacity"] = f"{self.president} held the presidency in {day:%B %Y}, not {state}."
        if self.has_vote and statement.timing == Timing.NO_VOTE:
            errors["timing"] = "This event had a procedural vote: say whether the statement came before or after it."
        if not self.has_vote and statement.timing and statement.timing != Timing.NO_VOTE:
            errors["timing"] = "This event had no procedural vote: choose “No vote was held”."
        return errors


class JointStatement(models.Model):
    """A statement several states read to the press together, e.g. after closed consultations."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="joint_statements")
    read_by = models.ForeignKey(State, on_delete=models.PROTECT, null=True, blank=True, related_name="joint_statements_read",
                                help_text="The state whose representative read it, if known.")
    speaker = models.CharField(max_length=120, blank=True, help_text="Who read it, as the source names them.")
    states = models.ManyToManyField(State, related_name="joint_statements", help_text="Every state that joined it.")
    summary = models.TextField(help_text="What it said, in our own words.")
    sources = models.ManyToManyField(Source, related_name="joint_statements")

    class Meta:
        ordering = ["meeting__date", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(summary=""), name="joint_statement_has_summary")]

    def __str__(self):
        return f"Joint statement of {self.meeting.date:%d %B %Y}"


class Citation(ChoiceLabels):
    """A source supporting one fact about an event."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="citations")
    fact = models.CharField(max_length=20, choices=Fact)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")

    class Meta:
        ordering = ["meeting__date", "fact"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "fact", "source"], name="citation_unique_per_fact",
                                    violation_error_message="This source is already cited for this fact."),
        ]

    def __str__(self):
        return f"{self.get_fact_display()}: {self.source}"


class Caveat(ChoiceLabels):
    """What a reader should know about a fact: the sources disagree, rest on one source, or are silent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="caveats")
    fact = models.CharField(max_length=20, choices=Fact)
    kind = models.CharField(max_length=20, choices=CaveatKind)
    text = models.TextField(help_text="In our own words: what the sources say and what the record holds.")

    class Meta:
        ordering = ["meeting__date", "fact"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="caveat_has_text")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class CountryQuerySet(models.QuerySet):
    @staticmethod
    def sat_in_the_years_covered():
        """A term of the state on the Council that reaches the first published event."""
        first = Meeting.objects.published().order_by("date").values("date")[:1]
        return Exists(CouncilTerm.objects.filter(Q(end__isnull=True) | Q(end__gte=Subquery(first)), state=OuterRef("pk")))

    def in_the_record(self):
        """States that sat on the Council in the years covered, voted, spoke, asked for an event or joined a statement."""
        # EXISTS, not joins: joining every relation at once multiplies the rows by each other.
        # Drafts do not count: readers see an event only once it is published.
        mine = OuterRef("pk")
        return self.filter(
            self.sat_in_the_years_covered()
            | Exists(Ballot.objects.filter(state=mine, meeting__published=True))
            | Exists(Statement.objects.filter(state=mine, meeting__published=True))
            | Exists(Request.requesters.through.objects.filter(state=mine, request__meeting__published=True))
            | Exists(JointStatement.states.through.objects.filter(state=mine, jointstatement__meeting__published=True))
        )

    def with_counts(self):
        """Each state's ballots (by position), statements, requests and joint statements, counted."""
        mine = OuterRef("pk")
        ballots = Ballot.objects.filter(state=mine, meeting__published=True)
        return self.annotate(
            ballot_count=count_of(ballots, by="state"),
            in_favour_count=count_of(ballots.filter(position=Position.IN_FAVOUR), by="state"),
            against_count=count_of(ballots.filter(position=Position.AGAINST), by="state"),
            abstaining_count=count_of(ballots.filter(position=Position.ABSTAINING), by="state"),
            statement_count=count_of(Statement.objects.filter(state=mine, meeting__published=True), by="state"),
            request_count=count_of(Request.requesters.through.objects.filter(
                state=mine, request__meeting__published=True), by="state"),
            joint_count=count_of(JointStatement.states.through.objects.filter(
                state=mine, jointstatement__meeting__published=True), by="state"),
        )

    def with_counts_of_all(self):
        """`with_counts()` for a list of many states: each count is one grouped pass over its
        table for every state at once, looked up by the state's id (seven correlated
        subqueries per state took 60 ms at 100x the record)."""
        ballots = Ballot.objects.filter(meeting__published=True)
        return self.annotate(
            ballot_count=count_by_state(ballots),
            in_favour_count=count_by_state(ballots.filter(position=Position.IN_FAVOUR)),
            against_count=count_by_state(ballots.filter(position=Position.AGAINST)),
            abstaining_count=count_by_state(ballots.filter(position=Position.ABSTAINING)),
            statement_count=count_by_state(Statement.objects.filter(meeting__published=True)),
            request_count=count_by_state(Request.requesters.through.objects.filter(request__meeting__published=True)),
            joint_count=count_by_state(JointStatement.states.through.objects.filter(jointstatement__meeting__published=True)),
        )

    def for_country_list(self):
        """Every state with its counts and `sat_in_the_years`; the list keeps those in_the_record()
        would (Country.in_the_record), read from the counts already made in Python: a filter on
        the counts in SQL would repeat their subqueries, and in_the_record() four more passes."""
        return (self.with_counts_of_all().annotate(sat_in_the_years=self.sat_in_the_years_covered())
                .prefetch_related(Prefetch("terms", queryset=CouncilTerm.objects.order_by("start"))).order_by("short_name"))

    def for_country_page(self, iso3, latest):
        """The state (or None) with its counts and its `latest` ballots, statements, requests and
        joint statements, newest first: the lists stay short however long the record grows.

        One state, so each list is a plain query with a LIMIT, not a sliced Prefetch (which
        Django writes as a window function over every state's rows, and takes longer to
        build than to run)."""
        country = self.with_counts().prefetch_related(
            Prefetch("terms", queryset=CouncilTerm.objects.order_by("start").prefetch_related("sources", "caveats")),
            Prefetch("presidencies", queryset=Presidency.objects.order_by("month").prefetch_related("sources")),
        ).filter(iso3=iso3).first()
        if country is None:
            return None
        mine = {"state": country, "meeting__published": True}
        # The statements of a ballot's meeting, to link to what the state said there.
        country.latest_ballots = list(
            Ballot.objects.filter(**mine).select_related("meeting").prefetch_related(
                Prefetch("meeting__statements", queryset=Statement.objects.order_by("order"), to_attr="statement_list"),
            ).order_by("-meeting__date")[:latest])
        country.latest_statements = list(Statement.objects.filter(**mine).select_related("meeting", "source")
                                         .order_by("-meeting__date", "-order")[:latest])
        published = {"meeting__published": True}
        country.latest_requests = list(Request.objects.filter(requesters=country, **published).select_related("meeting")
                                       .order_by("-meeting__date")[:latest])
        country.latest_joint_statements = list(
            JointStatement.objects.filter(states=country, **published).select_related("meeting", "read_by")
            .order_by("-meeting__date")[:latest])
        return country

    def for_vote_matrix(self, years, meetings):
        """States on the Council at some point of `years` (a range), with their terms, their
        ballots in `meetings` (the columns shown) and their totals over every procedural vote."""
        start, end = datetime.date(years.start, 1, 1), datetime.date(years.stop - 1, 12, 31)
        on_council = Q(terms__end__isnull=True) | Q(terms__end__gte=start), Q(terms__start__lte=end)
        published = Ballot.objects.filter(meeting__published=True)
        return (
            self.filter(pk__in=State.objects.filter(*on_council).values("pk"))
            # One pass over the ballots (a join, grouped by state): a subquery per state and
            # position took 100 ms at 100x the record.
            .annotate(**{f"total_{position}": Count("ballots", filter=Q(ballots__position=position, ballots__meeting__published=True))
                         for position in Position.values})
            .prefetch_related(
                Prefetch("terms", queryset=CouncilTerm.objects.order_by("start")),
                Prefetch("ballots", queryset=published.filter(meeting__in=[m.pk for m in meetings]), to_attr="ballot_list"),
            )
            .order_by("short_name")
        )


class Country(State):
    """A Member State as the reader's pages show it: its terms, ballots, statements and letters."""

    objects = CountryQuerySet.as_manager()

    @property
    def in_the_record(self):
        """For a state from for_country_list(): what CountryQuerySet.in_the_record() selects."""
        return bool(self.sat_in_the_years or self.ballot_count or self.statement_count or self.request_count
                    or self.joint_count)

    class Meta:
        proxy = True
        verbose_name_plural = "countries"


class RecordVersion(models.Model):
    """One row that PostgreSQL bumps on every change to the record (migration 0004's triggers).

    Pages are cached and validated against it, so that no change, however it is made
    (the admin, the loader, SQL), can leave a stale page behind.
    """

    version = models.BigIntegerField()
    changed = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="record_version_single_row")]

    @classmethod
    def current(cls):
        """A string that changes whenever the record does, or None when no change was ever counted."""
        row = cls.objects.filter(pk=1).values_list("version", "changed").first()
        return None if row is None else f"{row[0]}.{row[1].timestamp():.6f}"


class DeletedEvent(models.Model):
    """An event an editor deleted, kept whole (as its record file) so that it can be restored."""

    date = models.DateField(help_text="Day of the deleted event.")
    title = models.CharField(max_length=200)
    data = models.JSONField(help_text="The event as its record file holds it (meetings.record.dump_event).")
    deleted = models.DateTimeField(auto_now_add=True)
    deleted_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-deleted"]
        verbose_name = "deleted event"

    def __str__(self):
        return f"{self.date:%d %B %Y}: {self.title} (deleted {self.deleted:%Y-%m-%d %H:%M})"


class StoredDownload(models.Model):
    """A whole-record download as rendered for one version of the record: plain, gzip and brotli.

    Not part of the record (no version trigger, no history): a build product that
    meetings/prerender.py writes when it renders the downloads ahead, so that a process
    with an empty page cache (a restart, a new host, an eviction) serves it without a
    render. Rows of older versions are deleted as newer ones are stored.
    """

    path = models.CharField(max_length=100, help_text="The download's address, e.g. /data/meetings.json.")
    version = models.CharField(max_length=60, help_text="The record version it was rendered from (RecordVersion).")
    headers = models.JSONField(help_text="The response headers of each encoding, by encoding ('' for plain).")
    plain = models.BinaryField()
    gzip = models.BinaryField()
    br = models.BinaryField()
    stored = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["path", "version"], name="stored_download_once_per_version")]

    def __str__(self):
        return f"{self.path} of version {self.version}"


# The record's history (event models, their triggers, the change view) and readers' correction
# reports; imported last, once the models they describe exist.
from meetings import corrections, history  # noqa: E402, F401
