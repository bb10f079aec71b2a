"""Stand-ins for `document_rows` that misbehave on one file, for the parser-pool tests. Module-level
functions: the pool sends them to its worker processes by name."""

from __future__ import annotations

import os
import time

from app.db.load import DocumentRows, document_rows

BAD = "001_"
"""The seed file these parsers misbehave on; the others are parsed for real."""


def raising(raw: bytes, name: str, source_path: str, version: str) -> DocumentRows:
    if source_path.startswith(BAD):
        raise RuntimeError("a bug in a parser step")
    return document_rows(raw, name, source_path, version)


def hanging(raw: bytes, name: str, source_path: str, version: str) -> DocumentRows:
    if source_path.startswith(BAD):
        time.sleep(3600)
    return document_rows(raw, name, source_path, version)


def crashing(raw: bytes, name: str, source_path: str, version: str) -> DocumentRows:
    if source_path.startswith(BAD):
        os._exit(70)  # as a segfault in native code would end it: no exception, no reply
    return document_rows(raw, name, source_path, version)
