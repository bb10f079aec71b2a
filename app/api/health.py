"""/health: 200 while the database answers, 503 otherwise.

Load balancers ask many times a second, and FastAPI's routing and middleware cost several times
what the check itself does; so `FastHealth`, a pure ASGI layer in front of them, answers it. The
route stays for the OpenAPI document and gives the same answer, from the same check.
"""

from __future__ import annotations

from typing import Literal

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.deps import app_reader
from app.api.errors import problem_responses
from app.api.http import API_CSP
from app.db.read import Reader

router = APIRouter(tags=["health"])

HEALTHY = b'{"status":"ok","database":"ok"}'
UNAVAILABLE = orjson.dumps(
    {
        "type": "about:blank",
        "title": "Database unavailable",
        "status": 503,
        "detail": "The database cannot be reached",
        "errors": [],
    }
)


async def health_answer(reader: Reader) -> tuple[int, bytes, str]:
    """(status, body, media type) of /health."""
    try:
        await reader.ping()
    except SQLAlchemyError:
        return 503, UNAVAILABLE, "application/problem+json"
    return 200, HEALTHY, "application/json"


class Health(BaseModel):
    status: Literal["ok"] = Field(description="The service answers")
    database: Literal["ok"] = Field(description="Its database answers")


@router.get(
    "/health",
    summary="Is the service and its database up?",
    response_model=Health,
    responses=problem_responses((503, "Database unavailable")),
)
async def health(request: Request) -> Response:
    status, body, media_type = await health_answer(app_reader(request.app))
    return Response(body, status_code=status, media_type=media_type)


class FastHealth:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/health" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        status, body, media_type = await health_answer(app_reader(scope["app"]))
        headers = [
            (b"content-type", media_type.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            (b"x-content-type-options", b"nosniff"),
            (b"content-security-policy", API_CSP.encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
