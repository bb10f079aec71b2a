"""extract_sections: the top level of the body's numbering, whatever its style.

Letters number their parts `一、`, `(一)`, `1、` or `1.`; the top level is the first style that
occurs among the body's line openings (a letter with `一、` and `(一)` has `一、` on top). A heading
runs to the first sentence end outside quotes. Numbered paragraphs without a heading (`1.` opening
a long sentence that never closes early) and a heading cut off by the end of the page are left out.
"""

from __future__ import annotations

import re

from app.ingest.draft import Draft
from app.ingest.record import Section

# Patterns the functions below use, compiled once (a call with a pattern string looks it up in re's cache
# on every call).
_CLOSING_PUNCTUATION = re.compile(r"[。;!?]")

_HAN = "一二三四五六七八九十"
# Each numbering style: (name, pattern capturing the number and the rest of the line).
STYLES = (
    ("han", re.compile(rf"^(?P<n>[{_HAN}]{{1,3}})\s*[、.．]\s*(?P<rest>.+)$")),
    ("paren_han", re.compile(rf"^[((]\s*(?P<n>[{_HAN}]{{1,3}})\s*[))]\s*[、.]?\s*(?P<rest>.+)$")),
    ("digit", re.compile(r"^(?P<n>\d{1,2})\s*(?:、|\.|．)(?!\d)\s*(?P<rest>.+)$")),
    ("paren_digit", re.compile(r"^[((]\s*(?P<n>\d{1,2})\s*[))]\s*(?P<rest>.+)$")),
)
_OPEN_QUOTES = "“‘《「(("
_CLOSE_QUOTES = "”’》」))"
# A heading is a phrase, not a paragraph: past this length an unterminated run is body text.
MAX_HEADING = 120
MAX_PHRASED_HEADING = 30
_SENTENCE_END = re.compile("[。;!?:]")


_SUGGESTION_TITLE = re.compile(r"关于.{2,}?(?:建议|提案|议案)(?:[((].*)?$")


def heading_of(rest: str) -> str | None:
    """The heading in a numbered line: up to the first 。;!? outside quotes, or up to a closing
    quote that itself ends a sentence (`…的认知。”区城市管理局…`). None when nothing is a heading."""
    depth = 0
    for index, ch in enumerate(rest):
        if ch in _OPEN_QUOTES:
            depth += 1
        elif ch in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
            if depth == 0 and index > 0 and rest[index - 1] in "。!?" and index + 1 < len(rest):
                return rest[: index + 1]
        elif depth == 0 and ch in "。;!?:":
            heading = rest[:index]
            return heading if 0 < len(heading) <= MAX_HEADING else None
        elif depth == 0 and ch == ",":
            # `1、南京路按照职责分工,…`: a numbered paragraph's sentence, not a heading; but a short
            # line that never ends a sentence is a heading of two phrases (`强化组织领导,压实工作责任`).
            whole = rest.strip()
            unterminated = len(whole) <= MAX_PHRASED_HEADING and not _SENTENCE_END.search(whole)
            return whole if unterminated else None
    heading = rest.strip()
    return heading if len(heading) <= MAX_HEADING else None


def extract_sections(draft: Draft) -> Draft:
    """Top-level numbered headings of the body, in order."""
    body = [line for _, line in draft.body_lines]
    numbered: list[tuple[str, int, str, str]] = []
    for index, line in enumerate(body):
        for style, pattern in STYLES:
            match = pattern.match(line)
            if match:
                numbered.append((style, index, match.group("n"), match.group("rest")))
                break
    if not numbered:
        return draft
    top = numbered[0][0]
    sections: list[Section] = []
    for style, index, number, rest in numbered:
        if style != top:
            continue
        if index == len(body) - 1 and not _CLOSING_PUNCTUATION.search(rest):
            # The page ends on this line: a heading cut off by the end of the page.
            continue
        heading = heading_of(rest)
        if heading:
            sections.append(Section(number=number, heading=heading.strip()))
    if len(sections) > 1 and all(_SUGGESTION_TITLE.match(section.heading) for section in sections):
        # `1.关于支持…的建议` / `2.关于在…的建议`: a news item listing the suggestions it reports
        return draft.note("extract_sections: a numbered list of suggestion titles, not headings")
    return draft.with_record(sections=tuple(sections)).note(f"extract_sections: {len(sections)} {top} headings")
