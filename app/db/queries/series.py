"""Time series of one indicator, and the institutions that appear alongside one another."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased

from app.db.models import Document, DocumentInstitution, Institution, Metric
from app.schemas.metrics import SeriesFilters


def series_query(f: SeriesFilters) -> Select[*tuple[Any, ...]]:
    """Rows of a metric's columns and its document's title for one indicator, ordered by the period
    they refer to. Plain rows, not ORM objects: a series runs to thousands of points."""
    stmt: Select[*tuple[Any, ...]] = (
        select(
            Metric.as_of,
            Metric.value,
            Metric.unit,
            Metric.kind,
            Metric.qualifier,
            Metric.document_id,
            Document.title.label("document_title"),
            Metric.sentence,
        )
        .join(Document, Document.id == Metric.document_id)
        .where(Metric.indicator == f.indicator.strip(), Metric.as_of_end.is_not(None))
    )
    if f.unit:
        stmt = stmt.where(Metric.unit == f.unit)
    if f.kind:
        stmt = stmt.where(Metric.kind == f.kind)
    return stmt.order_by(Metric.as_of_end, Metric.kind, Document.id, Metric.position).limit(f.limit)


def related_query(institution_id: int, role: str | None, limit: int) -> Select[Institution, int]:
    """Institutions sharing documents with `institution_id` (in `role`, when given), most shared first."""
    mine = aliased(DocumentInstitution)
    other = aliased(DocumentInstitution)
    shared = func.count(func.distinct(other.document_id)).label("documents")
    stmt = (
        select(Institution, shared)
        .select_from(mine)
        .join(other, and_(other.document_id == mine.document_id, other.institution_id != mine.institution_id))
        .join(Institution, Institution.id == other.institution_id)
        .where(mine.institution_id == institution_id)
        .group_by(Institution.id)
        .order_by(shared.desc(), Institution.name)
        .limit(limit)
    )
    return stmt.where(other.role == role) if role else stmt
