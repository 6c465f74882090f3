"""Through a database outage: cached pages still served, the rest a clean 503, recovery without a restart.

The site runs as in production (gunicorn, two workers, DEBUG off, the page cache in a
real Redis) against a PostgreSQL cluster of this test's own ("outage"), which it stops
and starts again; the test cluster the other tests use is never touched.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WARM = ["/", "/votes/", "/meetings/2014-12-22/", "/countries/chn/", "/data/meetings.json"]
COLD = ["/meetings/2015-12-10/", "/countries/usa/", "/data/members.csv"]


def localdb(action):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run([sys.executable, "-m", "council.localdb", action, "outage"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    return result.stdout.strip()


def fetch(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@pytest.fixture
def site(redis_url):
    """The site served by gunicorn on a free port, against the outage cluster with the record loaded."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=localdb("up"), DJANGO_DEBUG="false", DJANGO_SECRET_KEY="outage-test-" + "k" * 50,
               DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_MANIFEST_STATIC="false",
               REDIS_URL=redis_url, DJANGO_CACHE_PREFIX=f"outage-{os.getpid()}", DJANGO_RECORD_VERSION_TTL="1")
    for command in (["migrate", "--no-input"], ["load_record", "--if-empty"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=300)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "council.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", "2", "--log-level", "warning"], cwd=ROOT, env=env,
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _answers(base), 30), "gunicorn did not start"
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            _, errors = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            _, errors = server.communicate()
        localdb("up")  # whatever happened, leave the cluster running for the next use
        localdb("down")
    assert "Traceback" not in errors, errors


def _answers(base):
    try:
        return fetch(base, "/healthz")[0] == 200
    except OSError:
        return False


def test_a_database_outage_serves_cached_pages_and_a_clean_503_then_recovers(site):
    # Warm the shared cache: a few requests each, so that both workers have seen the version.
    warm = {}
    for path in WARM:
        for _ in range(3):
            status, _, body = fetch(site, path)
            assert status == 200, path
        warm[path] = body
    assert fetch(site, "/readyz")[0] == 200

    localdb("down")
    time.sleep(1.2)  # longer than the version memo: every worker now finds the database gone

    for path in WARM:
        for _ in range(3):  # whichever worker answers
            status, _, body = fetch(site, path)
            assert (status, body) == (200, warm[path]), path
    for path in COLD:
        status, headers, body = fetch(site, path)
        assert status == 503 and headers["Retry-After"].isdigit(), path
        assert b"briefly unavailable" in body and b"Traceback" not in body
    assert fetch(site, "/readyz")[0] == 503
    assert fetch(site, "/healthz")[0] == 200

    localdb("up")
    began = time.monotonic()
    assert wait_for(lambda: all(fetch(site, path)[0] == 200 for path in COLD), 15), "no recovery within 15 s"
    assert fetch(site, "/readyz")[0] == 200
    print(f"recovered {time.monotonic() - began:.1f} s after the database came back")
