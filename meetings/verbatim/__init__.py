"""Reading the Security Council's verbatim records (S/PV documents): text in, a `Record` out.

Plain Python with no Django: the admin import and the `read_verbatim` command call it.
"""

from meetings.verbatim.pdf import UnreadablePdf, pdf_text
from meetings.verbatim.reader import NotAVerbatimRecord, Record, Speaker, Vote, read_text

__all__ = ["NotAVerbatimRecord", "Record", "Speaker", "UnreadablePdf", "Vote", "pdf_text", "read_text"]
