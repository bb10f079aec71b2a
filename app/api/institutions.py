"""/institutions: organisations with all their names; one with its documents by role."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import DbSession
from app.api.errors import NotFound
from app.db.models import Document, DocumentInstitution, Institution, InstitutionAlias
from app.db.queries.institutions import SORT, institution_query
from app.db.queries.pagination import page_rows
from app.schemas.common import Page
from app.schemas.institutions import DocumentByRole, InstitutionDetail, InstitutionFilters, InstitutionSummary

router = APIRouter(prefix="/institutions", tags=["institutions"])


@router.get("", summary="List institutions")
def list_institutions(db: DbSession, f: Annotated[InstitutionFilters, Query()]) -> Page[InstitutionSummary]:
    rows, next_cursor = page_rows(
        db,
        institution_query(f),
        endpoint="institutions",
        sort="name",
        key=SORT,
        id_column=Institution.id,
        limit=f.limit,
        cursor=f.cursor,
    )
    return Page(items=institution_summaries(db, rows), next_cursor=next_cursor)


@router.get("/{institution_id}", summary="One institution with its aliases and documents by role")
def get_institution(db: DbSession, institution_id: Annotated[int, Path(ge=1, le=2**53)]) -> InstitutionDetail:
    institution = db.get(Institution, institution_id)
    if institution is None:
        raise NotFound(f"institution {institution_id}")
    links = db.execute(
        select(DocumentInstitution.role, DocumentInstitution.name, Document.id, Document.title, Document.published_date)
        .join(Document, Document.id == DocumentInstitution.document_id)
        .where(DocumentInstitution.institution_id == institution_id)
        .order_by(Document.published_date.desc().nulls_last(), Document.id, DocumentInstitution.position)
    ).all()
    return InstitutionDetail(
        **institution_summaries(db, [institution])[0].model_dump(),
        documents=[
            DocumentByRole(id=doc_id, title=title, published_date=published, role=role, name=name)
            for role, name, doc_id, title, published in links
        ],
    )


def institution_summaries(db: Session, institutions: Sequence[Institution]) -> list[InstitutionSummary]:
    aliases: dict[int, list[str]] = defaultdict(list)
    for institution_id, name in db.execute(
        select(InstitutionAlias.institution_id, InstitutionAlias.name)
        .where(InstitutionAlias.institution_id.in_([i.id for i in institutions]))
        .order_by(InstitutionAlias.name)
    ):
        aliases[institution_id].append(name)
    return [InstitutionSummary(id=i.id, name=i.name, type=i.type, aliases=aliases[i.id]) for i in institutions]
