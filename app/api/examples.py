"""Examples from the seeds for OpenAPI's "Try it out": ids and cursors a fresh ingest of `seeds/` has.

Ids are derived from what a thing is (`app/db/ids.py`), so these stay valid across re-ingests. A
cursor names its endpoint and sort, so each list has its own: the page after the newest row.
"""

from __future__ import annotations

from typing import Any

from fastapi import Path
from fastapi.openapi.models import Example

from app.db.queries.pagination import encode_cursor

SEED_000_DOCUMENT = 4273036748858228
"""Seed 000: 市科技局's reply to 第1024号 of 市六届人大一次会议, from 李谨."""
SEED_001_DOCUMENT = 2154602035075802
"""Seed 001: 市科技局's reply to 第0883号 of 市政协六届三次会议, from 孙宽; published 2025-05-23, the newest."""
SEED_000_PROPOSAL = 4174543302254997
"""第1024号 of 市六届人大一次会议."""
SEED_001_PROPOSAL = 5573707882677185
SCIENCE_BUREAU = 7030021567835984
"""重庆市科学技术局 (市科技局)."""
FIRST_PERSON = 934109762418851
"""付爱农, the first name /people lists."""

CURSORS = {
    "documents": encode_cursor("documents", "-published_date", "2025-05-23", SEED_001_DOCUMENT),
    "proposals": encode_cursor("proposals", "-year", 2025, SEED_001_PROPOSAL),
    "institutions": encode_cursor("institutions", "name", "“一带一路”国际技术转移中心", 7240638795201855),
    "people": encode_cursor("people", "name", "付爱农", FIRST_PERSON),
    "metrics": encode_cursor("metrics", "document", SEED_001_DOCUMENT, 0),
}
"""For each list, a cursor to the page after its first row under the default sort."""


def example(value: Any, summary: str) -> dict[str, Example]:
    """`openapi_examples` of one example: what "Try it out" starts filled with."""
    return {"seed": {"summary": summary, "value": value}}


def path_id(what: str, value: int, summary: str) -> Any:
    """The `Path` of the id of a `what` (with `ResourceId`'s bounds, or a job's): described, with a
    seed's id as its example."""
    return Path(
        description=f"The {what}'s id, as its list gives it; ids stay the same across re-ingests",
        openapi_examples=example(value, summary),
    )
