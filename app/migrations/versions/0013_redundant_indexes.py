"""three indexes fewer: each is the first column of a longer index that serves the same lookups

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

`ix_metric_indicator` leads `ix_metric_series` (indicator, as_of_end); `ix_document_institution_document_id`
leads `uq_document_institution` (document_id, institution_id, role, name), which also serves the
cascade from a deleted document; `ix_document_institution_institution_id` leads
`ix_document_institution_role_document` (institution_id, role, document_id). Each was written on
every ingest and read by no plan the longer one could not serve: at 10,000 documents they held
18.6 MB of a 421 MB SQLite file.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROPPED = {
    "ix_metric_indicator": ("metric", ["indicator"]),
    "ix_document_institution_document_id": ("document_institution", ["document_id"]),
    "ix_document_institution_institution_id": ("document_institution", ["institution_id"]),
}


def upgrade() -> None:
    for name, (table, _) in DROPPED.items():
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, (table, columns) in DROPPED.items():
        op.create_index(name, table, columns)
