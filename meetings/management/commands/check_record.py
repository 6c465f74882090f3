from django.core.management.base import BaseCommand, CommandError

from meetings.checks import find_problems


class Command(BaseCommand):
    help = "Report records that break rules across rows: ballots, tallies, speakers, sources."

    def handle(self, *args, **options):
        problems = find_problems()
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the record:\n  - " + "\n  - ".join(problems))
        self.stdout.write(self.style.SUCCESS("The record passes every check."))
