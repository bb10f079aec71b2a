"""/health: 200 while the database answers, 503 otherwise."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import app_engine
from app.api.errors import problem

router = APIRouter(tags=["health"])


@router.get("/health", summary="Is the service and its database up?")
def health(request: Request) -> JSONResponse:
    try:
        with app_engine(request).connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return problem(503, "Database unavailable", "The database cannot be reached")
    return JSONResponse({"status": "ok", "database": "ok"})
