"""incremental sync: updated_at on every listed table, a change log, the tombstone horizon

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

Each list resource's table (document, proposal, institution, person, metric) gains `updated_at`,
which the ingest sets only when what the row serves changes, and an index on (updated_at, id)
for `sort=updated_at` with `updated_since`; `document.content_sha256` is how a re-ingest tells a
changed record from the same one read again. The `change` table is the `/changes` feed: one entry
per row (its latest change) plus the delete tombstones of CHANGES_RETENTION_DAYS, and
`data_version.changes_pruned` the highest seq of a tombstone pruned, below which a cursor may be too
old. Besides its key and the one entry per row, the log indexes only its tombstones (by age, for pruning).

Existing rows are stamped with the migration's time and logged as upserts in table order, so a
client replaying the feed from the start finds every row there is. Their `content_sha256` stays
NULL: the first re-parse of each takes it for changed, once.

SQLite cannot add a NOT NULL column without a constant default, so there the column keeps the
migration's time as its default (the ingest always writes the column; the models do not declare
the default); PostgreSQL drops it after the backfill.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = {
    "document": "documents",
    "proposal": "proposals",
    "institution": "institutions",
    "person": "people",
    "metric": "metrics",
}
"""Each listed table and the resource name the feed gives its rows, in the order they are logged."""

DESCENDING = {f"ix_desc_{table}_updated": table for table in TABLES}
"""PostgreSQL: for `-updated_at` (DESC NULLS LAST), as migration 0008 explains; `ix_desc_*` are migration-only."""


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    # The value as SQLAlchemy writes a DateTime on each database, so keyset comparisons see one format.
    written = sa.DateTime(timezone=True).dialect_impl(bind.dialect).bind_processor(bind.dialect)
    literal = f"'{written(now) if written else now.isoformat()}'"
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ADD COLUMN updated_at {_timestamp(bind)} NOT NULL DEFAULT {literal}")
        if bind.dialect.name == "postgresql":
            op.execute(f"ALTER TABLE {table} ALTER COLUMN updated_at DROP DEFAULT")
        op.create_index(f"ix_{table}_updated_id", table, ["updated_at", "id"])
    if bind.dialect.name == "postgresql":
        for name, table in DESCENDING.items():
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} (updated_at DESC NULLS LAST, id DESC)")
    op.add_column("document", sa.Column("content_sha256", sa.String(64), nullable=True))
    op.add_column("data_version", sa.Column("changes_pruned", sa.BigInteger(), nullable=False, server_default="0"))
    op.create_table(
        "change",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("resource", sa.String(20), nullable=False),
        sa.Column("resource_id", sa.BigInteger(), nullable=False),
        sa.Column("op", sa.String(6), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("op IN ('upsert', 'delete')", name=op.f("ck_change_op_known")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change")),
        sa.UniqueConstraint("resource", "resource_id", name="uq_change_resource_id"),
        sqlite_autoincrement=True,
    )
    tombstones = sa.text("op = 'delete'")
    op.create_index("ix_change_tombstone_at", "change", ["at"], sqlite_where=tombstones, postgresql_where=tombstones)
    change = sa.table(
        "change",
        sa.column("resource", sa.String),
        sa.column("resource_id", sa.BigInteger),
        sa.column("op", sa.String),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    for table, resource in TABLES.items():
        rows = sa.select(
            sa.literal(resource, sa.String).label("resource"),
            sa.column("id", sa.BigInteger),
            sa.literal("upsert", sa.String).label("op"),
            sa.literal(now, sa.DateTime(timezone=True)).label("at"),
        ).select_from(sa.table(table, sa.column("id", sa.BigInteger)))
        bind.execute(
            change.insert().from_select(["resource", "resource_id", "op", "at"], rows.order_by(sa.column("id")))
        )


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index("ix_change_tombstone_at", table_name="change")
    op.drop_table("change")
    # Plain DROP COLUMN on both databases (SQLite 3.35+): a batch rebuild of `document` would renumber
    # nothing, but its contentless full-text index refers to rowids and is better left untouched.
    op.execute("ALTER TABLE data_version DROP COLUMN changes_pruned")
    op.execute("ALTER TABLE document DROP COLUMN content_sha256")
    if bind.dialect.name == "postgresql":
        for name in DESCENDING:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    for table in TABLES:
        op.drop_index(f"ix_{table}_updated_id", table_name=table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN updated_at")


def _timestamp(bind: sa.Connection) -> str:
    return "TIMESTAMP WITH TIME ZONE" if bind.dialect.name == "postgresql" else "DATETIME"
