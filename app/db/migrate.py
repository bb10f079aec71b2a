"""Bring a database to the newest Alembic revision; the one way the schema is created."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

import app.jobs.claims  # noqa: F401 - its tables (a shared job's queue) belong to the schema the migrations build

SCRIPT_LOCATION = Path(__file__).resolve().parent.parent / "migrations"
"""The migrations ship inside the package, so an installed app (not only a checkout) can migrate."""

# Created by hand in the migrations, not described by the models: the FTS5 tables (and their
# shadow tables) on SQLite; on PostgreSQL the stored `search_vector` columns and their GIN indexes,
# and the indexes in the descending sorts' order. Autogenerate must leave them alone.
MIGRATION_ONLY = (
    "document_body_fts",
    "institution_alias_fts",
    "ix_document_body_search",
    "ix_institution_alias_search",
    "search_vector",
    "ix_desc_",
)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (reflected and name is not None and name.startswith(MIGRATION_ONLY))


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> bool:
    """Upgrade to head. Returns whether anything had to be done."""
    if current_revision(engine) == head_revision(engine):
        return False
    command.upgrade(alembic_config(engine), "head")
    return True
