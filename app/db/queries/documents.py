"""document_query: the one Select behind /documents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Select, literal_column, select

from app.db.models import Document, DocumentInstitution, DocumentTopic, Proposal
from app.db.queries.names import institutions_named
from app.db.queries.pagination import SortKey, decode_date, decode_float
from app.db.queries.search import search_hits
from app.schemas.documents import DocumentFilters, DocumentSort

SORTS: dict[DocumentSort, SortKey] = {
    DocumentSort.published_date: SortKey(Document.published_date, decode=decode_date),
    DocumentSort.published_date_desc: SortKey(Document.published_date, descending=True, decode=decode_date),
    DocumentSort.signed_date: SortKey(Document.signed_date, decode=decode_date),
    DocumentSort.signed_date_desc: SortKey(Document.signed_date, descending=True, decode=decode_date),
    DocumentSort.title_asc: SortKey(Document.title),
    # The score column of the search hits that document_query joins when `q` is given.
    DocumentSort.relevance: SortKey(literal_column("hits.score", Float), descending=True, decode=decode_float),
}


def document_query(f: DocumentFilters, dialect: str) -> Select[Document]:
    """Documents matching every filter given; unordered (the list adds ORDER BY, counts need none)."""
    stmt = select(Document)
    if f.kind:
        stmt = stmt.where(Document.kind == f.kind)
    if f.genre:
        stmt = stmt.where(Document.genre == f.genre)
    if f.publisher:
        stmt = stmt.where(Document.id.in_(_in_role(f.publisher, "publisher")))
    if f.institution:
        stmt = stmt.where(Document.id.in_(_in_role(f.institution, None)))
    if f.topic:
        stmt = stmt.where(Document.id.in_(select(DocumentTopic.document_id).where(DocumentTopic.topic == f.topic)))
    if f.year is not None:
        stmt = stmt.where(Document.year == f.year)
    if f.published_from:
        stmt = stmt.where(Document.published_date >= f.published_from)
    if f.published_to:
        stmt = stmt.where(Document.published_date <= f.published_to)
    if f.proposal_type or f.session:
        proposals = select(Proposal.id)
        if f.proposal_type:
            proposals = proposals.where(Proposal.type == f.proposal_type)
        if f.session:
            proposals = proposals.where(Proposal.session == f.session)
        stmt = stmt.where(Document.proposal_id.in_(proposals))
    if f.q:
        hits = search_hits(f.q, dialect)
        if f.sort == DocumentSort.relevance:
            stmt = stmt.join(hits, hits.c.id == Document.id)  # the score orders the page
        else:
            # Walk the sort's index and probe each document against the hits, stopping at a page:
            # a bounded cost. Fetching every hit by id and sorting them all costs as many row reads
            # as a common word has hits, and SQLite's planner picks that unless the id is hidden
            # from it (`id + 0` cannot use the primary key); PostgreSQL plans it well as written.
            document_id = Document.id + 0 if dialect == "sqlite" else Document.id
            stmt = stmt.where(document_id.in_(select(hits.c.id)))
    return stmt


def _in_role(name: str, role: str | None) -> Select[Any]:
    stmt = select(DocumentInstitution.document_id).where(
        DocumentInstitution.institution_id.in_(institutions_named(name))
    )
    return stmt.where(DocumentInstitution.role == role) if role else stmt
