"""/documents: reply letters and news articles, filtered and paged; one document in full."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import DbSession
from app.api.errors import NotFound
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Listing, respond
from app.api.metrics import metric_fields
from app.api.params import from_query, query_openapi
from app.db.models import Document, DocumentInstitution, DocumentPerson, DocumentTopic, Institution, Person, Proposal
from app.db.queries.documents import SORTS, document_query
from app.db.queries.facets import DOCUMENT_FACETS
from app.db.queries.search import matched_words, snippet
from app.schemas.common import Page
from app.schemas.documents import (
    DocumentDetail,
    DocumentFilters,
    DocumentSummary,
    InstitutionRole,
    PersonRole,
    ProposalBrief,
    ProposalInRecord,
    Section,
)
from app.schemas.metrics import MetricOut

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get(
    "",
    summary="List documents",
    response_model=Page[DocumentSummary],
    responses=EXPORT_RESPONSES,
    openapi_extra=query_openapi(DocumentFilters),
)
def list_documents(
    request: Request, db: DbSession, f: Annotated[DocumentFilters, from_query(DocumentFilters)]
) -> Response:
    rows = document_query(f, db.get_bind().dialect.name)
    return respond(LISTING, request, db, rows, f, sort=f.sort.value, key=SORTS[f.sort], facets=f.facet)


@router.get("/{document_id}", summary="One document in full")
def get_document(db: DbSession, document_id: Annotated[int, Path(ge=1, le=2**53)]) -> DocumentDetail:
    document = db.get(Document, document_id)
    if document is None:
        raise NotFound(f"document {document_id}")
    summary = summaries(db, [document])[0]
    proposal = document.proposal
    institutions = db.execute(
        select(DocumentInstitution, Institution)
        .join(Institution, Institution.id == DocumentInstitution.institution_id)
        .where(DocumentInstitution.document_id == document_id)
        .order_by(DocumentInstitution.position)
    ).all()
    people = db.execute(
        select(DocumentPerson, Person)
        .join(Person, Person.id == DocumentPerson.person_id)
        .where(DocumentPerson.document_id == document_id)
        .order_by(DocumentPerson.position)
    ).all()
    return DocumentDetail(
        **summary.model_dump(exclude={"proposal"}),
        addressee=document.addressee,
        approved_by=document.approved_by,
        proposal=None
        if proposal is None
        else ProposalInRecord(
            id=proposal.id,
            type=proposal.type,
            level=proposal.level,
            session=proposal.session,
            number=proposal.number,
            title=proposal.title,
            term=proposal.term,
            session_no=proposal.session_no,
            proposers=proposal.proposers,
            co_handlers=proposal.co_handlers,
        ),
        sections=[Section(**s) for s in document.sections],
        institutions=[
            InstitutionRole(
                id=institution.id,
                name=link.name,
                canonical_name=institution.name,
                type=institution.type,
                role=link.role,
                span=_span(link.span_start, link.span_end),
                sentence=link.sentence,
            )
            for link, institution in institutions
        ],
        people=[
            PersonRole(
                id=person.id,
                name=person.name,
                role=link.role,
                is_proposer=link.is_proposer,
                span=_span(link.span_start, link.span_end),
                sentence=link.sentence,
            )
            for link, person in people
        ],
        metrics=[MetricOut(**metric_fields(m)) for m in document.metrics],
        text=document.text,
        source_path=document.source_path,
        sha256=document.sha256,
    )


def summaries(db: Session, documents: Sequence[Any], f: DocumentFilters | None = None) -> list[DocumentSummary]:
    """List items for `documents` (Document objects, or rows of the LISTING columns), with their
    topics, proposals and, for snippets, texts fetched in one query each."""
    ids = [d.id for d in documents]
    topics: dict[int, list[str]] = defaultdict(list)
    for document_id, topic in db.execute(
        select(DocumentTopic.document_id, DocumentTopic.topic)
        .where(DocumentTopic.document_id.in_(ids))
        .order_by(DocumentTopic.document_id, DocumentTopic.position)
    ):
        topics[document_id].append(topic)
    proposal_ids = {d.proposal_id for d in documents if d.proposal_id is not None}
    proposals = (
        {p.id: p for p in db.scalars(select(Proposal).where(Proposal.id.in_(proposal_ids)))} if proposal_ids else {}
    )
    words = matched_words(f.q) if f and f.q else []
    texts = (
        dict(db.execute(select(Document.id, Document.text).where(Document.id.in_(ids))).tuples().all()) if words else {}
    )
    return [
        DocumentSummary(
            id=d.id,
            kind=d.kind,
            title=d.title,
            index_no=d.index_no,
            doc_no=d.doc_no,
            genre=d.genre,
            topics=topics[d.id],
            publisher=d.publisher,
            written_date=d.written_date,
            published_date=d.published_date,
            signed_date=d.signed_date,
            signatory=d.signatory,
            source=d.source,
            proposal=ProposalBrief.model_validate(proposals[d.proposal_id]) if d.proposal_id in proposals else None,
            snippet=(snippet(texts[d.id], words) or snippet(d.title, words)) if words else None,
        )
        for d in documents
    ]


LISTING = Listing(
    "documents",
    Document.id,
    DOCUMENT_FACETS,
    summaries,
    DocumentSummary,
    columns=(
        Document.id,
        Document.kind,
        Document.title,
        Document.index_no,
        Document.doc_no,
        Document.genre,
        Document.publisher,
        Document.written_date,
        Document.published_date,
        Document.signed_date,
        Document.signatory,
        Document.source,
        Document.proposal_id,
    ),
)


def _span(start: int | None, end: int | None) -> tuple[int, int] | None:
    return (start, end) if start is not None and end is not None else None
