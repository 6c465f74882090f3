from django.core.management.base import BaseCommand

from meetings.record import dump


class Command(BaseCommand):
    help = "Write the record in the database as files in the format load_record reads (meetings/record/README.md)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", required=True,
                            help="Folder to write sources.json, council.json and events/ into, e.g. meetings/record.")

    def handle(self, *args, dir, **options):
        counts, removed = dump(dir)
        for name in removed:
            self.stdout.write(f"Removed events/{name}: that event is no longer in the database.")
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {', '.join(f'{n} {name}' for name, n in counts.items())} to {dir}."
        ))
