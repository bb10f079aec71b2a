"""/institutions: organisations with all their names; one with its documents by role."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.api.deps import reader_of
from app.api.errors import found
from app.api.examples import CURSORS, SCIENCE_BUREAU, example, path_id
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Include, Listing, json_response, respond
from app.api.params import query_openapi, read_query, refuse_unknown
from app.db.queries.includes import RELATED
from app.db.queries.institutions import institution_detail, institution_query, institution_related
from app.db.read import AnyRow, Reader
from app.ingest.record import InstitutionRole
from app.schemas.common import ListPage, ResourceId
from app.schemas.institutions import (
    RELATED_PER_INSTITUTION,
    InstitutionDetail,
    InstitutionFilters,
    InstitutionItem,
    InstitutionSummary,
    Related,
)

router = APIRouter(prefix="/institutions", tags=["institutions"])

InstitutionId = Annotated[ResourceId, path_id("institution", SCIENCE_BUREAU, "重庆市科学技术局 (市科技局)")]


def institution_items(rows: Sequence[AnyRow], _f: object = None) -> list[dict[str, Any]]:
    """List items from rows of (id, name, type, aliases): the aliases come aggregated in the page's statement."""
    return [
        {"id": i.id, "name": i.name, "type": i.type, "aliases": i.aliases, "updated_at": i.updated_at} for i in rows
    ]


def _with_related(item: dict[str, Any], rows: Sequence[AnyRow]) -> None:
    item["related"] = [related_item(row[1:]) for row in rows]  # after the parent's id
    item["related_total"] = rows[0].total if rows else 0


def related_item(row: Sequence[Any]) -> dict[str, Any]:
    """A `RelatedInstitution` from (id, name, type, documents, …)."""
    id_, name, type_, documents = row[:4]
    return {"id": id_, "name": name, "type": type_, "documents": documents}


LISTING = Listing(
    "institutions",
    institution_items,
    InstitutionSummary,
    {
        # Every item carries its aliases, aggregated in the page's own statement: nothing to add.
        "aliases": Include(None, lambda _item, _rows: None),
        "related": Include(RELATED, _with_related, per_item=RELATED_PER_INSTITUTION),
    },
)


@router.get(
    "",
    summary="List institutions",
    response_model=ListPage[InstitutionItem],
    responses=EXPORT_RESPONSES,
    openapi_extra=query_openapi(InstitutionFilters, cursor=CURSORS["institutions"]),
)
async def list_institutions(request: Request) -> Response:
    f = read_query(request, InstitutionFilters)
    shape, params = institution_query(f, reader_of(request))
    return await respond(LISTING, request, shape, params, f, sort=f.sort.value, facets=f.facet)


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
    institution, links = found(await institution_detail(reader, institution_id, limit), f"institution {institution_id}")
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
        InstitutionRole | None,
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
    institution, related = found(
        await institution_related(reader, institution_id, role, limit), f"institution {institution_id}"
    )
    return {
        "institution": institution_items([institution])[0],
        "related": [related_item(row) for row in related],
    }
