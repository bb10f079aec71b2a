"""Spans and sentences: where in `Record.text` a fact was found, and the sentence around it.

Every metric, institution and person carries the sentence it came from, so a reader can check the
extracted fact against its source without opening the page.
"""

from __future__ import annotations

import re

SENTENCE_END = "。!?;\n"
# A cited title: in 《》, or a suggestion's title in quotation marks (`“关于改善…的建议”`).
_QUOTED = re.compile(r"《[^》\n]{0,120}》|“关于[^”\n]{2,120}(?:建议|提案|议案)”")


# A sentence is looked for this far around a fact: bounded work on pages without punctuation.
MAX_REACH = 400


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """[from, to) of the sentence holding text[start:end]: from the previous sentence end to the next."""
    floor, ceiling = max(0, start - MAX_REACH), min(len(text), end + MAX_REACH)
    # Plain loops over the five end marks: this runs for every fact, and generator expressions
    # inside max()/min() cost more than the searches themselves.
    left = -1
    for ch in SENTENCE_END:
        found = text.rfind(ch, floor, start)
        if found > left:
            left = found
    left = left + 1 if left >= 0 else floor
    right = -1
    for ch in SENTENCE_END:
        found = text.find(ch, end, ceiling)
        if found >= 0 and (right < 0 or found < right):
            right = found
    right = right + 1 if right >= 0 else ceiling
    return left, right


def sentence_at(text: str, start: int, end: int) -> str:
    left, right = sentence_bounds(text, start, end)
    return text[left:right].strip()


def cited_title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of cited document titles (《…》, “关于…的建议”): names inside them are not mentions of
    their own."""
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)
