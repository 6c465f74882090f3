"""A database outage under load: stop the local cluster, watch what readers get, start it, watch recovery."""

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter

from django.core.management.base import BaseCommand

from council import loadtest

# Pages rendered before the outage (served from the cache throughout) and pages first asked
# for during it (a 503 until the database is back).
WARM = ["/", "/votes/", "/meetings/2014-12-22/", "/countries/chn/", "/data/meetings.json"]
COLD = ["/meetings/2015-12-10/", "/countries/usa/", "/countries/fra/", "/data/members.csv"]


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return "no answer"


class Command(BaseCommand):
    help = "Stop and restart a local PostgreSQL cluster under load; report what the pages answered meanwhile."

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True)
        parser.add_argument("--cluster", default="outage", help="The council.localdb cluster the server uses.")
        parser.add_argument("--before", type=float, default=4)
        parser.add_argument("--outage", type=float, default=8)
        parser.add_argument("--after", type=float, default=8)
        parser.add_argument("--connections", type=int, default=16)

    def localdb(self, action, cluster):
        subprocess.run([sys.executable, "-m", "council.localdb", action, cluster], check=True,
                       stdout=subprocess.DEVNULL)

    def handle(self, *args, url, cluster, before, outage, after, connections, **options):
        for _ in range(4):
            for path in WARM:
                status(url + path)
        total = before + outage + after
        load = loadtest.start(url, int(total + 1), connections, paths=WARM)
        began = time.monotonic()
        phases = {"before": Counter(), "outage": Counter(), "after": Counter()}
        recovered = None
        stopped = started = None
        while (now := time.monotonic() - began) < total:
            if stopped is None and now >= before:
                self.localdb("down", cluster)
                stopped = time.monotonic() - began
            if started is None and now >= before + outage:
                self.localdb("up", cluster)
                started = time.monotonic() - began
            phase = "before" if stopped is None else "outage" if started is None else "after"
            # Not before the outage: asking would render them, and they would be cached.
            for path in COLD if phase != "before" else []:
                phases[phase][("cold page", status(url + path))] += 1
            ready = status(url + "/readyz")
            phases[phase][("/readyz", ready)] += 1
            if phase == "after" and recovered is None and ready == 200:
                recovered = time.monotonic() - began - started
            time.sleep(0.25)
        result = loadtest.finish(load)
        self.stdout.write(f"database stopped at {stopped:.1f} s, started at {started:.1f} s, run {total:.0f} s")
        for phase, counts in phases.items():
            summary = ", ".join(f"{what} {code}: {n}" for (what, code), n in sorted(counts.items(), key=str))
            self.stdout.write(f"  {phase:7} {summary}")
        self.stdout.write(f"cached pages under load (wrk, {connections} connections, throughout): "
                          f"{result['requests']} requests, {result['rate']:.0f} req/s, 5xx {result['5xx']}, "
                          f"4xx {result['4xx']}, socket errors {result['socket_errors']}")
        self.stdout.write(f"/readyz answered 200 again {recovered:.1f} s after the database started"
                          if recovered is not None else "/readyz did not recover during the run")
