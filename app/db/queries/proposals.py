"""proposal_query: the one Select behind /proposals."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from app.db.load import number_key
from app.db.models import Document, DocumentInstitution, DocumentPerson, Person, Proposal
from app.db.queries.names import institutions_named
from app.db.queries.pagination import SortKey, decode_int32
from app.db.queries.search import search_hits
from app.schemas.proposals import ProposalFilters, ProposalSort

SORTS: dict[ProposalSort, SortKey] = {
    ProposalSort.year: SortKey(Proposal.year, decode=decode_int32),
    ProposalSort.year_desc: SortKey(Proposal.year, descending=True, decode=decode_int32),
    ProposalSort.number: SortKey(Proposal.number),
}


def proposal_query(f: ProposalFilters, dialect: str) -> Select[Proposal]:
    stmt = select(Proposal)
    if f.q:
        # A proposal's own title is part of each reply's indexed text, with the reply's title and body.
        hits = search_hits(f.q, dialect)
        stmt = stmt.where(Proposal.id.in_(select(Document.proposal_id).join(hits, hits.c.id == Document.id)))
    if f.type:
        stmt = stmt.where(Proposal.type == f.type)
    if f.level:
        stmt = stmt.where(Proposal.level == f.level)
    if f.session:
        stmt = stmt.where(Proposal.session == f.session)
    if f.term is not None:
        stmt = stmt.where(Proposal.term == f.term)
    if f.number:
        # Sites print 0883 or 883 for the same proposal: compare without leading zeros.
        stmt = stmt.where(Proposal.number_key == number_key(f.number))
    if f.year is not None:
        stmt = stmt.where(Proposal.year == f.year)
    if f.proposer:
        by_person = (
            select(Document.proposal_id)
            .join(DocumentPerson, DocumentPerson.document_id == Document.id)
            .join(Person, Person.id == DocumentPerson.person_id)
            .where(DocumentPerson.is_proposer, Person.name == f.proposer.strip())
        )
        by_group = (
            select(Document.proposal_id)
            .join(DocumentInstitution, DocumentInstitution.document_id == Document.id)
            .where(DocumentInstitution.role == "proposer")
            .where(DocumentInstitution.institution_id.in_(institutions_named(f.proposer)))
        )
        stmt = stmt.where(or_(Proposal.id.in_(by_person), Proposal.id.in_(by_group)))
    if f.co_handler:
        stmt = stmt.where(
            Proposal.id.in_(
                select(Document.proposal_id)
                .join(DocumentInstitution, DocumentInstitution.document_id == Document.id)
                .where(DocumentInstitution.role == "co_handler")
                .where(DocumentInstitution.institution_id.in_(institutions_named(f.co_handler)))
            )
        )
    return stmt
