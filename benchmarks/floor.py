"""The bare floor: Starlette + sqlite3 + orjson answering the filtered, sorted document list.

It runs the same SQL the API runs for `GET /documents?genre=…&sort=-published_date&limit=20`
(same filter, same keyset order with NULLs last, one row more than the page to know whether a
next page exists) and returns the same envelope, with nothing else: no ORM, no validation, no
middleware. Whatever our API spends above this is HTTP-framework, ORM and serialisation cost.
"""

from __future__ import annotations

import base64
import os
import sqlite3

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

COLUMNS = (
    "id, kind, title, index_no, doc_no, genre, publisher, written_date, published_date, signed_date, "
    "signatory, source, proposal_id"
)
LIST_SQL = (
    f"SELECT {COLUMNS} FROM document WHERE genre = ? "  # noqa: S608 - constant columns, bound values
    "ORDER BY published_date DESC NULLS LAST, id DESC LIMIT ?"
)
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
    limit = min(int(request.query_params.get("limit", "20")), 100)
    rows = CONNECTION.execute(LIST_SQL, (genre, limit + 1)).fetchall()
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
