"""parse_document: the one parser pipeline used by the CLI, the ingest job and the tests.

Reading STEPS tells how a page becomes a record. Each step is a small pure function over a
frozen Draft (see draft.py) and can be called alone in a test; each notes in the draft's trace
what it did, which `trace_document` shows with the fields each step set. The contract of
`parse_document`: a Record, or ParseFailure with a reason, nothing else.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from app.ingest.bylines import separate_bylines
from app.ingest.clean import clean
from app.ingest.decode import decode
from app.ingest.draft import Draft, Step
from app.ingest.entities import extract_entities
from app.ingest.fields import extract_fields
from app.ingest.html import parse_html
from app.ingest.metrics import extract_metrics
from app.ingest.people import is_credit_line
from app.ingest.proposal import extract_proposal
from app.ingest.record import ParseFailure, Record
from app.ingest.region import locate_region
from app.ingest.sections import extract_sections
from app.ingest.split import split_metadata

SOURCE_SUFFIXES = (".txt", ".html", ".htm")


def settle_title(draft: Draft) -> Draft:
    """A page without its own title line takes the proposal's printed title, else the HTML
    `<title>` without its site name, else its first line that is not metadata (a byline is never
    a title); a record always has a title."""
    record = draft.record
    if record.title != "-":
        return draft
    title: str | None = record.proposal.title if record.proposal else None
    if not title and draft.page_title:
        # `标题 - 重庆市科学技术局` / `标题_网站`: the longest part is the document's own title.
        title = max(re.split(r"\s[-|–—]\s|_", draft.page_title), key=len).strip()
    if not title:
        # A line of table debris (`|`) has no words to be a title, a reporter's credit (`湖南日报记者 苏莉`)
        # is none either; a photo's caption loses its credit.
        lines = enumerate(draft.lines)
        first = next(
            (
                line
                for index, line in lines
                if index not in draft.meta_lines and _HAN.search(line) and not is_credit_line(line)
            ),
            None,
        )
        title = _PHOTO_CREDIT.sub("", first).strip() if first else draft.name
    return draft.with_record(title=title[:200]).note("settle_title: no title line, used a fallback")


_HAN = re.compile(r"[\u4e00-\u9fff]")


# `…报告提案工作情况(中评社 徐梦溪摄) |`: who took the photo, and the table's pipes after it.
_PHOTO_CREDIT = re.compile(r"\s*(?:[((][^()()]{0,20}摄[))])?[\s|]*$")


STEPS: tuple[Step, ...] = (
    decode,  # bytes → str: BOM, declared charset, UTF-8, then GB18030/Big5; binary rejected
    parse_html,  # HTML → one line per block; scripts, navigation and share widgets dropped
    clean,  # Traditional → Simplified, 當(dāng) → 当, full-width → ASCII, spam lines, breadcrumbs, footers
    separate_bylines,  # `标题 2024-01-25 08:30 来源:湖北日报` → the title line, then its byline
    split_metadata,  # [ 索引号 ] blocks, pipe tables, inline labels → draft.meta; the rest is body
    extract_fields,  # title, kind, doc_no, dates, signatory, addressee, approved_by, source
    locate_region,  # province-level region: for proposal levels and alias tables
    extract_proposal,  # session, level, number, title, proposers, co-handlers
    settle_title,  # a page without a title line takes the proposal's title
    extract_sections,  # top-level numbered headings
    extract_entities,  # institutions (short and full names, canonical), people with roles
    extract_metrics,  # indicator, value, unit, as_of, kind, qualifier, sentence, span
)


def parse_document(raw: bytes, *, name: str) -> Record:
    """Parse one source document. Raises `ParseFailure` (with a reason) and nothing else."""
    draft = Draft(name=name, raw=raw)
    for step in STEPS:  # inline rather than through `_run`: this loop runs for every page an ingest reads
        try:
            draft = step(draft)
        except ParseFailure as exc:
            raise ParseFailure(f"{name}: {exc.reason}") from exc
        except Exception as exc:
            raise ParseFailure(f"{name}: step {step.__name__} failed: {type(exc).__name__}: {exc}") from exc
    return draft.with_record(text=draft.text).record


class StepTrace(NamedTuple):
    step: str
    notes: tuple[str, ...]
    """What the step wrote in the draft's trace: what it did, or could not decide."""
    changed: dict[str, Any]
    """The record contract's fields the step set, with the values it gave them."""


def trace_document(raw: bytes, *, name: str) -> tuple[list[StepTrace], ParseFailure | None]:
    """Parse one document step by step, for a person debugging the parser (`python -m app parse
    --trace`): what each step noted and which fields it set, up to the step that failed, if one did."""
    draft = Draft(name=name, raw=raw)
    before = draft.record.to_contract()
    traced: list[StepTrace] = []
    for step in STEPS:
        noted = len(draft.trace)
        try:
            draft = _run(step, draft)
        except ParseFailure as failure:
            return traced, failure
        after = draft.record.to_contract()
        changed = {field: value for field, value in after.items() if value != before[field]}
        traced.append(StepTrace(step.__name__, draft.trace[noted:], changed))
        before = after
    return traced, None


def _run(step: Step, draft: Draft) -> Draft:
    """One step, failing as it fails in `parse_document`: a ParseFailure naming the document (and the step)."""
    try:
        return step(draft)
    except ParseFailure as exc:
        raise ParseFailure(f"{draft.name}: {exc.reason}") from exc
    except Exception as exc:
        raise ParseFailure(f"{draft.name}: step {step.__name__} failed: {type(exc).__name__}: {exc}") from exc
