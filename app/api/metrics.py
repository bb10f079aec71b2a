"""/metrics: stated figures, each with its document and the sentence it was read from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.deps import reader_of
from app.api.examples import CURSORS
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Listing, json_response, respond
from app.api.params import query_openapi, read_query
from app.db.queries.metrics import metric_fields, metric_query
from app.db.queries.search import matched_words, snippet
from app.db.queries.series import series_rows
from app.db.read import AnyRow, Reader
from app.ingest.record import whole_if_whole
from app.schemas.common import ListPage
from app.schemas.metrics import MetricFilters, MetricItem, Series, SeriesFilters

router = APIRouter(prefix="/metrics", tags=["metrics"])


def metric_items(rows: Sequence[AnyRow], f: MetricFilters) -> list[dict[str, Any]]:
    """List items from rows of the list's columns: the document's title is stored with the figure."""
    words = matched_words(f.q) if f.q else []
    return [metric_item(m, words) for m in rows]


def metric_item(m: AnyRow, words: list[str]) -> dict[str, Any]:
    """A list item (`MetricItem`) from a row of the list's columns."""
    return {
        "id": m[0],
        **metric_fields(m, 1),
        "snippet": snippet(m.sentence, words) if words else None,
        "document_id": m.document_id,
        "document_title": m.document_title,
        "updated_at": m.updated_at,
    }


def _iso(day: date | str | None) -> str:
    """A date column as YYYY-MM-DD (SQLite's driver may hand back the text it stores)."""
    return day.isoformat() if isinstance(day, date) else (day or "")


LISTING = Listing("metrics", metric_items, MetricItem)


@router.get(
    "/series",
    summary="One indicator across documents, ordered by the period each figure refers to",
    response_model=Series,
    openapi_extra=query_openapi(SeriesFilters),
)
async def metric_series(request: Request) -> Response:
    return json_response(await read_series(reader_of(request), read_query(request, SeriesFilters)))


async def read_series(reader: Reader, f: SeriesFilters) -> dict[str, Any]:
    """One indicator's points (`Series`), for the JSON and the series' chart."""
    rows = await series_rows(reader, f)
    return {
        "indicator": f.indicator.strip(),
        "points": [
            {
                "as_of": as_of or _iso(document_date),
                "as_of_source": "sentence" if as_of else "document",
                "value": whole_if_whole(value),
                "unit": unit,
                "kind": kind,
                "qualifier": qualifier,
                "document_id": document_id,
                "document_title": document_title,
                "sentence": sentence,
            }
            for as_of, value, unit, kind, qualifier, document_id, document_title, sentence, document_date in rows
        ],
    }


@router.get(
    "",
    summary="List stated figures",
    response_model=ListPage[MetricItem],
    responses=EXPORT_RESPONSES,
    openapi_extra=query_openapi(MetricFilters, cursor=CURSORS["metrics"]),
)
async def list_metrics(request: Request) -> Response:
    f = read_query(request, MetricFilters)
    shape, params = metric_query(f, reader_of(request))
    return await respond(LISTING, request, shape, params, f, sort=f.sort.value, facets=f.facet)
