"""The list endpoints' shared shape: a page, an optional total and facets, or a streamed export,
all from the statements of one `ListShape` that a resource's query builder returns."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic

import orjson
from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from app.api.deps import reader_of
from app.api.errors import invalid_param
from app.api.exports import export_format, stream_export
from app.db.queries.includes import PARENT
from app.db.queries.list_query import FiltersT, Item, Render
from app.db.queries.pagination import CursorShape, cursor_params, encode_cursor
from app.db.queries.shape import ListShape
from app.db.read import AnyRow, AnySelect, Snapshot
from app.schemas.common import ListParams


def _own_id(row: AnyRow) -> int | None:
    return int(row[0])


@dataclass(frozen=True)
class Include:
    """One value of a list's `include=`: the statement of the related records of a whole page
    (app/db/queries/includes.py) and how they go into the items."""

    statement: AnySelect | None
    """Rows of the related records, each starting with the id of its parent, for the parents in
    `:ids`; None when every item carries it already (an institution's aliases): nothing runs."""
    embed: Callable[[Item, Sequence[AnyRow]], None]
    """Puts one item's related rows (none, when it has none) into the item."""
    parent: Callable[[AnyRow], int | None] = _own_id
    """The parent a page's row asks about: its own id, or a column of it (a document's proposal)."""
    per_item: int | None = None
    """The statement's `:per_item`: at most this many related rows per item."""


@dataclass(frozen=True)
class Listing(Generic[FiltersT]):
    """What one resource's list needs besides its statements: its name, how to render rows, and
    the pydantic model that documents an item (the response schema; requests build no instances)."""

    endpoint: str
    render: Render[FiltersT]
    item: type[BaseModel]
    """The item of an export's CSV columns: what a list item shows without `include=`."""
    includes: Mapping[str, Include] = field(default_factory=dict)
    """What `include=` may embed, by name."""


async def respond(
    listing: Listing[FiltersT],
    request: Request,
    shape: ListShape,
    params: dict[str, Any],
    f: FiltersT,
    *,
    sort: str,
    facets: Sequence[str] = (),
) -> Response:
    reader = reader_of(request)
    fmt = export_format(request, f.format)
    if fmt is not None:
        if _included(f):
            raise invalid_param("include", "embeds related records in a JSON page; an export has its items alone")
        ids = asked_ids(f)
        if ids is None:
            render = partial(_render_with, listing.render, f)
        else:
            shape, params = shape.by_ids(), {**params, "ids": ids}
            # All of them come in the first batch (at most MAX_IDS ≤ BATCH rows), so ordering each
            # batch orders the export.
            render = partial(_render_as_asked, listing.render, f, ids)
        return stream_export(reader.engine, shape.export(), params, render, listing.item, fmt, listing.endpoint)
    return json_response(await read_page(listing, request, shape, params, f, sort=sort, facets=facets))


async def read_page(
    listing: Listing[FiltersT],
    request: Request,
    shape: ListShape,
    params: dict[str, Any],
    f: FiltersT,
    *,
    sort: str,
    facets: Sequence[str] = (),
) -> dict[str, Any]:
    """A list's body, `{"items", "next_cursor", "total", "facets"}` (and `"missing"` with `id`): what
    the JSON list answers and what an HTML page of the same query shows. Every statement — the
    page, one per include, the total, one per facet — reads one snapshot."""
    reader = reader_of(request)
    ids = asked_ids(f)
    start: CursorShape
    if ids is None:
        start, after = cursor_params(f.cursor, listing.endpoint, sort, shape.key, shape.id_column)
        limit = f.limit
    else:  # the asked rows, all in one page
        shape, params = shape.by_ids(), {**params, "ids": ids}
        start, after, limit = "first", {}, len(ids)
    names = [str(name) for name in dict.fromkeys(facets)]
    included = [listing.includes[name] for name in dict.fromkeys(_included(f))]
    alone = not f.total and not names and not any(i.statement is not None for i in included)
    async with reader.snapshot(one_statement=alone) as snapshot:
        rows = await snapshot.rows(shape.page(start), {**params, **after, "limit": limit + 1})
        if rows and start == "first" and shape.learn is not None:
            shape.learn(reader, params, rows[0])
        page = rows[:limit]
        related = [await _related_rows(snapshot, include, page) for include in included]
        total = int(await snapshot.scalar(shape.total(), params) or 0) if f.total else None
        counted = {name: await snapshot.rows(shape.facet(name), params) for name in names}
    if rows:
        request.state.data_version = rows[0][-2]  # read with the page (see ListShape.page)
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(listing.endpoint, sort, last[-1], last[0])
    if ids is not None:
        page = _as_asked(page, ids)
    items = listing.render(page, f)
    for include, found in zip(included, related, strict=True):
        _embed(include, items, page, found)
    body: dict[str, Any] = {
        "items": items,
        "next_cursor": next_cursor,
        "total": total,
        "facets": {
            name: [{"value": value, "label": label, "count": int(count)} for value, label, count in values]
            for name, values in counted.items()
        }
        or None,
    }
    if ids is not None:
        shown = {item["id"] for item in items}
        body["missing"] = [id_ for id_ in ids if id_ not in shown]
    return body


def asked_ids(f: object) -> list[int] | None:
    """The distinct ids a list request asks for with `id=`, in the order asked; None without.
    A cursor pages through a list's matches, which a request by ids does not: it is refused."""
    if not isinstance(f, ListParams) or not f.id:
        return None
    if f.cursor:
        raise invalid_param("cursor", "does not apply with id: the page holds every id asked")
    return f.id


def _included(f: object) -> Sequence[str]:
    return f.included() if isinstance(f, ListParams) else ()


async def _related_rows(snapshot: Snapshot, include: Include, page: Sequence[AnyRow]) -> Sequence[AnyRow]:
    """The related rows of a whole page: one statement, none when nothing is to be looked up."""
    parents = list(dict.fromkeys(p for row in page if (p := include.parent(row)) is not None))
    if include.statement is None or not parents:
        return []
    params: dict[str, Any] = {"ids": parents}
    if include.per_item is not None:
        params["per_item"] = include.per_item
    return await snapshot.rows(include.statement, params)


def _embed(include: Include, items: list[Item], page: Sequence[AnyRow], found: Sequence[AnyRow]) -> None:
    if include.statement is None:
        return
    by_parent: dict[int, list[AnyRow]] = {}
    for row in found:
        by_parent.setdefault(row[PARENT], []).append(row)
    for item, row in zip(items, page, strict=True):
        parent = include.parent(row)
        include.embed(item, by_parent.get(parent, []) if parent is not None else [])


def _as_asked(rows: Sequence[AnyRow], ids: list[int]) -> list[AnyRow]:
    """`rows` in the order their ids were asked (at most MAX_IDS rows: sorted here, not in SQL)."""
    position = {id_: i for i, id_ in enumerate(ids)}
    return sorted(rows, key=lambda row: position[row[0]])


def _render_as_asked(render: Render[FiltersT], f: FiltersT, ids: list[int], rows: Sequence[AnyRow]) -> list[Item]:
    return render(_as_asked(rows, ids), f)


def _render_with(render: Render[FiltersT], f: FiltersT, rows: Sequence[AnyRow]) -> list[Item]:
    return render(rows, f)


def json_response(body: Any, status_code: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status_code, media_type="application/json")
