"""Incremental sync: the ingest stamps `updated_at` only on what it changes, and the change log it
writes lets a client that replays `/changes` hold exactly the server's ids, across ingests that
add, change and remove documents, on both databases."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import Engine, func, select, update

from app.api.app import create_app
from app.config import Settings
from app.db.engine import session_scope
from app.db.ids import stable_id
from app.db.models import Change, DataVersion, Document, Metric
from app.jobs.ingest import run_ingest
from app.periods import as_utc
from app.sources import find_sources
from tests.helpers import SEEDS, all_items, assert_problem

RESOURCES = ("documents", "proposals", "institutions", "people", "metrics")
SEED_001 = stable_id("index_no", "11500000MB15895317/2025-00053")
"""市科技局's reply to 第0883号, which states 69820家 科技型企业."""
SEED_004 = "004_be53cfa65109a65f.txt"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine)) as test_client:
        yield test_client


def ingest(engine: Engine, folder: Path) -> None:
    summary = run_ingest(engine, find_sources([folder]), full=True)
    assert summary.counts["failed"] == 0, summary.errors


def server_ids(client: TestClient) -> dict[str, set[int]]:
    return {r: {item["id"] for item in all_items(client, f"/{r}", limit=100)} for r in RESOURCES}


def replay(client: TestClient, mirror: dict[str, set[int]], since: str | None = None) -> tuple[str, list[Any]]:
    """Apply the feed after `since` to `mirror`, page by page to its end: the cursor to poll with, and the entries."""
    seen: list[Any] = []
    for _ in range(1000):
        resp = client.get("/changes", params={"limit": 50, **({"since": since} if since else {})})
        assert resp.status_code == 200, resp.text
        body = resp.json()
        for entry in body["items"]:
            ids = mirror.setdefault(entry["resource"], set())
            (ids.add if entry["op"] == "upsert" else ids.discard)(entry["id"])
        seen += body["items"]
        since = body["next_cursor"]
        if not body["items"]:
            assert since
            return since, seen
    raise AssertionError("the feed did not end")


def stamps(client: TestClient) -> dict[tuple[str, int], str]:
    return {(r, item["id"]): item["updated_at"] for r in RESOURCES for item in all_items(client, f"/{r}", limit=100)}


def log(engine: Engine) -> list[Any]:
    with session_scope(engine) as session:
        return list(session.execute(select(Change.seq, Change.resource, Change.resource_id, Change.op, Change.at)))


def change_sources(folder: Path) -> int:
    """Add a letter (seed 000 under another 索引号), change one (69820 → 70000 in seed 001) and remove
    one (seed 004); the id of the added letter."""
    letter = (folder / "000_3f149416e4b38c5d.txt").read_text(encoding="utf-8")
    assert "2023-00117" in letter
    (folder / "100_added.txt").write_text(letter.replace("2023-00117", "2023-00999"), encoding="utf-8")
    changed = folder / "001_681e2b01cc784a69.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("69820家", "70000家"), encoding="utf-8")
    (folder / SEED_004).unlink()
    return stable_id("index_no", "11500000MB15895317/2023-00999")


def test_a_replayed_feed_holds_the_servers_ids_across_an_ingest_that_adds_changes_and_removes(
    engine: Engine, sources: Path, client: TestClient
) -> None:
    ingest(engine, sources)
    mirror: dict[str, set[int]] = {}
    cursor, first = replay(client, mirror)
    assert mirror == server_ids(client)
    assert {e["op"] for e in first} == {"upsert"} and len(mirror["documents"]) == 5
    assert all(e["at"].endswith("Z") for e in first)

    with session_scope(engine) as session:
        removed = set(session.scalars(select(Document.id).where(Document.source_path == SEED_004)))
        figure = session.scalar(select(Metric.id).where(Metric.document_id == SEED_001, Metric.value == 69820))
    added = change_sources(sources)
    ingest(engine, sources)

    cursor, after = replay(client, mirror, cursor)
    assert mirror == server_ids(client)
    ops = {(e["resource"], e["id"]): e["op"] for e in after}
    assert ops[("documents", added)] == ops[("documents", SEED_001)] == "upsert"
    assert [ops[("documents", document_id)] for document_id in removed] == ["delete"]
    assert ops[("metrics", figure)] == "delete"  # 69820 is no longer stated; 70000 is a new figure
    assert len(after) == len({(e["resource"], e["id"]) for e in after})  # each row once: its latest change

    fresh: dict[str, set[int]] = {}
    replay(client, fresh)
    assert fresh == server_ids(client)
    # Polling at the end finds nothing, and answers the same cursor to poll with again.
    body = client.get("/changes", params={"since": cursor}).json()
    assert body == {"items": [], "next_cursor": cursor}


def test_an_ingest_of_unchanged_files_changes_no_updated_at_and_logs_nothing(
    engine: Engine, sources: Path, client: TestClient
) -> None:
    ingest(engine, sources)
    before, logged = stamps(client), log(engine)
    ingest(engine, sources)
    assert stamps(client) == before and log(engine) == logged


def test_a_reparse_that_reads_the_same_records_changes_no_updated_at_and_logs_nothing(
    engine: Engine, sources: Path, client: TestClient
) -> None:
    ingest(engine, sources)
    before, logged = stamps(client), log(engine)
    with session_scope(engine) as session:  # as a new parser version would: every file is parsed again
        session.execute(update(Document).values(parser_version="0"))
        session.commit()
    summary = run_ingest(engine, find_sources([sources]), full=True)
    assert summary.counts["updated"] == 5
    assert stamps(client) == before and log(engine) == logged


def test_a_changed_figure_changes_its_document_and_figures_and_nothing_else(
    engine: Engine, sources: Path, client: TestClient
) -> None:
    ingest(engine, sources)
    before = stamps(client)
    with session_scope(engine) as session:
        rows = session.execute(select(Metric.id, Metric.sentence).where(Metric.document_id == SEED_001)).all()
        figures = {metric_id: sentence for metric_id, sentence in rows}
    changed = sources / "001_681e2b01cc784a69.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("69820家", "70000家"), encoding="utf-8")
    ingest(engine, sources)
    after = stamps(client)
    moved = {key for key in after if before.get(key) != after[key]}
    restated = {("metrics", i) for i, sentence in figures.items() if "69820" in sentence}
    assert ("documents", SEED_001) in moved
    assert {r for r, _ in moved} == {"documents", "metrics"}  # its proposal, people, institutions are as they were
    kept = {("metrics", i) for i in figures} - restated
    assert kept and kept <= after.keys() and not kept & moved  # figures stated again keep their id and stamp
    assert not restated & after.keys()


def test_tombstones_past_retention_are_pruned_and_a_cursor_before_them_is_gone(
    engine: Engine, sources: Path, client: TestClient
) -> None:
    ingest(engine, sources)
    before_removal, _ = replay(client, {})
    (sources / SEED_004).unlink()
    ingest(engine, sources)
    with session_scope(engine) as session:  # the removal as if it were 91 days old
        old = datetime.now(UTC) - timedelta(days=91)
        session.execute(update(Change).where(Change.op == "delete").values(at=old))
        session.commit()
        tombstones = session.scalar(select(func.count()).where(Change.op == "delete"))
    assert tombstones
    changed = sources / "001_681e2b01cc784a69.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("69820家", "70000家"), encoding="utf-8")
    ingest(engine, sources)  # an ingest that changes something prunes
    with session_scope(engine) as session:
        # Left: the tombstones of this ingest alone (the figures 69820's sentence stated).
        assert as_utc(session.scalar(select(func.min(Change.at)).where(Change.op == "delete"))) > old
        assert session.scalar(select(DataVersion.changes_pruned)) > 0

    problem = assert_problem(client.get("/changes", params={"since": before_removal}), 410)
    assert problem.detail and "replay the feed from the start" in problem.detail
    mirror: dict[str, set[int]] = {}
    cursor, _ = replay(client, mirror)
    assert mirror == server_ids(client)
    assert client.get("/changes", params={"since": cursor}).status_code == 200


def test_retention_is_at_least_a_day() -> None:
    assert Settings(changes_retention_days=1).changes_retention_days == 1
    assert Settings().changes_retention_days == 90
    with pytest.raises(ValidationError):
        Settings(changes_retention_days=0)
