"""The statement behind /changes: a page of the change log after a seq, with the feed's horizon."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, Integer, String, bindparam, select, true

from app.db.models import Change, DataVersion
from app.db.queries.pagination import InvalidCursor, SortKey, decode_cursor, decode_int, encode_cursor
from app.db.queries.served import rfc3339_text
from app.db.read import AnyRow, AnySelect, Reader

ENDPOINT = "changes"
_SEQ = SortKey(Change.seq, decode=decode_int)


def feed_cursor(seq: int, horizon: int, resource: str | None) -> str:
    """The cursor after `seq`, read while the feed's horizon was `horizon`: opaque, and bound to the
    `resource` filter it was read with (a filtered feed's position says nothing of the other
    resources' entries before it)."""
    return encode_cursor(ENDPOINT, resource or "all", horizon, seq)


def feed_position(cursor: str, resource: str | None) -> tuple[int, int]:
    """(seq, horizon when it was issued) of a cursor from `feed_cursor`; InvalidCursor for any other text."""
    horizon, seq = decode_cursor(cursor, ENDPOINT, resource or "all", _SEQ)
    if horizon is None:
        raise InvalidCursor("cursor is not one this API issued")
    return seq, horizon


def expired(seq: int, issued_at_horizon: int, horizon: int) -> bool:
    """Whether a client at `seq` may have missed a delete: tombstones after its position were pruned
    since its cursor was issued. A row's upsert gives way to its tombstone in the log, so a client
    that read its position after a prune cannot have seen the rows that prune's tombstones delete;
    and a client at seq 0 holds nothing."""
    return 0 < seq < horizon and issued_at_horizon < horizon


@lru_cache(maxsize=2)
def feed_statement(filtered: bool) -> AnySelect:
    """(data version, horizon, then seq, resource, id, op, at of up to `:limit` entries after
    `:since`): the data version's row joined to the page, so an empty page still reads the
    horizon, all in one statement of one snapshot."""
    page = select(
        Change.seq, Change.resource, Change.resource_id, Change.op, rfc3339_text(Change.at).label("at")
    ).where(Change.seq > bindparam("since", type_=BigInteger))
    if filtered:
        # Walk the seqs from `since`, filtering: through the (resource, id) key instead, a planner
        # would read every entry of the resource and sort them for each page. The concatenation
        # keeps that key out of reach on both databases.
        page = page.where((Change.resource + "") == bindparam("resource", type_=String))
    entries = page.order_by(Change.seq).limit(bindparam("limit", type_=Integer)).subquery("entries")
    return (
        select(DataVersion.version, DataVersion.changes_pruned, *entries.c)
        .select_from(DataVersion)
        .outerjoin(entries, true())
        .where(DataVersion.id == 1)
        .order_by(entries.c.seq)
    )


class FeedPage(NamedTuple):
    data_version: int
    horizon: int
    """The highest seq of a tombstone pruned: a client at a lower seq may have missed a delete."""
    entries: list[AnyRow]
    """(…, seq, resource, resource_id, op, at) rows, in seq order."""


async def read_feed(reader: Reader, since: int, resource: str | None, limit: int) -> FeedPage:
    params: dict[str, Any] = {"since": since, "limit": limit}
    if resource is not None:
        params["resource"] = resource
    async with reader.snapshot(one_statement=True) as snapshot:
        rows = await snapshot.rows(feed_statement(resource is not None), params)
    if not rows:  # no data_version row: a database the migrations have not reached
        return FeedPage(0, 0, [])
    first = rows[0]
    return FeedPage(int(first[0]), int(first[1]), [row for row in rows if row[2] is not None])
