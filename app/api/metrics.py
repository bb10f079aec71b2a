"""/metrics: stated figures, each with its document and the sentence it was read from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import DbSession
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Listing, respond
from app.api.params import from_query, query_openapi
from app.db.models import Document, Metric
from app.db.queries.facets import METRIC_FACETS
from app.db.queries.metrics import SORTS, metric_query
from app.db.queries.search import matched_words, snippet
from app.db.queries.series import series_query
from app.schemas.common import Page
from app.schemas.metrics import MetricFilters, MetricItem, Series, SeriesFilters, SeriesPoint

router = APIRouter(prefix="/metrics", tags=["metrics"])


def metric_items(db: Session, metrics: Sequence[Metric], f: MetricFilters | None = None) -> list[MetricItem]:
    """List items for `metrics`, with their documents' titles in one query."""
    ids = {m.document_id for m in metrics}
    words = matched_words(f.q) if f and f.q else []
    titles = dict(db.execute(select(Document.id, Document.title).where(Document.id.in_(ids))).all())
    return [
        MetricItem(
            **metric_fields(m),
            document_id=m.document_id,
            document_title=titles[m.document_id],
            snippet=snippet(m.sentence, words) if words else None,
        )
        for m in metrics
    ]


def whole_if_whole(value: float) -> int | float:
    """69820.0 → 69820: figures are stored as floats, but most are counts and read better whole."""
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


METRIC_COLUMNS = (
    Metric.indicator,
    Metric.value,
    Metric.unit,
    Metric.as_of,
    Metric.kind,
    Metric.qualifier,
    Metric.sentence,
    Metric.span_start,
    Metric.span_end,
)
"""What `metric_fields` reads, for selecting metrics as rows."""


def metric_fields(m: Any) -> dict[str, Any]:
    """A stored metric (an ORM object or a row of at least METRIC_COLUMNS) as the fields of `MetricOut`."""
    return {
        "indicator": m.indicator,
        "value": whole_if_whole(m.value),
        "unit": m.unit,
        "as_of": m.as_of,
        "kind": m.kind,
        "qualifier": m.qualifier,
        "sentence": m.sentence,
        "span": (m.span_start, m.span_end),
    }


LISTING = Listing("metrics", Metric.id, METRIC_FACETS, metric_items, MetricItem)


@router.get(
    "/series",
    summary="One indicator across documents, ordered by the period each figure refers to",
    openapi_extra=query_openapi(SeriesFilters),
)
def metric_series(db: DbSession, f: Annotated[SeriesFilters, from_query(SeriesFilters)]) -> Series:
    return Series(
        indicator=f.indicator.strip(),
        points=[
            SeriesPoint(
                as_of=as_of or "",
                value=whole_if_whole(value),
                unit=unit,
                kind=kind,
                qualifier=qualifier,
                document_id=document_id,
                document_title=document_title,
                sentence=sentence,
            )
            for as_of, value, unit, kind, qualifier, document_id, document_title, sentence in db.execute(
                series_query(f)
            )
        ],
    )


@router.get(
    "",
    summary="List stated figures",
    response_model=Page[MetricItem],
    responses=EXPORT_RESPONSES,
    openapi_extra=query_openapi(MetricFilters),
)
def list_metrics(request: Request, db: DbSession, f: Annotated[MetricFilters, from_query(MetricFilters)]) -> Response:
    rows = metric_query(f, db.get_bind().dialect.name)
    return respond(LISTING, request, db, rows, f, sort=f.sort.value, key=SORTS[f.sort], facets=f.facet)
