"""/documents: reply letters and news articles, filtered and paged; one document in full."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.api.deps import DbSession
from app.api.errors import NotFound
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Listing, respond
from app.api.metrics import METRIC_COLUMNS, metric_fields
from app.api.params import from_query, query_openapi
from app.db.models import (
    Document,
    DocumentBody,
    DocumentInstitution,
    DocumentPerson,
    DocumentTopic,
    Institution,
    Metric,
    Person,
    Proposal,
)
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
    # Plain rows of the columns shown, never ORM objects (a letter names dozens of institutions,
    # people and figures, and an entity for each cost more than the queries), from statements
    # built once: building a Select costs about as much as running it.
    document = db.execute(DetailQueries.document, {"id": document_id}).first()
    if document is None:
        raise NotFound(f"document {document_id}")
    proposal = (
        ProposalInRecord.model_validate(db.execute(DetailQueries.proposal, {"id": document.proposal_id}).one())
        if document.proposal_id is not None
        else None
    )
    summary = summaries(db, [document], proposals={proposal.id: proposal} if proposal else {})[0]
    institutions = db.execute(DetailQueries.institutions, {"id": document_id}).all()
    people = db.execute(DetailQueries.people, {"id": document_id}).all()
    metrics = db.execute(DetailQueries.metrics, {"id": document_id}).all()
    return DocumentDetail(
        **summary.model_dump(exclude={"proposal"}),
        addressee=document.addressee,
        approved_by=document.approved_by,
        proposal=proposal,
        sections=[Section(**s) for s in document.sections],
        institutions=[
            InstitutionRole(
                id=i.id,
                name=i.name,
                canonical_name=i.canonical_name,
                type=i.type,
                role=i.role,
                span=_span(i.span_start, i.span_end),
                sentence=i.sentence,
            )
            for i in institutions
        ],
        people=[
            PersonRole(
                id=p.id,
                name=p.name,
                role=p.role,
                is_proposer=p.is_proposer,
                span=_span(p.span_start, p.span_end),
                sentence=p.sentence,
            )
            for p in people
        ],
        metrics=[MetricOut(**metric_fields(m)) for m in metrics],
        text=document.text,
        source_path=document.source_path,
        sha256=document.sha256,
    )


def summaries(
    db: Session,
    documents: Sequence[Any],
    f: DocumentFilters | None = None,
    *,
    proposals: dict[int, ProposalBrief] | None = None,
) -> list[DocumentSummary]:
    """List items for `documents` (rows of at least the LISTING columns), with their topics,
    proposals (unless the caller has them already) and, for snippets, texts fetched in one query each."""
    ids = [d.id for d in documents]
    topics: dict[int, list[str]] = defaultdict(list)
    for document_id, topic in db.execute(
        select(DocumentTopic.document_id, DocumentTopic.topic)
        .where(DocumentTopic.document_id.in_(ids))
        .order_by(DocumentTopic.document_id, DocumentTopic.position)
    ):
        topics[document_id].append(topic)
    if proposals is None:
        proposal_ids = {d.proposal_id for d in documents if d.proposal_id is not None}
        brief = select(Proposal.id, Proposal.type, Proposal.level, Proposal.session, Proposal.number, Proposal.title)
        proposals = (
            {p.id: ProposalBrief.model_validate(p) for p in db.execute(brief.where(Proposal.id.in_(proposal_ids)))}
            if proposal_ids
            else {}
        )
    words = matched_words(f.q) if f and f.q else []
    texts = (
        dict(
            db.execute(
                select(DocumentBody.document_id, DocumentBody.text).where(DocumentBody.document_id.in_(ids))
            ).all()
        )
        if words
        else {}
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
            proposal=proposals.get(d.proposal_id),
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


class DetailQueries:
    """The statements behind one document in full, each taking the id as `:id`."""

    document = (
        select(
            *LISTING.columns,
            Document.addressee,
            Document.approved_by,
            Document.sections,
            DocumentBody.text,
            Document.source_path,
            Document.sha256,
        )
        .join(DocumentBody, DocumentBody.document_id == Document.id)
        .where(Document.id == bindparam("id"))
    )
    proposal = select(
        Proposal.id,
        Proposal.type,
        Proposal.level,
        Proposal.session,
        Proposal.number,
        Proposal.title,
        Proposal.term,
        Proposal.session_no,
        Proposal.proposers,
        Proposal.co_handlers,
    ).where(Proposal.id == bindparam("id"))
    institutions = (
        select(
            Institution.id,
            DocumentInstitution.name,
            Institution.name.label("canonical_name"),
            Institution.type,
            DocumentInstitution.role,
            DocumentInstitution.span_start,
            DocumentInstitution.span_end,
            DocumentInstitution.sentence,
        )
        .join(Institution, Institution.id == DocumentInstitution.institution_id)
        .where(DocumentInstitution.document_id == bindparam("id"))
        .order_by(DocumentInstitution.position)
    )
    people = (
        select(
            Person.id,
            Person.name,
            DocumentPerson.role,
            DocumentPerson.is_proposer,
            DocumentPerson.span_start,
            DocumentPerson.span_end,
            DocumentPerson.sentence,
        )
        .join(Person, Person.id == DocumentPerson.person_id)
        .where(DocumentPerson.document_id == bindparam("id"))
        .order_by(DocumentPerson.position)
    )
    metrics = select(*METRIC_COLUMNS).where(Metric.document_id == bindparam("id")).order_by(Metric.position)


def _span(start: int | None, end: int | None) -> tuple[int, int] | None:
    return (start, end) if start is not None and end is not None else None
