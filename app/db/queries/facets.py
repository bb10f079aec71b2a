"""Facets and counts: each wraps a resource's one filtered Select, so they cannot disagree with
the list about which rows match (Datasette's facets work the same way)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, get_args

from sqlalchemy import Integer, Select, and_, cast, extract, func, select
from sqlalchemy.orm import InstrumentedAttribute

from app.db.models import (
    Document,
    DocumentInstitution,
    DocumentPerson,
    DocumentTopic,
    Institution,
    Metric,
    Proposal,
)
from app.db.read import AnySelect
from app.schemas.documents import DocumentFacet
from app.schemas.institutions import InstitutionFacet
from app.schemas.metrics import MetricFacet
from app.schemas.people import PersonFacet
from app.schemas.proposals import ProposalFacet

FACET_SIZE = 50
"""The most frequent values a facet lists; a facet is a summary, not an export."""

Facet = Callable[[AnySelect], Select[Any, Any, Any]]
"""Given the ids of the matching rows, a Select of (value, label, count).

One name per thing: `value` is what the facet's filter takes and finds exactly `count` rows with
(an institution's canonical name, which every institution filter accepts); `label` is how the
rows print it (the name a letter uses, such as 市科技局), and is the value itself for other facets."""


def _column(column: Any) -> Facet:
    def facet(ids: AnySelect) -> Select[Any, Any, Any]:
        owner = column.class_
        return (
            select(column.label("value"), column.label("label"), func.count().label("count"))
            .where(owner.id.in_(ids))
            .group_by(column)
        )

    return facet


def _document_topic(ids: AnySelect) -> Select[Any, Any, Any]:
    return (
        select(DocumentTopic.topic.label("value"), DocumentTopic.topic.label("label"), func.count().label("count"))
        .where(DocumentTopic.document_id.in_(ids))
        .group_by(DocumentTopic.topic)
    )


def _document_proposal_type(ids: AnySelect) -> Select[Any, Any, Any]:
    return (
        select(Proposal.type.label("value"), Proposal.type.label("label"), func.count().label("count"))
        .select_from(Document)
        .outerjoin(Proposal, Proposal.id == Document.proposal_id)
        .where(Document.id.in_(ids))
        .group_by(Proposal.type)
    )


def _printed_name() -> Any:
    """A name the documents print for the institution: the first in code-point order, so a facet's
    label does not change between two identical requests."""
    return func.min(DocumentInstitution.name).label("label")


def _document_publisher(ids: AnySelect) -> Select[Any, Any, Any]:
    # By the publisher's institution, not the printed 发布机构: `publisher=` finds a body by any of
    # its names, so two printings of one publisher are one value. Outer joins keep the documents
    # without a publisher, counted under null as every single-valued facet does.
    return (
        select(Institution.name.label("value"), _printed_name(), func.count(func.distinct(Document.id)).label("count"))
        .select_from(Document)
        .outerjoin(
            DocumentInstitution,
            and_(DocumentInstitution.document_id == Document.id, DocumentInstitution.role == "publisher"),
        )
        .outerjoin(Institution, Institution.id == DocumentInstitution.institution_id)
        .where(Document.id.in_(ids))
        .group_by(Institution.name)
    )


def _document_institution(ids: AnySelect) -> Select[Any, Any, Any]:
    return (
        select(
            Institution.name.label("value"),
            _printed_name(),
            func.count(func.distinct(DocumentInstitution.document_id)).label("count"),
        )
        .join(Institution, Institution.id == DocumentInstitution.institution_id)
        .where(DocumentInstitution.document_id.in_(ids))
        .group_by(Institution.name)
    )


def _metric_year(ids: AnySelect) -> Select[Any, Any, Any]:
    year = cast(extract("year", Metric.as_of_end), Integer)
    return (
        select(year.label("value"), year.label("label"), func.count().label("count"))
        .where(Metric.id.in_(ids))
        .group_by(year)
    )


def _proposal_co_handler(ids: AnySelect) -> Select[Any, Any, Any]:
    return (
        select(
            Institution.name.label("value"),
            _printed_name(),
            func.count(func.distinct(Document.proposal_id)).label("count"),
        )
        .select_from(DocumentInstitution)
        .join(Document, Document.id == DocumentInstitution.document_id)
        .join(Institution, Institution.id == DocumentInstitution.institution_id)
        .where(and_(DocumentInstitution.role == "co_handler", Document.proposal_id.in_(ids)))
        .group_by(Institution.name)
    )


def _person_role(ids: AnySelect) -> Select[Any, Any, Any]:
    return (
        select(
            DocumentPerson.role.label("value"),
            DocumentPerson.role.label("label"),
            func.count(func.distinct(DocumentPerson.person_id)).label("count"),
        )
        .where(DocumentPerson.person_id.in_(ids))
        .group_by(DocumentPerson.role)
    )


def every_facet(names: Iterable[str], facets: dict[str, Facet]) -> dict[str, Facet]:
    """`facets`, which must be one per name a list's `facet` parameter accepts (its filters'
    enum): a name without a statement fails here, as the app is imported, never as a request asks."""
    if missing_or_extra := set(names) ^ set(facets):
        raise TypeError(f"facet names and facet statements differ: {sorted(missing_or_extra)}")
    return facets


DOCUMENT_FACETS = every_facet(
    DocumentFacet,
    {
        "publisher": _document_publisher,
        "year": _column(Document.year),
        "genre": _column(Document.genre),
        "kind": _column(Document.kind),
        "topic": _document_topic,
        "proposal_type": _document_proposal_type,
        "institution": _document_institution,
    },
)
PROPOSAL_FACETS = every_facet(
    ProposalFacet,
    {
        "proposal_type": _column(Proposal.type),
        "level": _column(Proposal.level),
        "session": _column(Proposal.session),
        "year": _column(Proposal.year),
        "co_handler": _proposal_co_handler,
    },
)
METRIC_FACETS = every_facet(
    MetricFacet,
    {
        "unit": _column(Metric.unit),
        "kind": _column(Metric.kind),
        "indicator": _column(Metric.indicator),
        "year": _metric_year,
    },
)
INSTITUTION_FACETS = every_facet(get_args(InstitutionFacet), {"type": _column(Institution.type)})
PERSON_FACETS = every_facet(get_args(PersonFacet), {"role": _person_role})


def facet_statement(rows: AnySelect, id_column: InstrumentedAttribute[int], facet: Facet) -> AnySelect:
    """(value, label, count) of `facet` over the rows `rows` selects, most frequent first."""
    ids = rows.with_only_columns(id_column).order_by(None)
    counted = facet(ids).subquery()
    return (
        select(counted.c.value, counted.c.label, counted.c.count)
        .order_by(counted.c.count.desc(), counted.c.value.asc().nulls_last())
        .limit(FACET_SIZE)
    )


def total_statement(rows: AnySelect, id_column: InstrumentedAttribute[int]) -> AnySelect:
    ids = rows.with_only_columns(id_column).order_by(None).subquery()
    return select(func.count()).select_from(ids)
