"""what a list item shows, stored in its own row; a data version every ingest commit bumps

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

A page of documents had cost three statements (the page, its topics, its proposals' briefs) and
a page of figures two (the page, its documents' titles). Each list item's fields now sit in the
row it is read from, written at ingest: a document's `topics` (JSON, in order) and its proposal's
type, level, session, number and title; a metric's document title. The `document_topic` rows
stay: `?topic=` and the topic facet use their index.

`data_version` holds one row whose `version` every ingest commit increments. ETags are made of
it and the URL, so a conditional request is answered before any query runs; SQLite's own
`PRAGMA data_version` is per connection and misses commits in some setups, a row does not.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BRIEF = ("type", "level", "session", "number", "title")
BRIEF_TYPES = {
    "type": sa.String(16),
    "level": sa.String(16),
    "session": sa.String(200),
    "number": sa.String(40),
    "title": sa.Text(),
}


def upgrade() -> None:
    # Plain ADD COLUMN on both databases: SQLite's batch mode would copy the table, and dropping
    # the old copy with foreign keys on would cascade into every child row.
    op.add_column("document", sa.Column("topics", sa.JSON(), nullable=False, server_default="[]"))
    for field in BRIEF:
        op.add_column("document", sa.Column(f"proposal_{field}", BRIEF_TYPES[field], nullable=True))
    op.add_column("metric", sa.Column("document_title", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_data_version_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 1)")
    _backfill()


def _backfill() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        topics = (
            "(SELECT json_group_array(topic) FROM (SELECT topic FROM document_topic t"
            " WHERE t.document_id = document.id ORDER BY t.position))"
        )
    else:
        topics = (
            "COALESCE((SELECT json_agg(topic ORDER BY position) FROM document_topic t"
            " WHERE t.document_id = document.id), '[]'::json)"
        )
    op.execute(f"UPDATE document SET topics = {topics}")
    brief = ", ".join(
        f"proposal_{field} = (SELECT p.{field} FROM proposal p WHERE p.id = document.proposal_id)" for field in BRIEF
    )
    op.execute(f"UPDATE document SET {brief} WHERE proposal_id IS NOT NULL")
    op.execute("UPDATE metric SET document_title = (SELECT d.title FROM document d WHERE d.id = metric.document_id)")


def downgrade() -> None:
    op.drop_table("data_version")
    # ALTER TABLE … DROP COLUMN on both (SQLite 3.35 and later), for the reason given in upgrade.
    op.execute("ALTER TABLE metric DROP COLUMN document_title")
    for field in reversed(BRIEF):
        op.execute(f"ALTER TABLE document DROP COLUMN proposal_{field}")
    op.execute("ALTER TABLE document DROP COLUMN topics")
