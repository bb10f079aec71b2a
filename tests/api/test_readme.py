"""The README's examples run as written: each `$ curl …` line is run by curl against a live server
on the seeds, and its output is compared with the one the README shows (as Datasette keeps its
documentation honest), on SQLite and PostgreSQL.

How an output shown is read: JSON is compared value by value, where `…` stands for what the README
leaves out (more keys of an object, more items of a list, more text of a string); text that is not
JSON is compared line by line, and `-i` headers by those shown. Examples that name `$ADMIN_TOKEN`
change the data and are the admin tests' business (tests/jobs/); every other `$ curl` line runs.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine

from app.dumps import publish_dump
from tests.helpers import ROOT, served

README = ROOT / "README.md"
README_ORIGIN = "http://127.0.0.1:8000"
MORE = "\u2026"  # …: what the README leaves out


@dataclass(frozen=True)
class Example:
    line: int
    command: str
    """The `$ curl` line, after any `$` lines right above it that print nothing (`etag=$(curl …)`)."""
    output: str


def readme_examples() -> list[Example]:
    """Each `$ curl` line of the README with the output printed under it (up to a blank line or the next `$`)."""
    lines = README.read_text(encoding="utf-8").splitlines()
    examples = []
    setup: list[str] = []
    for number, line in enumerate(lines):
        match = re.match(r"^ {4}\$ (.*)$", line)
        if not match:
            continue
        output: list[str] = []
        for following in lines[number + 1 :]:
            # `curl -i` prints the headers, a blank line, then the body.
            headers_end = following == "" and output[:1] and output[0].startswith("HTTP/") and "" not in output
            if not (following.startswith("    ") or headers_end) or following.lstrip().startswith("$ "):
                break
            output.append(following[4:])
        if not output and lines[number + 1 : number + 2] and lines[number + 1].startswith("    $ "):
            setup.append(match.group(1))
            continue
        if match.group(1).startswith("curl ") or setup:
            examples.append(Example(number + 1, "\n".join([*setup, match.group(1)]), "\n".join(output)))
        setup = []
    return examples


RUNNABLE = [e for e in readme_examples() if "$ADMIN_TOKEN" not in e.command]


@pytest.fixture(scope="session")
def live_server(seeded_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(origin, backend) of `python -m app serve` on the seeded database, with a dump of it published."""
    dumps_dir = tmp_path_factory.mktemp("readme-dumps")
    publish_dump(seeded_engine, dumps_dir)
    env = {
        "RATE_LIMIT_PER_MINUTE": None,
        "ADMIN_TOKEN": "readme-test-token",
        "DATABASE_URL": seeded_engine.url.render_as_string(hide_password=False),
        "DUMPS_DIR": str(dumps_dir),
    }
    with served(env) as (origin, _):
        yield origin, seeded_engine.dialect.name


def test_the_readme_has_examples_to_run() -> None:
    assert len(RUNNABLE) >= 8, [e.command for e in RUNNABLE]
    assert all(e.output for e in RUNNABLE), [e.line for e in RUNNABLE if not e.output]


@pytest.mark.parametrize("example", RUNNABLE, ids=[f"README:{e.line}" for e in RUNNABLE])
def test_a_readme_example_gives_the_output_shown(live_server: tuple[str, str], example: Example) -> None:
    origin, _backend = live_server
    command = example.command.replace(README_ORIGIN, origin)
    ran = subprocess.run(["bash", "-c", command], capture_output=True, timeout=60, check=False)
    actual = ran.stdout.decode("utf-8").replace("\r\n", "\n")
    assert ran.returncode == 0, (shlex.split(example.command), ran.stderr)
    expected = example.output
    if expected.startswith("HTTP/"):
        expected_head, _, expected = expected.partition("\n\n")
        actual_head, _, actual = actual.partition("\n\n")
        assert_headers(expected_head, actual_head)
    if expected.lstrip().startswith(("{", "[")):
        # A relevance cursor holds the database's own score (bm25 on SQLite, ts_rank on PostgreSQL),
        # which moves with every change to the parsed text: it need only be a cursor.
        own_cursor = "sort=relevance" in command
        assert_like(read_shown_json(expected), json.loads(actual), "$", own_cursor)
    else:
        # A CSV export starts with a BOM (for spreadsheets), which a terminal does not show.
        assert actual.removeprefix("\ufeff").strip().splitlines() == expected.strip().splitlines()


def assert_headers(shown: str, actual: str) -> None:
    status, *headers = shown.splitlines()
    actual_status, *actual_headers = actual.splitlines()
    assert actual_status.split()[1:] == status.split()[1:]
    got = {name.lower(): value.strip() for name, _, value in (h.partition(":") for h in actual_headers)}
    for header in headers:
        name, _, value = header.partition(":")
        assert got.get(name.lower()) == value.strip(), header


class Partial:
    """An object or list the README shows only part of (it ends in `…`)."""


PARTIAL_KEY = "<" + MORE + ">"


def read_shown_json(shown: str) -> Any:
    """The JSON the README shows, a trailing `…` in an object or list read as "and more"."""
    marked = re.sub(r",\s*" + MORE + r"\s*,", f', "{PARTIAL_KEY}": true,', shown)  # only objects skip inside
    marked = re.sub(r",?\s*" + MORE + r"\s*(?=\})", f', "{PARTIAL_KEY}": true', marked)
    marked = re.sub(r",?\s*" + MORE + r"\s*(?=\])", f', "{PARTIAL_KEY}"', marked)
    return json.loads(marked.replace("{, ", "{").replace("[, ", "["))


def assert_like(shown: Any, actual: Any, where: str, own_cursor: bool = False) -> None:
    """`actual` is what `shown` shows; `own_cursor`: a next_cursor need only be a cursor."""
    if isinstance(shown, dict):
        assert isinstance(actual, dict), where
        partial = shown.pop(PARTIAL_KEY, False)
        if not partial:
            assert set(actual) == set(shown), (where, sorted(set(actual) ^ set(shown)))
        for key, value in shown.items():
            assert key in actual, f"{where}.{key}"
            if key == "next_cursor" and own_cursor and isinstance(value, str):
                assert isinstance(actual[key], str)
                continue
            assert_like(value, actual[key], f"{where}.{key}", own_cursor)
    elif isinstance(shown, list):
        assert isinstance(actual, list), where
        partial = bool(shown) and shown[-1] == PARTIAL_KEY
        items = shown[:-1] if partial else shown
        assert len(actual) >= len(items) if partial else len(actual) == len(items), (where, len(actual))
        for i, item in enumerate(items):
            assert_like(item, actual[i], f"{where}[{i}]", own_cursor)
    elif isinstance(shown, str) and MORE in shown:
        pattern = ".*".join(re.escape(part) for part in shown.split(MORE))
        assert isinstance(actual, str) and re.fullmatch(pattern, actual, re.DOTALL), (where, actual)
    else:
        assert actual == shown, (where, actual)
