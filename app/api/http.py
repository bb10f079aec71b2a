"""HTTP manners every response gets: ETags with 304s, Cache-Control, and safe default headers.

Pure ASGI middleware rather than BaseHTTPMiddleware: it adds no task per request, and a
streamed export passes straight through (it has no Content-Length, so it is never buffered).
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_TAGGED_BODY = 8 * 1024 * 1024
"""Larger bodies are sent without an ETag rather than held in memory to hash."""

# The docs page loads Swagger UI from a CDN and runs an inline bootstrap script.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"


class HttpManners:
    def __init__(self, app: ASGIApp, *, max_age: int) -> None:
        self.app = app
        self.cache_control = f"public, max-age={max_age}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        cacheable = scope["method"] in ("GET", "HEAD") and not scope["path"].startswith("/admin")
        csp = DOCS_CSP if scope["path"] in ("/docs", "/redoc") else API_CSP
        held: Message | None = None
        chunks: list[bytes] = []

        async def send_with_manners(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers.setdefault("Content-Security-Policy", csp)
                # Only successes may be reused; the body depends on Accept (JSON, CSV or NDJSON).
                reusable = cacheable and message["status"] in (200, 304)
                headers["Cache-Control"] = self.cache_control if reusable else "no-store"
                if reusable:
                    headers.add_vary_header("Accept")
                length = int(headers.get("content-length", -1))
                if cacheable and message["status"] == 200 and 0 <= length <= MAX_TAGGED_BODY:
                    held = message  # wait for the body to tag it
                    return
                await send(message)
                return
            if held is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await _send_tagged(held, b"".join(chunks), request_headers, send)

        await self.app(scope, receive, send_with_manners)


async def _send_tagged(start: MutableMapping[str, Any], body: bytes, request: Headers, send: Send) -> None:
    etag = 'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    headers = MutableHeaders(scope=start)
    headers["ETag"] = etag
    if _matches(request.get("if-none-match"), etag):
        del headers["content-length"]
        del headers["content-type"]
        await send({**start, "status": 304})
        await send({"type": "http.response.body", "body": b""})
        return
    await send(start)
    await send({"type": "http.response.body", "body": body})


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == opaque for tag in if_none_match.split(","))
