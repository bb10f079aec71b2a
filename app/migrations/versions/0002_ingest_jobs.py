"""ingest runs become jobs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

`ingest_run` gains what the admin re-ingest job needs: the paths asked for (NULL for a full run),
progress (`files_total`, `files_removed`), liveness (`owner`, `heartbeat_at`) and `active`, the
single-running-job lock: unique, true while queued or running and NULL after, so the database
admits one unfinished job whichever process asks. Check constraints keep status and lock in step.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_KNOWN = "status IN ('queued', 'running', 'succeeded', 'failed', 'interrupted')"
ACTIVE_WHILE_UNFINISHED = (
    "(status IN ('queued', 'running') AND active IS NOT NULL AND active)"
    " OR (status NOT IN ('queued', 'running') AND active IS NULL)"
)


def upgrade() -> None:
    # A run left 'running' by an older version has no owner to ask: its process is gone.
    op.execute(
        "UPDATE ingest_run SET status = 'interrupted' WHERE status NOT IN ('succeeded', 'failed', 'interrupted')"
    )
    with op.batch_alter_table("ingest_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paths", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("files_total", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("files_removed", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("owner", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_ingest_run_active"), ["active"])
        batch_op.create_check_constraint(batch_op.f("ck_ingest_run_status_known"), STATUS_KNOWN)
        batch_op.create_check_constraint(batch_op.f("ck_ingest_run_active_while_unfinished"), ACTIVE_WHILE_UNFINISHED)


def downgrade() -> None:
    with op.batch_alter_table("ingest_run", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_ingest_run_active_while_unfinished"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_ingest_run_status_known"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_ingest_run_active"), type_="unique")
        batch_op.drop_column("active")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("owner")
        batch_op.drop_column("files_removed")
        batch_op.drop_column("files_total")
        batch_op.drop_column("paths")
