"""Full-text conditions over `document.search_text`: FTS5 on SQLite, a GIN tsvector on PostgreSQL.

Both index the same Han bigrams, so the same query finds the same documents on both databases.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, and_, column, func, text

from app.db.models import Document
from app.ingest.search import search_query_terms


class UnsearchableQuery(ValueError):
    pass


def matches(q: str, dialect: str) -> ColumnElement[bool]:
    """Documents containing every term of `q` (each term as a phrase of its bigrams)."""
    terms = search_query_terms(q)
    if not terms:
        raise UnsearchableQuery("q has no characters that can be searched (a single Han character is too short)")
    if dialect == "sqlite":
        # Each term is quoted as an FTS5 phrase; the normaliser leaves no quotes or operators in it.
        expression = " AND ".join(f'"{term}"' for term in terms)
        matching = text("SELECT rowid FROM document_fts WHERE document_fts MATCH :fts").bindparams(fts=expression)
        return Document.id.in_(matching.columns(column("rowid", Integer)))
    vector = func.to_tsvector("simple", Document.search_text)
    return and_(*(vector.op("@@")(func.phraseto_tsquery("simple", term)) for term in terms))
