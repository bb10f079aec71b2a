"""/institutions: organisations with all their names; one with its documents by role."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import DbSession
from app.api.errors import NotFound
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Listing, respond
from app.api.params import from_query, query_openapi
from app.db.models import Document, DocumentInstitution, Institution, InstitutionAlias
from app.db.queries.facets import INSTITUTION_FACETS
from app.db.queries.institutions import SORT, institution_query
from app.db.queries.series import related_query
from app.schemas.common import Page
from app.schemas.institutions import (
    DocumentByRole,
    InstitutionDetail,
    InstitutionFilters,
    InstitutionSummary,
    Related,
    RelatedInstitution,
)

router = APIRouter(prefix="/institutions", tags=["institutions"])


@router.get(
    "",
    summary="List institutions",
    response_model=Page[InstitutionSummary],
    responses=EXPORT_RESPONSES,
    openapi_extra=query_openapi(InstitutionFilters),
)
def list_institutions(
    request: Request, db: DbSession, f: Annotated[InstitutionFilters, from_query(InstitutionFilters)]
) -> Response:
    rows = institution_query(f, db.get_bind().dialect.name)
    return respond(LISTING, request, db, rows, f, sort="name", key=SORT, facets=f.facet)


@router.get("/{institution_id}", summary="One institution with its aliases and documents by role")
def get_institution(
    db: DbSession,
    institution_id: Annotated[int, Path(ge=1, le=2**53)],
    limit: Annotated[
        int,
        Query(
            ge=1, le=1000, description="At most this many document links, newest first; all: /documents?institution="
        ),
    ] = 100,
) -> InstitutionDetail:
    institution = db.get(Institution, institution_id)
    if institution is None:
        raise NotFound(f"institution {institution_id}")
    links = db.execute(
        select(DocumentInstitution.role, DocumentInstitution.name, Document.id, Document.title, Document.published_date)
        .join(Document, Document.id == DocumentInstitution.document_id)
        .where(DocumentInstitution.institution_id == institution_id)
        .order_by(Document.published_date.desc().nulls_last(), Document.id, DocumentInstitution.position)
        .limit(limit)
    ).all()
    return InstitutionDetail(
        **institution_summaries(db, [institution])[0].model_dump(),
        documents=[
            DocumentByRole(id=doc_id, title=title, published_date=published, role=role, name=name)
            for role, name, doc_id, title, published in links
        ],
    )


@router.get("/{institution_id}/related", summary="Institutions that appear in the same documents, with counts")
def related_institutions(
    db: DbSession,
    institution_id: Annotated[int, Path(ge=1, le=2**53)],
    role: Annotated[
        Literal["publisher", "signatory", "co_handler", "proposer", "mentioned"] | None,
        Query(description="Only institutions in this role, e.g. co_handler: the units that co-handle with it"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="At most this many, most shared first")] = 20,
) -> Related:
    institution = db.get(Institution, institution_id)
    if institution is None:
        raise NotFound(f"institution {institution_id}")
    return Related(
        institution=institution_summaries(db, [institution])[0],
        related=[
            RelatedInstitution(id=other.id, name=other.name, type=other.type, documents=count)
            for other, count in db.execute(related_query(institution_id, role, limit))
        ],
    )


def institution_summaries(
    db: Session, institutions: Sequence[Institution], _f: object = None
) -> list[InstitutionSummary]:
    aliases: dict[int, list[str]] = defaultdict(list)
    for institution_id, name in db.execute(
        select(InstitutionAlias.institution_id, InstitutionAlias.name)
        .where(InstitutionAlias.institution_id.in_([i.id for i in institutions]))
        .order_by(InstitutionAlias.name)
    ):
        aliases[institution_id].append(name)
    return [InstitutionSummary(id=i.id, name=i.name, type=i.type, aliases=aliases[i.id]) for i in institutions]


LISTING = Listing("institutions", Institution.id, INSTITUTION_FACETS, institution_summaries, InstitutionSummary)
