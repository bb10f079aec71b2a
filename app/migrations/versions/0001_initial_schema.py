"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Tables for documents, proposals, institutions and aliases, people, metrics and ingest runs,
plus the full-text index over `document.search_text` (Han bigrams): FTS5 on SQLite, GIN on PostgreSQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ingest_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("files_seen", sa.Integer(), nullable=False),
        sa.Column("files_added", sa.Integer(), nullable=False),
        sa.Column("files_updated", sa.Integer(), nullable=False),
        sa.Column("files_unchanged", sa.Integer(), nullable=False),
        sa.Column("files_failed", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_run")),
    )
    with op.batch_alter_table("ingest_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ingest_run_status"), ["status"], unique=False)

    op.create_table(
        "institution",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution")),
        sa.UniqueConstraint("name", name=op.f("uq_institution_name")),
    )
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institution_type"), ["type"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("name", name=op.f("uq_person_name")),
    )
    op.create_table(
        "proposal",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False),
        sa.Column("natural_key", sa.String(length=600), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("session", sa.String(length=200), nullable=True),
        sa.Column("term", sa.Integer(), nullable=True),
        sa.Column("session_no", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("proposers", sa.JSON(), nullable=False),
        sa.Column("co_handlers", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
        sa.UniqueConstraint("natural_key", name=op.f("uq_proposal_natural_key")),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposal_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_number"), ["number"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_session"), ["session"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_term"), ["term"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_type"), ["type"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_year"), ["year"], unique=False)

    op.create_table(
        "document",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False),
        sa.Column("source_path", sa.String(length=1000), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("parser_version", sa.String(length=16), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("index_no", sa.String(length=200), nullable=True),
        sa.Column("doc_no", sa.String(length=200), nullable=True),
        sa.Column("genre", sa.String(length=100), nullable=True),
        sa.Column("publisher", sa.String(length=200), nullable=True),
        sa.Column("written_date", sa.Date(), nullable=True),
        sa.Column("published_date", sa.Date(), nullable=True),
        sa.Column("signed_date", sa.Date(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("signatory", sa.String(length=200), nullable=True),
        sa.Column("addressee", sa.String(length=200), nullable=True),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("proposal_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposal.id"], name=op.f("fk_document_proposal_id_proposal"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("source_path", name=op.f("uq_document_source_path")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_genre"), ["genre"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_index_no"), ["index_no"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_proposal_id"), ["proposal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_published_date"), ["published_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_signed_date"), ["signed_date"], unique=False)
        batch_op.create_index("ix_document_title", ["title"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_year"), ["year"], unique=False)

    op.create_table(
        "institution_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_institution_alias_institution_id_institution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution_alias")),
        sa.UniqueConstraint("institution_id", "name", name="uq_institution_alias"),
    )
    with op.batch_alter_table("institution_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institution_alias_name"), ["name"], unique=False)

    op.create_table(
        "document_institution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("institution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("sentence", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_document_institution_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_document_institution_institution_id_institution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_institution")),
        sa.UniqueConstraint("document_id", "institution_id", "role", "name", name="uq_document_institution"),
    )
    with op.batch_alter_table("document_institution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_institution_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_institution_institution_id"), ["institution_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_institution_role"), ["role"], unique=False)

    op.create_table(
        "document_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("role", sa.String(length=50), nullable=True),
        sa.Column("is_proposer", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("sentence", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_person_document_id_document"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_document_person_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_person")),
    )
    with op.batch_alter_table("document_person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_person_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_person_person_id"), ["person_id"], unique=False)

    op.create_table(
        "document_topic",
        sa.Column("document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_topic_document_id_document"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("document_id", "topic", name=op.f("pk_document_topic")),
    )
    with op.batch_alter_table("document_topic", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_topic_topic"), ["topic"], unique=False)

    op.create_table(
        "metric",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=300), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("as_of_end", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("qualifier", sa.String(length=10), nullable=True),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_metric_document_id_document"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric")),
    )
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_metric_as_of_end"), ["as_of_end"], unique=False)
        batch_op.create_index(batch_op.f("ix_metric_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_metric_indicator"), ["indicator"], unique=False)
        batch_op.create_index(batch_op.f("ix_metric_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_metric_unit"), ["unit"], unique=False)

    create_search_index()


SQLITE_FTS = [
    # External content: the index reads document.search_text by rowid (document.id) and stores no copy.
    "CREATE VIRTUAL TABLE document_fts USING fts5(search_text, content='document', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER document_fts_insert AFTER INSERT ON document BEGIN "
    "INSERT INTO document_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER document_fts_delete AFTER DELETE ON document BEGIN "
    "INSERT INTO document_fts(document_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER document_fts_update AFTER UPDATE OF search_text ON document BEGIN "
    "INSERT INTO document_fts(document_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO document_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]


def create_search_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute("CREATE INDEX ix_document_search ON document USING gin (to_tsvector('simple', search_text))")


def drop_search_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("document_fts_insert", "document_fts_delete", "document_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS document_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_document_search")


def downgrade() -> None:
    drop_search_index()
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metric_unit"))
        batch_op.drop_index(batch_op.f("ix_metric_kind"))
        batch_op.drop_index(batch_op.f("ix_metric_indicator"))
        batch_op.drop_index(batch_op.f("ix_metric_document_id"))
        batch_op.drop_index(batch_op.f("ix_metric_as_of_end"))

    op.drop_table("metric")
    with op.batch_alter_table("document_topic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_topic_topic"))

    op.drop_table("document_topic")
    with op.batch_alter_table("document_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_person_person_id"))
        batch_op.drop_index(batch_op.f("ix_document_person_document_id"))

    op.drop_table("document_person")
    with op.batch_alter_table("document_institution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_institution_role"))
        batch_op.drop_index(batch_op.f("ix_document_institution_institution_id"))
        batch_op.drop_index(batch_op.f("ix_document_institution_document_id"))

    op.drop_table("document_institution")
    with op.batch_alter_table("institution_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_alias_name"))

    op.drop_table("institution_alias")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_year"))
        batch_op.drop_index("ix_document_title")
        batch_op.drop_index(batch_op.f("ix_document_signed_date"))
        batch_op.drop_index(batch_op.f("ix_document_published_date"))
        batch_op.drop_index(batch_op.f("ix_document_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_document_kind"))
        batch_op.drop_index(batch_op.f("ix_document_index_no"))
        batch_op.drop_index(batch_op.f("ix_document_genre"))

    op.drop_table("document")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_year"))
        batch_op.drop_index(batch_op.f("ix_proposal_type"))
        batch_op.drop_index(batch_op.f("ix_proposal_term"))
        batch_op.drop_index(batch_op.f("ix_proposal_session"))
        batch_op.drop_index(batch_op.f("ix_proposal_number"))
        batch_op.drop_index(batch_op.f("ix_proposal_level"))

    op.drop_table("proposal")
    op.drop_table("person")
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_type"))

    op.drop_table("institution")
    with op.batch_alter_table("ingest_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ingest_run_status"))

    op.drop_table("ingest_run")
