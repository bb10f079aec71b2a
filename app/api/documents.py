"""/documents: reply letters and news articles, filtered and paged; one document in full."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Path, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import bindparam, select

from app.api.deps import reader_of
from app.api.errors import NotFound
from app.api.examples import CURSORS, SEED_000_DOCUMENT, path_id
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Listing, json_response, respond
from app.api.mentions import locate_in_text
from app.api.metrics import metric_fields
from app.api.params import query_openapi, read_query, refuse_unknown
from app.db.models import (
    Document,
    DocumentBody,
    DocumentInstitution,
    DocumentPerson,
    Institution,
    Metric,
    Person,
    Proposal,
)
from app.db.queries.documents import LIST_COLUMNS, document_params, document_shape, stored_source, stored_text
from app.db.queries.metrics import METRIC_COLUMNS
from app.db.queries.search import matched_words, snippet
from app.db.read import AnyRow, Reader, Snapshot
from app.ingest.decode import decode_bytes
from app.ingest.record import ParseFailure
from app.schemas.common import Page
from app.schemas.documents import DocumentDetail, DocumentFilters, DocumentSummary

router = APIRouter(prefix="/documents", tags=["documents"])

T = TypeVar("T")


@router.get(
    "",
    summary="List documents",
    response_model=Page[DocumentSummary],
    responses=EXPORT_RESPONSES,
    openapi_extra=query_openapi(DocumentFilters, cursor=CURSORS["documents"]),
)
async def list_documents(request: Request) -> Response:
    f = read_query(request, DocumentFilters)
    dialect = reader_of(request).dialect
    shape, params = document_shape(f, dialect), document_params(f, dialect)
    return await respond(LISTING, request, shape, params, f, sort=f.sort.value, facets=f.facet)


DocumentId = Annotated[
    int, Path(le=2**53, **path_id("document", SEED_000_DOCUMENT, "Seed 000: 市科技局's reply to 第1024号"))
]


@router.get("/{document_id}", summary="One document in full", response_model=DocumentDetail)
async def get_document(request: Request, document_id: DocumentId) -> Response:
    refuse_unknown(request)
    return json_response(await read_document(reader_of(request), document_id))


async def read_document(reader: Reader, document_id: int) -> dict[str, Any]:
    """One document in full (`DocumentDetail`): what the JSON answers and the document's page shows."""
    # Plain rows of the columns shown, from statements built once: a letter names dozens of
    # institutions, people and figures, and building a Select costs about as much as running it.
    key = {"id": document_id}
    async with reader.snapshot() as snapshot:
        document = await snapshot.first(DetailQueries.document, key)
        if document is None:
            raise NotFound(f"document {document_id}")
        proposal = (
            await snapshot.first(DetailQueries.proposal, {"id": document.proposal_id})
            if document.proposal_id is not None
            else None
        )
        institutions = await snapshot.rows(DetailQueries.institutions, key)
        people = await snapshot.rows(DetailQueries.people, key)
        metrics = await snapshot.rows(DetailQueries.metrics, key)
    return {
        **document_item(document, []),
        "addressee": document.addressee,
        "approved_by": document.approved_by,
        "proposal": proposal._asdict() if proposal is not None else None,
        "sections": document.sections,
        "institutions": [
            {
                "id": id_,
                "name": name,
                "canonical_name": canonical_name,
                "type": type_,
                "role": role,
                **locate_in_text(document.text, name, role, start, end, sentence),
            }
            for id_, name, canonical_name, type_, role, start, end, sentence in institutions
        ],
        "people": [
            {
                "id": id_,
                "name": name,
                "role": role,
                "is_proposer": is_proposer,
                **locate_in_text(document.text, name, None, start, end, sentence),
            }
            for id_, name, role, is_proposer, start, end, sentence in people
        ],
        "metrics": [metric_fields(m) for m in metrics],
        "text": document.text,
        "source_path": document.source_path,
        "sha256": document.sha256,
    }


@router.get(
    "/{document_id}/source",
    summary="The source file's bytes as ingested",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "The bytes, their detected encoding as charset"}},
)
async def get_document_source(request: Request, document_id: DocumentId) -> Response:
    raw = await _stored_or_404(request, document_id, stored_source)
    # text/plain whatever the source was: a scraped page's markup and scripts never run on the API's origin.
    return Response(raw, media_type=source_media_type(raw))


@router.get(
    "/{document_id}/text",
    summary="The cleaned text every span points into",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}, "description": "The cleaned text, UTF-8"}},
)
async def get_document_text(request: Request, document_id: DocumentId) -> Response:
    text = await _stored_or_404(request, document_id, stored_text)
    return PlainTextResponse(text, media_type="text/plain; charset=utf-8")


async def _stored_or_404(request: Request, document_id: int, read: Callable[[Snapshot, int], Awaitable[T | None]]) -> T:
    """What `read` finds of the document, read alone; a 404 when there is no such document."""
    refuse_unknown(request)
    async with reader_of(request).snapshot(one_statement=True) as snapshot:
        found = await read(snapshot, document_id)
    if found is None:
        raise NotFound(f"document {document_id}")
    return found


def source_media_type(raw: bytes) -> str:
    """text/plain with the charset the ingest detects in the bytes (BOM, declared charset,
    GB18030/Big5), by the name HTTP knows: a UTF-8 BOM is still UTF-8."""
    try:
        _, encoding = decode_bytes(raw)
    except ParseFailure:  # the ingest refuses such bytes, so only a hand-edited row gets here
        return "application/octet-stream"
    return f"text/plain; charset={ {'utf-8-sig': 'utf-8'}.get(encoding, encoding) }"


def document_item(d: AnyRow, words: list[str]) -> dict[str, Any]:
    """A list item (`DocumentSummary`) from a row that starts with LIST_COLUMNS (and has `text`
    with words). Read by position: a row's attributes by name cost more than the rest of the item."""
    (
        id_, kind, title, index_no, doc_no, genre, topics, publisher, written, published, signed, signatory, source,
        proposal_id, proposal_type, proposal_level, proposal_session, proposal_number, proposal_title,
    ) = d[:LIST_WIDTH]  # fmt: skip
    return {
        "id": id_,
        "kind": kind,
        "title": title,
        "index_no": index_no,
        "doc_no": doc_no,
        "genre": genre,
        "topics": topics,
        "publisher": publisher,
        "written_date": written,
        "published_date": published,
        "signed_date": signed,
        "signatory": signatory,
        "source": source,
        "proposal": {
            "id": proposal_id,
            "type": proposal_type,
            "level": proposal_level,
            "session": proposal_session,
            "number": proposal_number,
            "title": proposal_title,
        }
        if proposal_id is not None
        else None,
        "snippet": (snippet(d.text, words) or snippet(title, words)) if words else None,
    }


LIST_WIDTH = len(LIST_COLUMNS)


def document_items(rows: Sequence[AnyRow], f: DocumentFilters) -> list[dict[str, Any]]:
    words = matched_words(f.q) if f.q else []
    return [document_item(d, words) for d in rows]


LISTING = Listing("documents", document_items, DocumentSummary)


class DetailQueries:
    """The statements behind one document in full, each taking the id as `:id`."""

    document = (
        select(
            *LIST_COLUMNS,
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
