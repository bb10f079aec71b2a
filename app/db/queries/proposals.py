"""The statements behind /proposals, one set per shape of request, and behind one proposal."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime, Integer, String, bindparam, or_, select

from app.db.load import number_key
from app.db.models import PROPOSAL_SERVED, Document, DocumentInstitution, DocumentPerson, Person, Proposal
from app.db.queries.facets import PROPOSAL_FACETS
from app.db.queries.list_query import ListQuery
from app.db.queries.names import institutions_named, name_value
from app.db.queries.pagination import SortKey, decode_datetime, decode_int32
from app.db.queries.search import query_terms, search_hits, search_params
from app.db.queries.served import rfc3339_text
from app.db.queries.shape import ListShape
from app.db.read import AnyRow, Reader
from app.schemas.proposals import ProposalFilters, ProposalSort

SORTS: dict[ProposalSort, SortKey] = {
    ProposalSort.year: SortKey(Proposal.year, decode=decode_int32),
    ProposalSort.year_desc: SortKey(Proposal.year, descending=True, decode=decode_int32),
    ProposalSort.number: SortKey(Proposal.number),
    ProposalSort.updated_at: SortKey(Proposal.updated_at, decode=decode_datetime),
    ProposalSort.updated_at_desc: SortKey(Proposal.updated_at, descending=True, decode=decode_datetime),
}

LIST_COLUMNS = (Proposal.id, *PROPOSAL_SERVED, rfc3339_text(Proposal.updated_at).label("updated_at"))
"""A list item: the proposal's row holds its proposers and co-handlers (JSON, written at ingest)."""

_COLUMN_FILTERS: dict[str, tuple[Any, Any]] = {
    "type": (Proposal.type, String),
    "level": (Proposal.level, String),
    "session": (Proposal.session, String),
    "term": (Proposal.term, Integer),
    "year": (Proposal.year, Integer),
}
FILTERS = (*_COLUMN_FILTERS, "q", "number", "proposer", "co_handler", "updated_since")


def proposal_query(f: ProposalFilters, reader: Reader) -> ListQuery:
    """The statements for the filters `f` gives (built once per shape) and their values."""
    present = frozenset(name for name in FILTERS if getattr(f, name))
    terms = len(query_terms(f.q)) if f.q else 0
    return ListQuery(_shape(present, f.sort, terms, reader.dialect), _params(f, reader.dialect))


def _params(f: ProposalFilters, dialect: str) -> dict[str, Any]:
    params: dict[str, Any] = {name: getattr(f, name) for name in _COLUMN_FILTERS if getattr(f, name)}
    if f.q:
        params |= search_params(f.q, dialect)
    if f.number:
        # Sites print 0883 or 883 for the same proposal: compare without leading zeros. A number
        # copied with its 第…号 (as letters cite it) is the number inside.
        params["number"] = number_key(printed_number(f.number))
    if f.proposer:
        params["proposer"] = f.proposer.strip()  # a person's name
        params["proposer_names"] = name_value(f.proposer)  # or a group's, by any of its names
    if f.co_handler:
        params["co_handler"] = name_value(f.co_handler)
    if f.updated_since:
        params["updated_since"] = f.updated_since
    return params


_CITED = re.compile(r"^第(.+)号$")


def printed_number(number: str) -> str:
    """`第1024号` → `1024`; any other text as it is."""
    cited = _CITED.match(number.strip())
    return cited.group(1).strip() if cited else number


@lru_cache(maxsize=512)
def _shape(present: frozenset[str], sort: ProposalSort, terms: int, dialect: str) -> ListShape:
    stmt = select(*LIST_COLUMNS)
    if "q" in present:
        # A proposal's own title is part of each reply's indexed text, with the reply's title and body.
        hits = search_hits(terms, dialect)
        stmt = stmt.where(Proposal.id.in_(select(Document.proposal_id).join(hits, hits.c.id == Document.id)))
    for name, (column, type_) in _COLUMN_FILTERS.items():
        if name in present:
            stmt = stmt.where(column == bindparam(name, type_=type_))
    if "updated_since" in present:
        stmt = stmt.where(Proposal.updated_at >= bindparam("updated_since", type_=DateTime(timezone=True)))
    if "number" in present:
        stmt = stmt.where(Proposal.number_key == bindparam("number", type_=String))
    if "proposer" in present:
        by_person = (
            select(Document.proposal_id)
            .join(DocumentPerson, DocumentPerson.document_id == Document.id)
            .join(Person, Person.id == DocumentPerson.person_id)
            .where(DocumentPerson.is_proposer, Person.name == bindparam("proposer", type_=String))
        )
        by_group = (
            select(Document.proposal_id)
            .join(DocumentInstitution, DocumentInstitution.document_id == Document.id)
            .where(DocumentInstitution.role == "proposer")
            .where(DocumentInstitution.institution_id.in_(institutions_named("proposer_names")))
        )
        stmt = stmt.where(or_(Proposal.id.in_(by_person), Proposal.id.in_(by_group)))
    if "co_handler" in present:
        stmt = stmt.where(
            Proposal.id.in_(
                select(Document.proposal_id)
                .join(DocumentInstitution, DocumentInstitution.document_id == Document.id)
                .where(DocumentInstitution.role == "co_handler")
                .where(DocumentInstitution.institution_id.in_(institutions_named("co_handler")))
            )
        )
    return ListShape(stmt, SORTS[sort], Proposal.id, PROPOSAL_FACETS)


PROPOSAL = select(*LIST_COLUMNS).where(Proposal.id == bindparam("id"))
REPLIES = (
    select(
        Document.id, Document.kind, Document.title, Document.publisher, Document.published_date, Document.signed_date
    )
    .where(Document.proposal_id == bindparam("id"))
    .order_by(Document.published_date.asc().nulls_last(), Document.id)
)


async def proposal_detail(reader: Reader, proposal_id: int) -> tuple[AnyRow, Sequence[AnyRow]] | None:
    """One proposal's row (LIST_COLUMNS) and its documents', oldest first, from one snapshot;
    None for an unknown id."""
    key = {"id": proposal_id}
    async with reader.snapshot() as snapshot:
        proposal = await snapshot.first(PROPOSAL, key)
        if proposal is None:
            return None
        return proposal, await snapshot.rows(REPLIES, key)
