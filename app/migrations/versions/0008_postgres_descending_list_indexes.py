"""PostgreSQL: indexes in the order of the descending list sorts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Lists put documents without the sort's date last in both directions. SQLite sorts NULLs last
when descending anyway, so its ascending indexes, walked backwards, serve `-published_date`;
PostgreSQL sorts them first, could not use those indexes for `DESC NULLS LAST`, and sorted every
matching row for each page: the default document list took ~300 ms at 100,000 documents. These
indexes are in that order; the ascending sorts keep using the indexes of migration 0004.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_desc_document_published": ("document", "published_date DESC NULLS LAST, id DESC"),
    "ix_desc_document_signed": ("document", "signed_date DESC NULLS LAST, id DESC"),
    "ix_desc_document_kind_published": ("document", "kind, published_date DESC NULLS LAST, id DESC"),
    "ix_desc_document_genre_published": ("document", "genre, published_date DESC NULLS LAST, id DESC"),
    "ix_desc_document_year_published": ("document", "year, published_date DESC NULLS LAST, id DESC"),
    "ix_desc_proposal_year": ("proposal", "year DESC NULLS LAST, id DESC"),
}
"""Named `ix_desc_*`: the models do not describe them (see `app.db.migrate.MIGRATION_ONLY`)."""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, (table, columns) in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
