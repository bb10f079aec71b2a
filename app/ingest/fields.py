"""extract_fields: title, kind, salutation, metadata fields and the sign-off of a letter.

A reply letter reads: (metadata) · title · date line · salutation `李谨代表:` · body · signatory ·
sign-off date. A news page reads: site chrome · title · `发布时间:… 来源:…` · body · credits.
The title is found by that layout, not by position: it is the line right above the date/source
line, else the title-like lines between the metadata and the salutation.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

from app.ingest.bylines import read_byline
from app.ingest.dates import DATE_LINE, parse_date
from app.ingest.draft import Draft, MetaLine
from app.ingest.orgnames import type_of
from app.ingest.people import is_credit_line
from app.ingest.proposal import find_session
from app.ingest.split import LABELS

# Patterns the functions below use, compiled once (a call with a pattern string looks it up in re's cache
# on every call).
_TOPIC_SEPARATOR = re.compile(r"[、,;;\s]+")
_HONORIFIC = re.compile(r"^尊敬的")
_SPACE_RUN = re.compile(r"\s+")
_SENTENCE_PUNCTUATION = re.compile(r"[。,;:!?::]")
_SPACE = re.compile(r"\s")

# `李谨代表:` `市社科联:` `致公党市委会:`; also without its colon when it ends in a deputy's role
# (`罗丹代表`), which some CMSs drop.
_SALUTATION = re.compile(r"^(?:尊敬的)?(?P<who>[^。,;!?::]{2,40}?)\s*[::]$")
_SALUTATION_NO_COLON = re.compile(r"^(?:尊敬的)?(?P<who>[\u4e00-\u9fff、·]{2,20}(?:代表|委员|同志|代表团))$")
# Several deputies or members addressed, their names split by commas: `尊敬的米拉古尔,希帕委员:`.
_SALUTATION_LISTED = re.compile(r"^(?:尊敬的)?(?P<who>[\u4e00-\u9fff、,,·\s]{2,80}(?:代表|委员|同志))\s*[::]$")
_REPLY_OPENING = re.compile(r"^(你|您|贵)|提出的|收悉|所提|(?:你们?|您)提出|提出了?《")
_REPLY_WORDS = re.compile(r"答复|复函|回复|办理情况|办理意见|[会协]办意见|的函$")
_TITLE_WORDS = re.compile(r"关于|答复|复函|回复|建议|提案|议案|函|意见|通知|报告")
# A dated page that tells of a meeting or a visit is a news report, credited or not.
_REPORTING = re.compile(r"召开|举行|主持|出席|座谈会|调研|视察|督办会|推进会|参加会议")
_ANSWERED = re.compile(r"收悉|答复如下|(?:您|你们?)所?提(?:出)?的?(?:建议|提案|议案)")
_REPLIED = re.compile(f"办理情况|{_ANSWERED.pattern}")
_DATED_OPENING = re.compile(r"^(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日|^(?:日前|近日|昨日|昨天|今天|今日)[,,]")
# A wire dateline (`中评社北京3月3日电`) marks a news report like a credit does.
# Speech reported by the writer: a report of others' words (`…,”周继红代表说。`, `他介绍`, `据悉`); a
# report a body files of its own work quotes no one.
_REPORTED_SPEECH = re.compile(r"据悉|据了解|获悉|介绍|表示|说[,,。::“]")
_NEWS_MARKS = re.compile(r"记者|责任编辑|编辑[::]|来源[::]|通讯员|日报|晚报|新闻网|讯|日电[((]")
# Issuing-number lines outside the metadata block, garbled ones included: `荣文旅委函〔202366`.
# Also with the year first (`[2016]洞政复函 3号(A类)`), and with its signer on the line
# (`宁交函〔2021〕141号 签发人:姜涛`).
_DOC_NO_LINE = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,12}[〔\[【(]\s*(?:19|20)\d{2}\S{0,12}|[〔\[【](?:19|20)\d{2}[〕\]】][\u4e00-\u9fff]{1,12}\s*\d{1,4}\s*号\S{0,6})"
    r"(?:\s+签发人\s*[::]\s*[\u4e00-\u9fff]{2,4})?(?:\s*[((]?[A-Da-d]\d?类[))]?)?(?:\s*(?:同意|主动|依申请)公开)?$"
)
_SIGNER_ON_DOC_NO = re.compile(r"\s+签发人\s*[::].*$")
_APPROVED = re.compile(
    r"此(?:答复函|答复|复函|函|件|答复意见)?已经(?P<who>[\u4e00-\u9fff、]{2,20}?)(?:审签|签发|审定|审核)"
)
_SIGNER = re.compile(r"签发人?[::]\s*(?P<who>[\u4e00-\u9fff]{2,4})")
# Labels that make a line the page's date/source line, which sits right under the title.
# The page's date and source: every label the metadata reads as one (`刊发日期`, `稿源`…).
_DATELINE_LABELS = frozenset(
    label for label, field in LABELS.items() if field in ("page_date", "published_date", "source")
)
# A title printed over two lines with the issuer alone on the first (Shanghai and Beijing sites):
#   上海市浦东新区科技和经济委员会 / 关于区七届人大三次会议第0178号代表建议的答复
_SUBJECT_LINE = re.compile(r"^(?:关于|对)")
_ISSUER_LINE = re.compile(r"^[\u4e00-\u9fff()]{4,30}$")

# A pipe-table row (`| 主办单位 | 教育厅 |`); one pipe between two phrases is a headline's
# separator (`全团建议 | 增强…协同创新能力`).
_PIPE_ROW = re.compile(r"^\||\|$|\|.*\|")

# A short `类别:A类`, `签发人:孟新力`: a field line, even with a label we do not know.
_FIELD_LINE = re.compile(r"^[\u4e00-\u9fff]{2,4}\s*[::](?=.{0,20}$)")
# Closing formulas above the sign-off date are not a signatory.
_CLOSING = re.compile(r"^(?:此复|特此函复|特此答复|特此回复|此致|敬礼|专此函复)[。!]?$")

MAX_TITLE = 120
MIN_HEADLINE = 8
# A news page credits its outlet or reporter near its top; a report titled over two lines has none.
NEWS_MARK_SPAN = 800
_HAN = re.compile(r"[\u4e00-\u9fff]")
REPRINT_LINES = 8
HEAD_LINES = 40


_QUESTION_MARKS = ("?", "?")


def _asked_sentence(line: str) -> bool:
    """`每年的两会,代表们都提了很多宝贵建议,但…给予回复了么?`: clauses asked as a question are the text's
    sentence, not a headline (which may ask one short question: `建议办得怎么样?`), and so is a
    question with more words after it (`…在哪里?记者走访了…`). String tests, not a regex: this runs
    on every line a title is looked for in."""
    if line.endswith(_QUESTION_MARKS) and line.count(",") + line.count(",") >= 2:
        return True
    for mark in ("?", "?", "!", "!"):
        at = line.find(mark)
        if 0 <= at < len(line) - 1 and "\u4e00" <= line[at + 1] <= "\u9fff":
            return True
    return False


def _title_like(line: str) -> bool:
    """A line that can be (part of) a title: short, no sentence inside, not a pipe-table row, not a
    byline or a bare date."""
    return (
        4 <= len(line) <= MAX_TITLE
        and not line.endswith(("。", ";", ":", ":"))
        and "。" not in line[:-1]
        and not _asked_sentence(line)
        and not _PIPE_ROW.search(line)
        and read_byline(line) is None
        and not _FIELD_LINE.match(line)
        and line[:1] not in "•·▪●◆■"  # a bulleted metadata value (`•综合,政务,建议提案`)
    )


def _dateline_date(draft: Draft, dateline: int | None) -> str | None:
    """The date the page's own date line gives, which a date in the site's chrome above it does not."""
    if dateline is None:
        return None
    read = draft.meta_lines.get(dateline)
    dated = {LABELS.get(label): value for label, value in read.pairs} if read else {}
    return dated.get("published_date") or dated.get("page_date")


def _empty_field(draft: Draft, index: int) -> bool:
    """A metadata line whose fields are all blank (`- 点击:`): a counter, not the metadata block."""
    read = draft.meta_lines.get(index)
    return read is not None and not any(value for _, value in read.pairs)


def _labelled_title(draft: Draft) -> tuple[str, int] | None:
    """(title, its line) when the page labels its title: `标 题:关于…`, `名称:关于…`."""
    if not draft.meta.get("title"):
        return None
    for index, read in sorted(draft.meta_lines.items()):
        if any(LABELS.get(label) == "title" for label, _ in read.pairs):
            return draft.meta["title"], index
    return None


def find_salutation(lines: Sequence[str], skip: Container[int]) -> int | None:
    """Index of the salutation line: a short line addressed to someone, followed by a reply opening."""
    for index, line in enumerate(lines[:HEAD_LINES]):
        if index in skip:
            continue
        match = _SALUTATION.match(line) or _SALUTATION_NO_COLON.match(line) or _SALUTATION_LISTED.match(line)
        if not match:
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _REPLY_OPENING.search(following[:80]) or (_SALUTATION_NO_COLON.match(line) and "提出" in following):
            return index
    return None


_DATE_LABELS = frozenset(label for label, field in LABELS.items() if field in ("page_date", "published_date"))


def _dated(read: MetaLine) -> bool:
    return any(label in _DATE_LABELS for label, _ in read.pairs)


def dateline_index(draft: Draft) -> int | None:
    """The page's date/source line. A line standing apart from the metadata block (the title above
    it) wins over a `发布日期` inside the block, which pages print before their title."""
    found = []
    for index, read in sorted(draft.meta_lines.items()):
        if any(label in _DATELINE_LABELS for label, _ in read.pairs):
            found.append(index)
    # A `来源:` credit after the article's first sentence closes it; the date line heads it. (A date
    # after a sentence is still the date line: the site's blurb above the title has sentences too.)
    first_sentence = next((i for i, line in enumerate(draft.lines) if "。" in line and i not in draft.meta_lines), None)
    if first_sentence is not None:
        found = [i for i in found if i < first_sentence or _dated(draft.meta_lines[i])]
    # A labelled date line (`来源:… 日期:…`) wins over a bare date in the site's chrome.
    labelled = [i for i in found if not draft.meta_lines[i].byline]
    found = labelled or found
    apart = [i for i in found if i > 0 and i - 1 not in draft.meta_lines]
    chosen = apart or found
    return chosen[0] if chosen else None


def _issuer_above(draft: Draft, first: int, floor: int) -> int:
    """Index where a title starting at `first` really starts: one line earlier when that line is
    the issuing organisation's name alone and the title line opens with 关于/对."""
    above = first - 1
    if above < floor or above in draft.meta_lines or not _SUBJECT_LINE.match(draft.lines[first]):
        return first
    line = draft.lines[above]
    return above if _ISSUER_LINE.match(line) and type_of(line) != "other" else first


def find_title(draft: Draft, salutation: int | None, dateline: int | None) -> tuple[str | None, int | None]:
    """(title, index of its last line) or (None, None) when the page prints no title line."""
    lines = draft.lines
    labelled = _labelled_title(draft)
    if labelled is not None:
        return labelled
    if dateline is not None and dateline > 0:
        above = dateline - 1
        # An issuing number or other fields may sit between the title and the date line:
        # `穗科函〔2024〕128号`, `- 点击:` above `- 日期:`.
        while above > 0 and (_empty_field(draft, above) or _DOC_NO_LINE.match(lines[above])):
            above -= 1
        if above not in draft.meta_lines and _title_like(lines[above]) and not _DOC_NO_LINE.match(lines[above]):
            # An e-paper lists the page's headlines above its date line and prints the article's own
            # again over the article: that headline is the title, alone.
            if lines[above] in lines[dateline + 1 : dateline + 1 + REPRINT_LINES]:
                return lines[above], above
            while above > 0 and lines[above - 1] == lines[above]:
                above -= 1  # the title printed twice over its date line
            first = _issuer_above(draft, above, 0)
            # `对十三届全国人大四次会议` / `第4720号建议的答复`: a title that opens with 关于/对 on the
            # line before runs on to the date line.
            before = first - 1
            if (
                before >= 0
                and before not in draft.meta_lines
                and not _SUBJECT_LINE.match(lines[first])
                and _SUBJECT_LINE.match(lines[before])
                and _title_like(lines[before])
            ):
                first = before
            elif _headline_over_two_lines(draft, before, above) and first == above:
                # `区政协召开扩面协商座谈会` / `推进副中心基础教育高质量发展`: a news headline and its
                # second line, both above the date line; printed with a space between.
                return f"{lines[before]} {lines[above]}", above
            return "".join(lines[first : above + 1]), above
    end = salutation if salutation is not None else min(len(lines), HEAD_LINES)
    start = max([i + 1 for i in draft.meta_lines if i < end], default=0)
    # The title sits between the metadata and the salutation; pages that print their form fields
    # under the title have it above them.
    for floor in dict.fromkeys((start, 0)):
        block = _title_block(draft, floor, end)
        # A headline stands over the text: a short line asked between its paragraphs
        # (`这样一条好建议是如何产生的?`) heads a part of it, not the page.
        if block and salutation is None and _after_first_sentence(draft, block[0]):
            continue
        if block:
            first = _issuer_above(draft, block[0], floor)
            return "".join(lines[first : block[-1] + 1]), block[-1]
    if salutation is None:
        return _headline_over_paragraph(draft, start)
    return None, None


def _headline_over_paragraph(draft: Draft, start: int) -> tuple[str | None, int | None]:
    """A page that addresses no one and opens with a short line over its first paragraph: that
    line is its headline, whatever its words (`参加自治区十三届人大六次会议的代表抵达呼和浩特市`)."""
    lines = draft.lines
    first = next((i for i in range(start, len(lines)) if i not in draft.meta_lines and lines[i]), None)
    if first is None or first + 1 >= len(lines):
        return None, None
    line, following = lines[first], lines[first + 1]
    credit = is_credit_line(line)
    if (
        _title_like(line)
        and len(line) >= MIN_HEADLINE
        and "。" in following
        and len(following) > len(line)
        and not credit
    ):
        return line, first
    return None, None


def _names_a_session_only(line: str) -> bool:
    """`淄川区第十九届人民代表大会第二次会议` alone on its line."""
    session = find_session(line)
    return session is not None and session.text == line.strip()


def _headline_over_two_lines(draft: Draft, before: int, line: int) -> bool:
    lines = draft.lines
    return (
        before >= 0
        and before not in draft.meta_lines
        and all(_title_like(lines[i]) and not _TITLE_WORDS.search(lines[i]) for i in (before, line))
        and len(lines[before]) >= 6
        and not _DOC_NO_LINE.match(lines[before])
    )


def _title_block(draft: Draft, start: int, end: int) -> list[int]:
    """The consecutive title-like lines from the first one with a title word in [start, end)."""
    lines = draft.lines
    news = _NEWS_MARKS.search(draft.text, 0, NEWS_MARK_SPAN) is not None
    block: list[int] = []
    for index in range(start, end):
        line = lines[index]
        if index in draft.meta_lines or _DOC_NO_LINE.match(line):
            if block and index in draft.meta_lines:
                break
            continue
        if block and _ends_title(lines[block[0]], lines[block[-1]], line):
            break
        if block and (line in "".join(lines[i] for i in block) or _names_a_session_only(line)):
            break  # `…(县十七届人大五次会议第33号建议)` then `县十七届人大五次会议`: a field, not the title
        if block and _OPEN_TITLE_END.search(lines[block[-1]]) and 1 <= len(line.replace(" ", "")) < 4:
            block.append(index)
            continue
        if block and news and _headline_then_subtitle(lines[block[0]], lines[block[-1]], line):
            break
        if block and _SUBJECT_LINE.match(line) and not _opens_title(lines[block[0]], lines[block[-1]]):
            block = []  # `政协提案办理 | 人大建议办理` / `关于…的答复`: a menu above, and the title opens here
        if _title_like(line) and (_TITLE_WORDS.search(line) or _SUBJECT_LINE.match(line) or block):
            block.append(index)
        elif block:
            break
    # A page that prints its title again a few lines on shows where the title ends.
    if len(block) > 1 and lines[block[0]] in lines[block[-1] + 1 : block[-1] + 4]:
        return block[:1]
    return block


# `华建复〔2017〕5号(B类)`: the reply's class printed after its number, not part of it.
# `临自然资字〔2023〕5号 B1类 同意公开`: the class and the disclosure mark after the number.
_CLASS_MARK = re.compile(r"(?:\s*[((]?[A-Da-d]\d?类[))]?)?(?:\s*(?:同意|主动|依申请)公开)?\s*$")
# `内蒙古代表团已有24条建议收到国家部委回复` / `3月10日下午`: the article's first words, not its title.
_OPENS_WITH_DATE = re.compile(r"^(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日")
_DATED_SUBTITLE = re.compile(r"^[((]\s*(?:19|20)\d{2}\s*年[^))]{0,20}[))]$")


def _opens_title(first: str, previous: str) -> bool:
    """Lines a title's 关于/对 line may continue: a title opened already, or one left open."""
    return bool(_SUBJECT_LINE.match(first) or _OPEN_TITLE_END.search(previous))


def _ends_title(first: str, previous: str, line: str) -> bool:
    """The line after a title's first lines is not more of it: the title printed again (alone or
    with the speech's details after it), or a subtitle (`——在…上的讲话`, `(2023年1月10日)`)."""
    return (
        line == previous
        or line.startswith(first)
        or line.startswith("—")
        or bool(_DATED_SUBTITLE.match(line) or _OPENS_WITH_DATE.match(line))
    )


def _headline_then_subtitle(first: str, previous: str, line: str) -> bool:
    """A news headline is whole on its line; the line under it is its subtitle (`委员踊跃提交提案` /
    `收到提案283件审查立案203件`). A letter's title runs on (`关于…第1024号建议` / `办理情况的答复函`),
    and so does any line that stops mid-phrase."""
    return not (
        _SUBJECT_LINE.match(first)
        or _REPLY_WORDS.search(first + line)
        or _OPEN_TITLE_END.search(previous)
        or _RUNS_ON.match(line)
    )


# What opens the rest of a title carried to the next line: `的答复`, `办理情况`, `(第12号)`.
_RUNS_ON = re.compile(r"^(?:的|之|和|与|及|暨|[((]|第\s*\d|办理|建议|提案|议案|意见)")


# A title line cut after 的 or 关于 goes on to the next line, however short (`答 复`).
_OPEN_TITLE_END = re.compile(r"(?:的|关于|对)$")


# A sign-off dated with its year alone (`天水市秦州区交通运输局` / `2021`): where it is, not when.
_YEAR_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*年?\s*$")
SIGN_OFF_LINES = 8


def find_sign_off(lines: Sequence[str], start: int) -> tuple[str | None, str | None, int]:
    """(signatory, sign-off date text, index where the sign-off begins) from the end of a letter.
    A page that prints the suggestion itself after the reply has the reply's sign-off further up:
    there a dated line counts only with an organisation above it."""
    for index in range(len(lines) - 1, start - 1, -1):
        near_end = index >= len(lines) - SIGN_OFF_LINES
        dated = DATE_LINE.match(lines[index])
        if not (dated or (near_end and _YEAR_LINE.match(lines[index]))):
            continue
        above = lines[index - 1].strip() if index - 1 >= start else ""
        signed = lines[index] if dated else None
        plain = above and len(above) <= 40 and not _SENTENCE_PUNCTUATION.search(above) and not _CLOSING.match(above)
        if plain and (near_end or type_of(above) != "other"):
            return above, signed, index - 1
        if near_end:
            return None, signed, index
    return None, None, len(lines)


# A page's tag for its pictures, not part of the title: `(图文)`, `(组图)`, `[视频]`.
_MEDIA_TAG = re.compile(r"\s*[(\[【]\s*(?:图文|组图|图|多图|视频|附图|附视频)\s*[)\]】]\s*$")


def tidy_title(title: str, reply: bool) -> str:
    """Spaces inside a letter's title are layout (`重庆市科学技术局 关于…`); a news headline keeps them."""
    title = _MEDIA_TAG.sub("", title.strip())
    if reply:
        title = _SPACE_RUN.sub("", title)
    half = len(title) // 2
    if len(title) % 2 == 0 and half >= 4 and title[:half] == title[half:]:
        title = title[:half]  # the title printed twice on one line
    return title


# The outlet opening an article: `重庆日报讯`, `潇湘晨报消息(记者…)`, `新华社北京2月29日电`.
_OUTLET_DATELINE = re.compile(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{1,8}?(?:报|网|台|社|新闻|客户端))"
    r"(?:讯|消息[((]|[\u4e00-\u9fff]{2,3}\d{1,2}月\d{1,2}日电)"
)
_CITED_OUTLET = re.compile(r"据《([\u4e00-\u9fff]{1,10}(?:报|刊|网))》[^。]{0,60}?报道")
# `(来源:叙永县融媒体中心)`, `来源: 人民网`: the source credited at the end of an article.
_CLOSING_SOURCE = re.compile(
    r"^[((\[【]?\s*(?:信息|文章|稿件|内容)?来源\s*[::]\s*(?P<v>[^()()\[\]【】|\s::]{2,30})(?![::])"
)
CLOSING_LINES = 6


# `…贡献政协力量。 (来源:叙永县融媒体中心) |`: the credit closing the last paragraph.
_BRACKETED_SOURCE = re.compile(r"[((]\s*(?:信息|文章|稿件)?来源\s*[::]\s*(?P<v>[^()()::\s]{2,30})\s*[))][\s|]*$")


def _closing_source(lines: Sequence[str]) -> str | None:
    for line in lines[-CLOSING_LINES:]:
        match = _CLOSING_SOURCE.match(line.strip()) or _BRACKETED_SOURCE.search(line)
        if match:
            return _source_name(match.group("v"))
    return None


def _source_name(value: str | None) -> str | None:
    if not value:
        return None
    value = _SPACE.split(value.strip())[0]
    if value in ("本网", "本站", "本报", "原创", "网络") or not _HAN.search(value):
        return None  # the site itself, or a mirror's code (`来源: sp20241127`): no outlet named
    return value or None


def extract_fields(draft: Draft) -> Draft:
    """Title, kind, doc_no, dates, signatory, addressee, approved_by, source and where the body starts."""
    lines, meta = draft.lines, draft.meta
    salutation = find_salutation(lines, draft.meta_lines)
    dateline = dateline_index(draft)
    if dateline is not None and salutation is not None and dateline > salutation:
        dateline = None  # the date under the signature: a page's own date line stands above the letter
    title, title_end = find_title(draft, salutation, dateline)
    text = draft.text
    replied = _REPLIED.search(text[:3000])
    # A letter that skips its salutation still names itself a reply and opens with 收悉 or speaks
    # to the one who made the suggestion; `办理情况` alone is also how a report on many is titled.
    is_reply = bool(
        (salutation is not None and (_REPLY_WORDS.search(title or "") or replied))
        or (_REPLY_WORDS.search(title or "") and _ANSWERED.search(text[:3000]) and not _NEWS_MARKS.search(text[:400]))
    )
    # A page that opens with the day of what it tells (`3月11日下午,`, `日前,`) reports it.
    first = title_end + 1 if title_end is not None else 0
    # (Its first line with words: a date line the metadata did not read, `29.04.2016 19:51`, is none.)
    opening = next(
        (line for i, line in enumerate(lines[first:], first) if i not in draft.meta_lines and _HAN.search(line)), ""
    )
    # A page filed with an 索引号 is an official document: its own words of meeting and visiting
    # (`在先调研、协商的基础上`) do not make it a news report; a credit or an outlet still does.
    reported = (
        (dateline is not None or _DATED_OPENING.match(opening)) and not meta.get("index_no") and _REPORTING.search(text)
    )
    kind = "reply_letter" if is_reply else ("news_article" if _NEWS_MARKS.search(text) or reported else "other")
    if kind == "other" and _REPORTED_SPEECH.search(text):
        kind = "news_article"  # `周继红代表说。`, `据了解`: someone reports what was said, uncredited
    # A title labelled after the text has begun (`标题:“…”` closing a copied page) does not open the body.
    if title_end is not None and draft.meta.get("title") and _after_first_sentence(draft, title_end):
        title_end = None
    anchors = [i for i in (salutation, title_end, dateline) if i is not None]
    body_start = max(anchors) + 1 if anchors else 0
    doc_no = _CLASS_MARK.sub("", meta.get("doc_no") or "") or None
    if doc_no is None:
        doc_no = next(
            (
                _CLASS_MARK.sub("", _SIGNER_ON_DOC_NO.sub("", line))
                for line in lines[: body_start + 1]
                if _DOC_NO_LINE.match(line)
            ),
            None,
        )
    signatory, signed, _ = find_sign_off(lines, body_start) if is_reply else (None, None, 0)
    approved = _APPROVED.search(text) or _SIGNER.search(text)
    source = _source_name(meta.get("source")) if kind == "news_article" else None
    if kind == "news_article" and source is None:
        source = _closing_source(lines[body_start:])
    if kind == "news_article" and source is None:
        cited = _CITED_OUTLET.search(text)  # `据《鑫报》…报道`
        source = cited.group(1) if cited else None
    if kind == "news_article" and source is None:
        dateline_match = _OUTLET_DATELINE.search(text)
        source = _source_name(dateline_match.group(1)) if dateline_match else None
    draft = draft.with_record(
        kind=kind,
        title=tidy_title(title, is_reply) if title else draft.record.title,
        index_no=meta.get("index_no") or None,
        doc_no=doc_no,
        genre=meta.get("genre") or None,
        topics=tuple(t.strip() for t in _TOPIC_SEPARATOR.split(meta.get("topics", "")) if t.strip()),
        publisher=meta.get("publisher") or None,
        written_date=parse_date(meta.get("written_date")),
        published_date=parse_date(meta.get("published_date"))
        or parse_date(_dateline_date(draft, dateline))
        or parse_date(meta.get("page_date")),
        signed_date=parse_date(signed),
        signatory=signatory,
        addressee=_addressee(lines[salutation]) if salutation is not None else None,
        approved_by=approved.group("who") if approved else None,
        source=source,
    )
    draft = draft.replace(body_start=body_start)
    return draft.note(
        f"extract_fields: kind={kind}, title {'found' if title else 'not found'}, body from line {body_start}"
    )


def _after_first_sentence(draft: Draft, index: int) -> bool:
    """The line stands below a sentence of the page's text (a line holding 。 outside the metadata)."""
    return any("。" in line for i, line in enumerate(draft.lines[:index]) if i not in draft.meta_lines)


def _addressee(line: str) -> str:
    line = _HONORIFIC.sub("", line.strip())
    return line.rstrip(":").strip()
