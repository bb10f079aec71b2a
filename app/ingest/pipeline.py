"""parse_document: the one parser pipeline used by the CLI, the ingest job and the tests."""

from __future__ import annotations

from app.ingest.record import ParseFailure, Record

SOURCE_SUFFIXES = (".txt", ".html", ".htm")


def parse_document(raw: bytes, *, name: str) -> Record:
    """Parse one source document. Raises `ParseFailure` (with a reason) and nothing else."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseFailure(f"{name}: not UTF-8 text") from exc
    title = next((line.strip() for line in text.splitlines() if line.strip()), name)
    return Record(kind="other", title=title, text=text)
