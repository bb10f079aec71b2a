"""Migration 0010 (a shared job's queue and workers) moves a database forward and back, on SQLite and
PostgreSQL, and leaves what was ingested as it was."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, func, inspect, select

from app.db.engine import session_scope
from app.db.migrate import alembic_config, current_revision, head_revision
from app.db.models import Document, IngestRun
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import SEEDS

SHARED_TABLES = {"ingest_claim", "ingest_worker"}


def stored(engine: Engine) -> tuple[int, list[tuple[str, int]]]:
    with session_scope(engine) as session:
        documents = session.scalar(select(func.count()).select_from(Document)) or 0
        runs = session.execute(select(IngestRun.status, IngestRun.files_added).order_by(IngestRun.id)).all()
    return documents, [(status, added) for status, added in runs]


def test_the_shared_ingest_tables_come_and_go_with_their_migration(engine: Engine) -> None:
    run_ingest(engine, find_sources([SEEDS]), full=True)
    before = stored(engine)
    assert before == (5, [("succeeded", 5)])
    assert set(inspect(engine).get_table_names()) >= SHARED_TABLES
    config = alembic_config(engine)

    command.downgrade(config, "0009")
    assert current_revision(engine) == "0009"
    assert not SHARED_TABLES & set(inspect(engine).get_table_names())
    assert stored(engine) == before

    command.upgrade(config, "head")
    assert current_revision(engine) == head_revision(engine)
    tables = inspect(engine)
    assert set(tables.get_table_names()) >= SHARED_TABLES
    assert {c["name"] for c in tables.get_columns("ingest_claim")} == {
        "run_id",
        "source_path",
        "position",
        "worker",
        "document_id",
        "outcome",
    }
    indexes = {i["name"]: i["column_names"] for i in tables.get_indexes("ingest_claim")}
    assert indexes["ix_ingest_claim_queue"] == ["run_id", "worker", "position"]
    assert stored(engine) == before
