"""Share cards: a 1200x630 picture of a vote for link previews, drawn as SVG and rendered to PNG here.

The SVG template (templates/cards/vote.svg) lays out the same fifteen cells as the event
page, in the page's order and colours, from the same presenter (EventPage.cells). The PNG
views are cached by the record's version, so a corrected vote gets a new picture at once.
"""

import re
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import resvg_py
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateformat import format as date_format

from meetings.models import COUNCIL_SIZE, VOTES_NEEDED, Position
from meetings.presenters import tally_text, vote_in_words

WIDTH, HEIGHT = 1200, 630
SITE_NAME = "DPRK human rights at the UN Security Council"
# The cells' colours and border dashes, by position: the page's own (static/css/site.css).
CELL_COLOURS = {
    Position.IN_FAVOUR: ("--favour-bg", "--favour", ""),
    Position.AGAINST: ("--against-bg", "--against", "10 6"),
    Position.ABSTAINING: ("--abstain-bg", "--abstain", "3 5"),
    Position.NOT_PARTICIPATING: ("--absent-bg", "--muted", ""),
}


@lru_cache(maxsize=1)
def page_colours():
    """The colours the stylesheet names (`--favour: #17603a;`), so the card and the page agree."""
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    return dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", css))


def cell_style(position):
    fill, stroke, dash = CELL_COLOURS[position]
    colours = page_colours()
    return colours[fill], colours[stroke], dash


# Characters of a title line at 40 px, and of a state's name in a card cell at 22 px.
TITLE_CHARS, CELL_NAME_CHARS = 44, 16


def absolute(path):
    """An address on the public site (settings.SITE_URL), for links that leave the page."""
    return f"{settings.SITE_URL}{path}"


def clip(text, limit):
    """Text cut at a word to fit `limit` characters, with "…" where it was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@dataclass
class Card:
    """What a link preview shows: title, description, and a picture with its alt text."""

    title: str
    description: str
    image_path: str
    alt: str
    page_path: str
    date_line: str = ""
    outcome: str = ""
    adopted: bool = True
    cells: list = field(default_factory=list)
    bars: list = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def url(self):
        return absolute(self.page_path)

    @property
    def image_url(self):
        return absolute(self.image_path)

    @property
    def outcome_colour(self):
        return page_colours()["--favour" if self.adopted else "--against"]

    def layout(self):
        """Positions of the lines, cells and bars on the 1200x630 canvas."""
        lines = textwrap.wrap(self.title, TITLE_CHARS)
        if len(lines) > 2:
            lines = [lines[0], clip(" ".join(lines[1:]), TITLE_CHARS)]
        self.title_lines = [{"text": text, "y": 122 + 48 * i} for i, text in enumerate(lines)]
        y = 122 + 48 * (len(lines) - 1)
        self.date_y = y + 44
        self.outcome_y = y + 96
        top = self.outcome_y + 30 if self.outcome else self.date_y + 34
        columns, gap = 5, 16
        cell_width = (WIDTH - 96 - gap * (columns - 1)) // columns
        rows = max(1, -(-len(self.cells) // columns))
        cell_height = min(80, (HEIGHT - 28 - top - gap * (rows - 1)) // rows)
        for i, cell in enumerate(self.cells):
            cell.update(x=48 + (i % columns) * (cell_width + gap), y=top + (i // columns) * (cell_height + gap),
                        width=cell_width - 4, height=cell_height - 4)
        if self.bars:
            plot = WIDTH - 96 - 90 - 200
            step = min(56, (HEIGHT - 40 - top) // len(self.bars))
            for i, bar in enumerate(self.bars):
                bar.update(y=top + 20 + i * step, width=round(plot * bar["in_favour"] / COUNCIL_SIZE))
                bar["label_x"] = 90 + bar["width"] + 12
            self.threshold_x = 48 + 90 + round(plot * VOTES_NEEDED / COUNCIL_SIZE)
            self.threshold_top, self.threshold_bottom = top + 14, top + 20 + len(self.bars) * step
        else:
            self.threshold_x = None
        return self

    def svg(self):
        return render_to_string("cards/vote.svg", {"card": self.layout()})


def event_card(page):
    """The card of an event page (an EventPage)."""
    meeting = page.meeting
    day = date_format(meeting.date, "j F Y")
    path = meeting.get_absolute_url()
    date_line = " · ".join(filter(None, [day, meeting.symbol, page.format_label]))
    if not page.vote:
        return Card(title=f"{day}: {meeting.title}", description=clip(meeting.summary, 200),
                    image_path=reverse("site_card"), alt=site_card_alt(), page_path=path)
    cells = []
    for cell in page.cells:
        fill, stroke, dash = cell_style(cell.position)
        cells.append({"number": cell.number, "name": clip(cell.state.short_name, CELL_NAME_CHARS), "label": cell.label,
                      "fill": fill, "stroke": stroke, "dash": dash, "threshold": cell.threshold})
    alt = (f"The procedural vote of {day} on the situation in the DPRK as fifteen cells. {page.outcome}: "
           f"{vote_in_words(page.tally)}")
    return Card(
        title=meeting.title, description=f"{page.outcome}. {clip(meeting.summary, 160)}",
        image_path=reverse("meetings:card", kwargs={"day": meeting.date}), alt=alt, page_path=path,
        date_line=date_line, outcome=page.outcome, adopted=page.adopted, cells=cells,
    )


def row_tally(vote):
    """A VoteRow's counts as a tally (for tally_text)."""
    return {Position.IN_FAVOUR: vote.in_favour, Position.AGAINST: vote.against, Position.ABSTAINING: vote.abstaining}


def site_card_alt(votes=None):
    if votes is None:
        return f"{SITE_NAME}: each procedural vote against the nine needed."
    parts = [f"{date_format(v.date, 'Y')}: {tally_text(row_tally(v))}" for v in votes]
    return (f"Each procedural vote on the situation in the DPRK, votes in favour against the {VOTES_NEEDED} needed. "
            + "; ".join(parts) + ".")


def overview_card(votes):
    """The site's card: every procedural vote as a bar against the nine needed (VoteRow list)."""
    bars = [{"year": date_format(v.date, "Y"), "in_favour": v.in_favour,
             "text": f"{tally_text(row_tally(v))}, {v.margin_words}"} for v in votes]
    return Card(
        title="Human rights in the DPRK at the UN Security Council",
        description=("Every Security Council meeting on human rights in the DPRK: who asked for it, who voted "
                     "to hold it, who tried to stop it, and who spoke, with sources."),
        image_path=reverse("site_card"), alt=site_card_alt(votes), page_path=reverse("meetings:overview"),
        date_line="Procedural votes since 2014: votes in favour out of 15", bars=bars,
    )


# Debian's fonts-dejavu-core (installed by .ci/run); resvg also finds the system's fonts itself.
FONT_FILES = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"]


@lru_cache(maxsize=1)
def font_files():
    return [path for path in FONT_FILES if Path(path).exists()]


def render_png(card):
    """The card as PNG bytes (the views that serve it are cached by the record's version)."""
    return bytes(resvg_py.svg_to_bytes(svg_string=card.svg(), font_files=font_files() or None,
                                       font_family="DejaVu Sans", width=WIDTH, height=HEIGHT))


@lru_cache(maxsize=1)
def default_card():
    """The site's card without figures (no query): pages without a card of their own link it."""
    return Card(
        title=SITE_NAME,
        description=("Every Security Council meeting on human rights in the DPRK: who asked for it, who voted "
                     "to hold it, who tried to stop it, and who spoke, with sources."),
        image_path=reverse("site_card"), alt=site_card_alt(), page_path=reverse("meetings:overview"),
    )
