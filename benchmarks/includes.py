"""What `include=` costs: the API's list page with each include against the same page without, in
process, the app called as ASGI (no HTTP client, whose own cost for a large body would swamp the
app's), gzip accepted as a browser would.

    python -m benchmarks.includes /tmp/replies-bench/sqlite/replies.db [--rounds 5]

Each variant runs the list scenario's first 40 requests (benchmarks/api.py: different filters
each, 20 items a page), the variants in turn, round after round; the figure is the median time of
one request, and the ratio is against the page without include. The last variant is what
`include=metrics` spares a client: the page, then `/metrics?document_id=` for each of its items.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from app.schemas.documents import METRICS_PER_DOCUMENT
from benchmarks.api import list_params

VARIANTS = ("", "proposal", "metrics", "proposal,metrics")
ONE_BY_ONE = "(none), then /metrics?document_id= for each item"
REQUESTS = 40


async def _get(app: Any, path: str) -> bytes:
    """The (gzipped) body of one GET `path` answered by `app`."""
    url = urlsplit(path)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": url.path,
        "raw_path": url.path.encode(),
        "query_string": url.query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"accept-encoding", b"gzip")],
        "client": ("127.0.0.1", 1),
        "server": ("bench", 80),
    }
    body = bytearray()
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return bytes(body)


async def measure(sqlite: Path, rounds: int) -> list[tuple[str, float, int]]:
    """(variant, median ms per list page, gzipped bytes of the last) for each variant."""
    from urllib.parse import urlencode

    from app.api.app import create_app
    from app.db.engine import build_engine

    app = create_app(build_engine(f"sqlite:///{sqlite}"))
    pages = [f"/documents?{urlencode(p)}" for p in list_params(sqlite)[:REQUESTS]]
    variants = {include: [[f"{p}&include={include}" if include else p] for p in pages] for include in VARIANTS}
    times: dict[str, list[float]] = {name: [] for name in [*variants, ONE_BY_ONE]}
    sizes: dict[str, int] = {}
    async with app.router.lifespan_context(app):
        # What include=metrics spares a client: the page, then each of its documents' figures.
        variants[ONE_BY_ONE] = [[p, *await _figures_of(app, p)] for p in pages]
        for calls in variants.values():  # warm: each statement compiled, the file's pages cached
            for paths in calls:
                for path in paths:
                    await _get(app, path)
        # Round by round, each variant in turn: on a shared machine, a busy spell slows them alike.
        for _ in range(rounds):
            for name, calls in variants.items():
                for paths in calls:
                    started = time.perf_counter()
                    sizes[name] = sum([len(await _get(app, path)) for path in paths])
                    times[name].append(time.perf_counter() - started)
    return [(name, statistics.median(times[name]) * 1000, sizes[name]) for name in variants]


async def _figures_of(app: Any, page: str) -> list[str]:
    """/metrics of each document of `page`, as many figures as include=metrics embeds."""
    body = await _get(app, page)
    items = orjson.loads(gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body)["items"]
    return [f"/metrics?document_id={item['id']}&limit={METRICS_PER_DOCUMENT}" for item in items]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.includes", description=__doc__.splitlines()[0])
    parser.add_argument("sqlite", type=Path, help="an ingested SQLite file")
    parser.add_argument("--rounds", type=int, default=5, help="times each request is timed")
    args = parser.parse_args(argv)
    results = asyncio.run(measure(args.sqlite, args.rounds))
    plain = results[0][1]
    print("| include | ms per list page (median) | × without | gzipped bytes |")
    print("|---|---|---|---|")
    for include, ms, size in results:
        print(f"| {include or '(none)'} | {ms:.2f} | {ms / plain:.1f} | {size:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
