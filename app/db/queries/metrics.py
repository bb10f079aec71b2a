"""The statements behind /metrics, one set per shape of request, and a stored figure's fields."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, String, bindparam, select

from app.db.models import DocumentInstitution, Metric
from app.db.queries.facets import METRIC_FACETS
from app.db.queries.list_query import ListQuery
from app.db.queries.names import contains, contains_pattern, institutions_named, name_value
from app.db.queries.pagination import SortKey, decode_date, decode_datetime, decode_float, decode_int
from app.db.queries.search import matched_words, search_hits, search_params
from app.db.queries.served import rfc3339_text
from app.db.queries.shape import ListShape
from app.db.read import AnyRow, Reader
from app.ingest.record import whole_if_whole
from app.periods import period_end, period_start
from app.schemas.metrics import MetricFilters, MetricSort

SORTS: dict[MetricSort, SortKey] = {
    MetricSort.document: SortKey(Metric.document_id, decode=decode_int),
    MetricSort.as_of: SortKey(Metric.as_of_end, decode=decode_date),
    MetricSort.as_of_desc: SortKey(Metric.as_of_end, descending=True, decode=decode_date),
    MetricSort.value: SortKey(Metric.value, decode=decode_float),
    MetricSort.value_desc: SortKey(Metric.value, descending=True, decode=decode_float),
    MetricSort.updated_at: SortKey(Metric.updated_at, decode=decode_datetime),
    MetricSort.updated_at_desc: SortKey(Metric.updated_at, descending=True, decode=decode_datetime),
}

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
"""What a figure shows wherever it is listed (`metric_fields` reads them)."""
_METRIC_WIDTH = len(METRIC_COLUMNS)


def metric_fields(m: AnyRow, at: int = 0) -> dict[str, Any]:
    """A stored figure (a row with METRIC_COLUMNS from position `at`) as the fields of `MetricOut`.
    Read by position: a letter states dozens of figures, and a row's attributes by name cost more."""
    indicator, value, unit, as_of, kind, qualifier, sentence, start, end = m[at : at + _METRIC_WIDTH]
    return {
        "indicator": indicator,
        "value": whole_if_whole(value),
        "unit": unit,
        "as_of": as_of,
        "kind": kind,
        "qualifier": qualifier,
        "sentence": sentence,
        "snippet": None,
        "span": (start, end),
    }


LIST_COLUMNS = (
    Metric.id,
    *METRIC_COLUMNS,
    Metric.document_id,
    Metric.document_title,
    rfc3339_text(Metric.updated_at).label("updated_at"),
)
"""A list item: the figure and its document's title, stored with it (migration 0007)."""

FILTERS = ("q", "indicator", "unit", "kind", "as_of_from", "as_of_to", "document_id", "publisher", "updated_since")


def metric_query(f: MetricFilters, reader: Reader) -> ListQuery:
    """The statements for the filters `f` gives (built once per shape) and their values."""
    present = frozenset(name for name in FILTERS if getattr(f, name) is not None and getattr(f, name) != "")
    words = len(matched_words(f.q)) if f.q else 0
    return ListQuery(_shape(present, f.sort, words, reader.dialect), _params(f, reader.dialect))


def _params(f: MetricFilters, dialect: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if f.q:
        params |= search_params(f.q, dialect)
        params |= {f"word_{i}": contains_pattern(word) for i, word in enumerate(matched_words(f.q))}
    if f.indicator:
        params["indicator"] = contains_pattern(f.indicator)
    if f.unit:
        params["unit"] = f.unit
    if f.kind:
        params["kind"] = f.kind
    if f.as_of_from:
        params["as_of_from"] = period_start(f.as_of_from)
    if f.as_of_to:
        params["as_of_to"] = period_end(f.as_of_to)
    if f.document_id is not None:
        params["document_id"] = f.document_id
    if f.publisher:
        params["publisher"] = name_value(f.publisher)
    if f.updated_since is not None:
        params["updated_since"] = f.updated_since
    return params


@lru_cache(maxsize=512)
def _shape(present: frozenset[str], sort: MetricSort, words: int, dialect: str) -> ListShape:
    stmt = select(*LIST_COLUMNS)
    if "q" in present:
        # The documents' index finds where the words occur; of those documents' figures, keep the
        # ones whose own sentence holds every word. No scan beyond the matching documents.
        hits = search_hits(words, dialect)
        stmt = stmt.where(Metric.document_id.in_(select(hits.c.id)))
        for i in range(words):
            stmt = stmt.where(contains(Metric.sentence, f"word_{i}"))
    if "indicator" in present:
        stmt = stmt.where(contains(Metric.indicator, "indicator"))
    if "unit" in present:
        stmt = stmt.where(Metric.unit == bindparam("unit", type_=String))
    if "kind" in present:
        stmt = stmt.where(Metric.kind == bindparam("kind", type_=String))
    if "as_of_from" in present:
        stmt = stmt.where(Metric.as_of_end >= bindparam("as_of_from", type_=Date))
    if "as_of_to" in present:
        stmt = stmt.where(Metric.as_of_end <= bindparam("as_of_to", type_=Date))
    if "updated_since" in present:
        stmt = stmt.where(Metric.updated_at >= bindparam("updated_since", type_=DateTime(timezone=True)))
    if "document_id" in present:
        stmt = stmt.where(Metric.document_id == bindparam("document_id", type_=BigInteger))
    if "publisher" in present:
        published = select(DocumentInstitution.document_id).where(
            DocumentInstitution.role == "publisher",
            DocumentInstitution.institution_id.in_(institutions_named("publisher")),
        )
        stmt = stmt.where(Metric.document_id.in_(published))
    return ListShape(stmt, SORTS[sort], Metric.id, METRIC_FACETS)
