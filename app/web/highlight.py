"""A document's cleaned text cut into runs, each institution, person and figure marked at its span."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.web.render import PAGES, label, query_url


@dataclass(frozen=True, slots=True)
class Mark:
    kind: str
    """figure, person or institution: the CSS class that colours it."""
    href: str
    tip: str
    """What the tooltip says: for a figure its indicator, value, unit, period and kind."""


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    mark: Mark | None = None


def figure_tip(metric: Mapping[str, Any]) -> str:
    parts = [
        f"指标:{metric['indicator']}",
        f"数值:{metric['value']}{metric['unit']}",
        f"时间:{metric['as_of'] or '未说明'}",
        f"类别:{label(metric['kind'])}",
    ]
    if metric.get("qualifier"):
        parts.append(f"限定:{metric['qualifier']}")
    return ";".join(parts)


def series_url(indicator: str, unit: str | None) -> str:
    return query_url(f"{PAGES}/metrics/series", [("indicator", indicator), ("unit", unit)])


def highlighted_runs(document: Mapping[str, Any]) -> list[Run]:
    """The document's `text` as runs, marked where its figures, people and institutions stand.

    Spans may overlap (an institution inside a figure's indicator phrase is rare, but a person's
    name inside an institution's is not): a figure wins over a person, a person over an
    institution, and a mark that overlaps one already placed is left out rather than nested,
    so every character of the text is shown exactly once."""
    text: str = document["text"]
    candidates: list[tuple[int, int, Mark]] = []
    for metric in document["metrics"]:
        href = series_url(metric["indicator"], metric["unit"])
        candidates.append(_at(metric["span"], Mark("figure", href, figure_tip(metric))))
    for person in document["people"]:
        tip = f"人物:{person['name']}" + (f"({person['role']})" if person["role"] else "")
        candidates.append(
            _at(person["span"], Mark("person", query_url(f"{PAGES}/documents", [("q", person["name"])]), tip))
        )
    for institution in document["institutions"]:
        tip = f"机构:{institution['canonical_name']}({label(institution['role'])})"
        candidates.append(
            _at(institution["span"], Mark("institution", f"{PAGES}/institutions/{institution['id']}", tip))
        )
    placed: list[tuple[int, int, Mark]] = []
    for start, end, mark in candidates:
        if 0 <= start < end <= len(text) and all(end <= s or start >= e for s, e, _ in placed):
            placed.append((start, end, mark))
    runs: list[Run] = []
    position = 0
    for start, end, mark in sorted(placed, key=lambda p: p[0]):
        if start > position:
            runs.append(Run(text[position:start]))
        runs.append(Run(text[start:end], mark))
        position = end
    if position < len(text):
        runs.append(Run(text[position:]))
    return runs


def _at(span: Sequence[int] | None, mark: Mark) -> tuple[int, int, Mark]:
    # A mention found without a place in the text (span None) cannot be marked: an empty span is skipped.
    return (span[0], span[1], mark) if span else (0, 0, mark)
