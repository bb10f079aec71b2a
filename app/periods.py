"""Periods as the record writes them ("2024", "2023-06" or "2023-06-30"), and stored moments."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime

PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _parts(period: str) -> tuple[int, int | None, int | None]:
    match = PERIOD.match(period)
    if not match:
        raise ValueError("must be a period: YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    return int(year), int(month) if month else None, int(day) if day else None


def period_start(period: str) -> date:
    """The first day of a period: "2024" → 2024-01-01. Raises ValueError for a malformed one."""
    year, month, day = _parts(period)
    return date(year, month or 1, day or 1)


def period_end(period: str) -> date:
    """The last day of a period: "2024" → 2024-12-31, "2023-06" → 2023-06-30."""
    year, month, day = _parts(period)
    month = month or 12
    return date(year, month, day or calendar.monthrange(year, month)[1])


def as_utc(moment: datetime) -> datetime:
    """A stored moment with its zone: SQLite hands DateTime(timezone=True) back naive, and we only
    ever write UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
