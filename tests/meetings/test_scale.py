"""A larger record costs the same number of queries on every page, and long lists come in pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.management.commands.synthesize import Command as Synthesize
from meetings.models import Meeting

pytestmark = pytest.mark.django_db

PAGES = ["/", "/meetings/", "/meetings/?format=public&page=1", "/meetings/2014-12-22/", "/votes/", "/countries/",
         "/countries/chn/", "/search/?q=forced+labour", "/method/", "/data/", "/data/meetings.json",
         "/data/meetings.csv", "/data/ballots.csv", "/data/statements.csv", "/data/members.json",
         "/data/members.csv", "/data/feed.atom"]


def query_counts(client):
    from django.core.cache import cache

    counts = {}
    for page in PAGES:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200, page
        counts[page] = len(queries)
    return counts


def test_every_page_costs_the_same_queries_at_ten_times_the_record(client, record):
    shipped = query_counts(client)
    Synthesize().synthesize(10)
    assert Meeting.objects.count() == 120
    assert query_counts(client) == shipped


def test_the_timeline_comes_in_pages_once_it_is_long(client, record):
    Synthesize().synthesize(10)
    first = client.get("/meetings/").content.decode()
    assert "120 events. Page 1 of 5, results 1 to 25" in first and 'rel="next"' in first
    last = client.get("/meetings/?page=5").content.decode()
    assert "Page 5 of 5, results 101 to 120" in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert client.get("/meetings/?page=6").status_code == 404
    assert client.get("/meetings/?page=0").status_code == 400
    assert client.get("/meetings/?page=%C2%B2").status_code == 400


def test_the_matrix_shows_the_latest_votes_and_pages_to_older_ones(client, record):
    shipped = client.get("/votes/").content.decode()
    assert shipped.count('<th scope="col" class="matrix-vote">') == 5 and "Older votes" not in shipped
    Synthesize().synthesize(10)
    votes = Meeting.objects.filter(vote__isnull=False).order_by("-date")
    first = client.get("/votes/?sort=against").content.decode()
    assert first.count('<th scope="col" class="matrix-vote">') == 6
    assert f"Votes 1 to 6 of {votes.count()}, newest first" in first
    assert "6 to a page, starting with the most recent; each state's totals count them all" in first
    assert votes[0].get_absolute_url() in first and votes[6].get_absolute_url() not in first
    assert 'href="?sort=against&amp;page=2"' in first and "Newer votes" not in first
    # China's totals count every vote, not only the six shown: five against per copy of the record.
    assert '<td class="num matrix-total">50</td>' in first
    second = client.get("/votes/?sort=against&page=2").content.decode()
    assert votes[6].get_absolute_url() in second and 'rel="prev"' in second
    assert client.get("/votes/?page=999").status_code == 404
    assert client.get("/votes/?page=0").status_code == 400


def test_a_country_page_lists_its_latest_rows_and_links_to_the_rest(client, record):
    shipped = client.get("/countries/chn/").content.decode()
    assert "most recent" not in shipped and shipped.count('<td data-label="Position">') == 5
    Synthesize().synthesize(10)
    page = client.get("/countries/chn/").content.decode()
    assert page.count('<td data-label="Position">') == 10
    assert "The 10 most recent of 50 ballots." in page and 'href="/data/ballots.csv?state=chn"' in page
    assert "0 in favour, 50 against, 0 abstaining" in page
    assert 'href="/data/statements.csv?state=chn"' in page and 'href="/meetings/?state=chn"' in page
    latest = Meeting.objects.filter(vote__isnull=False).order_by("-date").first()
    assert f'href="{latest.get_absolute_url()}#member-chn"' in page


def test_the_overview_lists_each_years_first_events_and_the_latest_votes(client, record):
    shipped = client.get("/").content.decode()
    assert "All " not in shipped and "most recent" not in shipped
    Synthesize().synthesize(10)
    page = client.get("/").content.decode()
    assert 'href="/meetings/?year=2014">All 10 events of 2014</a>' in page
    assert page.count('class="year-event"') <= 4 * 12
    assert "50 procedural votes" in page and "The 10 most recent of 50 procedural votes." in page
    assert page.count('class="chart-bar"') == 2 * 10
    latest = Meeting.objects.filter(vote__isnull=False).order_by("-date").first()
    assert latest.get_absolute_url() in page
