"""Keyset pagination over one sort column plus the id, with NULLs last in both directions.

A cursor names the endpoint and sort it came from and the last row's (value, id); it stays valid
while rows are added, and a cursor from another endpoint or sort is refused, not misread.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

import orjson
from sqlalchemy import BigInteger, ColumnElement, Select, and_, bindparam, or_
from sqlalchemy.orm import InstrumentedAttribute, Session


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class SortKey:
    column: Any
    """A column of the listed rows, or an expression the query provides (a search score)."""
    descending: bool = False
    decode: Callable[[Any], Any] = lambda value: decode_text(value)
    """Turns the JSON form of a value back into the column's type, refusing any other type
    (dates travel as strings); a forged cursor must not reach the database as a wrong type."""


_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def decode_text(value: Any) -> str:
    if not isinstance(value, str) or _CONTROL.search(value):
        raise TypeError("expected text")
    return value


def decode_date(value: Any) -> date:
    return date.fromisoformat(decode_text(value))


def decode_datetime(value: Any) -> datetime:
    """A moment in UTC (`updated_at`): SQLite's driver gives it back without its zone, which is UTC."""
    moment = datetime.fromisoformat(decode_text(value))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def decode_int(value: Any, limit: int = 2**53) -> int:
    """An integer a column can hold: public ids and other big integers stay below 2^53."""
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) >= limit:
        raise TypeError("expected an integer")
    return value


def decode_int32(value: Any) -> int:
    """An integer an INTEGER column (4 bytes on PostgreSQL) can hold."""
    return decode_int(value, 2**31)


def decode_float(value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError("expected a number")
    return float(value)


def encode_cursor(endpoint: str, sort: str, value: Any, row_id: int) -> str:
    if isinstance(value, date):
        value = value.isoformat()
    payload = orjson.dumps([endpoint, sort, value, row_id])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(cursor: str, endpoint: str, sort: str, key: SortKey, id_limit: int = 2**53) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        where, how, value, row_id = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if value is not None:
            value = key.decode(value)
    except (binascii.Error, UnicodeError, ValueError, TypeError) as exc:
        raise InvalidCursor("cursor is not one this API issued") from exc
    if where != endpoint or how != sort:
        raise InvalidCursor(f"cursor belongs to {where} sorted by {how}, not {endpoint} sorted by {sort}")
    try:
        return value, decode_int(row_id, id_limit)
    except TypeError as exc:
        raise InvalidCursor("cursor is not one this API issued") from exc


def after(key: SortKey, id_column: Any, value: Any, row_id: Any) -> ColumnElement[bool]:
    """Rows that come after (value, row_id) in the order `ordering(key, id_column)` gives."""
    column = key.column
    id_after = id_column < row_id if key.descending else id_column > row_id
    if value is None:  # already among the NULLs, which come last
        return and_(column.is_(None), id_after)
    value_after = column < value if key.descending else column > value
    return or_(column.is_(None), value_after, and_(column == value, id_after))


CursorShape = Literal["first", "after_null", "after_value"]
"""Where a page starts: the first page, after a row whose sort value is NULL, or after one with a value."""


def after_params(key: SortKey, id_column: Any, shape: CursorShape) -> ColumnElement[bool] | None:
    """`after` with the cursor's value and id as the bind parameters `after_value` and `after_id`."""
    if shape == "first":
        return None
    value = None if shape == "after_null" else bindparam("after_value", type_=key.column.type)
    return after(key, id_column, value, bindparam("after_id", type_=id_column.type))


def cursor_params(
    cursor: str | None, endpoint: str, sort: str, key: SortKey, id_column: Any
) -> tuple[CursorShape, dict[str, Any]]:
    """The page's start shape and the values of its bind parameters."""
    if not cursor:
        return "first", {}
    # Public ids are BIGINT; a plain INTEGER id (metrics) holds 4 bytes on PostgreSQL.
    id_limit = 2**53 if isinstance(id_column.type, BigInteger) else 2**31
    value, row_id = decode_cursor(cursor, endpoint, sort, key, id_limit)
    if value is None:
        return "after_null", {"after_id": row_id}
    return "after_value", {"after_value": value, "after_id": row_id}


def ordering(key: SortKey, id_column: Any) -> list[Any]:
    if key.descending:
        return [key.column.desc().nulls_last(), id_column.desc()]
    return [key.column.asc().nulls_last(), id_column.asc()]


def page_rows(
    session: Session,
    stmt: Select[Any],
    *,
    endpoint: str,
    sort: str,
    key: SortKey,
    id_column: InstrumentedAttribute[int],
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[Any], str | None]:
    """One page of the entities `stmt` selects, and the cursor for the next page."""
    if cursor:
        # Public ids are BIGINT; a plain INTEGER id (metrics) holds 4 bytes on PostgreSQL.
        id_limit = 2**53 if isinstance(id_column.type, BigInteger) else 2**31
        value, row_id = decode_cursor(cursor, endpoint, sort, key, id_limit)
        stmt = stmt.where(after(key, id_column, value, row_id))
    ordered = stmt.add_columns(key.column).order_by(*ordering(key, id_column)).limit(limit + 1)
    rows = session.execute(ordered).all()
    # A Select of one ORM entity gives the entities; a Select of columns gives rows, whose
    # columns read as attributes just the same (the sort value rides along at the end).
    one_entity = (
        len(stmt.column_descriptions) == 1
        and stmt.column_descriptions[0]["expr"] is stmt.column_descriptions[0]["entity"]
    )
    entities = [row[0] for row in rows[:limit]] if one_entity else list(rows[:limit])
    if len(rows) <= limit:
        return entities, None
    last_value = rows[limit - 1][-1]
    return entities, encode_cursor(endpoint, sort, last_value, getattr(entities[-1], id_column.key))
