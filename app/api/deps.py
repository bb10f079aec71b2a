"""Request dependencies: the app's reader for the read path; a session per request for admin routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.db.engine import get_engine, read_session, snapshot_reads
from app.db.read import Reader


def app_engine(request: Request) -> Engine:
    engine: Engine | None = getattr(request.app.state, "engine", None)
    return engine or get_engine()


def reader_of(request: Request) -> Reader:
    return app_reader(request.app)


def app_reader(app: Any) -> Reader:
    """The app's `Reader`, made on first use (the engine may be configured after the app is built)."""
    state = app.state
    reader: Reader | None = getattr(state, "reader", None)
    if reader is None:
        engine: Engine | None = getattr(state, "engine", None)
        reader = state.reader = Reader(engine or get_engine())
    return reader


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A read-only session for one request. Async so that opening and closing it costs no trip
    through the thread pool: the session connects only on its first query, inside the route's
    thread. Closing ends the read transaction: a local call on SQLite, done here; a round trip on
    PostgreSQL, which must not hold up the event loop, so it goes to the pool."""
    engine = snapshot_reads(app_engine(request))
    session = read_session(engine)
    try:
        yield session
    finally:
        if engine.dialect.name == "sqlite" or not session.in_transaction():
            session.close()
        else:
            await run_in_threadpool(session.close)


DbSession = Annotated[Session, Depends(get_session)]
