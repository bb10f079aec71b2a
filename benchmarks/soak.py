"""Soak: minutes of mixed traffic against one API worker, with a re-ingest of 1,000 changed
documents through the admin API half-way; then several clients exporting the whole database at
once. Reports, minute by minute, requests, errors, p50/p99 and the server's resident memory.

    python -m benchmarks.soak --database-url sqlite:////tmp/b/100k.db --corpus /tmp/b/corpus100k
    python -m benchmarks.soak --database-url postgresql+psycopg://postgres@127.0.0.1/bench --corpus ... \\
        --minutes 10 --exports 4

The corpus is the folder the database was ingested from (`benchmarks.ingest`): it becomes the
server's SOURCE_DIR, and 1,000 of its files (every Nth) are edited in place before the re-ingest,
so each run changes them again. Checks, printed at the end: no errors; memory after the first
minute grows by less than 10 % to the end; p99 stays within 2x the first minute's; the export
clients' memory does not grow with what they stream.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from benchmarks.api import serve
from benchmarks.load import run_wrk

CHANGED = 1000
"""Documents edited and re-ingested in the middle of the soak (the admin API's limit per job)."""
WARM_UP = 20
"""Of those, re-ingested once during the warm-up."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="an ingested database (SQLite or PostgreSQL)")
    parser.add_argument("--corpus", type=Path, required=True, help="the folder it was ingested from")
    parser.add_argument("--minutes", type=int, default=10, help="how many intervals to report")
    parser.add_argument("--interval", type=int, default=60, help="seconds per reported interval (a minute)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--exports", type=int, default=4, help="clients exporting the whole database at once")
    parser.add_argument("--port", type=int, default=8321)
    parser.add_argument("--out", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)

    token = secrets.token_urlsafe(24)
    os.environ.update({"ADMIN_TOKEN": token, "SOURCE_DIR": str(args.corpus)})
    report: dict[str, Any] = {"database": _backend(args.database_url), "minutes": []}
    with serve("api", args.port, database_url=args.database_url) as server:
        paths = traffic(server.base_url)
        changed = edit_documents(args.corpus, CHANGED)
        # Warm-up, not reported: every kind of request, and a small re-ingest, so that the first
        # minute's memory already holds what a job loads (parser tables, write statements, the
        # writer's connection) and growth after it would be a leak.
        warm: dict[str, Any] = {}
        warm_up = threading.Thread(target=reingest, args=(server.base_url, token, changed[-WARM_UP:], warm))
        warm_up.start()
        run_wrk(server.base_url, paths, connections=args.connections, seconds=min(30, args.interval))
        warm_up.join(timeout=300)
        changed = edit_documents(args.corpus, CHANGED)  # changed again, so the warm-up's are not unchanged
        job: dict[str, Any] = {}
        watcher = threading.Thread(target=reingest, args=(server.base_url, token, changed, job), daemon=True)
        for minute in range(1, args.minutes + 1):
            if minute == args.minutes // 2 + 1:
                job["minute"] = minute
                watcher.start()
            load = run_wrk(server.base_url, paths, connections=args.connections, seconds=args.interval).as_dict()
            load.update(
                minute=minute, rss_mb=_rss_mb(server.process.pid), children_rss_mb=_children_rss_mb(server.process.pid)
            )
            report["minutes"].append(load)
            _print_minute(load)
        watcher.join(timeout=600)
        report["reingest"] = job
        report["exports"] = exports(server.base_url, server.process.pid, args.exports) if args.exports else None
    report["checks"] = checks(report)
    print(json.dumps({k: report[k] for k in ("reingest", "exports", "checks")}, ensure_ascii=False, indent=1))
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if all(check["ok"] for check in report["checks"]) else 1


def traffic(base_url: str) -> list[str]:
    """A mix of what clients ask: filtered and sorted lists, details, searches, facets, small
    exports, proposal lookups and series, with values drawn from the database itself."""
    ids = [d["id"] for d in _get_json(base_url, "/documents?limit=100&sort=-published_date")["items"]]
    facets = _get_json(base_url, "/documents?limit=1&facet=publisher")["facets"]
    publishers = [f["value"] for f in facets["publisher"] if f["value"]][:10]
    numbers = [p["number"] for p in _get_json(base_url, "/proposals?limit=50")["items"] if p["number"]][:10]
    indicator_facet = _get_json(base_url, "/metrics?limit=1&facet=indicator")["facets"]["indicator"]
    indicators = [f["value"] for f in indicator_facet][:10]
    q = lambda **params: urlencode(params, quote_via=quote)  # noqa: E731
    paths: list[str] = []
    for i in range(10):
        publisher, number = publishers[i % len(publishers)], numbers[i % len(numbers)]
        indicator = indicators[i % len(indicators)]
        paths += [
            f"/documents?{q(genre='人大建议办理', sort='-published_date', limit=20)}",
            f"/documents?{q(publisher=publisher, year=2024 - i % 3, limit=20)}",
            f"/documents/{ids[i]}",
            f"/documents/{ids[-1 - i]}",
            f"/documents?{q(q=['科技', '实验室', '乡村振兴', '教育'][i % 4], limit=20)}",
            f"/documents?{q(kind='reply_letter', facet='publisher', limit=10)}",
            f"/proposals?{q(number=number)}",
            f"/metrics/series?{q(indicator=indicator, limit=100)}",
            f"/documents?{q(publisher=publisher, year=2023, format='ndjson')}",
        ]
    return paths


def edit_documents(corpus: Path, count: int) -> list[str]:
    """Change `count` documents spread over the corpus: a sentence with a new figure after the first
    full stop of the body. Returns their paths relative to the corpus."""
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".txt", ".html"))
    chosen = files[:: max(1, len(files) // count)][:count]
    stamp = time.monotonic_ns() % 10**9
    for n, path in enumerate(chosen):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?<=。)", f"今年新增备案企业{stamp + n}家。", text, count=1)
        path.write_text(text, encoding="utf-8")
    return [p.relative_to(corpus).as_posix() for p in chosen]


def reingest(base_url: str, token: str, paths: list[str], job: dict[str, Any]) -> None:
    """Start the re-ingest of `paths` through the admin API and follow it to its end."""
    started = time.monotonic()
    request = urllib.request.Request(  # noqa: S310 - loopback
        base_url + "/admin/reingest",
        data=json.dumps({"paths": paths}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        url = json.loads(response.read())["url"]
    while True:
        time.sleep(2)
        state = _get_json(base_url, url, token=token)
        if state["status"] not in ("queued", "running"):
            job.update(
                status=state["status"],
                seconds=round(time.monotonic() - started, 1),
                counts={k: state.get(f"files_{k}") for k in ("updated", "added", "unchanged", "failed")},
            )
            return


def exports(base_url: str, pid: int, clients: int) -> dict[str, Any]:
    """`clients` streams of every document as NDJSON at once, read slowly enough to keep them all
    open together; the server's resident memory sampled throughout."""
    before = _rss_mb(pid)
    streamed = [0] * clients
    peak = before

    def client(i: int) -> None:
        with urllib.request.urlopen(base_url + "/documents?format=ndjson", timeout=600) as response:  # noqa: S310
            while chunk := response.read(256 * 1024):
                streamed[i] += len(chunk)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    samples: list[tuple[float, float, int]] = []
    while any(t.is_alive() for t in threads):
        time.sleep(0.5)
        rss = _rss_mb(pid)
        peak = max(peak, rss)
        samples.append((round(time.monotonic() - started, 1), rss, sum(streamed)))
    return {
        "clients": clients,
        "seconds": round(time.monotonic() - started, 1),
        "mb_streamed": round(sum(streamed) / 2**20, 1),
        "rss_before_mb": before,
        "rss_peak_mb": peak,
        "rss_after_mb": _rss_mb(pid),
        "samples": samples[:: max(1, len(samples) // 20)],
    }


def checks(report: dict[str, Any]) -> list[dict[str, Any]]:
    minutes = report["minutes"]
    first, last = minutes[0], minutes[-1]
    growth = (last["rss_mb"] - first["rss_mb"]) / first["rss_mb"]
    worst_p99 = max(m["p99_ms"] for m in minutes[1:]) if len(minutes) > 1 else first["p99_ms"]
    errors = sum(m["non_2xx"] + m["errors"] for m in minutes)
    result = [
        {"check": "errors", "value": errors, "ok": errors == 0},
        {"check": "memory growth after minute 1", "value": f"{growth:+.1%}", "ok": growth < 0.10},
        {
            "check": "worst p99 / first minute's",
            "value": f"{worst_p99 / first['p99_ms']:.2f}x",
            "ok": worst_p99 <= 2 * first["p99_ms"],
        },
        {"check": "re-ingest", "value": report["reingest"], "ok": report["reingest"].get("status") == "succeeded"},
    ]
    if report.get("exports"):
        e = report["exports"]
        grew = e["rss_peak_mb"] - e["rss_before_mb"]
        result.append(
            {
                "check": "export memory",
                "value": f"+{grew:.0f} MiB while streaming {e['mb_streamed']:.0f} MiB",
                "ok": grew < e["mb_streamed"] / 10,
            }
        )
    return result


def _print_minute(load: dict[str, Any]) -> None:
    print(
        f"minute {load['minute']:>2}: {load['requests']:>7} requests {load['rps']:>7.1f}/s  "
        f"p50 {load['p50_ms']:>7.2f} ms  p99 {load['p99_ms']:>8.2f} ms  non-2xx {load['non_2xx']}  "
        f"errors {load['errors']}  rss {load['rss_mb']:.1f} MiB (children {load['children_rss_mb']:.1f} MiB)",
        flush=True,
    )


def _get_json(base_url: str, path: str, *, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(base_url + path, headers=headers)  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        return json.loads(response.read())


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _children_rss_mb(pid: int) -> float:
    """Resident memory of the server's child processes now: a re-ingest job's while it runs, and the
    resource tracker that multiprocessing starts beside the first one."""
    children = [
        int(child) for task in Path(f"/proc/{pid}/task").iterdir() for child in (task / "children").read_text().split()
    ]
    total = 0.0
    for child in children:
        try:
            total += _rss_mb(child)
        except OSError:  # ended meanwhile
            continue
    return round(total, 1)


def _backend(url: str) -> str:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1]
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            count = connection.execute("SELECT count(*) FROM document").fetchone()[0]
        return f"sqlite ({count} documents)"
    return "postgresql"


if __name__ == "__main__":
    sys.exit(main())
