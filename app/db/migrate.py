"""Bring a database to the newest Alembic revision; the one way the schema is created."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

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


WAIT_STEP_SECONDS = 1.0


def wait_for_database(engine: Engine, seconds: float, *, waiting: Callable[[str], None]) -> str | None:
    """Try to reach the database until it answers or `seconds` have passed; None once it answers,
    else the last error. `waiting` is told, once, why it waits."""
    deadline = time.monotonic() + seconds
    told = False
    while True:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return None
        except OperationalError as exc:
            error = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        left = deadline - time.monotonic()
        if left <= 0:
            return error
        if not told:
            waiting(f"waiting up to {seconds:g} s for the database: {error}")
            told = True
        time.sleep(min(WAIT_STEP_SECONDS, left))
