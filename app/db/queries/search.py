"""Full-text search over `search_text` columns: FTS5 on SQLite, GIN tsvector indexes on PostgreSQL.

Both index the same Han bigrams (see app/ingest/search.py), so the same query finds the same
rows on both databases. A query's terms must all match, each as the phrase of its bigrams.
Relevance is each database's own (FTS5 bm25, PostgreSQL ts_rank): the two order hits differently.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Double,
    Float,
    Integer,
    String,
    Subquery,
    and_,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)

from app.db.models import DataVersion, DocumentBody
from app.db.read import AnyRow, Reader
from app.ingest.search import search_query_terms

SEARCHABLE_TABLES = ("document_body", "institution_alias")
"""Tables with a `search_text` column and a full-text index over it (migrations 0003 and 0005)."""

SNIPPET_RADIUS = 40
"""Characters of context on each side of the first match."""


class UnsearchableQuery(ValueError):
    pass


def query_terms(q: str) -> list[str]:
    """The bigram phrases of `q`; a query with none cannot be searched."""
    return list(_query_terms(q))


@lru_cache(maxsize=1024)
def _query_terms(q: str) -> tuple[str, ...]:
    # A request reads them several times (its shape, its parameters, its snippets), each a
    # normalisation of the whole query.
    terms = tuple(search_query_terms(q))
    if not terms:
        raise UnsearchableQuery("has no characters that can be searched (a single Han character is too short)")
    return terms


def search_hits(terms: int, dialect: str, model: Any = DocumentBody, prefix: str = "q") -> Subquery:
    """(id, score) of every row of `model` (DocumentBody or InstitutionAlias: each has an indexed
    `search_text`) matching all of `terms` phrases, by the row's id (a document body's is its
    document's); a higher score is a better match. The phrases are bind parameters named after
    `prefix`, valued by `search_params`, so one statement serves every query of as many words."""
    table = model.__tablename__
    if table not in SEARCHABLE_TABLES:
        raise ValueError(f"{table} has no full-text index")
    (key,) = model.__table__.primary_key.columns
    if dialect == "sqlite":
        fts = f"{table}_fts"  # one of SEARCHABLE_TABLES' own index tables, never client text
        matching = text(f"SELECT rowid AS id, -bm25({fts}) AS score FROM {fts} WHERE {fts} MATCH :{prefix}_match")  # noqa: S608
        return matching.columns(column("id", Integer), column("score", Float)).subquery("hits")
    # The stored `to_tsvector('simple', search_text)` of each row, GIN-indexed (migration 0006).
    vector: Any = literal_column(f"{table}.search_vector")
    queries = [func.phraseto_tsquery("simple", bindparam(f"{prefix}_{i}", type_=String)) for i in range(terms)]
    combined: Any = queries[0]
    for query in queries[1:]:
        combined = combined.op("&&")(query)
    return (
        # ts_rank is a float4; as float8 the score survives a round trip through a cursor exactly.
        select(key.label("id"), cast(func.ts_rank(vector, combined), Double).label("score"))
        .where(and_(*(vector.op("@@")(query) for query in queries)))
        .subquery("hits")
    )


PROBE_COST = 150
"""What walking to one more document and asking the full-text index about it costs, in hits
listed, as fitted where the two plans of a 21-row page took the same time at 100,000 documents:
a word in ~17,000 of them (10,000 to 76,000 measured; benchmarks/README.md)."""

_FTS = table("document_body_fts", column("rowid", Integer))
_VOCABULARY = table("document_body_fts_vocab", column("term", String), column("doc", Integer))


def among_hits(document_id: Any, terms: int, dialect: str) -> ColumnElement[bool]:
    """Documents that match all of `terms` phrases (`search_params`' `q_…`): every hit listed.
    On SQLite `id + 0`: its planner must not fetch every hit by its primary key and sort them all,
    which it prefers unless the id is hidden from it."""
    listed = document_id + 0 if dialect == "sqlite" else document_id
    return listed.in_(select(search_hits(terms, dialect).c.id))  # type: ignore[no-any-return]


def page_among_hits(document_id: Any, terms: int, dialect: str) -> ColumnElement[bool]:
    """`among_hits` for the first page of a one-token search in an order other than relevance,
    which walks the sort's index and keeps the documents that match, up to `:limit`.

    Listing every hit costs as many as the word has: for one in most documents, SQLite lists a
    hundred thousand at 100k documents (~20 ms). Asking the index about each document walked
    instead costs PROBE_COST hits' worth each, and the walk ends after about limit × documents ÷
    hits of them: cheaper once hits² ≥ PROBE_COST × limit × documents. On SQLite the statement
    takes the word's document count from `WORD_ESTIMATE` and the cheaper plan: SQLite evaluates
    only the branch a CASE takes. Only for one token is the count the number of hits; for a phrase
    it is an upper bound, and a walk that expects a page soon could visit every document.
    PostgreSQL plans the GIN lookup itself."""
    listed = among_hits(document_id, terms, dialect)
    if dialect != "sqlite":
        return listed
    estimate = WORD_ESTIMATE.c
    probe_cost = bindparam("q_probe_cost", type_=Integer)
    cheaper_to_walk = select(estimate.hits_squared >= probe_cost * bindparam("limit") * estimate.documents)
    walked = (
        select(literal(1))
        .select_from(_FTS)
        .where(text("document_body_fts MATCH :q_match"), _FTS.c.rowid == document_id)
        .exists()
    )
    return case((cheaper_to_walk.scalar_subquery(), walked), else_=listed) == literal(True)


_COUNTED = (
    # The square in the subquery: fts5vocab counts a word's documents by reading its whole list of
    # them (6 ms for one in 76,000 of 100,000), and `doc * doc` outside would read it twice.
    select(_VOCABULARY.c.doc * _VOCABULARY.c.doc)
    .where(_VOCABULARY.c.term == bindparam("q_token", type_=String))
    .scalar_subquery()
)
_KNOWN = case(
    (DataVersion.version == bindparam("q_known_version", type_=BigInteger), bindparam("q_known", type_=BigInteger))
)
WORD_ESTIMATE = (
    select(func.coalesce(_KNOWN, _COUNTED).label("hits_squared"), DataVersion.documents)
    .where(DataVersion.id == 1)
    .cte("word_estimate")
)
"""The squared document count of `:q_token` and the number of documents, for `page_among_hits`:
`:q_known` when it was counted at the data version now read (`:q_known_version`), else counted
again. Counting is most of a common word's first page, and a count changes only with an ingest,
so the page hands it back (`WORD_COUNT_COLUMN`) and the reader keeps it for the next request
(`remember_word_count`). An outdated count could only choose the slower plan: both find the same
rows. A CTE used twice, it is computed once."""

WORD_COUNT_COLUMN = select(WORD_ESTIMATE.c.hits_squared).scalar_subquery().label("q_hits_squared")

_KNOWN_WORDS = 4096
"""At most this many words' counts are kept by a reader; past it, they are counted afresh."""


def common_word_params(reader: Reader, word: str, probe_cost: int = PROBE_COST) -> dict[str, Any]:
    """The values of `page_among_hits`' parameters for the one token `word`: the count the reader
    keeps for it, if any (`remember_word_count`), and `q_probe_cost`."""
    version, known = reader.learned.get(("word", word), (None, None))
    return {"q_token": word, "q_probe_cost": probe_cost, "q_known_version": version, "q_known": known}


def remember_word_count(reader: Reader, params: Mapping[str, Any], row: AnyRow) -> None:
    """Keep what a common word's first page counted (its `WORD_COUNT_COLUMN`), with the data
    version it was counted at, for the reader's next search of the word."""
    if len(reader.learned) >= _KNOWN_WORDS:
        reader.learned.clear()
    reader.learned[("word", params["q_token"])] = (row.data_version, row.q_hits_squared)


def search_params(q: str, dialect: str, prefix: str = "q") -> dict[str, str]:
    """The values of `search_hits`' parameters for the query `q`."""
    terms = query_terms(q)
    if dialect == "sqlite":
        # Each term is quoted as an FTS5 phrase; the normaliser leaves no quotes or operators in it.
        return {f"{prefix}_match": " AND ".join(f'"{term}"' for term in terms)}
    return {f"{prefix}_{i}": term for i, term in enumerate(terms)}


def matched_words(q: str) -> list[str]:
    """The substrings `q` looks for in the (Simplified, lower-cased) text: each bigram phrase joined back."""
    words = []
    for term in query_terms(q):
        tokens = term.split(" ")
        words.append(tokens[0] + "".join(token[-1] for token in tokens[1:]) if len(tokens) > 1 else tokens[0])
    return words


def snippet(text_: str, words: list[str]) -> str | None:
    """A short, HTML-escaped excerpt around the first match, every match wrapped in <mark>."""
    if not words:
        return None
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text_)
    if first is None:
        return None
    start = max(0, first.start() - SNIPPET_RADIUS)
    end = min(len(text_), first.end() + SNIPPET_RADIUS)
    window = " ".join(text_[start:end].split())
    marked = pattern.sub(lambda m: "\x00" + m.group(0) + "\x01", window)
    escaped = html.escape(marked).replace("\x00", "<mark>").replace("\x01", "</mark>")
    return ("…" if start > 0 else "") + escaped + ("…" if end < len(text_) else "")
