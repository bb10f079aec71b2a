"""/metrics: stated figures, each with its document and the sentence it was read from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.api.deps import DbSession
from app.db.models import Document, Metric
from app.db.queries.metrics import SORTS, metric_query
from app.db.queries.pagination import page_rows
from app.schemas.common import Page
from app.schemas.metrics import MetricFilters, MetricItem

router = APIRouter(prefix="/metrics", tags=["metrics"])


@router.get("", summary="List stated figures")
def list_metrics(db: DbSession, f: Annotated[MetricFilters, Query()]) -> Page[MetricItem]:
    rows, next_cursor = page_rows(
        db,
        metric_query(f),
        endpoint="metrics",
        sort=f.sort.value,
        key=SORTS[f.sort],
        id_column=Metric.id,
        limit=f.limit,
        cursor=f.cursor,
    )
    titles = dict(
        db.execute(select(Document.id, Document.title).where(Document.id.in_({m.document_id for m in rows}))).all()
    )
    return Page(
        items=[
            MetricItem(
                indicator=m.indicator,
                value=m.value,
                unit=m.unit,
                as_of=m.as_of,
                kind=m.kind,
                qualifier=m.qualifier,
                sentence=m.sentence,
                span=(m.span_start, m.span_end),
                document_id=m.document_id,
                document_title=titles[m.document_id],
            )
            for m in rows
        ],
        next_cursor=next_cursor,
    )
