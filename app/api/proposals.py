"""/proposals: suggestions and proposals, filtered and paged; one with its reply documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.deps import reader_of
from app.api.errors import found
from app.api.examples import CURSORS, SEED_000_PROPOSAL, path_id
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Include, Listing, json_response, respond
from app.api.params import query_openapi, read_query, refuse_unknown
from app.db.queries.includes import PROPOSAL_DOCUMENTS
from app.db.queries.proposals import LIST_COLUMNS, REPLIES, proposal_detail, proposal_query
from app.db.read import AnyRow, Reader
from app.schemas.common import ListPage, ResourceId
from app.schemas.proposals import DOCUMENTS_PER_PROPOSAL, ProposalDetail, ProposalFilters, ProposalItem, ProposalSummary

router = APIRouter(prefix="/proposals", tags=["proposals"])


ITEM_KEYS = tuple(column.key for column in LIST_COLUMNS)


def proposal_items(rows: Sequence[AnyRow], _f: object = None) -> list[dict[str, Any]]:
    """List items: every field, proposers and co-handlers included, is in the proposal's row
    (a page's rows end with the sort value, which `zip` leaves out)."""
    return [{**dict(zip(ITEM_KEYS, row, strict=False)), "updated_at": row.updated_at} for row in rows]


REPLY_KEYS = tuple(column.key for column in REPLIES.selected_columns)


def _with_documents(item: dict[str, Any], rows: Sequence[AnyRow]) -> None:
    # Each row: the proposal's id, the columns /proposals/{id} lists, the uncut count.
    item["documents"] = [dict(zip(REPLY_KEYS, row[1:], strict=False)) for row in rows]
    item["documents_total"] = rows[0].total if rows else 0


LISTING = Listing(
    "proposals",
    proposal_items,
    ProposalSummary,
    {"documents": Include(PROPOSAL_DOCUMENTS, _with_documents, per_item=DOCUMENTS_PER_PROPOSAL)},
)


@router.get(
    "",
    summary="List suggestions and proposals",
    response_model=ListPage[ProposalItem],
    responses=EXPORT_RESPONSES,
    openapi_extra=query_openapi(ProposalFilters, cursor=CURSORS["proposals"]),
)
async def list_proposals(request: Request) -> Response:
    f = read_query(request, ProposalFilters)
    shape, params = proposal_query(f, reader_of(request))
    return await respond(LISTING, request, shape, params, f, sort=f.sort.value, facets=f.facet)


@router.get(
    "/{proposal_id}", summary="One proposal with the documents that answer or report it", response_model=ProposalDetail
)
async def get_proposal(
    request: Request,
    proposal_id: Annotated[ResourceId, path_id("proposal", SEED_000_PROPOSAL, "第1024号 of 市六届人大一次会议")],
) -> Response:
    refuse_unknown(request)
    return json_response(await read_proposal(reader_of(request), proposal_id))


async def read_proposal(reader: Reader, proposal_id: int) -> dict[str, Any]:
    """One proposal with its documents (`ProposalDetail`), for the JSON and the proposal's page."""
    proposal, documents = found(await proposal_detail(reader, proposal_id), f"proposal {proposal_id}")
    return {**proposal_items([proposal])[0], "documents": [d._asdict() for d in documents]}
