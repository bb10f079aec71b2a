"""institution_shape: the statements behind /institutions, one set per shape of request."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, String, bindparam, literal_column, select

from app.db.models import Institution, InstitutionAlias
from app.db.queries.facets import INSTITUTION_FACETS
from app.db.queries.pagination import SortKey
from app.db.queries.search import query_terms, search_hits, search_params
from app.db.queries.shape import ListShape
from app.schemas.institutions import InstitutionFilters

SORT = SortKey(Institution.name)

# An institution's names, sorted, as a JSON array in its own row of the page: one statement per
# page. Each database spells the aggregate its own way; the result is the same.
_ALIASES = {
    "sqlite": "(SELECT json_group_array(name) FROM (SELECT a.name AS name FROM institution_alias a"
    " WHERE a.institution_id = institution.id ORDER BY a.name))",
    "postgresql": "(SELECT coalesce(json_agg(a.name ORDER BY a.name), '[]'::json) FROM institution_alias a"
    " WHERE a.institution_id = institution.id)",
}


def institution_shape(f: InstitutionFilters, dialect: str) -> ListShape:
    present = frozenset(name for name in ("type", "q") if getattr(f, name))
    return _shape(present, len(query_terms(f.q)) if f.q else 0, dialect)


def institution_params(f: InstitutionFilters, dialect: str) -> dict[str, Any]:
    params: dict[str, Any] = {"type": f.type} if f.type else {}
    return params | (search_params(f.q, dialect) if f.q else {})


@lru_cache(maxsize=64)
def _shape(present: frozenset[str], terms: int, dialect: str) -> ListShape:
    aliases = literal_column(_ALIASES[dialect], JSON).label("aliases")
    stmt = select(Institution.id, Institution.name, Institution.type, aliases).select_from(Institution)
    if "type" in present:
        stmt = stmt.where(Institution.type == bindparam("type", type_=String))
    if "q" in present:
        # Names are short and institutions few next to documents; a contains-match over aliases is enough here.
        hits = search_hits(terms, dialect, InstitutionAlias)
        named = select(InstitutionAlias.institution_id).join(hits, hits.c.id == InstitutionAlias.id)
        stmt = stmt.where(Institution.id.in_(named))
    return ListShape(stmt, SORT, Institution.id, INSTITUTION_FACETS)
