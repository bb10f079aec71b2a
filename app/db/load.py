"""load_record: one parsed record → its rows, replacing any earlier version of the same document.

The caller owns the transaction: a document's rows are replaced inside it, so readers see the
old version or the new one, never a mix. Shared rows (institutions, aliases, people, proposals)
are keyed by stable ids and inserted with ON CONFLICT DO NOTHING, which makes loading idempotent
and lets two loads meet without a read-then-write race.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db.ids import stable_id
from app.db.models import (
    Base,
    DataVersion,
    Document,
    DocumentBody,
    DocumentInstitution,
    DocumentPerson,
    DocumentTopic,
    Institution,
    InstitutionAlias,
    Metric,
    Person,
    Proposal,
)
from app.ingest.record import Record
from app.ingest.search import search_text
from app.periods import period_end


@dataclass(frozen=True, slots=True)
class StoredSource:
    """What is stored about a source file, enough to tell whether it changed."""

    document_id: int
    sha256: str
    parser_version: str


def number_key(number: str | None) -> str | None:
    """A proposal number as compared: 0883 and 883 are one number."""
    return (number.strip().lstrip("0") or "0") if number else None


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def document_id_for(record: Record, source_path: str) -> int:
    """A document's id comes from its 索引号 when it has one (the same letter keeps its id when a
    mirror moves it), else from its source path."""
    if record.index_no:
        return stable_id("index_no", record.index_no)
    return stable_id("source", source_path)


def stored_source(session: Session, source_path: str) -> StoredSource | None:
    row = session.execute(
        select(Document.id, Document.sha256, Document.parser_version).where(Document.source_path == source_path)
    ).first()
    return StoredSource(*row) if row else None


def stored_source_path(session: Session, document_id: int) -> str | None:
    return session.scalar(select(Document.source_path).where(Document.id == document_id))


def load_record(
    session: Session,
    record: Record,
    *,
    source_path: str,
    raw: bytes,
    parser_version: str,
    document_id: int,
    replacing: bool = True,
) -> None:
    """Write `record` as document `document_id`, replacing what was stored for that id or that path
    (`replacing=False`: the caller knows nothing is, and the lookups are skipped)."""
    # Core statements on the session's connection: the ORM session's own bookkeeping per statement
    # cost more than the database's work for a document's dozen small writes.
    db = session.connection()
    previous_proposals: set[int] = set()
    if replacing:
        replaced = (Document.id == document_id) | (Document.source_path == source_path)
        previous_proposals = set(
            db.scalars(select(Document.proposal_id).where(replaced, Document.proposal_id.is_not(None)))
        )
        db.execute(delete(Document).where(replaced))
    proposal_id, proposal_is_new = _upsert_proposal(db, record)
    db.execute(
        _table(Document).insert(),
        [
            {
                "id": document_id,
                "source_path": source_path,
                "sha256": sha256_of(raw),
                "parser_version": parser_version,
                "kind": record.kind,
                "title": record.title,
                "index_no": record.index_no,
                "doc_no": record.doc_no,
                "genre": record.genre,
                "publisher": record.publisher,
                "written_date": record.written_date,
                "published_date": record.published_date,
                "signed_date": record.signed_date,
                "year": _year_of(record),
                "signatory": record.signatory,
                "addressee": record.addressee,
                "approved_by": record.approved_by,
                "source": record.source,
                "proposal_id": proposal_id,
                "sections": [{"number": s.number, "heading": s.heading} for s in record.sections],
                "ingested_at": datetime.now(UTC),
                "topics": list(dict.fromkeys(record.topics)),
            }
        ],
    )
    if proposal_id is not None:
        copy_proposal_brief(db, proposal_id)
    db.execute(
        _table(DocumentBody).insert(),
        [
            {
                "document_id": document_id,
                "raw": raw,
                "text": record.text,
                "search_text": search_text(_searchable(record)),
            }
        ],
    )
    _insert_all(
        db,
        DocumentTopic,
        [{"document_id": document_id, "topic": t, "position": i} for i, t in enumerate(dict.fromkeys(record.topics))],
    )
    _load_institutions(db, record, document_id)
    _load_people(db, record, document_id)
    _insert_all(
        db,
        Metric,
        [
            {
                "document_id": document_id,
                "position": i,
                "indicator": m.indicator,
                "value": float(m.value),
                "unit": m.unit,
                "as_of": m.as_of,
                "as_of_end": period_end(m.as_of) if m.as_of else None,
                "kind": m.kind,
                "qualifier": m.qualifier,
                "sentence": m.sentence,
                "span_start": m.span[0],
                "span_end": m.span[1],
                "document_title": record.title,
            }
            for i, m in enumerate(record.metrics)
        ],
    )
    if proposal_id is not None and not proposal_is_new:  # a new one has this document's year already
        _refresh_proposal_year(db, proposal_id)
    # A re-parse that reads the proposal differently leaves the old one with no document.
    if stale := {p for p in previous_proposals if p is not None and p != proposal_id}:
        delete_orphans(db, stale)
        for survivor in stale:  # still answered by other documents: its earliest year may have moved
            _refresh_proposal_year(db, survivor)
    bump_data_version(db)


PROPOSAL_BRIEF = ("type", "level", "session", "number", "title")
"""The proposal's fields a document's list item shows, stored on the document as `proposal_<field>`."""


def copy_proposal_brief(db: Session | Connection, proposal_id: int) -> None:
    """Copy the proposal's brief onto every document of it. Run whenever its row may have changed
    (a reply letter restates it): a list shows what the proposal's own row says, never an older copy."""
    values = {
        f"proposal_{field}": select(getattr(Proposal, field)).where(Proposal.id == proposal_id).scalar_subquery()
        for field in PROPOSAL_BRIEF
    }
    db.execute(update(Document).where(Document.proposal_id == proposal_id).values(**values))


def bump_data_version(db: Session | Connection) -> None:
    """Increment the data version in the caller's transaction: committed with the rows it stands for."""
    db.execute(update(DataVersion).where(DataVersion.id == 1).values(version=DataVersion.version + 1))


def delete_documents(session: Session | Connection, document_ids: list[int]) -> None:
    """Remove documents and the proposals nothing refers to any more."""
    if document_ids:
        session.execute(delete(Document).where(Document.id.in_(document_ids)))
        delete_orphans(session)
        bump_data_version(session)


def delete_orphans(session: Session | Connection, among: set[int] | None = None) -> None:
    """Remove proposals no document refers to (only those in `among`, when given)."""
    orphan = ~select(Document.id).where(Document.proposal_id == Proposal.id).exists()
    session.execute(delete(Proposal).where(orphan, *([Proposal.id.in_(among)] if among is not None else [])))


def _searchable(record: Record) -> str:
    proposal_title = record.proposal.title if record.proposal and record.proposal.title else ""
    return "\n".join((record.title, proposal_title, record.text))


def _year_of(record: Record) -> int | None:
    day = record.published_date or record.written_date or record.signed_date
    return day.year if day else None


def _upsert_proposal(db: Connection, record: Record) -> tuple[int | None, bool]:
    """The record's proposal id (None without one), and whether this record created it."""
    proposal = record.proposal
    if proposal is None:
        return None, False
    identity = proposal.number or proposal.title or ""
    natural_key = "|".join((proposal.type, proposal.level or "", proposal.session or "", identity))
    proposal_id = stable_id("proposal", natural_key)
    values: dict[str, Any] = {
        "type": proposal.type,
        "level": proposal.level,
        "session": proposal.session,
        "term": proposal.term,
        "session_no": proposal.session_no,
        "number": proposal.number,
        "number_key": number_key(proposal.number),
        "title": proposal.title,
        "proposers": [{"name": p.name, "role": p.role} for p in proposal.proposers],
        "co_handlers": list(proposal.co_handlers),
    }
    new = {"id": proposal_id, "natural_key": natural_key, "year": _year_of(record), **values}
    inserted = _insert_ignore(db, Proposal, [new])
    if not inserted and record.kind == "reply_letter":
        # A reply letter states the proposal more fully than a news report about it.
        db.execute(update(Proposal).where(Proposal.id == proposal_id).values(**values))
    return proposal_id, inserted


def _refresh_proposal_year(db: Connection, proposal_id: int) -> None:
    earliest = select(func.min(Document.year)).where(Document.proposal_id == proposal_id).scalar_subquery()
    db.execute(update(Proposal).where(Proposal.id == proposal_id).values(year=earliest))


def _load_institutions(db: Connection, record: Record, document_id: int) -> None:
    links: list[dict[str, Any]] = []

    def link(name: str, role: str, span: tuple[int, int] | None = None, sentence: str | None = None) -> None:
        links.append(
            {
                "document_id": document_id,
                "institution_id": stable_id("institution", record.canonical_institution(name)),
                "role": role,
                "name": name,
                "position": len(links),
                "span_start": span[0] if span else None,
                "span_end": span[1] if span else None,
                "sentence": sentence,
            }
        )

    if record.publisher:
        link(record.publisher, "publisher")
    if record.signatory:
        link(record.signatory, "signatory")
    if record.proposal:
        for name in record.proposal.co_handlers:
            link(name, "co_handler")
        for proposer in record.proposal.proposers:
            if proposer.role in ("组织", "代表团"):
                link(proposer.name, "proposer")
    for mention in record.institutions:
        link(mention.name, "mentioned", mention.span, mention.sentence)

    names = {row["name"] for row in links}
    canonical = {name: record.canonical_institution(name) for name in names}
    _insert_ignore(
        db,
        Institution,
        [
            {"id": stable_id("institution", c), "name": c, "type": record.institution_type(c)}
            for c in sorted(set(canonical.values()))
        ],
    )
    _insert_ignore(
        db,
        InstitutionAlias,
        [
            {"institution_id": stable_id("institution", c), "name": alias, "search_text": _name_search_text(alias)}
            for alias, c in sorted({*canonical.items(), *((c, c) for c in canonical.values())})
        ],
    )
    unique = {(r["institution_id"], r["role"], r["name"]): r for r in reversed(links)}
    _insert_all(db, DocumentInstitution, sorted(unique.values(), key=lambda r: r["position"]))


def _load_people(db: Connection, record: Record, document_id: int) -> None:
    proposers = (
        {p.name for p in record.proposal.proposers if p.role not in ("组织", "代表团")} if record.proposal else set()
    )
    people = list(record.people)
    listed = {p.name for p in people}
    if record.proposal:
        people += [p for p in record.proposal.proposers if p.name in proposers and p.name not in listed]
    _insert_ignore(db, Person, [{"id": stable_id("person", n), "name": n} for n in sorted({p.name for p in people})])
    _insert_all(
        db,
        DocumentPerson,
        [
            {
                "document_id": document_id,
                "person_id": stable_id("person", p.name),
                "role": p.role,
                "is_proposer": p.name in proposers,
                "position": i,
                "span_start": p.span[0] if p.span else None,
                "span_end": p.span[1] if p.span else None,
                "sentence": p.sentence,
            }
            for i, p in enumerate(people)
        ],
    )


@lru_cache(maxsize=65536)
def _name_search_text(name: str) -> str:
    """Institution names recur across thousands of documents; their bigrams need computing once."""
    return search_text(name)


def _table(model: type[Base]) -> Table:
    """The model's table: loading uses Core inserts, several times cheaper per row than the ORM's
    bulk path, and nothing here needs ORM objects back."""
    return cast(Table, model.__table__)


def _insert_all(db: Connection, model: type[Base], rows: list[dict[str, Any]]) -> None:
    if rows:
        db.execute(_table(model).insert(), rows)


def _insert_ignore(db: Connection, model: type[Base], rows: list[dict[str, Any]]) -> bool:
    """Insert rows, skipping those whose key exists. Returns whether any row was new."""
    if not rows:
        return False
    result = db.execute(_insert_ignoring(db.dialect.name, model), rows)
    return result.rowcount > 0


@lru_cache
def _insert_ignoring(dialect_name: str, model: type[Base]) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return dialect.insert(_table(model)).on_conflict_do_nothing()
