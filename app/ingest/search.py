"""Search normalisation: the text both databases index, and the query terms run against it.

Neither SQLite's unicode61 nor PostgreSQL's 'simple' tokeniser splits a run of Han characters,
so `科技` would never match inside `市科技局`. We index overlapping Han bigrams instead, computed
here in Python so both databases see the same tokens and return the same hits: a query term is
the phrase of its own bigrams, which matches exactly where the term occurs as a substring.
"""

from __future__ import annotations

import re
import unicodedata

from app.ingest.clean import strip_pinyin, to_simplified

_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", to_simplified(strip_pinyin(text))).lower()


def _tokens(run: str) -> list[str]:
    if run[0].isascii():
        return [run]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def search_text(text: str) -> str:
    """Space-separated tokens of `text`: overlapping bigrams of each Han run, ASCII words and numbers."""
    # map(str.__add__, run, run[1:]) builds a run's bigrams in C; this loop is the hot path of ingest.
    parts: list[str] = []
    for run in _RUN.findall(_normalise(text)):
        if len(run) > 1 and not run[0].isascii():
            parts.append(" ".join(map(str.__add__, run, run[1:])))
        else:
            parts.append(run)
    return " ".join(parts)


def search_query_terms(q: str) -> list[str]:
    """One phrase of tokens per whitespace-separated term of a user's query, e.g. `重点实验室`
    → ["重点 点实 实验 验室"]. A lone Han character cannot be searched with bigrams and is dropped;
    punctuation and operators never reach the database."""
    terms: list[str] = []
    for word in _normalise(q).split():
        for run in _RUN.findall(word):
            if len(run) == 1 and not run.isascii():
                continue
            terms.append(" ".join(_tokens(run)))
    return terms
