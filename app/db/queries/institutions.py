"""institution_query: the one Select behind /institutions."""

from __future__ import annotations

from sqlalchemy import Select, select

from app.db.models import Institution, InstitutionAlias
from app.db.queries.pagination import SortKey
from app.db.queries.search import search_hits
from app.schemas.institutions import InstitutionFilters

SORT = SortKey(Institution.name)


def institution_query(f: InstitutionFilters, dialect: str) -> Select[Institution]:
    stmt = select(Institution)
    if f.type:
        stmt = stmt.where(Institution.type == f.type)
    if f.q:
        # Names are short and institutions few next to documents; a contains-match over aliases is enough here.
        hits = search_hits(f.q, dialect, InstitutionAlias)
        named = select(InstitutionAlias.institution_id).join(hits, hits.c.id == InstitutionAlias.id)
        stmt = stmt.where(Institution.id.in_(named))
    return stmt
