"""Where the text prints a name the letter's metadata gives: publisher, signatory, co-handler, proposer.

The ingest finds mentions in the running text with their spans; the names that come from fields
(发布机构, the signature, the proposal's 协办单位 and proposers) are stored without one. Finding
them again is a few substring searches over a text already read for the detail, so it is done
when the detail is rendered. Where the text does not print the name as given, the entry says it
comes from the metadata alone.
"""

from __future__ import annotations

from typing import Any

from app.ingest.spans import sentence_at

LAST_OCCURRENCE = frozenset({"signatory"})
"""A signature ends the letter; its body's first occurrence is usually the title's sender."""


def locate_in_text(
    text: str, name: str, role: str | None, start: int | None, end: int | None, sentence: str | None
) -> dict[str, Any]:
    """`span`, `sentence` and `source` of one entry: as stored when the ingest found it in the text,
    else where the text prints the name (the last time for a signatory, the first otherwise), else
    none, from the metadata."""
    if start is not None and end is not None:
        return {"span": (start, end), "sentence": sentence, "source": "text"}
    at = text.rfind(name) if role in LAST_OCCURRENCE else text.find(name)
    if not name or at < 0:
        return {"span": None, "sentence": None, "source": "metadata"}
    return {"span": (at, at + len(name)), "sentence": sentence_at(text, at, at + len(name)), "source": "text"}
