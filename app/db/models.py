"""Tables. The schema itself is created only by the Alembic migrations in `migrations/`;
`tests/db/test_migrations.py` proves these models and the newest migration agree."""

from __future__ import annotations

import zlib
from datetime import date, datetime
from typing import Any, Literal, get_args

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Explicit constraint names, so migrations can name what they alter on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PublicId = BigInteger().with_variant(Integer(), "sqlite")
"""Public ids are 53-bit integers derived from what a thing is (see `app/db/ids.py`), so they survive
re-ingest and stay exact in JavaScript. On SQLite the column is an INTEGER PRIMARY KEY, the rowid itself,
which the FTS5 index refers to."""


UnfinishedStatus = Literal["queued", "running"]
FinalStatus = Literal["succeeded", "failed", "interrupted"]
JobStatus = Literal[UnfinishedStatus, FinalStatus]
"""An ingest job's state (`ingest_run.status`): queued or running while it holds the lock, then
how it ended; interrupted means its process died (see `app/jobs/runs.py`)."""
JobTrigger = Literal["cli", "api", "upload"]
"""What started an ingest job: `python -m app ingest`, POST /admin/reingest, or an upload."""


def _sql_values(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Proposal(Base):
    """One suggestion (人大代表建议) or proposal (政协提案); several documents may answer or report it."""

    __tablename__ = "proposal"

    id: Mapped[int] = mapped_column(PublicId, primary_key=True, autoincrement=False)
    natural_key: Mapped[str] = mapped_column(String(600), unique=True)
    """type|level|session|number: the proposal's identity (title stands in for a missing number)."""
    type: Mapped[str] = mapped_column(String(16), index=True)
    level: Mapped[str | None] = mapped_column(String(16), index=True)
    session: Mapped[str | None] = mapped_column(String(200), index=True)
    term: Mapped[int | None] = mapped_column(Integer, index=True)
    session_no: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(40), index=True)
    number_key: Mapped[str | None] = mapped_column(String(40), index=True)
    """The number without leading zeros: sites print 0883 and 883 for one proposal."""
    title: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    """The year of its earliest dated reply document."""
    proposers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    co_handlers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """When an ingest last changed what its list item shows (migration 0012)."""

    __table_args__ = (Index("ix_proposal_updated_id", "updated_at", "id"),)


PROPOSAL_SERVED = (
    Proposal.type,
    Proposal.level,
    Proposal.session,
    Proposal.term,
    Proposal.session_no,
    Proposal.number,
    Proposal.title,
    Proposal.year,
    Proposal.proposers,
    Proposal.co_handlers,
)
"""What a proposal's list item shows besides its id and updated_at: its list's columns, and what
the change log compares (a change to any is a change of the proposal)."""


class Document(Base):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(PublicId, primary_key=True, autoincrement=False)
    source_path: Mapped[str] = mapped_column(String(1000), unique=True)
    """The source file, relative to the folder it was ingested from."""
    sha256: Mapped[str] = mapped_column(String(64))
    parser_version: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(Text)
    index_no: Mapped[str | None] = mapped_column(String(200), index=True)
    doc_no: Mapped[str | None] = mapped_column(String(200))
    genre: Mapped[str | None] = mapped_column(String(100), index=True)
    publisher: Mapped[str | None] = mapped_column(String(200))
    written_date: Mapped[date | None] = mapped_column(Date)
    published_date: Mapped[date | None] = mapped_column(Date, index=True)
    signed_date: Mapped[date | None] = mapped_column(Date, index=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    """Year of the published date, else the written or signed date."""
    signatory: Mapped[str | None] = mapped_column(String(200))
    addressee: Mapped[str | None] = mapped_column(String(200))
    approved_by: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(200))
    proposal_id: Mapped[int | None] = mapped_column(
        PublicId, ForeignKey("proposal.id", ondelete="SET NULL"), index=True
    )
    sections: Mapped[list[Any]] = mapped_column(JSON, default=list)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # What a list item shows, stored with it at ingest so a page is one statement (migration 0007):
    # the topics in order (`document_topic` keeps one row each for `?topic=`), and the brief of the
    # proposal, kept equal to the proposal's row by `load_record` whenever that row changes.
    topics: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    proposal_type: Mapped[str | None] = mapped_column(String(16))
    proposal_level: Mapped[str | None] = mapped_column(String(16))
    proposal_session: Mapped[str | None] = mapped_column(String(200))
    proposal_number: Mapped[str | None] = mapped_column(String(40))
    proposal_title: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """When an ingest last changed what the document serves (migration 0012): its record, or its
    proposal's brief. A re-parse that reads the same record leaves it (see `content_sha256`)."""
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    """A digest of everything the document serves but its proposal's brief (`app.db.load.content_digest`):
    how a re-ingest tells a changed record from the same one read again. NULL until first re-ingested
    after migration 0012."""

    # Each list filter with each sort, ending in the id the keyset cursor uses, so a page is read
    # off an index instead of sorting every match (migration 0004).
    __table_args__ = (
        Index("ix_document_title", "title"),
        Index("ix_document_published_id", "published_date", "id"),
        Index("ix_document_signed_id", "signed_date", "id"),
        Index("ix_document_kind_published_id", "kind", "published_date", "id"),
        Index("ix_document_genre_published_id", "genre", "published_date", "id"),
        Index("ix_document_year_published_id", "year", "published_date", "id"),
        Index("ix_document_updated_id", "updated_at", "id"),
    )


class DocumentBody(Base):
    """A document's wide columns, kept apart from its metadata (migration 0005): lists, facets, sorts
    and joins read the narrow `document` rows, several to a page, instead of walking the overflow
    pages of kilobytes of text they never show."""

    __tablename__ = "document_body"

    document_id: Mapped[int] = mapped_column(
        PublicId, ForeignKey("document.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    raw_zlib: Mapped[bytes] = mapped_column(LargeBinary)
    """The source file's bytes as ingested, deflated: see `pack_source` and `unpack_source`."""
    text: Mapped[str] = mapped_column(Text)
    """The cleaned text; spans of metrics, institutions and people point into it."""
    heading: Mapped[str] = mapped_column(Text)
    """The title and the proposal's title as the document stated them: indexed with `text`.
    The index's tokens (Han bigrams, app/ingest/search.py) are computed from these two and stored
    in the index alone (migration 0009): FTS5 `document_body_fts` on SQLite, whose entries the app
    deletes with the same tokens recomputed; the `search_vector` tsvector on PostgreSQL."""


class DocumentTopic(Base):
    """主题分类, one row per topic so `?topic=` uses an index."""

    __tablename__ = "document_topic"

    document_id: Mapped[int] = mapped_column(PublicId, ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class Institution(Base):
    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(PublicId, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    """The canonical (usually full) name."""
    type: Mapped[str] = mapped_column(String(20), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """When an ingest added it or one of its aliases (migration 0012)."""

    __table_args__ = (Index("ix_institution_updated_id", "updated_at", "id"),)


class InstitutionAlias(Base):
    """Every name an institution is known by, its canonical name included. A short name may
    belong to several institutions (each province has its own `省科技厅`)."""

    __tablename__ = "institution_alias"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(PublicId, ForeignKey("institution.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300), index=True)
    search_text: Mapped[str] = mapped_column(Text, server_default="")
    """Han bigrams of the name, indexed for `/institutions?q=` (see migration 0003)."""

    __table_args__ = (UniqueConstraint("institution_id", "name", name="uq_institution_alias"),)


class DocumentInstitution(Base):
    """An institution in a document, in one role: publisher, signatory, co_handler, proposer, mentioned."""

    __tablename__ = "document_institution"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No index of its own on document_id or institution_id: each leads one of `__table_args__`'s.
    document_id: Mapped[int] = mapped_column(PublicId, ForeignKey("document.id", ondelete="CASCADE"))
    institution_id: Mapped[int] = mapped_column(PublicId, ForeignKey("institution.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(300))
    """The name as written in this document."""
    position: Mapped[int] = mapped_column(Integer)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    sentence: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("document_id", "institution_id", "role", "name", name="uq_document_institution"),
        Index("ix_document_institution_role_document", "institution_id", "role", "document_id"),
    )


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(PublicId, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """When an ingest last changed the person's roles or how many documents name them (migration 0012)."""

    __table_args__ = (Index("ix_person_updated_id", "updated_at", "id"),)


class DocumentPerson(Base):
    __tablename__ = "document_person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(PublicId, ForeignKey("document.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(PublicId, ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str | None] = mapped_column(String(50))
    is_proposer: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    sentence: Mapped[str | None] = mapped_column(Text)


class Metric(Base):
    __tablename__ = "metric"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(PublicId, ForeignKey("document.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(300))  # indexed first in `ix_metric_series`
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20), index=True)
    as_of: Mapped[str | None] = mapped_column(String(10))
    as_of_end: Mapped[date | None] = mapped_column(Date, index=True)
    """The last day of the period `as_of` names ("2023-06" → 2023-06-30), for range filters and ordering."""
    kind: Mapped[str] = mapped_column(String(10), index=True)
    qualifier: Mapped[str | None] = mapped_column(String(10))
    sentence: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    document_title: Mapped[str] = mapped_column(Text, server_default="")
    """Its document's title, for list items; a document's metrics are replaced with it."""
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """When an ingest stored the figure as it is: a re-ingest that states it again keeps its id and
    this (migration 0012)."""

    __table_args__ = (
        Index("ix_metric_series", "indicator", "as_of_end"),
        Index("ix_metric_updated_id", "updated_at", "id"),
    )


class DataVersion(Base):
    """One row: a number every ingest commit increments, so readers can tell whether anything
    changed without reading it (ETags). A row, not SQLite's `PRAGMA data_version`, which is per
    connection and does not see every other process's commits."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)
    documents: Mapped[int] = mapped_column(BigInteger, server_default="0")
    """How many documents that commit left: what a search weighs its plans by (migration 0011)."""
    changes_pruned: Mapped[int] = mapped_column(BigInteger, server_default="0")
    """The highest `change.seq` of a delete tombstone pruned: a feed cursor below it may have missed
    a delete, and is answered 410 (migration 0012)."""

    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)


ChangeResource = Literal["documents", "proposals", "institutions", "people", "metrics"]
"""What `/changes` reports on: the list resources, by the name of their endpoint."""
ChangeOp = Literal["upsert", "delete"]


class Change(Base):
    """The change log behind `/changes` (migration 0012): the latest change of each resource row,
    appended by the ingest in the transaction of the rows it describes. Appending deletes the row's
    earlier entry, and delete tombstones older than CHANGES_RETENTION_DAYS are pruned, so the table
    holds one entry per live row plus the recent deletes: replaying it from the start gives exactly
    the rows there are."""

    __tablename__ = "change"

    # AUTOINCREMENT on SQLite: a pruned last seq is never handed out again (a cursor past it would skip it).
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    resource: Mapped[str] = mapped_column(String(20))
    """A `ChangeResource`."""
    resource_id: Mapped[int] = mapped_column(BigInteger)
    op: Mapped[str] = mapped_column(String(6))
    """A `ChangeOp`."""
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("resource", "resource_id", name="uq_change_resource_id"),
        # Only the tombstones, which pruning looks for by age: the upserts, most of the log, cost
        # no index but the two every entry needs. A `resource=` feed walks the seqs, filtering.
        Index(
            "ix_change_tombstone_at", "at", sqlite_where=text("op = 'delete'"), postgresql_where=text("op = 'delete'")
        ),
        CheckConstraint(f"op IN ({_sql_values(get_args(ChangeOp))})", name="op_known"),
        {"sqlite_autoincrement": True},
    )


class IngestRun(Base):
    """One ingest job, from the CLI, the admin API or an upload: what it saw, changed and could not parse.

    `active` is the lock that lets one job run at a time: true while the job is queued or running,
    NULL once it ends. The unique constraint admits one true row (NULLs never collide, on SQLite and
    PostgreSQL alike), so a second job is refused by the database itself, whichever process asks.
    """

    __tablename__ = "ingest_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trigger: Mapped[str] = mapped_column(String(10))
    """A `JobTrigger`."""
    status: Mapped[str] = mapped_column(String(12), index=True)
    """A `JobStatus`."""
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    files_seen: Mapped[int] = mapped_column(Integer, default=0)
    files_added: Mapped[int] = mapped_column(Integer, default=0)
    files_updated: Mapped[int] = mapped_column(Integer, default=0)
    files_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    files_failed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    """One {"path", "reason"} per file that failed."""
    paths: Mapped[list[Any] | None] = mapped_column(JSON)
    """The paths asked for; NULL for a full run over SOURCE_DIR, the only kind that removes vanished sources."""
    files_total: Mapped[int | None] = mapped_column(Integer)
    """How many files the run found to look at, once it has looked; progress is files_seen of this."""
    files_removed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Documents removed because their source file disappeared (full runs only)."""
    owner: Mapped[str | None] = mapped_column(String(200))
    """host:pid of the process running the job, to tell a live job from one whose process died."""
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Last sign of life: written at the start and after every file."""
    active: Mapped[bool | None] = mapped_column(Boolean, unique=True)

    __table_args__ = (
        CheckConstraint(f"status IN ({_sql_values(get_args(JobStatus))})", name="status_known"),
        CheckConstraint(
            f"(status IN ({_sql_values(get_args(UnfinishedStatus))}) AND active IS NOT NULL AND active)"
            f" OR (status NOT IN ({_sql_values(get_args(UnfinishedStatus))}) AND active IS NULL)",
            name="active_while_unfinished",
        ),
    )


def pack_source(raw: bytes) -> bytes:
    """Source bytes as `document_body.raw_zlib` stores them: deflated (zlib)."""
    return zlib.compress(raw)


def unpack_source(packed: bytes) -> bytes:
    """`document_body.raw_zlib` back to the bytes as ingested."""
    return zlib.decompress(packed)
