"""/documents: reply letters and news articles, filtered and paged; one document in full."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from app.api.deps import reader_of
from app.api.errors import found
from app.api.examples import CURSORS, SEED_000_DOCUMENT, path_id
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Include, Listing, json_response, respond
from app.api.mentions import locate_in_text
from app.api.params import query_openapi, read_query, refuse_unknown
from app.api.proposals import proposal_items
from app.db.queries.documents import LIST_COLUMNS, document_detail, document_query, stored_source, stored_text
from app.db.queries.includes import DOCUMENT_METRICS, PROPOSALS
from app.db.queries.metrics import metric_fields
from app.db.queries.search import matched_words, snippet
from app.db.read import AnyRow, Reader
from app.ingest.decode import decode_bytes
from app.ingest.record import ParseFailure
from app.schemas.common import ListPage, ResourceId
from app.schemas.documents import METRICS_PER_DOCUMENT, DocumentDetail, DocumentFilters, DocumentItem, DocumentSummary

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get(
    "",
    summary="List documents",
    response_model=ListPage[DocumentItem],
    responses=EXPORT_RESPONSES,
    openapi_extra=query_openapi(DocumentFilters, cursor=CURSORS["documents"]),
)
async def list_documents(request: Request) -> Response:
    f = read_query(request, DocumentFilters)
    shape, params = document_query(f, reader_of(request))
    return await respond(LISTING, request, shape, params, f, sort=f.sort.value, facets=f.facet)


DocumentId = Annotated[ResourceId, path_id("document", SEED_000_DOCUMENT, "Seed 000: 市科技局's reply to 第1024号")]


@router.get("/{document_id}", summary="One document in full", response_model=DocumentDetail)
async def get_document(request: Request, document_id: DocumentId) -> Response:
    refuse_unknown(request)
    return json_response(await read_document(reader_of(request), document_id))


async def read_document(reader: Reader, document_id: int) -> dict[str, Any]:
    """One document in full (`DocumentDetail`): what the JSON answers and the document's page shows."""
    document, proposal, institutions, people, metrics = found(
        await document_detail(reader, document_id), f"document {document_id}"
    )
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
    refuse_unknown(request)
    raw = found(await stored_source(reader_of(request), document_id), f"document {document_id}")
    # text/plain whatever the source was: a scraped page's markup and scripts never run on the API's origin.
    return Response(raw, media_type=source_media_type(raw))


@router.get(
    "/{document_id}/text",
    summary="The cleaned text every span points into",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}, "description": "The cleaned text, UTF-8"}},
)
async def get_document_text(request: Request, document_id: DocumentId) -> Response:
    refuse_unknown(request)
    text = found(await stored_text(reader_of(request), document_id), f"document {document_id}")
    return PlainTextResponse(text, media_type="text/plain; charset=utf-8")


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
        proposal_id, proposal_type, proposal_level, proposal_session, proposal_number, proposal_title, updated_at,
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
        "updated_at": updated_at,
    }


LIST_WIDTH = len(LIST_COLUMNS)


def document_items(rows: Sequence[AnyRow], f: DocumentFilters) -> list[dict[str, Any]]:
    words = matched_words(f.q) if f.q else []
    return [document_item(d, words) for d in rows]


def _with_proposal(item: dict[str, Any], rows: Sequence[AnyRow]) -> None:
    if rows:  # in place of the brief: the whole proposal, as /proposals lists it
        item["proposal"] = proposal_items(rows)[0]


def _with_metrics(item: dict[str, Any], rows: Sequence[AnyRow]) -> None:
    # Each row: the document's id, the figure's id and METRIC_COLUMNS, its updated_at, the uncut
    # count. The document's id and title, which /metrics lists with each figure, are the item's own.
    document_id, title = item["id"], item["title"]
    item["metrics"] = [
        {
            "id": m[1],
            **metric_fields(m, 2),
            "document_id": document_id,
            "document_title": title,
            "updated_at": m[-2],
        }
        for m in rows
    ]
    item["metrics_total"] = rows[0][-1] if rows else 0


LISTING = Listing(
    "documents",
    document_items,
    DocumentSummary,
    {
        "proposal": Include(PROPOSALS, _with_proposal, parent=lambda row: row.proposal_id),
        "metrics": Include(DOCUMENT_METRICS, _with_metrics, per_item=METRICS_PER_DOCUMENT),
    },
)
