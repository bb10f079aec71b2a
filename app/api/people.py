"""/people: the named persons the documents print, with their roles, filtered and paged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.deps import reader_of
from app.api.examples import CURSORS
from app.api.exports import EXPORT_RESPONSES
from app.api.listing import Listing, respond
from app.api.params import query_openapi, read_query
from app.db.queries.people import person_query
from app.db.read import AnyRow
from app.schemas.common import Page
from app.schemas.people import PersonFilters, PersonSummary

router = APIRouter(prefix="/people", tags=["people"])


def person_items(rows: Sequence[AnyRow], _f: object = None) -> list[dict[str, Any]]:
    """List items from rows of (id, name, roles, documents): roles come aggregated in the page's statement."""
    return [
        {
            "id": p.id,
            "name": p.name,
            "roles": p.roles,
            "documents": int(p.documents),
            "updated_at": p.updated_at,
        }
        for p in rows
    ]


LISTING = Listing("people", person_items, PersonSummary)


@router.get(
    "",
    summary="List people",
    response_model=Page[PersonSummary],
    responses=EXPORT_RESPONSES,
    openapi_extra=query_openapi(PersonFilters, cursor=CURSORS["people"]),
)
async def list_people(request: Request) -> Response:
    f = read_query(request, PersonFilters)
    shape, params = person_query(f, reader_of(request))
    return await respond(LISTING, request, shape, params, f, sort=f.sort.value, facets=f.facet)
