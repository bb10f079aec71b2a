"""Search normalisation: the text both databases index, and the query terms run against it.

Neither SQLite's unicode61 nor PostgreSQL's 'simple' tokeniser splits a run of Han characters,
so `科技` would never match inside `市科技局`. We index overlapping Han bigrams instead, computed
here in Python so both databases see the same tokens and return the same hits: a query term is
the phrase of its own bigrams, which matches exactly where the term occurs as a substring.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array

from app.ingest.clean import strip_pinyin, to_simplified

if array("I").itemsize != 4:  # pragma: no cover - every platform we run on has 32-bit unsigned int
    raise ImportError("search_text needs a 4-byte array('I')")

_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", to_simplified(strip_pinyin(text))).lower()


def _tokens(run: str) -> list[str]:
    if run[0].isascii():
        return [run]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


# UTF-32 in the machine's byte order, so that an array("I") of code points decodes as text.
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
_SPACE = array("I", [ord(" ")])


def _all_bigrams(han: str) -> str:
    """`abcd` → `ab bc cd ` (every adjacent pair, three characters each, pair i at 3*i), built with
    strided array writes: one Python string per bigram was most of `search_text`'s time."""
    if len(han) < 2:
        return ""
    codes = array("I")
    codes.frombytes(han.encode(_UTF32))
    pairs = _SPACE * (3 * (len(codes) - 1))
    pairs[0::3] = codes[:-1]
    pairs[1::3] = codes[1:]
    return pairs.tobytes().decode(_UTF32)


def search_text(text: str) -> str:
    """Space-separated tokens of `text`: overlapping bigrams of each Han run, ASCII words and numbers."""
    runs = _RUN.findall(_normalise(text))
    # The bigrams of all Han runs at once, then each run's share sliced out: pairs that straddle two
    # runs sit at a run's last position and are never part of a slice.
    pairs = _all_bigrams("".join(run for run in runs if len(run) > 1 and not run[0].isascii()))
    parts: list[str] = []
    position = 0
    for run in runs:
        if len(run) > 1 and not run[0].isascii():
            end = position + len(run) - 1
            parts.append(pairs[3 * position : 3 * end - 1])
            position += len(run)
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
