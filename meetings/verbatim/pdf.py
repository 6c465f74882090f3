"""Text from a PDF of a verbatim record, through pypdf; refusals say what is wrong with the file."""

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PdfStreamError


class UnreadablePdf(ValueError):
    """The PDF cannot give us its text: encrypted, damaged, or a scan without a text layer."""


def pdf_text(data):
    """The text of every page of a PDF given as bytes, pages separated by form feeds."""
    if not data.startswith(b"%PDF"):
        raise UnreadablePdf("This file is not a PDF (it does not start with %PDF).")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadablePdf("This PDF is encrypted; save an unprotected copy from the UN's document system.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadablePdf:
        raise
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise UnreadablePdf(f"This PDF is damaged and cannot be read ({error.__class__.__name__}).") from error
    if not pages:
        raise UnreadablePdf("This PDF has no pages.")
    if not any(page.strip() for page in pages):
        raise UnreadablePdf(
            "This PDF has no text layer (it looks like a scan). Download the text version from the UN's document system."
        )
    return "\n\f\n".join(pages)
