"""The statements behind `include=`: the related records of a whole page of items in one statement.

Each takes the page's parent ids as `:ids` (one expanding bind parameter, ≤100 ids) and is built
once, at import: a page with an include costs one statement more, never one per item. Every row
starts with the id of the parent it belongs to (`PARENT`). Lists that can be long are cut in SQL
to `:per_item` rows per parent — by `row_number()` over the parent (SQLite ≥ 3.25 and PostgreSQL
alike), or by a stored position — and each row carries its parent's uncut count as `total`, so a
client sees what was cut.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Integer, Subquery, and_, bindparam, func, select
from sqlalchemy.orm import aliased

from app.db.models import Document, DocumentInstitution, Institution, Metric, Proposal
from app.db.queries import metrics, proposals
from app.db.queries.served import rfc3339_text
from app.db.read import AnySelect

PARENT = 0
"""Where each included row holds the id of the item it belongs to."""


def _asked(column: Any) -> ColumnElement[bool]:
    asked: ColumnElement[bool] = column.in_(bindparam("ids", type_=BigInteger, expanding=True))
    return asked


def _per_item(columns: list[Any], parent: Any, order: list[Any], *where: Any) -> AnySelect:
    """`columns` (the parent first) of every parent in `:ids`, the first `:per_item` per parent in
    `order`, each row ending with its parent's uncut count, `total`."""
    ranked = (
        select(
            *columns,
            func.row_number().over(partition_by=parent, order_by=order).label("rank"),
            func.count().over(partition_by=parent).label("total"),
        )
        .where(*where)
        .subquery("ranked")
    )
    return _first_ranked(ranked)


def _first_ranked(ranked: Subquery) -> AnySelect:
    """The rows of `ranked` up to `:per_item` per parent (its first column), without the rank."""
    shown = [column for column in ranked.c if column.key != "rank"]
    return (
        select(*shown)
        .where(ranked.c.rank <= bindparam("per_item", type_=Integer))
        .order_by(shown[PARENT], ranked.c.rank)
    )


PROPOSALS = select(*proposals.LIST_COLUMNS).where(_asked(Proposal.id))
"""Documents' `include=proposal`: each proposal of the page, as /proposals lists it (id first)."""


def _document_metrics() -> AnySelect:
    """Documents' `include=metrics`: (parent, id, METRIC_COLUMNS, updated_at, total) of each document's first
    `:per_item` figures in the order its text states them; the document's id and title, which
    /metrics also lists, are the parent item's own. A figure's `position` in its document is
    that order, from 0, so the cut is a plain condition, with no window over every figure of the
    page (which cost twice as much on SQLite); the uncut count comes off the index."""
    counted = (
        select(Metric.document_id, func.count().label("total"))
        .where(_asked(Metric.document_id))
        .group_by(Metric.document_id)
        .subquery("counted")
    )
    return (
        select(
            Metric.document_id.label("parent_id"),
            Metric.id,
            *metrics.METRIC_COLUMNS,
            rfc3339_text(Metric.updated_at).label("updated_at"),
            counted.c.total,
        )
        .join(counted, counted.c.document_id == Metric.document_id)
        .where(_asked(Metric.document_id), Metric.position < bindparam("per_item", type_=Integer))
        .order_by(Metric.document_id, Metric.position)
    )


DOCUMENT_METRICS = _document_metrics()

PROPOSAL_DOCUMENTS = _per_item(
    [
        Document.proposal_id,
        Document.id,
        Document.kind,
        Document.title,
        Document.publisher,
        Document.published_date,
        Document.signed_date,
    ],
    Document.proposal_id,
    [Document.published_date.asc().nulls_last(), Document.id],
    _asked(Document.proposal_id),
)
"""Proposals' `include=documents`: the documents that answer or report each proposal, oldest
first, as `/proposals/{id}` lists them (`REPLIES`), then `total`."""


def _related() -> AnySelect:
    """Institutions' `include=related`: (parent, id, name, type, documents, total) of the
    institutions named in the same documents as each parent, in any role, most shared first, as
    `/institutions/{id}/related` counts them (`related_query`). Each (parent, other, document) is
    made distinct first and names are joined after grouping, so the count is a plain one (a
    `count(DISTINCT …)` per pair, grouped with the names, took ~15 % longer on SQLite)."""
    mine = aliased(DocumentInstitution)
    other = aliased(DocumentInstitution)
    pairs = (
        select(mine.institution_id.label("parent_id"), other.institution_id.label("other_id"), other.document_id)
        .distinct()
        .join(other, and_(other.document_id == mine.document_id, other.institution_id != mine.institution_id))
        .where(_asked(mine.institution_id))
        .subquery("pairs")
    )
    shared = (
        select(pairs.c.parent_id, pairs.c.other_id, func.count().label("documents"))
        .group_by(pairs.c.parent_id, pairs.c.other_id)
        .subquery("shared")
    )
    ranked = (
        select(
            shared.c.parent_id,
            Institution.id,
            Institution.name,
            Institution.type,
            shared.c.documents,
            func.row_number()
            .over(partition_by=shared.c.parent_id, order_by=[shared.c.documents.desc(), Institution.name])
            .label("rank"),
            func.count().over(partition_by=shared.c.parent_id).label("total"),
        )
        .join(Institution, Institution.id == shared.c.other_id)
        .subquery("ranked")
    )
    return _first_ranked(ranked)


RELATED = _related()
