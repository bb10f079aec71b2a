"""A metric series as the geometry of an inline SVG chart, computed on the server.

Server-drawn rather than a chart script: the page works without JavaScript, the CSP needs no
exception, and a series of a few dozen points is a handful of circles and two polylines. The
template draws the shapes; this module only places them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 40
"""Margins: room for the value axis on the left and the period labels below."""
TICKS = 4


@dataclass(frozen=True, slots=True)
class PlacedPoint:
    x: float
    y: float
    point: Mapping[str, Any]
    """The series point as the API gives it (as_of, value, unit, kind, document_id…)."""


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    points: list[PlacedPoint]
    lines: dict[str, str]
    """kind (actual, target) → the SVG `points` of the polyline joining that kind's points in order."""
    periods: list[tuple[float, str]]
    """(x, label) under the axis, one per period."""
    ticks: list[tuple[float, str]]
    """(y, label) beside the value axis."""
    baseline: float
    left: int = LEFT
    right: int = WIDTH - RIGHT
    """Where the plot begins and ends along x (grid lines span it)."""


def draw_series(points: Sequence[Mapping[str, Any]]) -> Chart:
    """Places `points` (in the API's order: by period) on a chart: periods evenly along x, values
    on a linear y axis from zero (figures are counts and amounts; a cut axis exaggerates them)."""
    periods = list(dict.fromkeys(str(p["as_of"]) for p in points))
    values = [float(p["value"]) for p in points]
    low = min([0.0, *values])
    high = max([0.0, *values]) or 1.0
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(periods), 1)

    def x_of(period: str) -> float:
        return round(LEFT + step * (periods.index(period) + 0.5), 1)

    def y_of(value: float) -> float:
        return round(TOP + plot_height * (high - value) / (high - low), 1)

    placed = [PlacedPoint(x_of(str(p["as_of"])), y_of(float(p["value"])), p) for p in points]
    lines: dict[str, str] = {}
    for kind in ("actual", "target"):
        of_kind = [f"{p.x},{p.y}" for p in placed if p.point["kind"] == kind]
        if len(of_kind) > 1:
            lines[kind] = " ".join(of_kind)
    ticks = [(y_of(low + (high - low) * i / TICKS), _number(low + (high - low) * i / TICKS)) for i in range(TICKS + 1)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=placed,
        lines=lines,
        periods=[(x_of(period), period) for period in periods],
        ticks=ticks,
        baseline=y_of(max(low, 0.0)),
    )


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value.is_integer() else f"{value:,.2f}"
