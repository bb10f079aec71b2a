"""store each byte once: compressed source bytes, no stored bigram text beside the full-text index

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

`document_body` held the source bytes as they came, the cleaned text, and `search_text`, the Han
bigrams of the title and text, nearly twice the text's size, which the full-text index then
held again. Now:

- `raw` becomes `raw_zlib`, the source bytes deflated (`app.db.load.source_bytes` inflates them);
- `search_text` goes. The bigrams are computed from `heading` (the title and the proposal's title
  as the document stated them) and `text` whenever they are needed: by the ingest, which inserts
  them into the index, and on SQLite by the app again to delete a document's entries (FTS5
  contentless table: it keeps the index only, and needs the indexed tokens to remove a row);
  PostgreSQL keeps the `search_vector` tsvector, no longer generated from a stored text but
  written by the ingest, GIN-indexed as before.

The hits are the same: the index holds the same tokens, searched the same way.
"""

import zlib
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.ingest.search import search_text

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 500
"""Rows converted per statement."""


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.add_column(
        "document_body", sa.Column("raw_zlib", sa.LargeBinary(), nullable=False, server_default=sa.text("''"))
    )
    op.add_column("document_body", sa.Column("heading", sa.Text(), nullable=False, server_default=""))
    newline = "char(10)" if sqlite else "E'\\n'"
    op.execute(
        "UPDATE document_body SET heading = (SELECT d.title || "
        f"{newline} || coalesce(d.proposal_title, '') FROM document d WHERE d.id = document_body.document_id)"
    )
    for rows in _chunks(bind, "SELECT document_id, raw FROM document_body"):
        bind.execute(
            sa.text("UPDATE document_body SET raw_zlib = :packed WHERE document_id = :id"),
            [{"id": document_id, "packed": zlib.compress(bytes(raw))} for document_id, raw in rows],
        )
    if sqlite:
        _drop_external_fts()
        op.execute("CREATE VIRTUAL TABLE document_body_fts USING fts5(search_text, content='', " + _TOKENIZE + ")")
        # The index's tokens from heading and text, as the ingest computes them from now on (and
        # as deletes recompute them), rather than copied from the old column.
        for rows in _chunks(bind, "SELECT document_id, heading, text FROM document_body"):
            bind.execute(
                sa.text("INSERT INTO document_body_fts(rowid, search_text) VALUES (:id, :tokens)"),
                [{"id": i, "tokens": search_text(f"{heading}\n{body}")} for i, heading, body in rows],
            )
    else:
        op.execute("DROP INDEX IF EXISTS ix_document_body_search_vector")
        op.execute("ALTER TABLE document_body DROP COLUMN search_vector")
        op.execute("ALTER TABLE document_body ADD COLUMN search_vector tsvector")
        op.execute("UPDATE document_body SET search_vector = to_tsvector('simple', search_text)")
        op.execute("ALTER TABLE document_body ALTER COLUMN search_vector SET NOT NULL")
        op.execute("CREATE INDEX ix_document_body_search_vector ON document_body USING gin (search_vector)")
    for column in ("raw", "search_text"):
        op.execute(f"ALTER TABLE document_body DROP COLUMN {column}")
    if not sqlite:
        op.execute("ANALYZE document_body")


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.add_column("document_body", sa.Column("raw", sa.LargeBinary(), nullable=False, server_default=sa.text("''")))
    op.add_column("document_body", sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    for rows in _chunks(bind, "SELECT document_id, raw_zlib, heading, text FROM document_body"):
        bind.execute(
            sa.text("UPDATE document_body SET raw = :raw, search_text = :tokens WHERE document_id = :id"),
            [
                {"id": i, "raw": zlib.decompress(packed), "tokens": search_text(f"{heading}\n{body}")}
                for i, packed, heading, body in rows
            ],
        )
    if sqlite:
        op.execute("DROP TABLE IF EXISTS document_body_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_document_body_search_vector")
        op.execute("ALTER TABLE document_body DROP COLUMN search_vector")
    for column in ("raw_zlib", "heading"):
        op.execute(f"ALTER TABLE document_body DROP COLUMN {column}")
    if sqlite:
        _create_external_fts()
    else:
        op.execute(
            "ALTER TABLE document_body ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
        )
        op.execute("CREATE INDEX ix_document_body_search_vector ON document_body USING gin (search_vector)")


_TOKENIZE = "tokenize='unicode61 remove_diacritics 0'"


def _chunks(bind: Any, query: str) -> Iterator[list[Any]]:
    """Rows of `query` a chunk at a time, keyed past the last one, so a large table is never held whole."""
    last = None
    while True:
        where = "" if last is None else f" WHERE document_id > {int(last)}"
        rows = list(bind.execute(sa.text(f"{query}{where} ORDER BY document_id LIMIT {CHUNK}")))
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _drop_external_fts() -> None:
    for suffix in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS document_body_fts_{suffix}")
    op.execute("DROP TABLE IF EXISTS document_body_fts")


def _create_external_fts() -> None:
    """Migration 0005's index: external content over `document_body.search_text`, kept by triggers.
    Written out again rather than imported: a migration must keep doing what it did when written."""
    fts, table, rowid = "document_body_fts", "document_body", "document_id"
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', content_rowid='{rowid}', {_TOKENIZE})"
    )
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    op.execute(
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.{rowid}, new.search_text); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.{rowid}, old.search_text); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF search_text ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.{rowid}, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.{rowid}, new.search_text); END"
    )
