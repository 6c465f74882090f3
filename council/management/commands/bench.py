"""Cold and warm timings of every public page and download.

Cold: each page rendered in this process with the page cache emptied before every
request (Django's test client, the median of --cold-runs), with its number of queries.
The four whole-record downloads are measured twice: "stored", as a process with an empty
page cache serves them (the copy its render ahead stored for this version, which the
benchmark makes first), and "render", what that render ahead costs once per version
(and what a reader waits for only in the seconds after a write, before it is stored).
Warm: wrk (a load generator in C) against a running server, each page for --seconds at
--connections, each just after /healthz for as long; a page's req/s over that /healthz's
is its ratio (the machine may be shared, so each pair sees the same load). Browsers ask
for compressed pages, so wrk does too.
"""

import re
import shutil
import statistics
import subprocess
import time
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from meetings import prerender
from meetings.caching import memo

PAGES = [
    "/", "/meetings/", "/meetings/?format=public", "/meetings/2014-12-22/", "/votes/", "/countries/",
    "/countries/chn/", "/search/?q=forced+labour", "/method/", "/data/", "/data/meetings.json",
    "/data/meetings.csv", "/data/ballots.csv", "/data/statements.csv", "/data/members.json",
    "/data/members.csv", "/data/feed.atom",
]
BASELINE = "/healthz"


class QueryCounter:
    """Counts the queries run through it (connection.execute_wrapper), with no query log."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Time every public page cold (rendered, in this process) and warm (from the cache, with wrk)."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="A running server on this machine, for the warm figures (wrk).")
        parser.add_argument("--cold-runs", type=int, default=15, help="Renders per page for the cold median.")
        parser.add_argument("--seconds", type=int, default=3, help="wrk's duration per page and its /healthz (warm).")
        parser.add_argument("--connections", type=int, default=16, help="wrk's connections (warm).")
        parser.add_argument("--pages", nargs="*", default=PAGES, help="Addresses to measure.")

    def handle(self, *args, url, cold_runs, seconds, connections, pages, **options):
        if cold_runs:
            self.cold(pages, cold_runs)
        if url:
            if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
                raise CommandError("The benchmark only sends traffic to a server on this machine (127.0.0.1).")
            if not shutil.which("wrk"):
                raise CommandError("wrk is not installed (apt-get install wrk).")
            self.warm(url, pages, seconds, connections)

    def cold(self, pages, runs):
        self.stdout.write(f"Cold: rendered in this process, page cache emptied each time, median of {runs}")
        self.stdout.write(f"{'page':34} {'median ms':>10} {'min ms':>8} {'queries':>8} {'KB':>7}")
        client = Client(HTTP_HOST="127.0.0.1")
        # Production settings (DEBUG off, as gunicorn serves): queries are counted by a wrapper,
        # not by DEBUG's query log, which would also turn on the template engine's debug mode.
        with override_settings(ALLOWED_HOSTS=["127.0.0.1"], SECURE_SSL_REDIRECT=False,
                               RECORD_VERSION_TTL=0, RECORD_PRERENDER=False):
            cache.clear()
            memo.forget()
            prerender.render_downloads(memo.current())  # stores this version's full downloads, as in production
            for path in pages:
                self.cold_one(client, path, runs, "stored" if path in prerender.full_paths() else "")
            for path in pages:
                if path in prerender.full_paths():
                    with override_settings(RECORD_STORED_DOWNLOADS=False):
                        self.cold_one(client, path, runs, "render")
        cache.clear()

    def cold_one(self, client, path, runs, how):
        timings = []
        for _ in range(runs):
            cache.clear()
            memo.forget()
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                began = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - began) * 1000)
            queries = counter.count
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}")
        label = f"{path} ({how})" if how else path
        self.stdout.write(f"{label:34} {statistics.median(timings):10.1f} {min(timings):8.1f} {queries:8} "
                          f"{len(response.content) / 1024:7.0f}")

    def warm(self, url, pages, seconds, connections):
        self.stdout.write(f"\nWarm: wrk -t2 -c{connections} -d{seconds}s against {url}, Accept-Encoding: gzip, br; "
                          f"{BASELINE} measured just before each page, so that both see the same load")
        self.stdout.write(f"{'page':34} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>8} "
                          f"{'/healthz':>9} {'ratio':>6}")
        ratios = []
        for path in pages:
            subprocess.run(["curl", "-s", "-o", "/dev/null", url + path], check=False)  # render it once first
            baseline, *_ = self.wrk(url + BASELINE, seconds, connections)
            rate, p50, p99, bad = self.wrk(url + path, seconds, connections)
            ratios.append(rate / baseline)
            self.stdout.write(f"{path:34} {rate:8.0f} {p50:7.2f} {p99:7.2f} {bad:8} {baseline:9.0f} "
                              f"{rate / baseline:5.2f}x")
        self.stdout.write(f"lowest ratio {min(ratios):.2f}x, median {statistics.median(ratios):.2f}x")

    def wrk(self, url, seconds, connections):
        result = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", "Accept-Encoding: gzip, br", url],
            capture_output=True, text=True, check=True)
        out = result.stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50 = self.ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
        p99 = self.ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
        bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        failed = (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)
        return rate, p50, p99, failed

    @staticmethod
    def ms(text):
        number, unit = re.match(r"([\d.]+)(\w+)", text).groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
