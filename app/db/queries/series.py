"""Time series of one indicator, and the institutions that appear alongside one another."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, Select, String, and_, bindparam, func, select
from sqlalchemy.orm import aliased

from app.db.models import Document, DocumentInstitution, Institution, Metric
from app.db.read import AnyRow, AnySelect, Reader
from app.schemas.metrics import SeriesFilters


async def series_rows(reader: Reader, f: SeriesFilters) -> Sequence[AnyRow]:
    """The points of one indicator (`_series_query`'s rows), earliest first."""
    params = {"indicator": f.indicator.strip(), "unit": f.unit, "kind": f.kind, "limit": f.limit}
    async with reader.snapshot() as snapshot:
        return await snapshot.rows(_series_query(bool(f.unit), bool(f.kind)), params)


@lru_cache(maxsize=8)
def _series_query(unit: bool, kind: bool) -> Select[*tuple[Any, ...]]:
    """Rows of a metric's columns and its document's title for one indicator (and `unit`, `kind`
    when given), ordered by the period they refer to; values from `series_rows`. A figure whose
    sentence states no period is dated by its document (written, else published): `document_date`
    is that date and `as_of` None; one with neither is left out."""
    document_date = func.coalesce(Document.written_date, Document.published_date)
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
            document_date.label("document_date"),
        )
        .join(Document, Document.id == Metric.document_id)
        .where(
            Metric.indicator == bindparam("indicator", type_=String),
            func.coalesce(Metric.as_of_end, document_date).is_not(None),
        )
    )
    if unit:
        stmt = stmt.where(Metric.unit == bindparam("unit", type_=String))
    if kind:
        stmt = stmt.where(Metric.kind == bindparam("kind", type_=String))
    return stmt.order_by(
        func.coalesce(Metric.as_of_end, document_date), Metric.kind, Document.id, Metric.position
    ).limit(bindparam("limit"))


@lru_cache(maxsize=2)
def related_query(role: bool) -> AnySelect:
    """Institutions sharing documents with `:institution_id` (in `:role`, when given), most shared
    first, at most `:limit`."""
    mine = aliased(DocumentInstitution)
    other = aliased(DocumentInstitution)
    shared = func.count(func.distinct(other.document_id)).label("documents")
    stmt = (
        select(Institution.id, Institution.name, Institution.type, shared)
        .select_from(mine)
        .join(other, and_(other.document_id == mine.document_id, other.institution_id != mine.institution_id))
        .join(Institution, Institution.id == other.institution_id)
        .where(mine.institution_id == bindparam("institution_id", type_=BigInteger))
        .group_by(Institution.id, Institution.name, Institution.type)
        .order_by(shared.desc(), Institution.name)
        .limit(bindparam("limit"))
    )
    return stmt.where(other.role == bindparam("role", type_=String)) if role else stmt
