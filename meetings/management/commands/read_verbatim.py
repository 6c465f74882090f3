import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.verbatim import NotAVerbatimRecord, UnreadablePdf, pdf_text, read_text

MAX_BYTES = 5 * 1024 * 1024


def text_of(name, data):
    """The text of an uploaded or named file (.pdf or .txt), or a ValueError saying why not."""
    if not data:
        raise NotAVerbatimRecord("The file is empty.")
    if len(data) > MAX_BYTES:
        raise NotAVerbatimRecord(f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is 5 MB.")
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        return pdf_text(data)
    if suffix == ".txt":
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise NotAVerbatimRecord("The text file is not UTF-8.") from error
    raise NotAVerbatimRecord("Give a .pdf or a .txt file.")


def read_file(name, data):
    """A verbatim record read from a file's bytes; raises NotAVerbatimRecord or UnreadablePdf."""
    return read_text(text_of(name, data))


class Command(BaseCommand):
    help = "Read a Security Council verbatim record (.pdf or .txt) and print what it holds."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A verbatim record, e.g. S-PV.7353.pdf or its text.")
        parser.add_argument("--json", action="store_true", help="Print the structure documented in docs/verbatim.md.")

    def handle(self, file, json=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            record = read_file(path.name, path.read_bytes())
        except (NotAVerbatimRecord, UnreadablePdf) as error:
            raise CommandError(str(error)) from error
        for problem in record.problems:
            self.stderr.write(f"Warning: {problem}")
        if json:
            self.stdout.write(_dumps(record.as_json()))
            return
        self.stdout.write(f"{record.symbol}, meeting {record.meeting_number}, {record.date:%d %B %Y}")
        self.stdout.write(f"President: {record.president['name']} ({record.president['state'] or 'unknown state'})")
        self.stdout.write(f"Members: {', '.join(record.members)}")
        if record.vote:
            vote = record.vote
            outcome = "adopted" if vote.adopted else "not adopted"
            self.stdout.write(f"Vote ({outcome}): {vote.announced['in_favour']} in favour, {vote.announced['against']} against, "
                              f"{vote.announced['abstaining']} abstaining")
            for position in ("in_favour", "against", "abstaining", "not_participating"):
                self.stdout.write(f"  {position.replace('_', ' ')}: {', '.join(getattr(vote, position)) or '-'}")
        else:
            self.stdout.write("No vote.")
        self.stdout.write(f"Speakers ({len(record.speakers)}):")
        for s in record.speakers:
            where = s.state or "-"
            language = f", in {s.language}" if s.language else ""
            page = f", p. {s.page}" if s.page else ""
            self.stdout.write(f"  {s.order:>2}. {s.name} ({where}, {s.capacity or 'unknown'}{language}{page})")


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=1)
