"""word_alternation: a regex alternation of many literal words, built as a trie.

Python's `re` tries the branches of `a|b|c…` one by one at every position; with two hundred
verbs or suffixes that dominated the parse time. Factoring the words by their common prefixes
(`建(?:设|成|好)|推(?:动|进)…`) lets the engine reject a position after one character.
Longer words still win over their prefixes (`管理委员会` before `委员会`, `场次` before `场`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_Trie = dict[str, "_Trie"]
_END = ""


def _insert(trie: _Trie, word: str) -> None:
    node = trie
    for ch in word:
        node = node.setdefault(ch, {})
    node[_END] = {}


def _render(node: _Trie) -> str:
    branches = [re.escape(ch) + _render(child) for ch, child in sorted(node.items()) if ch != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # A word may end here: the longer continuations come first, the end is optional.
    return f"(?:{body})?" if _END in node else body


def word_alternation(words: Iterable[str]) -> str:
    """A regex (no capturing groups) matching any of `words`, longest match first at a position."""
    trie: _Trie = {}
    for word in words:
        if word:
            _insert(trie, word)
    return _render(trie)
