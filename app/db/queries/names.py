"""Resolving a name a client sends to the institutions it may mean."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import InstrumentedAttribute

from app.db.models import InstitutionAlias


def institutions_named(name: str) -> Select[int]:
    """Ids of the institutions known by `name`: their canonical name or any alias."""
    return select(InstitutionAlias.institution_id).where(InstitutionAlias.name == name.strip())


def contains(column: InstrumentedAttribute[Any], needle: str) -> ColumnElement[bool]:
    """`column` contains `needle` literally (% and _ in what a client sends are not wildcards),
    ignoring the case of Latin letters on both databases (SQLite's LIKE does, PostgreSQL's does not)."""
    escaped = needle.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")
