"""Fill a scratch database with a plausible record N times the size of the shipped one, for measuring.

Every shipped event is copied N-1 times onto other days of the same year (so the Council's
composition, and with it every ballot's member, stays right), with its request, procedural
vote and ballots, statements, joint statements, citations and caveats. The copies say in
their title that they are synthetic. States, terms and sources stay as they are: the
Council has only so many members. It refuses the make run database: use `make synthesize`,
which makes a database of its own.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from meetings.models import Ballot, Caveat, Citation, JointStatement, Meeting, ProceduralVote, Request, Statement
from meetings.record import load

CHILDREN = [Request, ProceduralVote, Ballot, Statement, JointStatement, Citation, Caveat]
MARK = "[synthetic]"


def copy_of(instance, **changes):
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if not f.primary_key}
    values.update(changes)
    return type(instance)(**values)


def free_day(original, taken):
    """The nearest untaken day in the same year, earlier first."""
    for distance in range(1, 366):
        for day in (original - datetime.timedelta(days=distance), original + datetime.timedelta(days=distance)):
            if day.year == original.year and day not in taken:
                return day
    return None


class Command(BaseCommand):
    help = "Copy the shipped record's events until the record is --factor times its size (a scratch database only)."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, default=100)

    def handle(self, *args, factor, **options):
        if settings.DATABASES["default"]["NAME"] in ("record", "test_record"):
            raise CommandError("synthesize writes hundreds of made-up events: point DATABASE_URL at a scratch database "
                               "(`make synthesize` makes one).")
        if not 2 <= factor <= 500:
            raise CommandError("--factor must be 2-500.")
        if not Meeting.objects.exists():
            load()
        if Meeting.objects.filter(title__startswith=MARK).exists():
            raise CommandError("This database already holds synthetic events.")
        with transaction.atomic():
            made = self.synthesize(factor)
        # Fresh tables have no planner statistics until autovacuum comes by; measured without
        # them, the event page and the countries list took twice as long at 100x.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            "Now " + ", ".join(f"{n} {name}" for name, n in made.items()) + f" ({factor}x the shipped record)."))

    def synthesize(self, factor):
        originals = list(Meeting.objects.order_by("date"))
        taken = {m.date for m in originals}
        children = {model: list(model.objects.filter(meeting__in=originals)) for model in CHILDREN}
        requesters = {r.pk: list(r.requesters.all()) for r in children[Request]}
        joint_states = {j.pk: list(j.states.all()) for j in children[JointStatement]}
        joint_sources = {j.pk: list(j.sources.all()) for j in children[JointStatement]}
        serial = 0
        for copy in range(1, factor):
            pairs = []
            for original in originals:
                day = free_day(original.date, taken)
                if day is None:
                    continue
                taken.add(day)
                serial += 1
                pairs.append((original, copy_of(
                    original, date=day, title=f"{MARK} {original.title}"[:200],
                    meeting_number=original.meeting_number and 100000 + serial,
                    press_release=original.press_release and f"SC/{900000 + serial}")))
            Meeting.objects.bulk_create([new for _, new in pairs])
            new_of = {original.pk: new for original, new in pairs}
            for model in CHILDREN:
                rows = []
                for row in children[model]:
                    if row.meeting_id not in new_of:
                        continue
                    changes = {"meeting_id": new_of[row.meeting_id].pk}
                    day = new_of[row.meeting_id].date
                    if model is Request and row.symbol:
                        changes["symbol"] = f"S/{day.year}/{9000 + len(rows) + copy * 100}"
                    if model is Request and row.date and row.date > day:
                        changes["date"] = day
                    rows.append((row, copy_of(row, **changes)))
                model.objects.bulk_create([new for _, new in rows])
                for old, new in rows:
                    if model is Request and requesters[old.pk]:
                        new.requesters.set(requesters[old.pk])
                    if model is JointStatement:
                        new.states.set(joint_states[old.pk])
                        new.sources.set(joint_sources[old.pk])
        return {"events": Meeting.objects.count(), "votes": ProceduralVote.objects.count(),
                "ballots": Ballot.objects.count(), "statements": Statement.objects.count()}
