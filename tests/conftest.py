import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, quiet: Playwright's own browser downloads do not work here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


def _is_transactional(item):
    names = getattr(item, "fixturenames", ())
    return "live_server" in names or "transactional_db" in names


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests on an empty database first, then those on the shipped record, then the transactional ones.

    The record is loaded (committed) once, when the first test that asks for it runs; every
    test inside a transaction then sees it and rolls its own changes back. Tests that want an
    empty database must therefore run before it, and transactional tests (browser tests),
    which flush the database when they end, after all the others.
    """
    def rank(item):
        # Browser tests last: Playwright's event loop then stays out of the other tests' way.
        if _is_transactional(item) or item.get_closest_marker("browser"):
            return 2
        names = getattr(item, "fixturenames", ())
        return 1 if "record" in names or "_shipped_record" in names else 0

    items.sort(key=rank)


@pytest.fixture(scope="session")
def _shipped_record(django_db_setup, django_db_blocker):
    """Loads the shipped record once per session, committed."""
    from meetings.record import load

    with django_db_blocker.unblock():
        load()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty page cache: a rolled-back write can reuse a version number."""
    from django.core.cache import cache

    from meetings.caching import memo

    cache.clear()
    memo.forget()
    yield
    cache.clear()
    memo.forget()


@pytest.fixture
def record(request, _shipped_record):
    """The shipped record, loaded as `make run` loads it (once per session; see above)."""
    from meetings.models import Meeting
    from meetings.record import load

    if _is_transactional(request.node):
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
    if not Meeting.objects.exists():
        # A transactional test before this one flushed the database: load it again.
        load()


@pytest.fixture(scope="session")
def redis_url():
    """A real redis-server (Debian's) of the test run's own, on a free port; stopped when the run ends."""
    import socket
    import subprocess
    import time

    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server; .ci/run does it).")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--daemonize", "no", "--loglevel", "warning"], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)
