"""/proposals: suggestions and proposals, filtered and paged; one with its reply documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import DbSession
from app.api.errors import NotFound
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Listing, respond
from app.api.params import from_query, query_openapi
from app.db.models import Document, Proposal
from app.db.queries.facets import PROPOSAL_FACETS
from app.db.queries.proposals import SORTS, proposal_query
from app.schemas.common import Page
from app.schemas.proposals import ProposalDetail, ProposalFilters, ProposalSummary, ReplyDocument

router = APIRouter(prefix="/proposals", tags=["proposals"])


def proposal_summaries(_db: Session, proposals: Sequence[Proposal], _f: object = None) -> list[ProposalSummary]:
    return [ProposalSummary.model_validate(p) for p in proposals]


LISTING = Listing("proposals", Proposal.id, PROPOSAL_FACETS, proposal_summaries, ProposalSummary)


@router.get(
    "",
    summary="List suggestions and proposals",
    response_model=Page[ProposalSummary],
    responses=EXPORT_RESPONSES,
    openapi_extra=query_openapi(ProposalFilters),
)
def list_proposals(
    request: Request, db: DbSession, f: Annotated[ProposalFilters, from_query(ProposalFilters)]
) -> Response:
    rows = proposal_query(f, db.get_bind().dialect.name)
    return respond(LISTING, request, db, rows, f, sort=f.sort.value, key=SORTS[f.sort], facets=f.facet)


@router.get("/{proposal_id}", summary="One proposal with the documents that answer or report it")
def get_proposal(db: DbSession, proposal_id: Annotated[int, Path(ge=1, le=2**53)]) -> ProposalDetail:
    proposal = db.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound(f"proposal {proposal_id}")
    documents = db.scalars(
        select(Document)
        .where(Document.proposal_id == proposal_id)
        .order_by(Document.published_date.asc().nulls_last(), Document.id)
    ).all()
    return ProposalDetail(
        **ProposalSummary.model_validate(proposal).model_dump(),
        documents=[ReplyDocument.model_validate(d) for d in documents],
    )
