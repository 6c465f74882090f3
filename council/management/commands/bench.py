"""A rerunnable load benchmark of the public pages, against a server on this machine."""

import statistics
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

PAGES = [
    "/", "/meetings/", "/meetings/?format=public", "/meetings/2014-12-22/", "/votes/", "/countries/",
    "/countries/chn/", "/search/?q=forced+labour", "/data/meetings.json", "/static/css/site.css",
]


class Command(BaseCommand):
    help = "Send a bounded number of requests to each public page of a local server; report throughput and latency."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8001", help="The server, on this machine.")
        parser.add_argument("--requests", type=int, default=200, help="Requests per page (at most 5000).")
        parser.add_argument("--concurrency", type=int, default=8, help="Clients at once (at most 64).")

    def handle(self, *args, url, requests, concurrency, **options):
        host = urlsplit(url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise CommandError("The benchmark only sends traffic to a server on this machine (127.0.0.1).")
        if not (1 <= requests <= 5000 and 1 <= concurrency <= 64):
            raise CommandError("--requests must be 1-5000 and --concurrency 1-64.")
        self.stdout.write(f"{requests} requests per page, {concurrency} at once, against {url}\n")
        self.stdout.write(f"{'page':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        for path in PAGES:
            rate, p50, p95, errors = self.measure(url + path, requests, concurrency)
            self.stdout.write(f"{path:32} {rate:8.0f} {p50:8.1f} {p95:8.1f} {errors:7}")

    def measure(self, url, requests, concurrency):
        latencies, errors, lock = [], [0], threading.Lock()
        remaining = [requests]

        def client():
            while True:
                with lock:
                    if remaining[0] == 0:
                        return
                    remaining[0] -= 1
                start = time.perf_counter()
                try:
                    with urllib.request.urlopen(url, timeout=30) as response:
                        response.read()
                except (urllib.error.URLError, OSError):
                    with lock:
                        errors[0] += 1
                    continue
                with lock:
                    latencies.append((time.perf_counter() - start) * 1000)

        began = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        latencies.sort()
        p50 = statistics.median(latencies) if latencies else 0.0
        p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else 0.0
        return len(latencies) / elapsed, p50, p95, errors[0]
