"""full-text search over institution names

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

`institution_alias` gains a `search_text` of Han bigrams (as `document` has), indexed the same
way: an external-content FTS5 table on SQLite, a GIN tsvector index on PostgreSQL. Existing rows
are filled in here, with the same normaliser the loader uses. (Metrics need no index of their own:
`/metrics?q=` narrows through the documents' index first, see app/db/queries/metrics.py.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.ingest.search import search_text

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → the columns whose text is searched
SEARCHED = {"institution_alias": ("name",)}


def upgrade() -> None:
    bind = op.get_bind()
    for table, sources in SEARCHED.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
        rows = bind.execute(sa.text(f"SELECT id, {', '.join(sources)} FROM {table}")).all()
        for row_id, *texts in rows:
            bind.execute(
                sa.text(f"UPDATE {table} SET search_text = :t WHERE id = :id"),
                {"t": search_text("\n".join(texts)), "id": row_id},
            )
        create_search_index(table)


def downgrade() -> None:
    for table in SEARCHED:
        drop_search_index(table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("search_text")


def create_search_index(table: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"CREATE INDEX ix_{table}_search ON {table} USING gin (to_tsvector('simple', search_text))")
        return
    fts = f"{table}_fts"
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    op.execute(f"INSERT INTO {fts}(rowid, search_text) SELECT id, search_text FROM {table}")
    op.execute(
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF search_text ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"
    )


def drop_search_index(table: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search")
        return
    for suffix in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {table}_fts")
