"""The statements behind /institutions, one set per shape of request, and behind one institution."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, String, bindparam, literal_column, select

from app.db.models import Document, DocumentInstitution, Institution, InstitutionAlias
from app.db.queries.facets import INSTITUTION_FACETS
from app.db.queries.list_query import ListQuery
from app.db.queries.pagination import SortKey, decode_datetime
from app.db.queries.search import query_terms, search_hits, search_params
from app.db.queries.series import related_query
from app.db.queries.served import rfc3339_text
from app.db.queries.shape import ListShape
from app.db.read import AnyRow, AnySelect, Reader
from app.schemas.institutions import InstitutionFilters, InstitutionSort

SORTS: dict[InstitutionSort, SortKey] = {
    InstitutionSort.name: SortKey(Institution.name),
    InstitutionSort.updated_at: SortKey(Institution.updated_at, decode=decode_datetime),
    InstitutionSort.updated_at_desc: SortKey(Institution.updated_at, descending=True, decode=decode_datetime),
}

# An institution's names, sorted, as a JSON array in its own row of the page: one statement per
# page. Each database spells the aggregate its own way; the result is the same.
_ALIASES = {
    "sqlite": "(SELECT json_group_array(name) FROM (SELECT a.name AS name FROM institution_alias a"
    " WHERE a.institution_id = institution.id ORDER BY a.name))",
    "postgresql": "(SELECT coalesce(json_agg(a.name ORDER BY a.name), '[]'::json) FROM institution_alias a"
    " WHERE a.institution_id = institution.id)",
}


def institution_query(f: InstitutionFilters, reader: Reader) -> ListQuery:
    """The statements for the filters `f` gives (built once per shape) and their values."""
    present = frozenset(name for name in ("type", "q", "updated_since") if getattr(f, name))
    params: dict[str, Any] = {"type": f.type} if f.type else {}
    if f.q:
        params |= search_params(f.q, reader.dialect)
    if f.updated_since:
        params["updated_since"] = f.updated_since
    return ListQuery(_shape(present, len(query_terms(f.q)) if f.q else 0, reader.dialect, f.sort), params)


@lru_cache(maxsize=64)
def _shape(
    present: frozenset[str], terms: int, dialect: str, sort: InstitutionSort = InstitutionSort.name
) -> ListShape:
    aliases = literal_column(_ALIASES[dialect], JSON).label("aliases")
    updated_at = rfc3339_text(Institution.updated_at).label("updated_at")
    columns = (Institution.id, Institution.name, Institution.type, aliases, updated_at)
    stmt = select(*columns).select_from(Institution)
    if "type" in present:
        stmt = stmt.where(Institution.type == bindparam("type", type_=String))
    if "updated_since" in present:
        stmt = stmt.where(Institution.updated_at >= bindparam("updated_since", type_=DateTime(timezone=True)))
    if "q" in present:
        # Names are short and institutions few next to documents; a contains-match over aliases is enough here.
        hits = search_hits(terms, dialect, InstitutionAlias)
        named = select(InstitutionAlias.institution_id).join(hits, hits.c.id == InstitutionAlias.id)
        stmt = stmt.where(Institution.id.in_(named))
    return ListShape(stmt, SORTS[sort], Institution.id, INSTITUTION_FACETS)


LINKS = (
    select(DocumentInstitution.role, DocumentInstitution.name, Document.id, Document.title, Document.published_date)
    .join(Document, Document.id == DocumentInstitution.document_id)
    .where(DocumentInstitution.institution_id == bindparam("id"))
    .order_by(Document.published_date.desc().nulls_last(), Document.id, DocumentInstitution.position)
    .limit(bindparam("limit"))
)


@lru_cache(maxsize=4)
def _one_institution(dialect: str) -> AnySelect:
    """One institution as a list item, by `:id`: the list's own statement, narrowed to the id."""
    rows = _shape(frozenset(), 0, dialect).rows
    return rows.where(Institution.id == bindparam("id", type_=BigInteger))


async def institution_detail(reader: Reader, institution_id: int, limit: int) -> tuple[AnyRow, Sequence[AnyRow]] | None:
    """One institution (a list row) and (role, name, id, title, published_date) of at most `limit`
    of its documents, newest first; None for an unknown id."""
    async with reader.snapshot() as snapshot:
        institution = await snapshot.first(_one_institution(reader.dialect), {"id": institution_id})
        if institution is None:
            return None
        return institution, await snapshot.rows(LINKS, {"id": institution_id, "limit": limit})


async def institution_related(
    reader: Reader, institution_id: int, role: str | None, limit: int
) -> tuple[AnyRow, Sequence[AnyRow]] | None:
    """One institution (a list row) and (id, name, type, documents) of the institutions named in
    the same documents (in `role`, when given), most shared first; None for an unknown id."""
    async with reader.snapshot() as snapshot:
        institution = await snapshot.first(_one_institution(reader.dialect), {"id": institution_id})
        if institution is None:
            return None
        params = {"institution_id": institution_id, "role": role, "limit": limit}
        return institution, await snapshot.rows(related_query(role is not None), params)
