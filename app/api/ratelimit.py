"""Optional rate limiting by client address: a token bucket per address, per process.

Off unless RATE_LIMIT_PER_MINUTE is set. Per process on purpose: it needs no shared store and
protects each worker from a burst; with N workers a client gets at most N times the limit.
"""

from __future__ import annotations

import math
import time

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.errors import PROBLEM_JSON

MAX_TRACKED_CLIENTS = 100_000
"""Buckets kept at once; the oldest are forgotten first, which only ever lets a client through."""


class RateLimit:
    def __init__(self, app: ASGIApp, *, per_minute: int, burst: int | None = None) -> None:
        self.app = app
        self.rate = per_minute / 60.0
        self.capacity = float(burst or per_minute)
        self.buckets: dict[str, tuple[float, float]] = {}  # address → (tokens, last refill)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/health":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0] if client else "unknown"
        wait = self._take(address, time.monotonic())
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        body = orjson.dumps(
            {
                "type": "about:blank",
                "title": "Too many requests",
                "status": 429,
                "detail": f"More than {self.capacity:g} requests in a short time; retry after {retry_after} s",
                "errors": [],
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(retry_after).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _take(self, address: str, now: float) -> float:
        """Take a token for `address`; returns 0 when granted, else the seconds until one is free."""
        tokens, last = self.buckets.pop(address, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        granted = tokens >= 1.0
        self.buckets[address] = (tokens - 1.0 if granted else tokens, now)
        if len(self.buckets) > MAX_TRACKED_CLIENTS:
            del self.buckets[next(iter(self.buckets))]
        return 0.0 if granted else (1.0 - tokens) / self.rate
