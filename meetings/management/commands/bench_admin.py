"""Time the event change page the way an editor opens it: the median of repeated renders."""

import statistics
import time

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting

TARGET_MS = 150


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Render the admin change page of an event N times; print its median time, size and queries."

    def add_arguments(self, parser):
        parser.add_argument("--date", default="2014-12-22", help="The event's date (default: 2014-12-22).")
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, date, runs, **options):
        meeting = Meeting.objects.filter(date=date).first()
        if meeting is None:
            raise CommandError(f"No event on {date}: load the record first (make load).")
        try:
            with transaction.atomic():
                # A throwaway editor, rolled back with everything else this command writes.
                user = User.objects.create_superuser("bench-admin-editor", "bench@example.org", None)
                client = Client(SERVER_NAME="127.0.0.1")
                client.force_login(user)
                url = f"/admin/meetings/meeting/{meeting.pk}/change/"
                client.get(url, secure=True)  # warm-up: templates and code loaded once
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    response = client.get(url, secure=True)
                    times.append((time.perf_counter() - start) * 1000)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url, secure=True)
                raise Rollback(times, len(response.content), len(queries), response.status_code)
        except Rollback as result:
            times, size, query_count, status = result.args
        if status != 200:
            raise CommandError(f"The page answered {status}; run it as `make bench-admin` does.")
        median = statistics.median(times)
        verdict = "within" if median <= TARGET_MS else "OVER"
        self.stdout.write(f"{url}: median {median:.0f} ms over {runs} renders (min {min(times):.0f}, max {max(times):.0f}); "
                          f"{size / 1024:.0f} KB, {query_count} queries; {verdict} the {TARGET_MS} ms target")
