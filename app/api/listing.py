"""The list endpoints' shared shape: a page, an optional total and facets, or a streamed export,
all from the statements of one `ListShape` that a resource's query builder returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic

import orjson
from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from app.api.deps import reader_of
from app.api.exports import export_format, stream_export
from app.db.queries.list_query import FiltersT, Item, Render
from app.db.queries.pagination import cursor_params, encode_cursor
from app.db.queries.shape import ListShape
from app.db.read import AnyRow


@dataclass(frozen=True)
class Listing(Generic[FiltersT]):
    """What one resource's list needs besides its statements: its name, how to render rows, and
    the pydantic model that documents an item (the response schema; requests build no instances)."""

    endpoint: str
    render: Render[FiltersT]
    item: type[BaseModel]


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
        render = partial(_render_with, listing.render, f)
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
    """A list's body, `{"items", "next_cursor", "total", "facets"}`: what the JSON list answers and
    what an HTML page of the same query shows."""
    reader = reader_of(request)
    start, after = cursor_params(f.cursor, listing.endpoint, sort, shape.key, shape.id_column)
    names = [str(name) for name in dict.fromkeys(facets)]
    async with reader.snapshot(one_statement=not f.total and not names) as snapshot:
        rows = await snapshot.rows(shape.page(start), {**params, **after, "limit": f.limit + 1})
        total = int(await snapshot.scalar(shape.total(), params) or 0) if f.total else None
        counted = {name: await snapshot.rows(shape.facet(name), params) for name in names}
    if rows:
        request.state.data_version = rows[0][-2]  # read with the page (see ListShape.page)
    next_cursor = None
    if len(rows) > f.limit:
        last = rows[f.limit - 1]
        next_cursor = encode_cursor(listing.endpoint, sort, last[-1], last[0])
    body = {
        "items": listing.render(rows[: f.limit], f),
        "next_cursor": next_cursor,
        "total": total,
        "facets": {
            name: [{"value": value, "label": label, "count": int(count)} for value, label, count in values]
            for name, values in counted.items()
        }
        or None,
    }
    return body


def _render_with(render: Render[FiltersT], f: FiltersT, rows: Sequence[AnyRow]) -> list[Item]:
    return render(rows, f)


def json_response(body: Any, status_code: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status_code, media_type="application/json")
