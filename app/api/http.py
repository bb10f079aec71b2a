"""HTTP manners every response gets: ETags with 304s, Cache-Control, and safe default headers.

Pure ASGI middleware rather than BaseHTTPMiddleware: it adds no task per request, and a
streamed export passes straight through.

The ETag of a GET is made of the data version (a counter every ingest commit increments) and the
canonical URL, not of the body: it is known before the route runs, so a request whose
If-None-Match matches is answered 304 without any query but the version's, and no body is ever
held back to be hashed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.cache import ResponseCache

log = logging.getLogger("app.api")

# The docs pages load Swagger UI and ReDoc from the app (app/api/docs.py) and nothing from another
# origin. Each runs an inline bootstrap script; both set inline styles and data: images, and ReDoc
# runs its search in a worker it builds from a blob.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# The explorer's pages: their own stylesheet, script and links only; no inline script or style, no
# plugins, forms that submit only here. Document text is hostile input: nothing it smuggles in runs.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

UNVERSIONED = ("/health",)
"""GET paths whose answer is not a function of the data: never tagged, never reused."""

SELF_VALIDATED = "/dumps/"
"""Paths whose routes set their own strong ETag and Cache-Control (a dump file's sha256) and answer
Range: the data version is not what their bytes depend on, and a body is never held to be cached."""

DataVersion = Callable[[Scope], Awaitable[int]]

DATA_VERSION_KEY = "data_version"
"""A route that read the data version in its own snapshot leaves it in the request's state under
this name (`request.state.data_version`), and the ETag is made of it: no second read."""


class HttpManners:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_age: int,
        data_version: DataVersion,
        build: str,
        cache: ResponseCache | None = None,
        is_page: Callable[[str], bool] = lambda _path: False,
    ) -> None:
        self.app = app
        self.is_page = is_page
        """Whether a path is an HTML page (`PAGE_CSP`), not the JSON API."""
        self.cache_control = f"public, max-age={max_age}"
        self.data_version = data_version
        self.build = build
        """What else a body depends on: a new release may render the same data differently."""
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        csp = DOCS_CSP if path in ("/docs", "/redoc") else PAGE_CSP if self.is_page(path) else API_CSP
        if path.startswith(SELF_VALIDATED):
            await self.app(scope, receive, _with_safe_headers(send, csp))
            return
        cacheable = scope["method"] in ("GET", "HEAD") and not path.startswith("/admin") and path not in UNVERSIONED
        etag: str | None = None
        if cacheable:
            if_none_match = Headers(scope=scope).get("if-none-match")
            # Needed before the route runs only to answer a conditional request or from the cache;
            # otherwise a list reads the version in its page's own statement (`DATA_VERSION_KEY`).
            if if_none_match or self.cache is not None:
                etag = await self._etag(scope, await self._version(scope))
            if etag and _matches(if_none_match, etag):
                await self._not_modified(etag, csp, send)
                return
            if etag and self.cache is not None and scope["method"] == "GET" and (hit := self.cache.get(etag)):
                await send({"type": "http.response.start", "status": hit.status, "headers": hit.headers})
                await send({"type": "http.response.body", "body": hit.body})
                return
        held: Message | None = None
        chunks: list[bytes] = []

        async def send_with_manners(message: Message) -> None:
            nonlocal held, etag
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                _safe_headers(headers, csp)
                # Only successes may be reused; the body depends on Accept (JSON, CSV or NDJSON), and
                # its bytes on Accept-Encoding (`GZipWhenAccepted` leaves a plain one alone).
                reusable = cacheable and message["status"] == 200
                headers["Cache-Control"] = self.cache_control if reusable else "no-store"
                if reusable:
                    headers.add_vary_header("Accept, Accept-Encoding")
                    if etag is None:
                        known = scope.get("state", {}).get(DATA_VERSION_KEY)
                        etag = await self._etag(scope, known if known is not None else await self._version(scope))
                    if etag:
                        headers["ETag"] = etag
                        if self.cache is not None and scope["method"] == "GET" and "content-length" in headers:
                            held = message  # a whole body, to keep a copy of
                            return
                await send(message)
                return
            if held is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            if self.cache is not None and etag is not None:
                self.cache.put(etag, held, body)
            await send(held)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_with_manners)

    async def _version(self, scope: Scope) -> int | None:
        try:
            return await self.data_version(scope)
        except SQLAlchemyError as exc:  # the route will answer for the database; no tag meanwhile
            log.warning("data version unavailable: %s", exc)
            return None

    async def _etag(self, scope: Scope, version: int | None) -> str | None:
        if version is None:
            return None
        accept = next((value for name, value in scope["headers"] if name == b"accept"), b"")
        digest = hashlib.blake2b(digest_size=12)
        for part in (self.build.encode(), str(version).encode(), canonical_url(scope), accept):
            digest.update(part)
            digest.update(b"\0")
        return 'W/"' + digest.hexdigest() + '"'

    async def _not_modified(self, etag: str, csp: str, send: Send) -> None:
        start: Message = {"type": "http.response.start", "status": 304, "headers": []}
        headers = MutableHeaders(scope=start)
        _safe_headers(headers, csp)
        headers["Cache-Control"] = self.cache_control
        headers["ETag"] = etag
        headers["Vary"] = "Accept, Accept-Encoding"
        await send(start)
        await send({"type": "http.response.body", "body": b""})


def canonical_url(scope: Scope) -> bytes:
    """The path and the query's parameters in a fixed order: `?a=1&b=2` and `?b=2&a=1` are one URL.
    A parameter's repetitions keep their order (sorting is stable), as their meaning may depend on it."""
    query: bytes = scope.get("query_string", b"")
    path = str(scope["path"]).encode()
    if not query:
        return path
    pairs = sorted(query.split(b"&"), key=lambda pair: pair.partition(b"=")[0])
    return path + b"?" + b"&".join(pair for pair in pairs if pair)


def _with_safe_headers(send: Send, csp: str) -> Send:
    async def send_safely(message: Message) -> None:
        if message["type"] == "http.response.start":
            _safe_headers(MutableHeaders(scope=message), csp)
        await send(message)

    return send_safely


def _safe_headers(headers: MutableHeaders, csp: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
    headers.setdefault("Content-Security-Policy", csp)


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == opaque for tag in if_none_match.split(","))


class GZipWhenAccepted(GZipMiddleware):
    """Starlette's gzip, entered only by a request that accepts gzip. For any other, Starlette
    wraps the response to add `Vary: Accept-Encoding`, which `HttpManners` adds to every
    reusable response anyway: a list answered to a client without gzip skips a layer."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not any(
            name == b"accept-encoding" and b"gzip" in value for name, value in scope["headers"]
        ):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
