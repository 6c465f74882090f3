"""The UN's printed names of states, mapped to ISO 3166-1 alpha-3 codes (data in states.tsv)."""

import functools
import re
from pathlib import Path

DATA = Path(__file__).with_name("states.tsv")


def normalise(name):
    """One spelling for comparison: straight apostrophes, single spaces, no hyphen from a line break."""
    name = name.replace("’", "'").replace("‘", "'").replace("\u00a0", " ")
    name = re.sub(r"\s+", " ", name).strip(" .,;:")
    return name.casefold()


@functools.cache
def table():
    """{normalised name: ISO code} for every name and variant in the data file."""
    codes = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, *names = line.split("\t")
        for name in names:
            codes[normalise(name)] = code
            if normalise(name).startswith("the "):
                continue
            codes["the " + normalise(name)] = code
    return codes


@functools.cache
def official_names():
    """{ISO code: the UN's name} (the first name on each line)."""
    names = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, name, *_ = line.split("\t")
            names[code] = name
    return names


def code_for(name):
    """The ISO code of a state named as the UN prints it, or None: an unknown name is never guessed."""
    return table().get(normalise(name))


def split_list(text):
    """A printed list of states ("China, Russian Federation and Venezuela (Bolivarian Republic of)").

    Returns (codes, unknown): names are matched longest first, so that "and" inside
    "Bosnia and Herzegovina" or "United Kingdom of Great Britain and Northern Ireland"
    is not read as a separator.
    """
    text = re.sub(r"\s+", " ", text.replace("’", "'")).strip(" .;:")
    known = sorted(table(), key=len, reverse=True)
    codes, unknown, rest = [], [], text
    while rest:
        rest = re.sub(r"^(,|and\b|\s)+", "", rest)
        if not rest:
            break
        folded = rest.casefold()
        for name in known:
            if folded.startswith(name) and (len(folded) == len(name) or not folded[len(name)].isalnum()):
                codes.append(table()[name])
                rest = rest[len(name):]
                break
        else:
            piece = re.split(r",| and ", rest, maxsplit=1)[0]
            unknown.append(piece.strip())
            rest = rest[len(piece):]
    return codes, unknown
