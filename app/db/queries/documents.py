"""The statements behind /documents, one set per shape of request, and behind one document in full."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, Date, DateTime, Float, Integer, String, bindparam, literal_column, select

from app.db.models import (
    Document,
    DocumentBody,
    DocumentInstitution,
    DocumentPerson,
    DocumentTopic,
    Institution,
    Metric,
    Person,
    Proposal,
    unpack_source,
)
from app.db.queries.facets import DOCUMENT_FACETS
from app.db.queries.list_query import ListQuery
from app.db.queries.metrics import METRIC_COLUMNS
from app.db.queries.names import institutions_named, name_value
from app.db.queries.pagination import SortKey, decode_date, decode_datetime, decode_float
from app.db.queries.search import (
    WORD_COUNT_COLUMN,
    among_hits,
    common_word_params,
    page_among_hits,
    query_terms,
    remember_word_count,
    search_hits,
    search_params,
)
from app.db.queries.served import date_text, rfc3339_text
from app.db.queries.shape import ListShape
from app.db.read import AnyRow, AnySelect, Reader
from app.schemas.documents import DocumentFilters, DocumentSort

SORTS: dict[DocumentSort, SortKey] = {
    DocumentSort.published_date: SortKey(Document.published_date, decode=decode_date),
    DocumentSort.published_date_desc: SortKey(Document.published_date, descending=True, decode=decode_date),
    DocumentSort.signed_date: SortKey(Document.signed_date, decode=decode_date),
    DocumentSort.signed_date_desc: SortKey(Document.signed_date, descending=True, decode=decode_date),
    DocumentSort.title_asc: SortKey(Document.title),
    # The score column of the search hits that the shape joins when `q` is given.
    DocumentSort.relevance: SortKey(literal_column("hits.score", Float), descending=True, decode=decode_float),
    DocumentSort.updated_at: SortKey(Document.updated_at, decode=decode_datetime),
    DocumentSort.updated_at_desc: SortKey(Document.updated_at, descending=True, decode=decode_datetime),
}

LIST_COLUMNS = (
    Document.id,
    Document.kind,
    Document.title,
    Document.index_no,
    Document.doc_no,
    Document.genre,
    Document.topics,
    Document.publisher,
    date_text(Document.written_date).label("written_date"),
    date_text(Document.published_date).label("published_date"),
    date_text(Document.signed_date).label("signed_date"),
    Document.signatory,
    Document.source,
    Document.proposal_id,
    Document.proposal_type,
    Document.proposal_level,
    Document.proposal_session,
    Document.proposal_number,
    Document.proposal_title,
    rfc3339_text(Document.updated_at).label("updated_at"),
)
"""What a list item shows, all in the document's own row (migration 0007), its dates as the API
prints them."""

# The bind parameter's type, for the filters compared to a column directly.
_COLUMN_FILTERS: dict[str, tuple[Any, str, Any]] = {
    "kind": (Document.kind, "==", String),
    "genre": (Document.genre, "==", String),
    "year": (Document.year, "==", Integer),
    "published_from": (Document.published_date, ">=", Date),
    "published_to": (Document.published_date, "<=", Date),
    "signed_from": (Document.signed_date, ">=", Date),
    "signed_to": (Document.signed_date, "<=", Date),
    "updated_since": (Document.updated_at, ">=", DateTime(timezone=True)),
}
FILTERS = (*_COLUMN_FILTERS, "publisher", "institution", "person", "topic", "proposal_type", "session", "q")


def document_query(f: DocumentFilters, reader: Reader) -> ListQuery:
    """The statements for the filters `f` gives (built once per shape: which filters, never their
    values) and the values of their bind parameters."""
    present = frozenset(name for name in FILTERS if getattr(f, name) is not None)
    found = query_terms(f.q) if f.q else []
    # A page may walk the documents only for one word of one token, whose document count is known
    # exactly, with no other filter to make its hits rarer among those walked (`page_among_hits`).
    # Not for a request by ids, whose page is those rows (`ListShape.by_ids`).
    walkable = present == {"q"} and len(found) == 1 and " " not in found[0] and not f.id
    params = _params(f, reader.dialect) | (common_word_params(reader, found[0]) if walkable else {})
    return ListQuery(_shape(present, f.sort, len(found), walkable, reader.dialect), params)


def _params(f: DocumentFilters, dialect: str) -> dict[str, Any]:
    params: dict[str, Any] = {name: getattr(f, name) for name in _COLUMN_FILTERS if getattr(f, name) is not None}
    for name in ("publisher", "institution"):
        if (value := getattr(f, name)) is not None:
            params[name] = name_value(value)
    for name in ("person", "topic", "proposal_type", "session"):
        if (value := getattr(f, name)) is not None:
            params[name] = value
    if f.q:
        params |= search_params(f.q, dialect)
    return params


@lru_cache(maxsize=1024)
def _shape(present: frozenset[str], sort: DocumentSort, terms: int, walkable: bool, dialect: str) -> ListShape:
    columns: list[Any] = list(LIST_COLUMNS)
    if "q" in present:  # the snippet's text, in the same statement
        columns.append(
            select(DocumentBody.text).where(DocumentBody.document_id == Document.id).scalar_subquery().label("text")
        )
    stmt = select(*columns)
    for name, (column, op, type_) in _COLUMN_FILTERS.items():
        if name in present:
            value = bindparam(name, type_=type_)
            stmt = stmt.where(column == value if op == "==" else column >= value if op == ">=" else column <= value)
    if "publisher" in present:
        stmt = stmt.where(Document.id.in_(_in_role("publisher", "publisher")))
    if "institution" in present:
        stmt = stmt.where(Document.id.in_(_in_role("institution", None)))
    if "person" in present:
        named = select(DocumentPerson.document_id).join(Person, Person.id == DocumentPerson.person_id)
        stmt = stmt.where(Document.id.in_(named.where(Person.name == bindparam("person", type_=String))))
    if "topic" in present:
        topic = bindparam("topic", type_=String)
        stmt = stmt.where(Document.id.in_(select(DocumentTopic.document_id).where(DocumentTopic.topic == topic)))
    if "proposal_type" in present or "session" in present:
        # Through the proposal's indexes: the copies on the document have none.
        proposals = select(Proposal.id)
        if "proposal_type" in present:
            proposals = proposals.where(Proposal.type == bindparam("proposal_type", type_=String))
        if "session" in present:
            proposals = proposals.where(Proposal.session == bindparam("session", type_=String))
        stmt = stmt.where(Document.proposal_id.in_(proposals))
    paged = None
    learn = None
    if "q" in present:
        if sort == DocumentSort.relevance:
            hits = search_hits(terms, dialect)
            stmt = stmt.join(hits, hits.c.id == Document.id)  # the score orders the page
        else:
            if walkable:
                paged = stmt.where(page_among_hits(Document.id, terms, dialect))
                if dialect == "sqlite":
                    paged = paged.add_columns(WORD_COUNT_COLUMN)
                    learn = remember_word_count
            stmt = stmt.where(among_hits(Document.id, terms, dialect))
    return ListShape(stmt, SORTS[sort], Document.id, DOCUMENT_FACETS, paged, learn)


def _in_role(param: str, role: str | None) -> AnySelect:
    stmt = select(DocumentInstitution.document_id).where(
        DocumentInstitution.institution_id.in_(institutions_named(param))
    )
    return stmt.where(DocumentInstitution.role == role) if role else stmt


SOURCE = select(DocumentBody.raw_zlib).where(DocumentBody.document_id == bindparam("id", type_=BigInteger))
TEXT = select(DocumentBody.text).where(DocumentBody.document_id == bindparam("id", type_=BigInteger))


async def stored_source(reader: Reader, document_id: int) -> bytes | None:
    """The source bytes of a document as ingested, or None for an unknown id."""
    async with reader.snapshot(one_statement=True) as snapshot:
        packed = await snapshot.scalar(SOURCE, {"id": document_id})
    return unpack_source(bytes(packed)) if packed is not None else None


async def stored_text(reader: Reader, document_id: int) -> str | None:
    """A document's cleaned text (every span points into it), or None for an unknown id."""
    async with reader.snapshot(one_statement=True) as snapshot:
        text: str | None = await snapshot.scalar(TEXT, {"id": document_id})
    return text


def _mentions(link: type[DocumentInstitution | DocumentPerson], on: Any, *shown: Any) -> AnySelect:
    """The `shown` columns of a document's links to institutions or people, then their span and
    sentence, in the order the document names them."""
    entity = Institution if link is DocumentInstitution else Person
    return (
        select(*shown, link.span_start, link.span_end, link.sentence)
        .join(entity, on)
        .where(link.document_id == bindparam("id"))
        .order_by(link.position)
    )


class Detail:
    """The statements behind one document in full, each taking the id as `:id`: plain rows of
    the columns shown, built once (a letter names dozens of institutions, people and figures, and
    building a Select costs about as much as running it)."""

    document = (
        select(
            *LIST_COLUMNS,
            Document.addressee,
            Document.approved_by,
            Document.sections,
            DocumentBody.text,
            Document.source_path,
            Document.sha256,
        )
        .join(DocumentBody, DocumentBody.document_id == Document.id)
        .where(Document.id == bindparam("id"))
    )
    proposal = select(
        Proposal.id,
        Proposal.type,
        Proposal.level,
        Proposal.session,
        Proposal.number,
        Proposal.title,
        Proposal.term,
        Proposal.session_no,
        Proposal.proposers,
        Proposal.co_handlers,
    ).where(Proposal.id == bindparam("id"))
    institutions = _mentions(
        DocumentInstitution,
        Institution.id == DocumentInstitution.institution_id,
        Institution.id,
        DocumentInstitution.name,
        Institution.name.label("canonical_name"),
        Institution.type,
        DocumentInstitution.role,
    )
    people = _mentions(
        DocumentPerson,
        Person.id == DocumentPerson.person_id,
        Person.id,
        Person.name,
        DocumentPerson.role,
        DocumentPerson.is_proposer,
    )
    metrics = select(*METRIC_COLUMNS).where(Metric.document_id == bindparam("id")).order_by(Metric.position)


class DocumentRows(NamedTuple):
    """One document in full as rows: `document` starts with LIST_COLUMNS."""

    document: AnyRow
    proposal: AnyRow | None
    institutions: Sequence[AnyRow]
    people: Sequence[AnyRow]
    metrics: Sequence[AnyRow]


async def document_detail(reader: Reader, document_id: int) -> DocumentRows | None:
    """The rows of one document in full, from one snapshot; None for an unknown id."""
    key = {"id": document_id}
    async with reader.snapshot() as snapshot:
        document = await snapshot.first(Detail.document, key)
        if document is None:
            return None
        proposal = (
            await snapshot.first(Detail.proposal, {"id": document.proposal_id})
            if document.proposal_id is not None
            else None
        )
        institutions = await snapshot.rows(Detail.institutions, key)
        people = await snapshot.rows(Detail.people, key)
        metrics = await snapshot.rows(Detail.metrics, key)
    return DocumentRows(document, proposal, institutions, people, metrics)
