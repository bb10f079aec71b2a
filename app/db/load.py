"""load_record: one parsed record → its rows, replacing any earlier version of the same document.

The caller owns the transaction: a document's rows are replaced inside it, so readers see the
old version or the new one, never a mix. Shared rows (institutions, aliases, people, proposals)
are keyed by stable ids and inserted with ON CONFLICT DO NOTHING, which makes loading idempotent
and lets two loads meet without a read-then-write race.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, cast

import orjson
from sqlalchemy import Connection, Row, Table, bindparam, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db.changelog import (
    BRIEF_FIELDS,
    Changes,
    chunks,
    differing,
    people_of,
    person_state,
    proposal_state,
    record_changes,
    touch,
)
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
    pack_source,
    unpack_source,
)
from app.ingest import parse_document
from app.ingest.record import PROPOSER_GROUPS, InstitutionRole, Record
from app.ingest.search import search_text
from app.periods import period_end


@dataclass(frozen=True, slots=True)
class StoredSource:
    """What is stored about a source file, enough to tell whether it changed."""

    document_id: int
    sha256: str
    parser_version: str
    index_no: str | None


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


def stored_sources(session: Session, source_paths: list[str]) -> dict[str, StoredSource]:
    """What is stored for each of `source_paths` (those stored), in one query."""
    columns = (Document.source_path, Document.id, Document.sha256, Document.parser_version, Document.index_no)
    rows = session.execute(select(*columns).where(Document.source_path.in_(source_paths))).all()
    return {
        path: StoredSource(document_id, sha, version, index_no) for path, document_id, sha, version, index_no in rows
    }


def stored_source_path(session: Session, document_id: int) -> str | None:
    return session.scalar(select(Document.source_path).where(Document.id == document_id))


@dataclass(slots=True)
class DocumentRows:
    """One parsed document as the rows `load_records` writes, built by `document_rows` in a parser
    process (the bigrams and the row dicts cost more than inserting them), and pickled to the
    writer. Rows of shared tables (institutions, aliases, people) may already exist; they are
    inserted with ON CONFLICT DO NOTHING."""

    document_id: int
    source_path: str
    index_no: str | None
    kind: str
    document: dict[str, Any]
    body: dict[str, Any]
    search_text: str
    """The bigrams of the body's heading and text, for the full-text index (not stored beside it)."""
    topics: list[dict[str, Any]]
    proposal: dict[str, Any] | None
    """The proposal's row as this document states it (id, natural_key, year and PROPOSAL_VALUES)."""
    institutions: list[dict[str, Any]]
    aliases: list[dict[str, Any]]
    institution_links: list[dict[str, Any]]
    people: list[dict[str, Any]]
    person_links: list[dict[str, Any]]
    metrics: list[dict[str, Any]]


PROPOSAL_VALUES = ("type", "level", "session", "term", "session_no", "number", "number_key", "title", "proposers")
"""What a reply letter restates about a proposal that already exists (its id, key and year stay;
its co-handlers are derived from every document's `co_handler` rows, `derive_co_handlers`)."""


def document_rows(raw: bytes, name: str, source_path: str, parser_version: str) -> DocumentRows:
    """Parse `raw` and build its rows: no database, so it runs in a parser process
    (`app.jobs.pool`). Raises ParseFailure for a document that cannot be parsed."""
    return record_rows(parse_document(raw, name=name), source_path=source_path, raw=raw, parser_version=parser_version)


def record_rows(record: Record, *, source_path: str, raw: bytes, parser_version: str) -> DocumentRows:
    """`record`'s rows, to be stored as the file `source_path` holding `raw`."""
    document_id = document_id_for(record, source_path)
    proposal = _proposal_row(record)
    heading = "\n".join((record.title, (proposal["title"] or "") if proposal else ""))
    topics = list(dict.fromkeys(record.topics))
    institutions, aliases, links = _institution_rows(record, document_id)
    people, person_links = _people_rows(record, document_id)
    metrics = [
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
    ]
    rows = DocumentRows(
        document_id=document_id,
        source_path=source_path,
        index_no=record.index_no,
        kind=record.kind,
        document={
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
            "proposal_id": proposal["id"] if proposal else None,
            "sections": [{"number": s.number, "heading": s.heading} for s in record.sections],
            "ingested_at": datetime.now(UTC),
            "topics": topics,
        },
        body={"document_id": document_id, "raw_zlib": pack_source(raw), "text": record.text, "heading": heading},
        search_text=indexed_text(heading, record.text),
        topics=[{"document_id": document_id, "topic": t, "position": i} for i, t in enumerate(topics)],
        proposal=proposal,
        institutions=institutions,
        aliases=aliases,
        institution_links=links,
        people=people,
        person_links=person_links,
        metrics=metrics,
    )
    rows.document["content_sha256"] = content_digest(rows)
    return rows


UNSERVED = frozenset(("ingested_at", "parser_version", "content_sha256"))
"""Document columns no response shows: a re-ingest that changes only these changes nothing served."""


def content_digest(rows: DocumentRows) -> str:
    """A digest of everything the document serves, but the brief of its proposal (copied from the
    proposal's row, which is compared apart): its row, text, topics and links to institutions,
    people and figures. The source's bytes count through their sha256, which the document serves.
    Computed in the parser process, so telling a changed document costs the writer one comparison."""
    served = {k: v for k, v in rows.document.items() if k not in UNSERVED}
    content = [served, rows.body["text"], rows.body["heading"], rows.topics]
    content += [rows.institution_links, rows.person_links, rows.metrics]
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def load_record(
    session: Session,
    record: Record,
    *,
    source_path: str,
    raw: bytes,
    parser_version: str,
    document_id: int | None = None,
    replacing: bool = True,
) -> None:
    """Write one `record`, replacing what was stored for its id or its path (`load_records`).
    `document_id` and `replacing` are accepted for callers of the one-document loader; the id is
    always the record's own, and a lookup decides whether anything is replaced."""
    rows = record_rows(record, source_path=source_path, raw=raw, parser_version=parser_version)
    if document_id is not None and document_id != rows.document_id:
        raise ValueError(f"document {document_id} is not the record's own id {rows.document_id}")
    load_records(session, [rows])


def load_records(session: Session, docs: list[DocumentRows]) -> list[bool]:
    """Write `docs` in the caller's transaction, each replacing what was stored under its id or
    its source path; per document, whether it replaced one (updated) rather than being new.

    One statement per table for the whole batch (executemany), not a dozen per document: the
    writer is the one process of an ingest that cannot be parallelised. The caller's transaction
    keeps each replacement atomic: readers see the batch's old rows or its new ones."""
    if not docs:
        return []
    db = session.connection()
    changes = Changes(datetime.now(UTC))
    ids = [d.document_id for d in docs]
    paths = [d.source_path for d in docs]
    replaced = Document.id.in_(ids) | Document.source_path.in_(paths)
    stored = db.execute(select(*_STORED).where(replaced)).all()
    replacing = _replacements(docs, [(row.id, row.source_path) for row in stored])
    previous_proposals = {row.proposal_id for row in stored if row.proposal_id is not None}
    stored_by_id = {row.id: row for row in stored}
    document_rows, changed = _document_versions(docs, stored_by_id, changes.at)
    gone = stored_by_id.keys() - set(ids)  # a path that now holds a document of another 索引号
    changes.upsert("documents", changed)
    changes.delete("documents", gone)
    # What the documents that change name, before and after: the people's counts may move.
    people = people_of(db, (changed & stored_by_id.keys()) | gone)
    people |= {link["person_id"] for d in docs if d.document_id in changed for link in d.person_links}
    people_before = person_state(db, people)
    proposals = {d.proposal["id"] for d in docs if d.proposal} | previous_proposals
    proposals_before = proposal_state(db, proposals)
    old_metrics = _stored_metrics(db, set(stored_by_id))
    if stored:
        unindex(db, list(stored_by_id))
        db.execute(delete(Document).where(replaced))
    touched = _upsert_proposals(db, docs, changes.at)
    db.execute(_table(Document).insert(), document_rows)
    _insert_bodies(db, docs)
    _insert_all(db, DocumentTopic, [row for d in docs for row in d.topics])
    # Shared rows in key order: two writers (PostgreSQL, several ingest processes) take their
    # locks in the same order and cannot deadlock. An institution changes only by being new or
    # by a new alias, which the inserts report.
    stamped = [{**row, "updated_at": changes.at} for row in _unique(docs, "institutions", ("id",))]
    new_institutions = _inserted(db, Institution, stamped, "id")
    aliased = _inserted(db, InstitutionAlias, _unique(docs, "aliases", ("institution_id", "name")), "institution_id")
    touch(db, Institution, aliased - new_institutions, changes.at)
    changes.upsert("institutions", new_institutions | aliased)
    _insert_all(db, DocumentInstitution, [row for d in docs for row in d.institution_links])
    _insert_ignore(db, Person, [{**row, "updated_at": changes.at} for row in _unique(docs, "people", ("id",))])
    _insert_all(db, DocumentPerson, [row for d in docs for row in d.person_links])
    kept_metrics = _insert_metrics(db, docs, old_metrics, changes.at)
    if touched:
        copy_proposal_brief(db, touched)
    # A re-parse that reads a proposal differently leaves the old one with no document.
    if stale := previous_proposals - touched:
        delete_orphans(db, stale)
    if touched | previous_proposals:  # survivors' earliest year and co-handlers may have moved
        _refresh_proposal_years(db, touched | previous_proposals)
        derive_co_handlers(db, touched | previous_proposals)
    _proposal_changes(db, changes, proposals_before, proposals)
    _people_changes(db, changes, people_before, people)
    metrics_now = _metrics_of(db, set(ids))
    changes.upsert("metrics", metrics_now - kept_metrics)
    changes.delete("metrics", {row.id for row in old_metrics} - metrics_now)
    bump_data_version(db)
    record_changes(db, changes)
    return replacing


_STORED = (Document.id, Document.source_path, Document.proposal_id, Document.content_sha256, Document.updated_at)


def _document_versions(
    docs: list[DocumentRows], stored: Mapping[int, Any], at: datetime
) -> tuple[list[dict[str, Any]], set[int]]:
    """The document rows to insert, each keeping its stored `updated_at` when it serves the same as
    the stored version, and the ids of those that do not (new or changed)."""
    rows, changed = [], set()
    for doc in docs:
        old = stored.get(doc.document_id)
        same = old is not None and old.content_sha256 == doc.document["content_sha256"]
        rows.append({**doc.document, "updated_at": old.updated_at if same and old is not None else at})
        if not same:
            changed.add(doc.document_id)
    return rows, changed


METRIC_KEY = (
    "document_id",
    "indicator",
    "value",
    "unit",
    "as_of",
    "kind",
    "qualifier",
    "sentence",
    "span_start",
    "span_end",
    "document_title",
)
"""What a figure serves: a re-ingest that states the same figure keeps its id and its updated_at."""
_STORED_METRICS = select(Metric.id, Metric.updated_at, *(getattr(Metric, k) for k in METRIC_KEY)).where(
    Metric.document_id.in_(bindparam("ids", expanding=True))
)
_METRIC_IDS = select(Metric.id).where(Metric.document_id.in_(bindparam("ids", expanding=True)))


def _stored_metrics(db: Connection, document_ids: set[int]) -> list[Row[Any]]:
    return [row for chunk in chunks(document_ids) for row in db.execute(_STORED_METRICS, {"ids": chunk})]


def _metrics_of(db: Connection, document_ids: set[int]) -> set[int]:
    return {metric_id for chunk in chunks(document_ids) for metric_id in db.scalars(_METRIC_IDS, {"ids": chunk})}


def _insert_metrics(db: Connection, docs: list[DocumentRows], old: list[Row[Any]], at: datetime) -> set[int]:
    """Insert the batch's figures: one stated again as it was stored takes back its id and
    `updated_at` (its document's rows were deleted and are written again); the ids taken back."""
    stored: dict[tuple[Any, ...], list[tuple[int, datetime]]] = {}
    for row in old:
        stored.setdefault(tuple(row[2:]), []).append((row.id, row.updated_at))
    again, new = [], []
    for doc in docs:
        for metric in doc.metrics:
            same = stored.get(tuple(metric[k] for k in METRIC_KEY))
            if same:
                metric_id, updated_at = same.pop(0)
                again.append({**metric, "id": metric_id, "updated_at": updated_at})
            else:
                new.append({**metric, "updated_at": at})
    _insert_all(db, Metric, again)
    _insert_all(db, Metric, new)
    return {row["id"] for row in again}


def _proposal_changes(db: Connection, changes: Changes, before: dict[int, tuple[Any, ...]], ids: set[int]) -> None:
    """Log the proposals among `ids` whose list fields changed or that are gone, and the documents
    of those whose brief changed (their list items show it)."""
    if not ids:
        return
    after = proposal_state(db, ids)
    changed = differing(before, after)
    touch(db, Proposal, changed, changes.at)
    changes.upsert("proposals", changed)
    changes.delete("proposals", before.keys() - after.keys())
    briefed = {i for i in changed if i in before and before[i][BRIEF_FIELDS] != after[i][BRIEF_FIELDS]}
    if briefed:
        documents = {i for chunk in chunks(briefed) for i in db.scalars(_DOCUMENTS_OF_PROPOSALS, {"ids": chunk})}
        touch(db, Document, documents, changes.at)
        changes.upsert("documents", documents)


_DOCUMENTS_OF_PROPOSALS = select(Document.id).where(Document.proposal_id.in_(bindparam("ids", expanding=True)))


def _people_changes(
    db: Connection, changes: Changes, before: dict[int, tuple[int, frozenset[str]]], ids: set[int]
) -> None:
    """Log the people among `ids` whose roles or document count changed: a person no document
    names any more stays, named by none (people are never removed)."""
    if not ids:
        return
    after = person_state(db, ids)
    changed = differing(before, after) | (before.keys() - after.keys())
    touch(db, Person, changed, changes.at)
    changes.upsert("people", changed)


def _replacements(docs: list[DocumentRows], stored: list[tuple[int, str]]) -> list[bool]:
    """Whether each document, loaded in order, finds a stored one under its id or path: as a
    document-at-a-time load would, where an earlier document of the batch may have removed it."""
    by_id = dict(stored)
    by_path = {path: document_id for document_id, path in stored}
    result = []
    for doc in docs:
        old_path = by_id.pop(doc.document_id, None)
        old_id = by_path.pop(doc.source_path, None)
        result.append(old_path is not None or old_id is not None)
        if old_path is not None:
            by_path.pop(old_path, None)
        if old_id is not None:
            by_id.pop(old_id, None)
        by_id[doc.document_id] = doc.source_path
        by_path[doc.source_path] = doc.document_id
    return result


def _unique(docs: list[DocumentRows], attribute: str, key: tuple[str, ...]) -> list[dict[str, Any]]:
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for doc in docs:
        for row in getattr(doc, attribute):
            rows.setdefault(tuple(row[k] for k in key), row)
    return [rows[k] for k in sorted(rows)]


def _upsert_proposals(db: Connection, docs: list[DocumentRows], at: datetime) -> set[int]:
    """Insert the batch's new proposals and restate existing ones from reply letters (a reply
    letter states a proposal more fully than a news report), in document order; their ids."""
    stated = [d for d in docs if d.proposal is not None]
    if not stated:
        return set()
    ids = {d.proposal["id"] for d in stated if d.proposal}
    existing = set(db.scalars(select(Proposal.id).where(Proposal.id.in_(ids))))
    new: dict[int, dict[str, Any]] = {}
    restated: dict[int, dict[str, Any]] = {}
    for doc in stated:
        row = cast(dict[str, Any], doc.proposal)
        if row["id"] not in existing and row["id"] not in new:
            new[row["id"]] = {**row, "updated_at": at}
        elif doc.kind == "reply_letter":
            values = {k: row[k] for k in PROPOSAL_VALUES}
            (new[row["id"]].update(values) if row["id"] in new else restated.__setitem__(row["id"], values))
    _insert_ignore(db, Proposal, [new[k] for k in sorted(new)])
    if restated:
        table = _table(Proposal)
        db.execute(
            table.update().where(table.c.id == bindparam("proposal_id")),
            [{"proposal_id": k, **restated[k]} for k in sorted(restated)],
        )
    return ids


PROPOSAL_BRIEF = ("type", "level", "session", "number", "title")
"""The proposal's fields a document's list item shows, stored on the document as `proposal_<field>`."""


def copy_proposal_brief(db: Session | Connection, proposal_ids: int | set[int]) -> None:
    """Copy each proposal's brief onto every document of it. Run whenever its row may have changed
    (a reply letter restates it): a list shows what the proposal's own row says, never an older copy."""
    ids = {proposal_ids} if isinstance(proposal_ids, int) else proposal_ids
    values = {
        f"proposal_{field}": select(getattr(Proposal, field))
        .where(Proposal.id == Document.proposal_id)
        .scalar_subquery()
        for field in PROPOSAL_BRIEF
    }
    db.execute(update(Document).where(Document.proposal_id.in_(sorted(ids))).values(**values))


def bump_data_version(db: Session | Connection) -> None:
    """Increment the data version in the caller's transaction, committed with the rows it stands
    for, and count the documents they leave."""
    documents = select(func.count()).select_from(Document).scalar_subquery()
    db.execute(
        update(DataVersion).where(DataVersion.id == 1).values(version=DataVersion.version + 1, documents=documents)
    )


def delete_documents(session: Session | Connection, document_ids: list[int]) -> None:
    """Remove documents and the proposals nothing refers to any more; the others' co-handlers are
    derived again from the documents left. Each removal is logged, with its figures, and what
    changes for the proposals and people they named."""
    if not document_ids:
        return
    db = session.connection() if isinstance(session, Session) else session
    changes = Changes(datetime.now(UTC))
    stored = {
        row.id: row.proposal_id
        for chunk in chunks(set(document_ids))
        for row in db.execute(_DOCUMENT_PROPOSALS, {"ids": chunk})
    }
    ids = set(stored)
    proposals = {proposal_id for proposal_id in stored.values() if proposal_id is not None}
    people = people_of(db, ids)
    people_before, proposals_before = person_state(db, people), proposal_state(db, proposals)
    metrics = _metrics_of(db, ids)
    unindex(db, sorted(ids))
    for chunk in chunks(ids):
        db.execute(delete(Document).where(Document.id.in_(chunk)))
    if proposals:
        delete_orphans(db, proposals)
        derive_co_handlers(db, proposals)
    changes.delete("documents", ids)
    changes.delete("metrics", metrics)
    _proposal_changes(db, changes, proposals_before, proposals)
    _people_changes(db, changes, people_before, people)
    bump_data_version(db)
    record_changes(db, changes)


_DOCUMENT_PROPOSALS = select(Document.id, Document.proposal_id).where(Document.id.in_(bindparam("ids", expanding=True)))


def delete_orphans(session: Session | Connection, among: set[int] | None = None) -> None:
    """Remove proposals no document refers to (only those in `among`, when given)."""
    orphan = ~select(Document.id).where(Document.proposal_id == Proposal.id).exists()
    session.execute(delete(Proposal).where(orphan, *([Proposal.id.in_(among)] if among is not None else [])))


def indexed_text(heading: str, text: str) -> str:
    """The full-text index's tokens for a body: computed again, never stored, to delete them."""
    return search_text(f"{heading}\n{text}")


def source_bytes(session: Session, document_id: int) -> bytes | None:
    """The source file's bytes as ingested (stored deflated), or None for an unknown document."""
    packed = session.scalar(select(DocumentBody.raw_zlib).where(DocumentBody.document_id == document_id))
    return None if packed is None else unpack_source(packed)


_FTS_INSERT = text("INSERT INTO document_body_fts(rowid, search_text) VALUES (:document_id, :search_text)")
_FTS_DELETE = text(
    "INSERT INTO document_body_fts(document_body_fts, rowid, search_text) VALUES ('delete', :document_id, :search_text)"
)
_PG_BODY_INSERT = text(
    "INSERT INTO document_body (document_id, raw_zlib, text, heading, search_vector)"
    " VALUES (:document_id, :raw_zlib, :text, :heading, to_tsvector('simple', :search_text))"
)


def _insert_bodies(db: Connection, docs: list[DocumentRows]) -> None:
    """The bodies, and their tokens into the full-text index (its only copy)."""
    if db.dialect.name == "postgresql":
        db.execute(_PG_BODY_INSERT, [{**d.body, "search_text": d.search_text} for d in docs])
        return
    db.execute(_table(DocumentBody).insert(), [d.body for d in docs])
    db.execute(_FTS_INSERT, [{"document_id": d.document_id, "search_text": d.search_text} for d in docs])


def unindex(db: Connection, document_ids: list[int]) -> None:
    """Take documents out of SQLite's contentless FTS5 index before their rows go: it holds no
    text, so it is told the tokens it indexed, recomputed from the body. (PostgreSQL's index goes
    with the row.)"""
    if db.dialect.name != "sqlite" or not document_ids:
        return
    bodies = db.execute(
        select(DocumentBody.document_id, DocumentBody.heading, DocumentBody.text).where(
            DocumentBody.document_id.in_(document_ids)
        )
    ).all()
    if bodies:
        db.execute(_FTS_DELETE, [{"document_id": i, "search_text": indexed_text(h, t)} for i, h, t in bodies])


def _year_of(record: Record) -> int | None:
    day = record.published_date or record.written_date or record.signed_date
    return day.year if day else None


def _proposal_row(record: Record) -> dict[str, Any] | None:
    proposal = record.proposal
    if proposal is None:
        return None
    identity = proposal.number or proposal.title or ""
    natural_key = "|".join((proposal.type, proposal.level or "", proposal.session or "", identity))
    return {
        "id": stable_id("proposal", natural_key),
        "natural_key": natural_key,
        "year": _year_of(record),
        "type": proposal.type,
        "level": proposal.level,
        "session": proposal.session,
        "term": proposal.term,
        "session_no": proposal.session_no,
        "number": proposal.number,
        "number_key": number_key(proposal.number),
        "title": proposal.title,
        "proposers": [{"name": p.name, "role": p.role} for p in proposal.proposers],
    }


_CO_HANDLER_ROWS = (
    select(Document.proposal_id, DocumentInstitution.institution_id, DocumentInstitution.name)
    .join(Document, Document.id == DocumentInstitution.document_id)
    .where(DocumentInstitution.role == "co_handler", Document.proposal_id.in_(bindparam("ids", expanding=True)))
    .order_by(
        Document.proposal_id, Document.published_date.asc().nulls_last(), Document.id, DocumentInstitution.position
    )
)
_SET_CO_HANDLERS = (
    update(Proposal).where(Proposal.id == bindparam("proposal_id")).values(co_handlers=bindparam("names"))
)


def derive_co_handlers(db: Connection, proposal_ids: set[int]) -> None:
    """Set each proposal's `co_handlers` from the `co_handler` rows of all its documents, the one
    record of who co-handles it (the `co_handler=` filter and facet read the rows): every unit any
    letter names, once, as the earliest letter prints it, in the order the letters name them. A
    letter that names fewer units than another takes none away. Proposals that no longer exist
    match no row and are left alone."""
    ids = sorted(proposal_ids)
    names: dict[int, dict[int, str]] = {proposal_id: {} for proposal_id in ids}
    for proposal_id, institution_id, name in db.execute(_CO_HANDLER_ROWS, {"ids": ids}):
        names[cast(int, proposal_id)].setdefault(institution_id, name)
    db.execute(_SET_CO_HANDLERS, [{"proposal_id": k, "names": list(v.values())} for k, v in names.items()])


def _refresh_proposal_years(db: Connection, proposal_ids: set[int]) -> None:
    earliest = select(func.min(Document.year)).where(Document.proposal_id == Proposal.id).scalar_subquery()
    db.execute(update(Proposal).where(Proposal.id.in_(sorted(proposal_ids))).values(year=earliest))


def _institution_rows(
    record: Record, document_id: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The record's institutions, their aliases, and its links to them."""
    links: list[dict[str, Any]] = []

    def link(
        name: str, role: InstitutionRole, span: tuple[int, int] | None = None, sentence: str | None = None
    ) -> None:
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
            if proposer.role in PROPOSER_GROUPS:
                link(proposer.name, "proposer")
    for mention in record.institutions:
        link(mention.name, "mentioned", mention.span, mention.sentence)

    names = {row["name"] for row in links}
    canonical = {name: record.canonical_institution(name) for name in names}
    institutions = [
        {"id": stable_id("institution", c), "name": c, "type": record.institution_type(c)}
        for c in sorted(set(canonical.values()))
    ]
    aliases = [
        {"institution_id": stable_id("institution", c), "name": alias, "search_text": _name_search_text(alias)}
        for alias, c in sorted({*canonical.items(), *((c, c) for c in canonical.values())})
    ]
    unique = {(r["institution_id"], r["role"], r["name"]): r for r in reversed(links)}
    return institutions, aliases, sorted(unique.values(), key=lambda r: r["position"])


def _people_rows(record: Record, document_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The record's people and its links to them."""
    proposers = (
        {p.name for p in record.proposal.proposers if p.role not in PROPOSER_GROUPS} if record.proposal else set()
    )
    people = list(record.people)
    listed = {p.name for p in people}
    if record.proposal:
        people += [p for p in record.proposal.proposers if p.name in proposers and p.name not in listed]
    rows = [{"id": stable_id("person", n), "name": n} for n in sorted({p.name for p in people})]
    links = [
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
    ]
    return rows, links


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


def _inserted(db: Connection, model: type[Base], rows: list[dict[str, Any]], column: str) -> set[int]:
    """Insert rows, skipping those whose key exists; `column` of the rows that were new (RETURNING
    names exactly those a concurrent writer did not insert first)."""
    if not rows:
        return set()
    return set(db.scalars(_insert_ignoring(db.dialect.name, model).returning(_table(model).c[column]), rows))


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
