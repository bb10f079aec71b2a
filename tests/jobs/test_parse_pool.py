"""The ingest parses in a pool of processes and writes from one: a file whose parse raises, hangs
or kills its process fails alone, with a reason, and the others are loaded, in source order."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from app.config import get_settings
from app.db.engine import session_scope
from app.db.load import load_records, record_rows
from app.db.models import Document
from app.ingest import parse_document
from app.ingest.version import parser_version
from app.jobs.ingest import run_ingest
from app.jobs.pool import ParsePool, Prepare
from app.sources import find_sources
from tests.helpers import SEEDS
from tests.jobs import parsers

SEED_NAMES = sorted(p.name for p in SEEDS.iterdir())


@pytest.mark.parametrize(
    "prepare, reason",
    [
        (parsers.raising, "the parser failed: RuntimeError: a bug in a parser step"),
        (parsers.hanging, "parsing took longer than 2 s (INGEST_PARSE_TIMEOUT_SECONDS)"),
        (parsers.crashing, "the parser process died (exit code 70)"),
    ],
    ids=["raises", "hangs", "crashes"],
)
def test_a_parse_that_raises_hangs_or_crashes_fails_its_file_and_the_pool_goes_on(
    engine: Engine, source_dir: Path, monkeypatch: pytest.MonkeyPatch, prepare: Prepare, reason: str
) -> None:
    monkeypatch.setenv("INGEST_PARSE_TIMEOUT_SECONDS", "2")
    get_settings.cache_clear()
    summary = run_ingest(engine, find_sources([source_dir]), workers=2, prepare=prepare)
    assert summary.counts == {"added": 4, "updated": 0, "unchanged": 0, "failed": 1}
    assert summary.errors == [{"path": "001_681e2b01cc784a69.txt", "reason": reason}]
    with session_scope(engine) as session:
        stored = sorted(session.scalars(select(Document.source_path)))
    assert stored == [name for name in SEED_NAMES if not name.startswith(parsers.BAD)]


def test_results_come_back_in_the_order_the_files_went_in() -> None:
    raws = [(SEEDS / name).read_bytes() for name in SEED_NAMES]
    items = [(i, (raw, f"doc{i}", f"doc{i}.txt", parser_version())) for i, raw in enumerate(raws * 4)]
    items.insert(3, (-1, None))  # nothing to parse: handed back in its place
    with ParsePool(2, timeout=60) as pool:
        results = list(pool.in_order(items))
    assert [key for key, _ in results] == [key for key, _ in items]
    assert [getattr(outcome, "rows", None) and outcome.rows.source_path for _, outcome in results[:3]] == [
        "doc0.txt",
        "doc1.txt",
        "doc2.txt",
    ]


def test_a_batch_is_written_with_one_statement_per_table_whatever_its_size(engine: Engine) -> None:
    """executemany per table: no statement runs once per document."""
    docs = [
        record_rows(parse_document(raw, name=p.stem), source_path=p.name, raw=raw, parser_version=parser_version())
        for p in sorted(SEEDS.iterdir())
        for raw in [p.read_bytes()]
    ]
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with Session(engine) as session:
            assert load_records(session, docs) == [False] * 5
            session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    writes = [
        s for s in seen if not s.lstrip().upper().startswith(("SELECT", "BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))
    ]
    assert len(writes) == len(set(writes)), "a statement ran once per document"
    # the document's tables, shared tables, proposals, the data version; then the change log: the
    # updated_at of changed shared rows (3 tables), each resource's earlier entries, the entries, the prune
    assert len(writes) <= 26
    with session_scope(engine) as session:
        assert len(session.scalars(select(Document.id)).all()) == 5
