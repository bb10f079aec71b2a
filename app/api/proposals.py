"""/proposals: suggestions and proposals, filtered and paged; one with its reply documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlalchemy import bindparam, select

from app.api.deps import reader_of
from app.api.errors import NotFound
from app.api.examples import CURSORS, SEED_000_PROPOSAL, path_id
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Listing, json_response, respond
from app.api.params import query_openapi, read_query, refuse_unknown
from app.db.models import Document, Proposal
from app.db.queries.proposals import LIST_COLUMNS, proposal_params, proposal_shape
from app.db.read import Reader
from app.schemas.common import Page
from app.schemas.proposals import ProposalDetail, ProposalFilters, ProposalSummary

router = APIRouter(prefix="/proposals", tags=["proposals"])


ITEM_KEYS = tuple(column.key for column in LIST_COLUMNS)


def proposal_items(rows: Sequence[Any], _f: object = None) -> list[dict[str, Any]]:
    """List items: every field, proposers and co-handlers included, is in the proposal's row
    (a page's rows end with the sort value, which `zip` leaves out)."""
    return [dict(zip(ITEM_KEYS, row, strict=False)) for row in rows]


LISTING = Listing("proposals", proposal_items, ProposalSummary)


@router.get(
    "",
    summary="List suggestions and proposals",
    response_model=Page[ProposalSummary],
    responses=EXPORT_RESPONSES,
    openapi_extra=query_openapi(ProposalFilters, cursor=CURSORS["proposals"]),
)
async def list_proposals(request: Request) -> Response:
    f = read_query(request, ProposalFilters)
    dialect = reader_of(request).dialect
    shape, params = proposal_shape(f, dialect), proposal_params(f, dialect)
    return await respond(LISTING, request, shape, params, f, sort=f.sort.value, facets=f.facet)


PROPOSAL = select(*LIST_COLUMNS).where(Proposal.id == bindparam("id"))
REPLY_COLUMNS = (Document.id, Document.kind, Document.title, Document.publisher, Document.published_date)
REPLIES = (
    select(*REPLY_COLUMNS, Document.signed_date)
    .where(Document.proposal_id == bindparam("id"))
    .order_by(Document.published_date.asc().nulls_last(), Document.id)
)


@router.get(
    "/{proposal_id}", summary="One proposal with the documents that answer or report it", response_model=ProposalDetail
)
async def get_proposal(
    request: Request,
    proposal_id: Annotated[
        int, Path(le=2**53, **path_id("proposal", SEED_000_PROPOSAL, "第1024号 of 市六届人大一次会议"))
    ],
) -> Response:
    refuse_unknown(request)
    return json_response(await read_proposal(reader_of(request), proposal_id))


async def read_proposal(reader: Reader, proposal_id: int) -> dict[str, Any]:
    """One proposal with its documents (`ProposalDetail`), for the JSON and the proposal's page."""
    key = {"id": proposal_id}
    async with reader.snapshot() as snapshot:
        proposal = await snapshot.first(PROPOSAL, key)
        if proposal is None:
            raise NotFound(f"proposal {proposal_id}")
        documents = await snapshot.rows(REPLIES, key)
    return {**proposal_items([proposal])[0], "documents": [d._asdict() for d in documents]}
