"""What `include=` costs: each list's page with each of its includes against the same page
without, in process, the app called as ASGI (no HTTP client, whose own cost for a large body
would swamp the app's), gzip accepted as a browser would.

    python -m benchmarks.includes /tmp/replies-bench/sqlite/replies.db [--rounds 5]

The pages, 20 items each: /documents, the list scenario's first 40 requests (benchmarks/api.py,
different filters each); /proposals by year; /institutions by type. The variants run in turn,
round after round; the figure is the median time of one page, and the ratio is against the same
list's page without include. The last variant is what `include=metrics` spares a client: the
page, then `/metrics?document_id=` for each of its items.
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
from urllib.parse import urlencode, urlsplit

import orjson

from app.schemas.documents import METRICS_PER_DOCUMENT
from benchmarks.api import list_params

INCLUDES = (
    ("/documents", "proposal"),
    ("/documents", "metrics"),
    ("/documents", "proposal,metrics"),
    ("/proposals", "documents"),
    ("/institutions", "related"),
)
ONE_BY_ONE = "/documents then /metrics?document_id= for each item"
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


async def measure(sqlite: Path, rounds: int) -> list[tuple[str, float, float, int]]:
    """(variant, median ms per page, × the same list's page without include, gzipped bytes of the
    last page) for each variant."""
    from app.api.app import create_app
    from app.db.engine import build_engine

    app = create_app(build_engine(f"sqlite:///{sqlite}"))
    documents = [f"/documents?{urlencode(p)}" for p in list_params(sqlite)[:REQUESTS]]
    lists = {
        "/documents": documents,
        "/proposals": [f"/proposals?year={year}&limit=20" for year in range(2016, 2026)],
        "/institutions": [f"/institutions?type={type_}&limit=20" for type_ in ("government", "lab", "university")],
    }
    variants = {path: lists[path] for path in lists}
    for path, include in INCLUDES:
        variants[f"{path} include={include}"] = [f"{page}&include={include}" for page in lists[path]]
    times: dict[str, list[float]] = {name: [] for name in [*variants, ONE_BY_ONE]}
    sizes: dict[str, int] = {}
    async with app.router.lifespan_context(app):
        calls = {name: [[path] for path in paths] for name, paths in variants.items()}
        # What include=metrics spares a client: the page, then each of its documents' figures.
        calls[ONE_BY_ONE] = [[page, *await _figures_of(app, page)] for page in documents]
        for pages in calls.values():  # warm: each statement compiled, the file's pages cached
            for paths in pages:
                for path in paths:
                    await _get(app, path)
        # Round by round, each variant in turn: on a shared machine, a busy spell slows them alike.
        for _ in range(rounds):
            for name, pages in calls.items():
                for paths in pages:
                    started = time.perf_counter()
                    sizes[name] = sum([len(await _get(app, path)) for path in paths])
                    times[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(spent) * 1000 for name, spent in times.items()}
    plain = {name: medians[name.split()[0]] for name in medians}
    return [(name, ms, ms / plain[name], sizes[name]) for name, ms in medians.items()]


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
    print("| page | ms per page (median) | × without include | gzipped bytes |")
    print("|---|---|---|---|")
    for name, ms, ratio, size in asyncio.run(measure(args.sqlite, args.rounds)):
        print(f"| {name} | {ms:.2f} | {ratio:.1f} | {size:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
