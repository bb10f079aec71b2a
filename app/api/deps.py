"""Request dependencies: a database session per request, on the app's own engine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.db.engine import get_engine, session_scope, snapshot_reads


def app_engine(request: Request) -> Engine:
    engine: Engine | None = getattr(request.app.state, "engine", None)
    return engine or get_engine()


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(snapshot_reads(app_engine(request))) as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]
