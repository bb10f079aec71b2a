"""/health: 200 while the database answers, 503 otherwise."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import reader_of
from app.api.errors import problem

router = APIRouter(tags=["health"])

HEALTHY = b'{"status":"ok","database":"ok"}'
PING = select(1)


@router.get("/health", summary="Is the service and its database up?")
async def health(request: Request) -> Response:
    try:
        async with reader_of(request).snapshot() as snapshot:
            await snapshot.rows(PING)
    except SQLAlchemyError:
        return problem(503, "Database unavailable", "The database cannot be reached")
    return Response(HEALTHY, media_type="application/json")
