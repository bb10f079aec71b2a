"""Resolving a name a client sends to the institutions it may mean."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, String, bindparam, select
from sqlalchemy.orm import InstrumentedAttribute

from app.db.models import InstitutionAlias
from app.ingest.aliases import canonical_institution_name


def institutions_named(param: str) -> Select[int]:
    """Ids of the institutions known by the names in bind parameter `param` (valued by
    `name_value`): their canonical name or any alias."""
    return select(InstitutionAlias.institution_id).where(
        InstitutionAlias.name.in_(bindparam(param, type_=String, expanding=True))
    )


def name_value(name: str) -> list[str]:
    """The name as sent and, where the alias table knows it, its canonical name: `重庆高新区` (a
    zone's customary name no letter lists as a mention) finds 重庆高新技术产业开发区管理委员会."""
    name = name.strip()
    return list(dict.fromkeys((name, canonical_institution_name(name))))


def contains(column: InstrumentedAttribute[Any], param: str) -> ColumnElement[bool]:
    """`column` contains the text in bind parameter `param`, valued by `contains_pattern`,
    ignoring the case of Latin letters on both databases (SQLite's LIKE does, PostgreSQL's does not)."""
    return column.ilike(bindparam(param, type_=String), escape="\\")


def contains_pattern(needle: str) -> str:
    """The pattern `contains` matches `needle` with: literally (% and _ a client sends are no wildcards)."""
    escaped = needle.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
