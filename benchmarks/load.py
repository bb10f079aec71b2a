"""Load generators: wrk when installed, else a bounded asyncio client. Both keep 8 keep-alive
connections busy on loopback for a fixed time, cycling through a list of request paths, and
report requests per second, p50 and p99 latency and how many answers were not 2xx.

wrk (C, one thread) is preferred: on this 2-core machine it needs a fraction of one core, so
the server under test keeps the other. The Python client is for CI's tiny run; it is bounded in
requests and in time and stops by itself.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
"""


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    errors: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def run_load(
    base_url: str, paths: list[str], *, connections: int = 8, seconds: float = 10.0, tool: str = "auto"
) -> LoadResult:
    if tool == "wrk" or (tool == "auto" and have_wrk()):
        return run_wrk(base_url, paths, connections=connections, seconds=seconds)
    return asyncio.run(run_python(base_url, paths, connections=connections, seconds=seconds))


def run_wrk(base_url: str, paths: list[str], *, connections: int, seconds: float) -> LoadResult:
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "paths.lua"
        script.write_text(WRK_SCRIPT)
        listed = Path(folder) / "paths.txt"
        listed.write_text("\n".join(paths) + "\n")
        command = [
            "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s",
            "-s", str(script), base_url,
        ]  # fmt: skip
        output = subprocess.run(  # noqa: S603 - fixed arguments
            command, capture_output=True, text=True, check=True, env={"WRK_PATHS": str(listed), "PATH": "/usr/bin:/bin"}
        ).stdout
    return _parse_wrk(output, seconds)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _parse_wrk(output: str, seconds: float) -> LoadResult:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        return round(_ms(*match.groups()), 2) if match else float("nan")

    requests = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return LoadResult(
        tool="wrk",
        requests=int(requests.group(1)) if requests else 0,
        seconds=round(_ms(requests.group(2), requests.group(3)) / 1000, 2) if requests else seconds,
        rps=round(float(rps.group(1)), 1) if rps else 0.0,
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


async def run_python(
    base_url: str, paths: list[str], *, connections: int, seconds: float, max_requests: int = 200_000
) -> LoadResult:
    """Keep-alive HTTP/1.1 GETs over raw asyncio streams (no client library to slow it down)."""
    host, port = base_url.removeprefix("http://").rstrip("/").split(":")
    latencies: list[float] = []
    counters = {"non_2xx": 0, "errors": 0, "next": 0}
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while time.perf_counter() < deadline and len(latencies) < max_requests:
                path = paths[counters["next"] % len(paths)]
                counters["next"] += 1
                started = time.perf_counter()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
                status, _ = await _read_response(reader)
                latencies.append(time.perf_counter() - started)
                if not 200 <= status < 400:
                    counters["non_2xx"] += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            counters["errors"] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(p: float) -> float:
        if not latencies:
            return float("nan")
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2)

    return LoadResult(
        tool="python",
        requests=len(latencies),
        seconds=round(elapsed, 2),
        rps=round(len(latencies) / elapsed, 1),
        p50_ms=percentile(0.50),
        p99_ms=percentile(0.99),
        non_2xx=counters["non_2xx"],
        errors=counters["errors"],
    )


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding") == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                return status, body
            body += chunk[:-2]
    return status, b""
