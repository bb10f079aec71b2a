"""institution_query: the one Select behind /institutions."""

from __future__ import annotations

from sqlalchemy import Select, select

from app.db.models import Institution, InstitutionAlias
from app.db.queries.names import contains
from app.db.queries.pagination import SortKey
from app.schemas.institutions import InstitutionFilters

SORT = SortKey(Institution.name)


def institution_query(f: InstitutionFilters) -> Select[Institution]:
    stmt = select(Institution)
    if f.type:
        stmt = stmt.where(Institution.type == f.type)
    if f.q:
        # Names are short and institutions few next to documents; a contains-match over aliases is enough here.
        stmt = stmt.where(
            Institution.id.in_(select(InstitutionAlias.institution_id).where(contains(InstitutionAlias.name, f.q)))
        )
    return stmt
