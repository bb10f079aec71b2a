"""The bare floor: Starlette + sqlite3 (or psycopg) + orjson answering the filtered, sorted document list.

It runs the same SQL the API runs for `GET /documents?genre=…&published_to=…&sort=-published_date&limit=20`
(same filter, same keyset order with NULLs last, one row more than the page to know whether a
next page exists) and returns the same envelope, with nothing else: no ORM, no validation, no
middleware. Whatever our API spends above this is HTTP-framework, ORM and serialisation cost.
"""

from __future__ import annotations

import asyncio
import base64
import os
import sqlite3
from datetime import date
from typing import Any

import orjson
import psycopg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

COLUMNS = (
    "id, kind, title, index_no, doc_no, genre, topics, publisher, written_date, published_date, signed_date, "
    "signatory, source, proposal_id, proposal_type, proposal_level, proposal_session, proposal_number, proposal_title"
)
LIST_SQL = (
    f"SELECT {COLUMNS} FROM document WHERE genre = ? AND published_date <= ? "  # noqa: S608 - constant columns
    "ORDER BY published_date DESC NULLS LAST, id DESC LIMIT ?"
)
PG_LIST_SQL = LIST_SQL.replace("?", "%s")
NAMES = [name.strip() for name in COLUMNS.split(",")]


def _connect() -> sqlite3.Connection:
    path = os.environ["FLOOR_SQLITE_PATH"]
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    connection.execute("PRAGMA query_only=ON")
    return connection


CONNECTION: sqlite3.Connection | None = None


async def documents(request: Request) -> Response:
    global CONNECTION
    if CONNECTION is None:
        CONNECTION = _connect()
    genre = request.query_params.get("genre", "")
    published_to = request.query_params.get("published_to", "9999-12-31")
    limit = min(int(request.query_params.get("limit", "20")), 100)
    rows = CONNECTION.execute(LIST_SQL, (genre, published_to, limit + 1)).fetchall()
    items = [dict(zip(NAMES, row, strict=True)) for row in rows[:limit]]
    cursor = next_cursor(items[-1]) if len(rows) > limit else None
    body = orjson.dumps({"items": items, "next_cursor": cursor})
    return Response(body, media_type="application/json")


def next_cursor(last: dict[str, object]) -> str:
    """The keyset cursor after `last`, shaped like the API's."""
    payload = orjson.dumps(["documents", "-published_date", last["published_date"], last["id"]])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


async def health(_: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


app = Starlette(routes=[Route("/documents", documents), Route("/health", health)])


# The PostgreSQL floor: the same SQL through psycopg's async connections, one per concurrent request.
PG_POOL: asyncio.Queue[psycopg.AsyncConnection[Any]] | None = None
PG_CONNECTIONS = 8


async def _pg_pool() -> asyncio.Queue[psycopg.AsyncConnection[Any]]:
    global PG_POOL
    if PG_POOL is None:
        pool: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()
        for _ in range(PG_CONNECTIONS):
            pool.put_nowait(await psycopg.AsyncConnection.connect(os.environ["FLOOR_POSTGRES_URL"], autocommit=True))
        PG_POOL = pool
    return PG_POOL


async def pg_documents(request: Request) -> Response:
    pool = await _pg_pool()
    genre = request.query_params.get("genre", "")
    published_to = date.fromisoformat(request.query_params.get("published_to", "9999-12-31"))
    limit = min(int(request.query_params.get("limit", "20")), 100)
    connection = await pool.get()
    try:
        cursor = await connection.execute(PG_LIST_SQL, (genre, published_to, limit + 1))
        rows = await cursor.fetchall()
    finally:
        pool.put_nowait(connection)
    items = [dict(zip(NAMES, row, strict=True)) for row in rows[:limit]]
    cursor_text = next_cursor(items[-1]) if len(rows) > limit else None
    return Response(orjson.dumps({"items": items, "next_cursor": cursor_text}), media_type="application/json")


pg_app = Starlette(routes=[Route("/documents", pg_documents), Route("/health", health)])
