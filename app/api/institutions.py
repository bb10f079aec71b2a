"""/institutions: organisations with all their names; one with its documents by role."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import BigInteger, bindparam, select

from app.api.deps import reader_of
from app.api.errors import NotFound
from app.api.examples import CURSORS, SCIENCE_BUREAU, example, path_id
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Listing, json_response, respond
from app.api.params import query_openapi, read_query, refuse_unknown
from app.db.models import Document, DocumentInstitution, Institution
from app.db.queries.institutions import institution_params, institution_shape
from app.db.queries.series import related_query
from app.db.read import AnyRow, AnySelect, Reader, Snapshot
from app.schemas.common import Page
from app.schemas.institutions import InstitutionDetail, InstitutionFilters, InstitutionSummary, Related

router = APIRouter(prefix="/institutions", tags=["institutions"])

InstitutionId = Annotated[int, Path(le=2**53, **path_id("institution", SCIENCE_BUREAU, "重庆市科学技术局 (市科技局)"))]


def institution_items(rows: Sequence[Any], _f: object = None) -> list[dict[str, Any]]:
    """List items from rows of (id, name, type, aliases): the aliases come aggregated in the page's statement."""
    return [{"id": i.id, "name": i.name, "type": i.type, "aliases": i.aliases} for i in rows]


LISTING = Listing("institutions", institution_items, InstitutionSummary)


@router.get(
    "",
    summary="List institutions",
    response_model=Page[InstitutionSummary],
    responses=EXPORT_RESPONSES,
    openapi_extra=query_openapi(InstitutionFilters, cursor=CURSORS["institutions"]),
)
async def list_institutions(request: Request) -> Response:
    f = read_query(request, InstitutionFilters)
    dialect = reader_of(request).dialect
    shape, params = institution_shape(f, dialect), institution_params(f, dialect)
    return await respond(LISTING, request, shape, params, f, sort="name", facets=f.facet)


LINKS = (
    select(DocumentInstitution.role, DocumentInstitution.name, Document.id, Document.title, Document.published_date)
    .join(Document, Document.id == DocumentInstitution.document_id)
    .where(DocumentInstitution.institution_id == bindparam("id"))
    .order_by(Document.published_date.desc().nulls_last(), Document.id, DocumentInstitution.position)
    .limit(bindparam("limit"))
)


@lru_cache(maxsize=4)
def one_institution(dialect: str) -> AnySelect:
    """One institution as a list item, by `:id`: the list's own statement, narrowed to the id."""
    rows = institution_shape(InstitutionFilters(), dialect).rows
    return rows.where(Institution.id == bindparam("id", type_=BigInteger))


async def institution_or_404(snapshot: Snapshot, dialect: str, institution_id: int) -> AnyRow:
    institution = await snapshot.first(one_institution(dialect), {"id": institution_id})
    if institution is None:
        raise NotFound(f"institution {institution_id}")
    return institution


@router.get(
    "/{institution_id}",
    summary="One institution with its aliases and documents by role",
    response_model=InstitutionDetail,
)
async def get_institution(
    request: Request,
    institution_id: InstitutionId,
    limit: Annotated[
        int,
        Query(
            ge=1,
            le=1000,
            description="At most this many document links, newest first; all: /documents?institution=",
            openapi_examples=example(10, "The ten newest"),
        ),
    ] = 100,
) -> Response:
    refuse_unknown(request, frozenset(("limit",)))
    return json_response(await read_institution(reader_of(request), institution_id, limit))


async def read_institution(reader: Reader, institution_id: int, limit: int) -> dict[str, Any]:
    """One institution with its aliases and documents by role (`InstitutionDetail`)."""
    async with reader.snapshot() as snapshot:
        institution = await institution_or_404(snapshot, reader.dialect, institution_id)
        links = await snapshot.rows(LINKS, {"id": institution_id, "limit": limit})
    return {
        **institution_items([institution])[0],
        "documents": [
            {"id": doc_id, "title": title, "published_date": published, "role": role, "name": name}
            for role, name, doc_id, title, published in links
        ],
    }


@router.get(
    "/{institution_id}/related",
    summary="Institutions that appear in the same documents, with counts",
    response_model=Related,
)
async def related_institutions(
    request: Request,
    institution_id: InstitutionId,
    role: Annotated[
        Literal["publisher", "signatory", "co_handler", "proposer", "mentioned"] | None,
        Query(
            description="Only institutions in this role, e.g. co_handler: the units that co-handle with it",
            openapi_examples=example("co_handler", "The units that co-handle with it"),
        ),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=100, description="At most this many, most shared first", openapi_examples=example(20, "20"))
    ] = 20,
) -> Response:
    refuse_unknown(request, frozenset(("role", "limit")))
    return json_response(await read_related(reader_of(request), institution_id, role, limit))


async def read_related(reader: Reader, institution_id: int, role: str | None, limit: int) -> dict[str, Any]:
    """The institutions named in the same documents (`Related`), most shared first."""
    async with reader.snapshot() as snapshot:
        institution = await institution_or_404(snapshot, reader.dialect, institution_id)
        related = await snapshot.rows(
            related_query(role is not None), {"institution_id": institution_id, "role": role, "limit": limit}
        )
    return {
        "institution": institution_items([institution])[0],
        "related": [{"id": i, "name": n, "type": t, "documents": c} for i, n, t, c in related],
    }
