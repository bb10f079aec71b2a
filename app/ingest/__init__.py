"""Pure parsing: the bytes of one source document in, one `Record` out. No database here."""

from app.ingest.pipeline import SOURCE_SUFFIXES, parse_document
from app.ingest.record import ParseFailure, Record

__all__ = ["SOURCE_SUFFIXES", "ParseFailure", "Record", "parse_document"]
