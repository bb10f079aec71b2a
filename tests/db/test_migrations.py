"""The schema comes from the migrations alone, and they agree with the models, on both databases."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from app.db.migrate import alembic_config, current_revision, head_revision, include_object, migrate
from app.db.models import Base
from app.db.queries.search import search_hits
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.conftest import SEEDS


def test_newest_migration_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrate_reaches_head_and_is_a_no_op_the_second_time(engine: Engine) -> None:
    assert current_revision(engine) == head_revision(engine)
    assert migrate(engine) is False
    assert {"document", "proposal", "institution", "institution_alias", "metric", "ingest_run"} <= set(
        inspect(engine).get_table_names()
    )


def test_document_bodies_move_between_tables_both_ways_and_stay_searchable(engine: Engine) -> None:
    run_ingest(engine, find_sources([SEEDS]))
    config = alembic_config(engine)

    def texts(table: str, key: str) -> dict[int, str]:
        with engine.connect() as connection:
            return dict(connection.execute(text(f"SELECT {key}, text FROM {table}")).all())  # noqa: S608

    def hits(q: str) -> set[int]:
        with engine.connect() as connection:
            return set(connection.scalars(select(search_hits(q, engine.dialect.name).c.id)))

    before, found = texts("document_body", "document_id"), hits("科技")
    assert len(before) == 5 and found
    command.downgrade(config, "0004")
    assert texts("document", "id") == before
    command.upgrade(config, "head")
    assert texts("document_body", "document_id") == before
    assert hits("科技") == found
