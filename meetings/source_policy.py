"""Which sources the record may cite (the policy is in meetings/record/README.md).

The record cites the UN's own documents, governments' own texts, Security Council Report
and scprocedure.org, and established news outlets. It does not cite the sites below:
aggregators, feed and encyclopedia mirrors, content farms, forum and video copies, and
republished copies of a text whose original is cited or is a UN or government text.
"""

from urllib.parse import urlsplit

from council.models import CouncilTerm, Presidency, Seat
from meetings.models import Citation, Fact, JointStatement, Statement

# Chapter V, Article 23 names the five permanent members; every permanent seat cites it.
CHARTER_URL = "https://www.un.org/en/about-us/un-charter/chapter-5"

WEAK_DOMAINS = {
    # Aggregators, feed and encyclopedia mirrors, content farms, forum and video copies.
    "367193.bywedr.asia", "akarinohon.com", "apdf-magazine.com", "aretenews.com", "argumentum.al",
    "black-job.net", "careerride.com", "cdnk.co.kr", "dailymailnews.pk", "domain-b.com", "gpaj.org",
    "historysnacks.io", "ibtimes.co.in", "ibtimes.com.au", "iloveafrica.com", "intown24.rssing.com",
    "investing.com", "krtube.net", "latestly.com", "maghress.com", "manila-stv.ph", "news-pravda.com",
    "news.livedoor.com", "newspic.kr", "nhub.news", "nkaggregator.com", "noticiasaldiayalahora.co",
    "oann.com", "oodaloop.com", "politicit.com", "pressreader.com", "primetimes.in", "qatarpress.qa",
    "socastsrm.com", "spacewar.com", "themaghrebtimes.com", "townhall.com", "uk.news.yahoo.com",
    "uktimenews.com", "ummnews.org", "urdupoint.com", "usmuslims.com", "vietjoy.com", "whatsnew2day.com",
    "wikimili.com", "worldreportnow.com",
    # Copies of a text whose original is cited, or of a UN or government text.
    "belfercenter.org", "diplomat.today", "github.com", "reliefweb.int", "scoop.co.nz", "statenewswire.com",
    "stopnkcrimes.org", "wirenews.org", "wsvn.com",
}

# Copies kept as the only known text of a statement; the event's caveat on its
# statements must name each one, so that readers see it.
STATEMENT_COPIES = {"news-pravda.com", "socastsrm.com", "scoop.co.nz"}


def domain_of(url, domains):
    """The entry of `domains` that `url`'s host is or belongs to, or None."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return next((d for d in domains if host == d or host.endswith("." + d)), None)


def is_weak(source):
    return domain_of(source.url, WEAK_DOMAINS) is not None


def find_source_problems():
    """Every citation that breaks the source policy, as sentences an editor can act on."""
    problems = []

    def weak(sources, where):
        for source in sources:
            if is_weak(source):
                problems.append(f"{where} cites {source.url}, a copy or aggregator site; "
                                "cite the original, or drop it where a better source supports the fact.")

    for citation in Citation.objects.select_related("meeting", "source").order_by("meeting__date", "fact", "source__url"):
        weak([citation.source], f"{citation.meeting.date} ({citation.get_fact_display().lower()})")
    for joint in JointStatement.objects.select_related("meeting").prefetch_related("sources"):
        weak(joint.sources.all(), f"{joint.meeting.date} (joint statement)")
    for presidency in Presidency.objects.prefetch_related("sources"):
        weak(presidency.sources.all(), f"Presidency of {presidency.month:%B %Y}")
    for term in CouncilTerm.objects.select_related("state").prefetch_related("sources", "caveats"):
        where = f"Term of {term}"
        sources = list(term.sources.all())
        weak(sources, where)
        if term.seat == Seat.PERMANENT and CHARTER_URL not in {s.url for s in sources}:
            problems.append(f"{where}: a permanent seat is cited to the Charter, Article 23 ({CHARTER_URL}).")
        if not any(not is_weak(s) for s in sources) and not term.caveats.all():
            problems.append(f"{where} has no source, or only copies; cite one, or add a caveat that says so.")
    statements = Statement.objects.select_related("meeting", "source").prefetch_related("meeting__caveats")
    for statement in statements.order_by("meeting__date", "order"):
        copy = domain_of(statement.source.url, STATEMENT_COPIES)
        named = copy and any(c.fact == Fact.STATEMENTS and copy in c.text for c in statement.meeting.caveats.all())
        if is_weak(statement.source) and not named:
            problems.append(f"{statement.meeting.date}: statement {statement.order} cites {statement.source.url}, "
                            "a copy; cite the original, or keep a listed copy with a caveat that names it.")
    return problems
