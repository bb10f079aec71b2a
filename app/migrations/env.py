"""Alembic environment: runs migrations on the engine the app hands over (see app/db/migrate.py)."""

from alembic import context
from sqlalchemy import Engine

from app.db.engine import get_engine
from app.db.migrate import include_object
from app.db.models import Base

config = context.config
engine: Engine = config.attributes.get("engine") or get_engine()

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
        include_object=include_object,
    )
    context.run_migrations()
