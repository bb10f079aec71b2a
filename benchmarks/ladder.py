"""The rungs between the bare floor and our API: the same filtered, sorted list, each rung adding
one layer of the project's fixed stack, so the figures show what each layer costs on its own.

- `fastapi`: FastAPI with a sync route and typed query parameters (validation, dependency solving,
  the thread-pool hop, the API's 4 threads), then the floor's own sqlite3 + orjson;
- `fastapi_sqlalchemy`: the same, the statement built with SQLAlchemy Core and run on a pooled
  connection of the project's own engine (`app.db.engine.build_engine`), rows to dicts, orjson.

Neither has middleware, pydantic response models, cursors signed by the app, or the topics and
proposals each API list item carries: whatever the API spends above `fastapi_sqlalchemy` is ours.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any

import anyio.to_thread
import orjson
from fastapi import FastAPI, Query
from fastapi.responses import Response
from sqlalchemy import Engine, column, select, table

from app.db.engine import build_engine
from benchmarks.floor import LIST_SQL, NAMES, next_cursor

API_THREADS = 4
"""The API's own default (API_THREADS), so the rungs take the same thread-pool hop."""

Genre = Annotated[str, Query(min_length=1, max_length=50)]
Limit = Annotated[int, Query(ge=1, le=100)]


@asynccontextmanager
async def _threads(_: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = API_THREADS
    yield


def _json_page(items: list[dict[str, Any]], more: bool) -> Response:
    cursor = next_cursor(items[-1]) if more else None
    return Response(orjson.dumps({"items": items, "next_cursor": cursor}), media_type="application/json")


_local = threading.local()


def _sqlite3() -> sqlite3.Connection:
    if not hasattr(_local, "connection"):
        path = os.environ["FLOOR_SQLITE_PATH"]
        _local.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    connection: sqlite3.Connection = _local.connection
    return connection


fastapi_app = FastAPI(lifespan=_threads, openapi_url=None)


@fastapi_app.get("/documents")
def fastapi_documents(genre: Genre, published_to: date, limit: Limit = 20) -> Response:
    rows = _sqlite3().execute(LIST_SQL, (genre, published_to.isoformat(), limit + 1)).fetchall()
    items = [dict(zip(NAMES, row, strict=True)) for row in rows[:limit]]
    return _json_page(items, len(rows) > limit)


@fastapi_app.get("/health")
def fastapi_health() -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


_document = table("document", *(column(name) for name in NAMES))
_engine: Engine | None = None


def _core_engine() -> Engine:
    global _engine
    if _engine is None:
        _engine = build_engine(f"sqlite:///{os.environ['FLOOR_SQLITE_PATH']}")
    return _engine


fastapi_sqlalchemy_app = FastAPI(lifespan=_threads, openapi_url=None)


@fastapi_sqlalchemy_app.get("/documents")
def fastapi_sqlalchemy_documents(genre: Genre, published_to: date, limit: Limit = 20) -> Response:
    statement = (
        select(_document)
        .where(_document.c.genre == genre, _document.c.published_date <= published_to.isoformat())
        .order_by(_document.c.published_date.desc().nulls_last(), _document.c.id.desc())
        .limit(limit + 1)
    )
    with _core_engine().connect() as connection:
        rows = connection.execute(statement).all()
    items = [row._asdict() for row in rows[:limit]]
    return _json_page(items, len(rows) > limit)


@fastapi_sqlalchemy_app.get("/health")
def fastapi_sqlalchemy_health() -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")
