"""split_metadata: the 索引号/发文字号/发布机构 block → `Draft.meta`; the rest stays body.

Three layouts carry the same labels:
    [ 索引号 ] 11500000MB15895317/2023-00117 [ 发文字号 ] 渝科局函〔2023〕302号      (bracket)
    [ 索引号 ] | 1150010700927688XM/2022-00132 | [ 发文字号 ] | |                  (pipe table)
    体裁分类:政协委员提案 主题分类:工业、交通 索引号:kejiju/1688630012356         (inline)
and news pages add date/source lines (`发布时间: 2022-06-07  来源: 重庆日报`,
`时间 : 2019-06-12 17:49:46 来源 : 本网`). One scanner reads them all: find the labels on a
line, and each value is the text between its label and the next one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from types import MappingProxyType

from app.ingest.bylines import read_byline
from app.ingest.draft import Draft, MetaLine
from app.ingest.patterns import word_alternation

# Patterns the functions below use, compiled once (a call with a pattern string looks it up in re's cache
# on every call).
_CELL_PIPE = re.compile(r"\s*\|\s*")

# label as printed → key in Draft.meta; None: a label we recognise (so it ends the previous
# value) but do not keep.
LABELS: dict[str, str | None] = {
    "索引号": "index_no",
    "发文字号": "doc_no",
    "文号": "doc_no",
    "主题分类": "topics",
    "体裁分类": "genre",
    "发布机构": "publisher",
    "发文单位": "publisher",
    "发文机关": "publisher",
    "成文日期": "written_date",
    "成文时间": "written_date",
    "发文日期": "written_date",
    "生成日期": "written_date",
    "发布日期": "published_date",
    "发布时间": "page_date",
    "时间": "page_date",
    "日期": "page_date",
    "来源": "source",
    "信息来源": "source",
    "文章来源": "source",
    "稿源": "source",
    "刊发日期": "page_date",
    # The reply's own date in a form (`答复时间: 2023-06-12`) is when it was signed, not published.
    "答复时间": None,
    "答复日期": None,
    "所属机构": None,
    "信息索引号": "index_no",
    "有效性": None,
    "效力状态": None,
    "公开方式": None,
    "公文时效": None,
    "组配分类": "genre",
    "服务对象分类": None,
    "浏览次数": None,
    "点击数": None,
    "点击": None,
    "阅读次数": None,
    "访问量": None,
    "收集编辑": None,
    "作者": None,
    "关键词": None,
    "关键字": None,
    # Form layouts (county and provincial sites print the suggestion as a form above the letter):
    #   建议标题:关于… / 编号:第56号 / 领衔代表:刘建国 / 协办单位:县财政局、县水利局 / 办理结果:A类
    "建议标题": "proposal_title",
    "提案标题": "proposal_title",
    "建议题目": "proposal_title",
    "提案题目": "proposal_title",
    "建议名称": "proposal_title",
    "提案名称": "proposal_title",
    "编号": "proposal_number",
    "建议编号": "proposal_number",
    "提案编号": "proposal_number",
    "建议号": "proposal_number",
    "提案号": "proposal_number",
    "领衔代表": "proposers",
    "提案人": "proposers",
    "建议人": "proposers",
    "提出人": "proposers",
    "协办单位": "co_handlers",
    "会办单位": "co_handlers",
    "主办单位": None,
    "分办单位": None,
    # `承办单位:县教育局(主办) 县财政局(协办)`: the units with their parts, read for the co-handlers.
    "承办单位": "handlers",
    "办理单位": "handlers",
    "办理结果": None,
    "办理类别": None,
    "答复类别": None,
    "办理状态": None,
    "公开类别": None,
    "公开属性": None,
    "摘要": None,
    "类别": None,
    "签发人": None,
    "责任部门": None,
    "公开目录": None,
    "立案号": "proposal_number",
    # A page that labels its own title: `标 题:关于… 发布日期:…`, `名称:关于…`.
    "标题": "title",
    "文章标题": "title",
    "名称": "title",
    "文件标题": "title",
    "信息名称": "title",
    "文件名称": "title",
    "原标题": "title",
    "生效日期": None,
    "废止日期": None,
}
_ALTERNATION = "(?:" + word_alternation(LABELS) + ")"
# A label may carry a gloss before its colon: `主办单位(分办单位):`.
_LABEL = re.compile(
    rf"\[\s*(?P<bracket>{_ALTERNATION})\s*\]|(?P<colon>{_ALTERNATION})\s*(?:\([^()\n]{{1,8}}\))?\s*[::]"
)
# News pages print the date before its labels: `2024-01-25 08:30 来源:湖北日报`. The leading date is
# read as the page's `日期`, so the line is a dateline like `日期:… 来源:…`.
_PAGE_DATE = r"(?P<date>(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)"
_LEADING_DATE = re.compile(r"^" + _PAGE_DATE + r"\s+(?=\S)")
# `来源:政府办 2017-07-07 15:58`: the page's date after the source it names.
_TRAILING_DATE = re.compile(r"\s" + _PAGE_DATE + r"$")
_BULLETS = frozenset("•·▪●◆■")
_BULLET_FIELD = re.compile(rf"^\s*[•·▪●◆■]\s*(?P<label>{_ALTERNATION})(?P<value>(?:\s+\S.*)?)$")
# A table cell that is a label the table does not share with us ends the value before it.
_NEXT_CELL_LABEL = re.compile(r"\|\s*[\u4e00-\u9fff]{2,6}\s*[::]")

# The labels a page may print with a space instead of a colon, opening the line.
_SPACED_LABEL = re.compile(
    r"^(?P<label>索引号|信息索引号|发文字号|发布机构|成文日期|发布日期|主题分类|组配分类)\s+(?=[^\s|])"
)
# Metadata sits at the top of a page; a `来源:` deep in an article body is part of its text.
MAX_META_LINE = 30
MAX_META_LENGTH = 200


def read_labels(line: str, *, bylines: bool = True) -> list[tuple[str, str]] | None:
    """[(label, value)] when the line is a metadata line (it opens with a label, or it is a byline
    such as `• 四川日报 2021-03-09 10:05`, read as `日期`/`来源`), else None."""
    read = read_meta_line(line, bylines=bylines)
    return list(read.pairs) if read is not None else None


def read_meta_line(line: str, *, bylines: bool = True) -> MetaLine | None:
    """The line read as metadata (see `read_labels`), or None."""
    stripped = line.lstrip("|-•·* ")  # `- 日期:2012-03-09`: a bulleted list of fields
    if len(stripped) > MAX_META_LENGTH:
        return None
    pairs = []
    leading = _LEADING_DATE.match(stripped)
    if leading:
        pairs.append(("日期", leading.group("date")))
        stripped = stripped[leading.end() :]
    spaced = _BULLET_FIELD.match(line) if line.lstrip()[:1] in _BULLETS else None
    if spaced:  # `• 索引号 11500114009130039C/2020-06814`: a bulleted field without its colon
        return MetaLine(((spaced.group("label"), spaced.group("value").strip()),), byline=False)
    spaced_label = _SPACED_LABEL.match(stripped)
    if spaced_label:  # `索引号 1529…/2025-02058`
        stripped = f"{spaced_label.group('label')}:{stripped[spaced_label.end() :]}"
    matches = list(_LABEL.finditer(stripped))
    if not matches and "|" in stripped:
        cells = _label_cells(stripped)
        if cells:
            return MetaLine(cells, byline=False)
    if not matches or matches[0].start() != 0:
        byline = read_byline(line) if bylines else None
        if byline is None:
            return None
        found = ((label, value) for label, value in (("日期", byline.date), ("来源", byline.source)) if value)
        return MetaLine(tuple(found), byline=True)
    for here, after in zip(matches, [*matches[1:], None], strict=True):
        end = after.start() if after is not None else len(stripped)
        label = here.group("bracket") or here.group("colon") or ""
        value = stripped[here.end() : end]
        cell = _NEXT_CELL_LABEL.search(value, 1)
        value = _CELL_PIPE.sub(" ", (value[: cell.start()] if cell else value).strip(" |:")).strip()
        dated = _TRAILING_DATE.search(value) if LABELS.get(label) == "source" else None
        if dated:  # `来源:政府办 2017-07-07 15:58`: the source, then the page's date
            pairs += [(label, value[: dated.start()].strip()), ("日期", dated.group("date"))]
            continue
        pairs.append((label, value))
    return MetaLine(tuple(pairs), byline=False)


def _label_cells(row: str) -> tuple[tuple[str, str], ...]:
    """A table row of labels and values without colons: `发布机构 | 平陆县人民政府 | 文号 |`."""
    cells = [cell.strip() for cell in row.split("|")]
    pairs = []
    for label, value in itertools.pairwise(cells):
        if label in LABELS and value and value not in LABELS:
            pairs.append((label, value))
    return tuple(pairs)


def _label_over_value(lines: Sequence[str], index: int) -> MetaLine | None:
    """`索引号` alone on its line, its value on the next (`zkx_nyncj/2025-00019`), or blank when
    the next line is another label (`文  号` over `日期`)."""
    if len(lines[index]) > MAX_LABEL_LINE:
        return None
    label = _SPACE.sub("", lines[index])
    if label not in LABELS or len(label) < 2:
        return None
    value = lines[index + 1].strip() if index + 1 < len(lines) else ""
    if _SPACE.sub("", value) in LABELS or len(value) > MAX_LABELLED_VALUE or "。" in value:
        value = ""
    return MetaLine(((label, value),), byline=False)


_SPACE = re.compile(r"\s+")
MAX_LABELLED_VALUE = 60
MAX_LABEL_LINE = 10  # `文  号`, `信息索引号`: a label alone is short, spaces and all


def split_metadata(draft: Draft) -> Draft:
    """Separate the metadata block from the body. Pages that print it twice keep the first
    non-empty copy of each field; any disagreement goes into the trace, visible rather than
    silently resolved."""
    meta: dict[str, str] = {}
    meta_lines: dict[int, MetaLine] = {}
    in_body = False
    lines = draft.lines
    for index, line in enumerate(lines[:MAX_META_LINE]):
        if index in meta_lines:
            continue  # the value under a label alone on its line
        # Past the first sentence a bare date is a letter's sign-off, not the page's byline.
        read = read_meta_line(line, bylines=not in_body)
        in_body = in_body or "。" in line
        if read is None and not in_body:
            read = _label_over_value(lines, index)
            if read is not None and read.pairs[0][1]:
                meta_lines[index + 1] = read
        if read is None:
            continue
        meta_lines[index] = read
        for label, value in read.pairs:
            key = LABELS[label]
            if key is None:
                continue
            if key not in meta or (not meta[key] and value):
                meta[key] = value
            elif value and meta[key] != value:
                draft = draft.note(f"split_metadata: {label} disagrees: kept {meta[key]!r}, saw {value!r}")
    draft = draft.replace(meta=MappingProxyType(meta), meta_lines=MappingProxyType(meta_lines))
    return draft.note(f"split_metadata: {len(meta)} fields from {len(meta_lines)} lines")
