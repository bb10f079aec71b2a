"""The list endpoints' shared shape: a page, an optional total and facets, or a streamed export,
all from the one filtered Select a resource's query builder returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.api.deps import app_engine
from app.api.exports import export_format, stream_export
from app.db.engine import snapshot_reads
from app.db.queries.facets import Facet, facet_counts, total_count
from app.db.queries.pagination import SortKey, ordering, page_rows
from app.schemas.common import FacetValue, Page, PageParams


@dataclass(frozen=True)
class Listing:
    """What one resource's list needs: its name, id column, facets, and how to render rows."""

    endpoint: str
    id_column: InstrumentedAttribute[int]
    facets: dict[str, Facet]
    render: Callable[[Session, Sequence[Any], Any], Sequence[BaseModel]]
    """(session, rows, the request's filters) → items; the same for a page and an export."""
    item: type[BaseModel]
    columns: Sequence[Any] = ()
    """When given, pages and exports select just these columns as plain rows, not ORM objects:
    several times cheaper per row, and the wide ones (raw source, search text) are never read."""


def respond(
    listing: Listing,
    request: Request,
    db: Session,
    rows: Select[Any],
    params: PageParams,
    *,
    sort: str,
    key: SortKey,
    facets: Sequence[str] = (),
) -> Response:
    fmt = export_format(request, params.format)
    listed = rows.with_only_columns(*listing.columns) if listing.columns else rows
    if fmt is not None:
        ordered = listed.order_by(*ordering(key, listing.id_column))
        render = partial(_render_with, listing.render, params)
        engine = snapshot_reads(app_engine(request))  # the whole export reads one committed state
        return stream_export(engine, ordered, render, listing.item, fmt, listing.endpoint)
    page, next_cursor = page_rows(
        db,
        listed,
        endpoint=listing.endpoint,
        sort=sort,
        key=key,
        id_column=listing.id_column,
        limit=params.limit,
        cursor=params.cursor,
    )
    body = Page[listing.item](  # type: ignore[name-defined]
        items=list(listing.render(db, page, params)),
        next_cursor=next_cursor,
        total=total_count(db, rows, listing.id_column) if params.total else None,
        facets={
            name: [
                FacetValue(value=value, count=count)
                for value, count in facet_counts(db, rows, listing.id_column, listing.facets[name])
            ]
            for name in dict.fromkeys(facets)
        }
        or None,
    )
    # Already validated by construction: sent as is, not checked a second time against the model.
    return Response(body.model_dump_json().encode(), media_type="application/json")


def _render_with(
    render: Callable[[Session, Sequence[Any], Any], Sequence[BaseModel]], params: Any, db: Session, rows: Sequence[Any]
) -> Sequence[BaseModel]:
    return render(db, rows, params)
