"""search vocabulary: how many documents hold each indexed token (SQLite), and how many there are

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

A search sorted by date can find its page two ways: list every hit and probe each date-ordered
document against that list, or walk the documents in date order and ask the index about each.
The first costs as much as the word has hits (a common word, tens of milliseconds at 100,000
documents); the second as many documents as it walks before a page is full, which is few for a
common word and all of them for a rare one. An `fts5vocab` table over the full-text index gives
each token's document count in one lookup (a view of the index: it stores nothing), and the
data version's row now keeps the number of documents, set by every ingest commit, so the
statement weighs the two plans (`app.db.queries.search.among_hits`). PostgreSQL plans its GIN
lookups itself.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("data_version", sa.Column("documents", sa.BigInteger(), nullable=False, server_default="0"))
    op.execute("UPDATE data_version SET documents = (SELECT count(*) FROM document)")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE document_body_fts_vocab USING fts5vocab(document_body_fts, row)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS document_body_fts_vocab")
    with op.batch_alter_table("data_version") as batch:
        batch.drop_column("documents")
