"""The Security Council itself: Member States, their terms on the Council, presidencies."""

import datetime

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Func, Q

# A permanent seat has no end; open ranges and this date stand for "still sitting".
FAR_FUTURE = datetime.date(9999, 12, 31)


class RegionalGroup(models.TextChoices):
    AFRICAN = "african", "African States"
    ASIA_PACIFIC = "asia_pacific", "Asia-Pacific States"
    EASTERN_EUROPEAN = "eastern_european", "Eastern European States"
    LATIN_AMERICAN_CARIBBEAN = "latin_american_caribbean", "Latin American and Caribbean States"
    WESTERN_EUROPEAN_OTHERS = "western_european_others", "Western European and other States"


class Seat(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    ELECTED = "elected", "Elected"


class CaveatKind(models.TextChoices):
    """What a reader should know about a fact; shared by events (meetings) and terms."""

    DISAGREEMENT = "disagreement", "Sources disagree"
    SINGLE_SOURCE = "single_source", "One source"
    INFERRED = "inferred", "Inferred"
    INCOMPLETE = "incomplete", "Incomplete"


# States whose English name takes "the" inside a sentence ("read by the representative of the
# United States"), by ISO code; a label such as a table cell keeps the bare short name.
NAMES_WITH_ARTICLE = frozenset({
    "ARE", "BHS", "CAF", "COD", "COM", "DOM", "GBR", "GMB", "MDV", "MHL", "NLD", "PHL", "SLB",
    "SYC", "USA", "VAT",
})


def name_in_sentence(iso3, short_name):
    """The state's short name as it reads inside an English sentence: "the United States", "France"."""
    return f"the {short_name}" if iso3 in NAMES_WITH_ARTICLE else short_name


class ChoiceLabels(models.Model):
    """get_FOO_display() read from a table of labels made once per field.

    Django rebuilds a hashable dict of the field's choices on every call; the event
    page alone makes ~150 such calls (positions, capacities, kinds), which was ~2 ms of
    its render. Labels are the same strings, so pages are unchanged.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            labels = _CHOICE_LABELS[field] = {value: str(label) for value, label in field.flatchoices}
        value = getattr(self, field.attname)
        try:
            return labels.get(value, value)
        except TypeError:  # an unhashable value (never for these models' choices): Django's own way
            return super()._get_FIELD_display(field)


_CHOICE_LABELS = {}


class StateQuerySet(models.QuerySet):
    def get_by_natural_key(self, iso3):
        return self.get(iso3=iso3)


class State(ChoiceLabels):
    """A UN Member State, as it sits on the Council, signs a letter or takes the floor."""

    iso3 = models.CharField(
        "ISO code", max_length=3, unique=True,
        help_text="ISO 3166-1 alpha-3 code in capitals, e.g. CHN, PRK, KOR.",
    )
    # ICU's root collation orders names as a reader expects ("Côte d'Ivoire" before "Croatia"),
    # wherever the database sorts them; PostgreSQL's default "C"-like order does not.
    name = models.CharField(
        max_length=120, unique=True, db_collation="und-x-icu",
        help_text="Name as the UN writes it, e.g. “United Kingdom of Great Britain and Northern Ireland”.",
    )
    short_name = models.CharField(
        max_length=60, db_collation="und-x-icu", help_text="Name a reader knows, e.g. “United Kingdom”.",
    )
    group = models.CharField(
        "regional group", max_length=32, choices=RegionalGroup,
        help_text="UN regional group (the United States is counted with Western European and others).",
    )

    objects = StateQuerySet.as_manager()

    class Meta:
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(condition=Q(iso3__regex=r"^[A-Z]{3}$"), name="state_iso3_is_three_capitals"),
        ]

    def __str__(self):
        return self.short_name

    def natural_key(self):
        return (self.iso3,)

    @property
    def sentence_name(self):
        """The name inside a sentence: "the United States" where English needs the article."""
        return name_in_sentence(self.iso3, self.short_name)


class CouncilTermQuerySet(models.QuerySet):
    def active_on(self, day):
        """The terms running on `day`: the Council's members that day."""
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))

    def for_composition(self, day):
        return self.active_on(day).select_related("state").order_by("-seat", "state__short_name")

    def get_by_natural_key(self, iso3, start):
        return self.get(state__iso3=iso3, start=start)


class DateRange(Func):
    function = "DATERANGE"
    output_field = DateRangeField()


class CouncilTerm(ChoiceLabels):
    """A State's seat on the Council: permanent (no end) or an elected two-year term."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="terms")
    seat = models.CharField(max_length=10, choices=Seat)
    start = models.DateField(help_text="First day on the Council, e.g. 2014-01-01.")
    end = models.DateField(
        null=True, blank=True,
        help_text="Last day on the Council, e.g. 2015-12-31. Empty for a permanent seat.",
    )

    objects = CouncilTermQuerySet.as_manager()

    class Meta:
        ordering = ["start", "state__short_name"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                                   name="term_ends_after_it_starts"),
            models.CheckConstraint(
                condition=Q(seat=Seat.PERMANENT, end__isnull=True) | Q(seat=Seat.ELECTED, end__isnull=False),
                name="term_end_only_and_always_for_elected_seats",
            ),
            models.UniqueConstraint(fields=["state", "start"], name="term_unique_state_start"),
            ExclusionConstraint(
                name="term_no_overlap_for_a_state",
                expressions=[
                    ("state", RangeOperators.EQUAL),
                    (DateRange("start", "end", models.Value("[]")), RangeOperators.OVERLAPS),
                ],
                violation_error_message="This state already has a term on the Council in these dates.",
            ),
        ]

    def __str__(self):
        if self.end:
            return f"{self.state} ({self.get_seat_display().lower()}, {self.start:%Y}–{self.end:%Y})"
        return f"{self.state} (permanent)"

    def natural_key(self):
        return (self.state.iso3, self.start)

    natural_key.dependencies = ["council.state"]

    def covers(self, day):
        return self.start <= day <= (self.end or FAR_FUTURE)


class TermCaveat(ChoiceLabels):
    """What a reader should know about the sources of a term, e.g. that it is inferred from indirect ones."""

    term = models.ForeignKey(CouncilTerm, on_delete=models.CASCADE, related_name="caveats")
    kind = models.CharField(max_length=20, choices=CaveatKind)
    text = models.TextField(help_text="In our own words: what the sources say and what the record holds.")

    class Meta:
        ordering = ["term", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="term_caveat_has_text")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class PresidencyQuerySet(models.QuerySet):
    def for_month(self, day):
        return self.filter(month=day.replace(day=1))

    def get_by_natural_key(self, month):
        return self.get(month=month)


class Presidency(models.Model):
    """The Member State holding the Council's rotating presidency for one month."""

    month = models.DateField(unique=True, help_text="First day of the month, e.g. 2014-12-01.")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="presidencies")

    objects = PresidencyQuerySet.as_manager()

    class Meta:
        ordering = ["month"]
        verbose_name_plural = "presidencies"
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="presidency_month_is_first_day"),
        ]

    def __str__(self):
        return f"{self.month:%B %Y}: {self.state}"

    def natural_key(self):
        return (self.month,)

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": "Give the first day of the month, e.g. 2014-12-01."})
        if self.month and self.state_id and not CouncilTerm.objects.active_on(self.month).filter(
            state_id=self.state_id
        ).exists():
            raise ValidationError(
                {"state": f"{self.state} was not on the Council on {self.month:%d %B %Y}; "
                          "add its term first or pick a member of that month."}
            )


# The history of these tables (event models and their triggers); imported last, once the models exist.
from council import history  # noqa: E402, F401
