"""The schema comes from the migrations alone, and they agree with the models, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from app.db.migrate import current_revision, head_revision, include_object, migrate
from app.db.models import Base


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
