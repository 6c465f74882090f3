"""A long run of load against a local server: no errors, no 5xx, and the workers' memory before and after."""

import subprocess
import time
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from council import loadtest


def worker_pids(pidfile):
    master = Path(pidfile).read_text().strip()
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", master], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Command(BaseCommand):
    help = "Soak a server on this machine with wrk; fail on any error or 5xx; report worker RSS before and after."

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--connections", type=int, default=64)
        parser.add_argument("--pidfile", required=True, help="gunicorn's pid file, to find its workers.")

    def handle(self, *args, url, seconds, connections, pidfile, **options):
        # Warm up first, so that "before" is a server that has rendered and cached every page.
        for _ in range(4):
            for path in loadtest.PATHS:
                urllib.request.urlopen(url + path, timeout=30).read()
        warmup = loadtest.finish(loadtest.start(url, 3, connections))
        before = {pid: rss_mb(pid) for pid in worker_pids(pidfile)}
        self.stdout.write(f"{len(loadtest.PATHS)} addresses in turn, {connections} connections, {seconds} s "
                          f"(after a 3 s warm-up of {warmup['requests']} requests)")
        began = time.monotonic()
        result = loadtest.finish(loadtest.start(url, seconds, connections))
        after = {pid: rss_mb(pid) for pid in worker_pids(pidfile)}
        self.stdout.write(f"requests {result['requests']} in {time.monotonic() - began:.0f} s "
                          f"({result['rate']:.0f} req/s), p50 {result['p50']}, p99 {result['p99']}")
        self.stdout.write(f"socket errors {result['socket_errors']}, 5xx {result['5xx']}, 4xx {result['4xx']}")
        for pid in sorted(set(before) | set(after)):
            self.stdout.write(f"worker {pid}: RSS {before.get(pid, 0):.1f} MB before, {after.get(pid, 0):.1f} MB after")
        if set(before) != set(after):
            raise CommandError("A worker was replaced during the soak (crashed or timed out).")
        if result["socket_errors"] or result["5xx"] or result["4xx"]:
            raise CommandError("The soak saw errors.")
        self.stdout.write(self.style.SUCCESS("No errors, no 5xx, the same workers throughout."))
