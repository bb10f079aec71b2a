"""Columns rendered by the database as the API prints them.

A list page of 20 items spends more converting its moments and dates from the driver's text to
Python objects and back to text (parse, zone, `isoformat`) than running its statement. The
database writes the same text instead: each dialect its own SQL for one expression, so a
statement is the same statement on both, and the values are strings on both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class rfc3339_text(FunctionElement[str]):
    """A moment in UTC as RFC 3339 to the microsecond with `Z` (`2026-01-01T08:00:00.000000Z`): what
    every `updated_at` and change's `at` reads, and what `updated_since` takes back to find its row."""

    type = String()
    inherit_cache = True
    name = "rfc3339_text"


class date_text(FunctionElement[str]):
    """A date as ISO 8601 text (`2024-03-05`), what JSON prints for it."""

    type = String()
    inherit_cache = True
    name = "date_text"


@compiles(rfc3339_text, "sqlite")
def _rfc3339_sqlite(element: rfc3339_text, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLAlchemy stores a DateTime on SQLite as `YYYY-MM-DD HH:MM:SS.ffffff`, always with its six
    # digits, and the ingest writes UTC only.
    return f"replace({compiler.process(_argument(element), **kw)}, ' ', 'T') || 'Z'"


@compiles(rfc3339_text, "postgresql")
def _rfc3339_postgresql(element: rfc3339_text, compiler: SQLCompiler, **kw: Any) -> str:
    moment = compiler.process(_argument(element), **kw)
    return f"""to_char({moment} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""


@compiles(date_text, "sqlite")
def _date_sqlite(element: date_text, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(_argument(element), **kw)  # stored as ISO 8601 text already


@compiles(date_text, "postgresql")
def _date_postgresql(element: date_text, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(_argument(element), **kw)}, 'YYYY-MM-DD')"


def _argument(element: FunctionElement[Any]) -> ColumnElement[Any]:
    (column,) = element.clauses
    return column
