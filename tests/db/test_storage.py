"""Each byte stored once (migration 0009): source bytes deflated and read back whole; the bigram
text in the full-text index only. Search, snippets and the detail answer the same before and
after the migration, and a replaced or removed document leaves nothing behind in the index."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect, text

from app.api.app import create_app
from app.db.engine import session_scope
from app.db.load import source_bytes
from app.db.migrate import alembic_config
from app.ingest.search import search_text
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import SEEDS

QUERIES = ["科技", "重点实验室", "金凤实验室 冯纲", "實驗室", "R&D", "两江新区管委会", "1024"]


def answers(engine: Engine) -> dict[str, Any]:
    """What clients see: every search with its snippets and ranking, and every document's detail."""
    with TestClient(create_app(engine)) as client:
        found = {
            (q, sort): client.get("/documents", params={"q": q, "limit": 100, "sort": sort}).json()
            for q in QUERIES
            for sort in ("-published_date", "relevance")
        }
        metrics = {q: client.get("/metrics", params={"q": q, "limit": 100}).json() for q in QUERIES}
        ids = [item["id"] for item in client.get("/documents", params={"limit": 100}).json()["items"]]
        details = {i: client.get(f"/documents/{i}").json() for i in ids}
    return unstamped({"documents": found, "metrics": metrics, "details": details})


def unstamped(value: Any) -> Any:
    """`value` without its `updated_at`s: migrating up again (0012) stamps every row with its own time."""
    if isinstance(value, dict):
        return {k: unstamped(v) for k, v in value.items() if k != "updated_at"}
    if isinstance(value, list):
        return [unstamped(v) for v in value]
    return value


def test_search_snippets_and_details_answer_the_same_before_and_after_the_migration(engine: Engine) -> None:
    run_ingest(engine, find_sources([SEEDS]))
    after = answers(engine)
    assert len(after["details"]) == 5 and any(page["items"] for page in after["documents"].values())
    config = alembic_config(engine)
    command.downgrade(config, "0008")
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT d.source_path, b.raw, b.search_text, d.title, coalesce(p.title, ''), b.text"
                " FROM document d JOIN document_body b ON b.document_id = d.id"
                " LEFT JOIN proposal p ON p.id = d.proposal_id"
            )
        ).all()
    # The schema before: raw bytes as ingested, the bigrams stored as the loader of 0008 wrote them.
    for path, raw, stored_tokens, title, proposal_title, body in rows:
        assert bytes(raw) == (SEEDS / path).read_bytes()
        assert stored_tokens == search_text("\n".join((title, proposal_title, body)))
    command.upgrade(config, "head")
    assert answers(engine) == after
    assert {"raw", "search_text"}.isdisjoint(c["name"] for c in inspect(engine).get_columns("document_body"))
    with session_scope(engine) as session:
        for path, *_ in rows:
            document_id = session.scalar(text("SELECT id FROM document WHERE source_path = :p"), {"p": path})
            assert source_bytes(session, document_id) == (SEEDS / path).read_bytes()


def test_source_bytes_are_stored_deflated_and_read_back_whole(engine: Engine) -> None:
    run_ingest(engine, find_sources([SEEDS]))
    with engine.connect() as connection:
        stored, source = (
            connection.execute(text("SELECT sum(length(raw_zlib)), count(*) FROM document_body")).one(),
            sum(p.stat().st_size for p in SEEDS.iterdir()),
        )
    assert stored[1] == 5 and stored[0] < source / 2


def test_a_replaced_or_removed_document_leaves_no_hits_behind(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS, folder)
    run_ingest(engine, find_sources([folder]), full=True)
    with TestClient(create_app(engine)) as client:

        def hits(q: str) -> set[str]:
            return {i["title"] for i in client.get("/documents", params={"q": q, "limit": 100}).json()["items"]}

        before = hits("两江协同创新区")
        letter = next(p for p in sorted(folder.iterdir()) if "两江协同创新区" in p.read_text(encoding="utf-8"))
        renamed = letter.read_text(encoding="utf-8").replace("两江协同创新区", "白鹭湖研究院")
        letter.write_text(renamed, encoding="utf-8")
        assert run_ingest(engine, find_sources([folder]), full=True).counts["updated"] == 1
        changed = hits("白鹭湖研究院")
        assert len(changed) == 1 and changed < before and hits("两江协同创新区") == before - changed
        letter.unlink()
        assert run_ingest(engine, find_sources([folder]), full=True).removed == 1
        assert hits("白鹭湖研究院") == set()
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:  # FTS5's own check of its index's structure
            connection.execute(text("INSERT INTO document_body_fts(document_body_fts) VALUES ('integrity-check')"))
