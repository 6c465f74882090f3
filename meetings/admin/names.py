"""Readable names for the tables Django makes for many-to-many fields.

The admin lists them on delete pages ("Request_requesters object (56)" said nothing);
they now read as what they are: "S/2014/872 signed by Australia".
"""

from meetings.models import JointStatement, Request, Source

THROUGH = [
    (Request.requesters.through, "requesting state", "requesting states", lambda r: f"{r.request} signed by {r.state}"),
    (JointStatement.states.through, "state joining a joint statement", "states joining joint statements",
     lambda r: f"{r.state} joined the {r.jointstatement}"),
    (JointStatement.sources.through, "source of a joint statement", "sources of joint statements",
     lambda r: f"{r.source} supports the {r.jointstatement}"),
    (Source.terms.through, "source of a Council term", "sources of Council terms",
     lambda r: f"{r.source} establishes {r.councilterm}"),
    (Source.presidencies.through, "source of a presidency", "sources of presidencies",
     lambda r: f"{r.source} establishes the presidency of {r.presidency}"),
]

for model, singular, plural, describe in THROUGH:
    model._meta.verbose_name = singular
    model._meta.verbose_name_plural = plural
    model.__str__ = describe
