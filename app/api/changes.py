"""/changes: what ingests changed, across the list resources, in commit order, for clients that mirror."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.deps import reader_of
from app.api.errors import ProblemError, invalid_param, problem_responses
from app.api.listing import json_response
from app.api.params import query_openapi, read_query
from app.db.queries.changes import expired, feed_cursor, feed_position, read_feed
from app.db.queries.pagination import InvalidCursor
from app.schemas.changes import ChangeFilters, ChangePage

router = APIRouter(prefix="/changes", tags=["changes"])

GONE = problem_responses((410, "The cursor is older than the deletions kept: replay the feed from the start"))


@router.get(
    "",
    summary="The feed of changes: upserts and deletes of every resource, in commit order",
    response_model=ChangePage,
    responses=GONE,
    openapi_extra=query_openapi(ChangeFilters),
)
async def list_changes(request: Request) -> Response:
    f = read_query(request, ChangeFilters)
    resource = f.resource
    try:
        since, issued_at_horizon = feed_position(f.since, resource) if f.since else (0, 0)
    except InvalidCursor as exc:
        raise invalid_param("since", str(exc)) from None
    page = await read_feed(reader_of(request), since, resource, f.limit)
    request.state.data_version = page.data_version
    if expired(since, issued_at_horizon, page.horizon):
        raise ProblemError(
            410,
            "Cursor expired",
            "since: deletions after this cursor were pruned (they are kept CHANGES_RETENTION_DAYS); "
            "replay the feed from the start, without since, and rebuild the mirror from it",
        )
    items = [{"resource": row.resource, "id": row.resource_id, "op": row.op, "at": row.at} for row in page.entries]
    # At the end, the cursor to poll with is where the client stands.
    last = page.entries[-1].seq if page.entries else since
    return json_response({"items": items, "next_cursor": feed_cursor(last, page.horizon, resource)})
