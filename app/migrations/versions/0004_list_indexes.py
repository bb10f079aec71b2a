"""indexes for every list filter with its sort, and proposal numbers without leading zeros

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

Measured on a 39k-document SQLite file: the filtered, sorted document list went from sorting every
match (28 ms of SQL) to reading 21 index entries (0.16 ms). `proposal.number_key` lets
`/proposals?number=883` find 0883 through an index instead of trimming every row's number.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_document_published_id": ("document", ["published_date", "id"]),
    "ix_document_signed_id": ("document", ["signed_date", "id"]),
    "ix_document_kind_published_id": ("document", ["kind", "published_date", "id"]),
    "ix_document_genre_published_id": ("document", ["genre", "published_date", "id"]),
    "ix_document_year_published_id": ("document", ["year", "published_date", "id"]),
    "ix_document_institution_role_document": ("document_institution", ["institution_id", "role", "document_id"]),
    "ix_metric_series": ("metric", ["indicator", "as_of_end"]),
}


def upgrade() -> None:
    with op.batch_alter_table("proposal") as batch:
        batch.add_column(sa.Column("number_key", sa.String(length=40), nullable=True))
        batch.create_index("ix_proposal_number_key", ["number_key"])
    bind = op.get_bind()
    for proposal_id, number in bind.execute(sa.text("SELECT id, number FROM proposal WHERE number IS NOT NULL")):
        bind.execute(
            sa.text("UPDATE proposal SET number_key = :key WHERE id = :id"),
            {"key": number.lstrip("0") or "0", "id": proposal_id},
        )
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("proposal") as batch:
        batch.drop_index("ix_proposal_number_key")
        batch.drop_column("number_key")
