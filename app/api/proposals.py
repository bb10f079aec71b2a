"""/proposals: suggestions and proposals, filtered and paged; one with its reply documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from app.api.deps import DbSession
from app.api.errors import NotFound
from app.db.models import Document, Proposal
from app.db.queries.pagination import page_rows
from app.db.queries.proposals import SORTS, proposal_query
from app.schemas.common import Page
from app.schemas.proposals import ProposalDetail, ProposalFilters, ProposalSummary, ReplyDocument

router = APIRouter(prefix="/proposals", tags=["proposals"])


@router.get("", summary="List suggestions and proposals")
def list_proposals(db: DbSession, f: Annotated[ProposalFilters, Query()]) -> Page[ProposalSummary]:
    rows, next_cursor = page_rows(
        db,
        proposal_query(f),
        endpoint="proposals",
        sort=f.sort.value,
        key=SORTS[f.sort],
        id_column=Proposal.id,
        limit=f.limit,
        cursor=f.cursor,
    )
    return Page(items=[ProposalSummary.model_validate(p) for p in rows], next_cursor=next_cursor)


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
