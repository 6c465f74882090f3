from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting
from meetings.record import RECORD_DIR, RecordError, load


class Command(BaseCommand):
    help = "Load the record (meetings/record/*.json) into the database; refuses an invalid file whole."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(RECORD_DIR), help="Folder holding sources.json, council.json and events/.")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the database already holds events (keeps editors' changes).")
        parser.add_argument("--reason", default="Loaded from the record files",
                            help="Why: recorded in the history with every change this load makes.")

    def handle(self, *args, dir, if_empty, reason, **options):
        if if_empty and Meeting.objects.exists():
            self.stdout.write("The database already holds the record; not loading (run `make load` to reload).")
            return
        try:
            counts = load(dir, reason=reason)
        except RecordError as error:
            raise CommandError(
                "The record was not loaded; nothing was changed. Fix these and run again:\n  - "
                + "\n  - ".join(error.problems)
            ) from None
        self.stdout.write(self.style.SUCCESS(
            "Loaded " + ", ".join(f"{n} {name}" for name, n in counts.items()) + "."
        ))
