"""Every page is well-formed HTML5: no parse errors, no duplicate ids, one h1, a main landmark."""

import re
from collections import Counter

import html5lib
import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/meetings/", "/meetings/?format=closed", "/meetings/2014-12-22/", "/meetings/2024-06-12/",
         "/meetings/2018-12-10/", "/meetings/2020-12-11/", "/meetings/2023-03-17/", "/votes/", "/countries/",
         "/countries/chn/", "/countries/prk/", "/search/", "/search/?q=forced+labour", "/method/", "/data/",
         "/meetings/2014-12-23/", "/meetings/?year=abc"]


@pytest.mark.parametrize("url", PAGES)
def test_page_is_valid_html(client, record, url):
    response = client.get(url)
    html = response.content.decode()
    parser = html5lib.HTMLParser(strict=True)
    try:
        parser.parse(html)
    except html5lib.html5parser.ParseError as error:
        line = int(re.search(r"line (\d+)", str(error)).group(1)) if "line" in str(error) else 0
        pytest.fail(f"{url}: {error}\n{html.splitlines()[max(line - 2, 0):line + 1]}")
    ids = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]
    assert ids == [], f"{url}: duplicate ids {ids}"
    assert len(re.findall(r"<h1[ >]", html)) == 1, f"{url}: one h1"
    assert "<main" in html and 'lang="en"' in html
