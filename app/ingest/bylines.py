"""Bylines: the line under a page's title that says when it was published and by whom.

News and portal pages print it in many shapes, labelled or not, before or after the date:
    2023-08-17来源:市政府办公厅 · www.example.cn 2025-06-12 08:20:31 来源:湖南日报
    • 四川日报 2021-03-09 10:05 · 新华网 (2006年04月11日 09:12) · 03-14 07:45:02 来源:湖北日报
    2021/9/1509:30:00 · 大众网-海报新闻2023-02-08 16:40 · 某某百科·作者佚名2012-05-02 宽屏版 字体:|||超大
What they share is the shape, not the words: a date (or a time, or a `来源` label) and, once the
date, the labels, addresses and widget words are taken away, at most a short name left — the
outlet. A line with a sentence in it is never a byline. A byline is never part of the title: it
is metadata (`日期`, `来源`), and a title line that ends in one is cut before it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from app.ingest.draft import Draft
from app.ingest.people import looks_like_name

# Patterns the functions below use, compiled once (a call with a pattern string looks it up in re's cache
# on every call).
_CLAUSE_PUNCTUATION = re.compile(r"[,,;;!?](?!\s*$)")
_PROSE_CHARACTER = re.compile(r"[的了是在对将]")

# A date with or without its year, and the time that may follow it, glued or spaced:
# `2021/9/1509:30:00` is 2021-09-15 09:30:00.
_DATE = re.compile(
    r"(?P<year>(?:19|20)\d{2}\s*[-/.年]\s*)?(?<!\d)\d{1,2}\s*[-/.月]\s*\d{1,2}(?:(?!\d)|(?=\d{2}:\d{2}))\s*日?"
    r"(?P<time>\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
_SPACE_RUN = re.compile(r"\s+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LABEL_MARK = re.compile(r"[::|\[【]")
# Every byline holds one of these: a date's or a time's digits, or a 来源 label.
_HINT = re.compile(r"\d\s*[-/.年月:]\s*\d|来\s?源")
_TIME = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])")
_URL = re.compile(r"(?:https?://)?(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+(?:/\S*)?", re.I)
# `来源:湖南日报`: the value runs to the next space or label.
_SOURCE = re.compile(r"(?:信息|文章|稿件)?来\s?源\s*[::]\s*(?P<v>[^\s|::]{0,30})")
# Labels whose values are not the outlet: `作者:`, `编辑:`, `浏览次数:12`; the author `作者佚名`.
_OTHER_LABEL = re.compile(
    r"(?:发布|更新|发表)?(?:时\s?间|日\s?期)\s*[::]|(?:发表|发布|更新)于|(?:作\s?者|编\s?辑|责任编辑|记\s?者|浏览(?:次数)?|点击(?:数|量)?|"
    r"阅读(?:次数|量)?|访问量|字\s?[号体])\s*[::]?[^\s|]{0,12}"
)
# Widgets printed beside the byline: text size, print, share, wide layout.
_WIDGET_WORDS = re.compile(
    r"宽屏版?|窄屏版?|超大|[【\[][大中小][】\]]|大\s*中\s*小|打印|分享(?:到)?|收藏|星期[一二三四五六日天]|礼拜[一二三四五六日天]|\d*\s*人(?:评论|参与|阅读|浏览)|关闭(?:此页|本页|窗口)?|视力保护色|繁体|简体"
    # An e-paper's page navigation: `3上一篇 2022年1月17日 放大 缩小 默认`
    r"|\d*[上下]一[篇期页版]|放大|缩小|默认|返回(?:目录|版面|顶部)?"
    # `©原创   12-29 09:51   应城电视台`: the site's mark for its own story, not the outlet
    r"|©\s*(?:原创)?|(?<![\u4e00-\u9fff])原创(?![\u4e00-\u9fff])"
)
# What separates the pieces of a byline; with dashes, what is not part of the outlet's length.
_SEPARATORS = re.compile(r"[\s|•·●▪◆■()()\[\]【】/:,,]+")
_FILLER = re.compile(r"[\s|•·●▪◆■()()\[\]【】/:,,\-—–_]+")
# What may stand beside a date on a byline: an outlet (`四川日报`, `大众网-海报新闻`), short.
MAX_LEFTOVER = 12
# A title before a byline on one line is longer than an outlet.
MIN_TITLE_HAN = 8
MAX_BYLINE = 100


class Byline(NamedTuple):
    date: str | None
    """The date as printed (a year-less date is kept as printed; it parses to no date)."""
    source: str | None
    """The outlet: the `来源` value, else the name standing beside the date."""


def _leftover_source(text: str) -> str | None:
    """The outlet among what is left of a byline, or None."""
    for piece in _SEPARATORS.split(text):
        piece = piece.strip("-—–_ ")
        if len(piece) >= 2 and _HAN.search(piece) and not piece.startswith("作者"):
            return piece
    return None


def read_byline(line: str) -> Byline | None:
    """The line as a byline, or None when it is anything else (a title, a sentence, a label block)."""
    line = line.strip()
    if not line or len(line) > MAX_BYLINE or "。" in line or not _HINT.search(line):
        return None  # most lines: no date, no time and no 来源, decided by one search
    if _CLAUSE_PUNCTUATION.search(line):
        return None
    date = _DATE.search(line)
    source = _SOURCE.search(line)
    time = _TIME.search(line)
    if date is None and source is None and time is None:
        return None
    if date is not None and date.group("year") is None and date.group("time") is None and source is None:
        return None  # `3.5`, `6-8`: a year-less date counts only beside a time or a 来源 label
    rest = line
    for pattern in (_URL, _SOURCE, _DATE, _TIME, _OTHER_LABEL, _WIDGET_WORDS):
        rest = pattern.sub(" ", rest)
    leftover = _FILLER.sub("", rest)
    if len(leftover) > MAX_LEFTOVER or _PROSE_CHARACTER.search(leftover):
        return None
    outlet = source.group("v").strip() if source and source.group("v").strip() else _leftover_source(rest)
    if outlet and not source and _POSTED.search(line):
        outlet = None  # `沈阳门户网 发表于 2018-8-18`: a forum post's poster, not an outlet
    if outlet and looks_like_name(outlet):
        outlet = None  # `2017-02-16 刘长韬`: the author beside the date, not an outlet
    return Byline(date.group(0).strip() if date else None, outlet)


_POSTED = re.compile(r"(?:发表|发布|更新)于")


def split_trailing_byline(line: str) -> tuple[str, str] | None:
    """(title, byline) when a title line ends in its byline (`标题 2024-01-25 08:30 来源:湖北日报`),
    cut at the first space that leaves a byline after it; else None."""
    if len(line) > MAX_BYLINE + 120 or "。" in line or not _HINT.search(line):
        return None
    spaces = list(_SPACE_RUN.finditer(line))
    if not spaces or _LABEL_MARK.search(line, 0, spaces[0].start()):
        return None  # no space to cut at, or a field line (`索引号: …`), not a title
    han, counted = 0, 0
    for space in spaces:
        head, tail = line[: space.start()], line[space.end() :]
        han += len(_HAN.findall(line, counted, space.start()))
        counted = space.start()
        # An outlet before the date (`• 四川日报 2021-03-09`) is short; a title is longer.
        if han < MIN_TITLE_HAN or _POSTED.search(head, len(head) - 3):
            continue  # `沈阳门户网 发表于 2018-8-18`: the byline's own words, no title
        byline = read_byline(tail)
        if byline is not None and (byline.date is not None or byline.source is not None):
            if _HAN.search(tail) is None and byline.date is None:
                continue
            return head, tail
    return None


# Bylines sit under the title, at the top of the page.
HEAD_LINES = 30


def separate_bylines(draft: Draft) -> Draft:
    """A title line that ends in its byline becomes two lines, so the title is the title alone."""
    lines = list(draft.lines)
    changed = []
    # Bylines stand above the first sentence.
    head = next((i for i, line in enumerate(lines[:HEAD_LINES]) if "。" in line), min(len(lines), HEAD_LINES))
    for index in range(head - 1, -1, -1):
        parts = split_trailing_byline(lines[index])
        if parts is not None:
            lines[index : index + 1] = list(parts)
            changed.append(parts[1][:30])
    if not changed:
        return draft
    return draft.replace(lines=tuple(lines), text="\n".join(lines)).note(f"separate_bylines: {changed}")
