"""The statements behind /people, one set per shape of request."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, String, bindparam, func, literal_column, select

from app.db.models import DocumentPerson, Person
from app.db.queries.facets import PERSON_FACETS
from app.db.queries.list_query import ListQuery
from app.db.queries.names import contains, contains_pattern
from app.db.queries.pagination import SortKey, decode_datetime
from app.db.queries.served import rfc3339_text
from app.db.queries.shape import ListShape
from app.db.read import Reader
from app.schemas.people import PersonFilters, PersonSort

SORTS: dict[PersonSort, SortKey] = {
    PersonSort.name: SortKey(Person.name),
    PersonSort.updated_at: SortKey(Person.updated_at, decode=decode_datetime),
    PersonSort.updated_at_desc: SortKey(Person.updated_at, descending=True, decode=decode_datetime),
}

# A person's roles, distinct and sorted, as a JSON array in their own row of the page: one statement
# per page, as institutions aggregate their aliases. Each database spells the aggregate its own way.
_ROLES = {
    "sqlite": "(SELECT json_group_array(role) FROM (SELECT DISTINCT dp.role AS role FROM document_person dp"
    " WHERE dp.person_id = person.id AND dp.role IS NOT NULL ORDER BY dp.role))",
    "postgresql": "(SELECT coalesce(json_agg(DISTINCT dp.role ORDER BY dp.role), '[]'::json) FROM document_person dp"
    " WHERE dp.person_id = person.id AND dp.role IS NOT NULL)",
}
FILTERS = ("q", "role", "document_id", "updated_since")


def person_query(f: PersonFilters, reader: Reader) -> ListQuery:
    """The statements for the filters `f` gives (built once per shape) and their values."""
    return ListQuery(
        _shape(frozenset(name for name in FILTERS if getattr(f, name) is not None), reader.dialect, f.sort), _params(f)
    )


def _params(f: PersonFilters) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if f.q is not None:
        params["q"] = contains_pattern(f.q)
    if f.role is not None:
        params["role"] = f.role
    if f.document_id is not None:
        params["document_id"] = f.document_id
    if f.updated_since is not None:
        params["updated_since"] = f.updated_since
    return params


@lru_cache(maxsize=32)
def _shape(present: frozenset[str], dialect: str, sort: PersonSort = PersonSort.name) -> ListShape:
    roles = literal_column(_ROLES[dialect], JSON).label("roles")
    documents = (
        select(func.count(func.distinct(DocumentPerson.document_id)))
        .where(DocumentPerson.person_id == Person.id)
        .scalar_subquery()
        .label("documents")
    )
    updated_at = rfc3339_text(Person.updated_at).label("updated_at")
    stmt = select(Person.id, Person.name, roles, documents, updated_at).select_from(Person)
    if "updated_since" in present:
        stmt = stmt.where(Person.updated_at >= bindparam("updated_since", type_=DateTime(timezone=True)))
    if "q" in present:
        stmt = stmt.where(contains(Person.name, "q"))
    # Role and document together mean one mention: this document gives the person this role.
    if "role" in present or "document_id" in present:
        mentions = select(DocumentPerson.person_id)
        if "role" in present:
            mentions = mentions.where(DocumentPerson.role == bindparam("role", type_=String))
        if "document_id" in present:
            mentions = mentions.where(DocumentPerson.document_id == bindparam("document_id", type_=BigInteger))
        stmt = stmt.where(Person.id.in_(mentions))
    return ListShape(stmt, SORTS[sort], Person.id, PERSON_FACETS)
