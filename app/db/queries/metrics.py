"""metric_query: the one Select behind /metrics."""

from __future__ import annotations

from sqlalchemy import Select, select

from app.db.models import Metric
from app.db.queries.names import contains
from app.db.queries.pagination import SortKey, decode_date, decode_float, decode_int
from app.db.queries.search import matched_words, search_hits
from app.periods import period_end, period_start
from app.schemas.metrics import MetricFilters, MetricSort

SORTS: dict[MetricSort, SortKey] = {
    MetricSort.document: SortKey(Metric.document_id, decode=decode_int),
    MetricSort.as_of: SortKey(Metric.as_of_end, decode=decode_date),
    MetricSort.as_of_desc: SortKey(Metric.as_of_end, descending=True, decode=decode_date),
    MetricSort.value: SortKey(Metric.value, decode=decode_float),
    MetricSort.value_desc: SortKey(Metric.value, descending=True, decode=decode_float),
}


def metric_query(f: MetricFilters, dialect: str) -> Select[Metric]:
    stmt = select(Metric)
    if f.q:
        # The documents' index finds where the words occur; of those documents' figures, keep the
        # ones whose own sentence holds every word. No scan beyond the matching documents.
        hits = search_hits(f.q, dialect)
        stmt = stmt.where(Metric.document_id.in_(select(hits.c.id)))
        for word in matched_words(f.q):
            stmt = stmt.where(contains(Metric.sentence, word))
    if f.indicator:
        stmt = stmt.where(contains(Metric.indicator, f.indicator))
    if f.unit:
        stmt = stmt.where(Metric.unit == f.unit)
    if f.kind:
        stmt = stmt.where(Metric.kind == f.kind)
    if f.as_of_from:
        stmt = stmt.where(Metric.as_of_end >= period_start(f.as_of_from))
    if f.as_of_to:
        stmt = stmt.where(Metric.as_of_end <= period_end(f.as_of_to))
    if f.document_id is not None:
        stmt = stmt.where(Metric.document_id == f.document_id)
    return stmt
