"""extract_proposal: the suggestion or proposal a document answers or reports.

Its session is printed in many orders, and the prefix before it is what says its level:
    市六届人大一次会议 · 十四届全国人大一次会议 · 北京市十六届人大三次会议 · 区十八届人大四次会议
    市政协六届三次会议 · 政协隆尧县十三届委员会第三次会议 · 政协第十四届全国委员会第二次会议
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import cn2an

from app.ingest.draft import Draft
from app.ingest.people import proposers_from_addressee, proposers_from_field, proposers_from_text
from app.ingest.record import Level, Proposal, ProposalType
from app.ingest.region import MUNICIPALITIES

_N = "[零〇一二两三四五六七八九十百\\d]"
_NPC = re.compile(
    rf"(?P<term>第?{_N}{{1,4}})届(?P<nat>全国)?(?:人大|人民代表大会)(?:常委会)?第?(?P<no>{_N}{{1,3}})次(?:全体)?会议"
)
_CPPCC = re.compile(
    rf"(?P<nat0>全国)?政协(?P<place>[\u4e00-\u9fff]{{0,8}}?)(?P<term>第?{_N}{{1,4}})届(?P<nat>全国)?(?:委员会)?"
    rf"第?(?P<no>{_N}{{1,3}})次(?:全体)?会议"
)
# The words that can stand right before a session without being part of it.
_LEFT_BOUNDARY = re.compile(r".*(?:关于|对|出席|列席|参加|在|的|是|于|将|向|和|与|及|号|为|在|据|,|、|《|“|\s)")
_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{0,8}(?:省|市|自治区|区|县|州|旗|盟)|全国)$")
# Numbers run to 7–8 digits where the year opens them (Guangzhou's `第2024156号`).
_NUMBER = re.compile(r"第\s*(\d{1,10})\s*号")
# A form field's number may be printed without 第…号: `编号:0056`, `编号:第56号`.
_FIELD_NUMBER = re.compile(r"(\d{1,10})")
_TITLE = re.compile(
    r"(?:提出的|所提|提交了?|提交的|领衔的)\s*(?:关于)?(?:《(?P<t>[^》\n]{4,150})》|“(?P<q>[^”\n]{4,150})”|\"(?P<a>[^\"\n]{4,150})\")"
)
_TITLE_BARE = re.compile(r"提出的(?P<t>关于[^。,;\n]{2,100}?的(?:建议|提案|议案))")
_TITLE_FIELD = re.compile(r"(?:建议|提案)(?:标题|名称)[::]\s*(?P<t>[^\n]{4,150})")
_CO_HANDLERS = (
    re.compile(
        r"(?:经与|会同)(?P<l>[^。;\n]{2,200}?)等?(?:协办单位|有关单位|相关单位|单位|部门)?"
        r"(?:进行了|进行)?(?:共同|认真)?(?:研究|协商|会商|办理)"
    ),
    re.compile(r"经综合(?P<l>[^。;\n]{2,200}?)等?(?:单位|部门)?的?意见"),
    re.compile(r"(?:征求了?|商请)(?P<l>[^。;\n]{2,200}?)等?(?:单位|部门)?的?意见"),
    # Ministries and provincial departments: `经商财政部、教育部,现答复如下`, `经商省财政厅同意`.
    # The listing must end like a unit: `经商环境持续优化,现…` is the business environment.
    re.compile(r"经商(?P<l>[^。;,\n]{1,200}?[委局厅办府会院所校部行室心司团])等?(?:单位|部门)?(?:同意)?[,。]\s*现"),
)
# One reply to several suggestions: `第0023号、第0057号建议的合并答复`, `你们提出的3件建议`.
_SEVERAL = re.compile(
    r"第\s*\d{1,10}\s*号\s*[、,和及与]\s*第?\s*\d{1,10}\s*号|合并(?:答复|办理)|\d+\s*件(?:建议|提案|议案)"
)
_MANY = re.compile(r"共(?:收到|承办|办理|交办)[^。]{0,20}?\d+\s*件|\d+\s*件(?:建议|提案)")
OPENING_LINES = 3
_CONJUNCTION = re.compile(r"(?<=[委局厅办府会院所校室心司团部镇乡处队站社联行台馆])(?:以及|和|及|与)")


@lru_cache(maxsize=512)
def chinese_int(text: str) -> int | None:
    """`十四` → 14, `第三` → 3, `6` → 6. Cached: cn2an costs a fraction of a millisecond per call,
    and letters name the same few sessions over and over."""
    text = text.lstrip("第")
    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _prefix(text: str, start: int) -> str:
    left = text[max(0, start - 12) : start]
    left = _LEFT_BOUNDARY.sub("", left)
    return left if _PLACE.match(left) else ""


class Session(NamedTuple):
    text: str
    """As printed: 市六届人大一次会议."""
    type: ProposalType
    term: int | None
    session_no: int | None
    place: str
    """What the session is named after (全国, 市, 北京市, 隆尧县…): it decides the level."""


def find_session(text: str) -> Session | None:
    """(session as printed, type, term, session_no, region prefix) of the first session named."""
    found: list[tuple[re.Match[str], ProposalType]] = []
    patterns: tuple[tuple[re.Pattern[str], ProposalType], ...] = ((_NPC, "suggestion"), (_CPPCC, "proposal"))
    for pattern, kind in patterns:
        match = pattern.search(text)
        if match:
            found.append((match, kind))
    if not found:
        return None
    match, kind = min(found, key=lambda pair: pair[0].start())
    prefix = _prefix(text, match.start())
    if match.groupdict().get("nat0"):
        prefix = ""
    place = match.groupdict().get("place") or ""
    nation = "全国" if match.group("nat") or match.groupdict().get("nat0") else ""
    session = prefix + match.group(0)
    term, number = chinese_int(match.group("term")), chinese_int(match.group("no"))
    return Session(session, kind, term, number, nation or place or prefix)


def level_of(where: str, region: str | None) -> Level | None:
    """national / provincial / prefecture / county from the place a session is named after."""
    if not where:
        return None
    if where == "全国":
        return "national"
    if where.endswith(("省", "自治区")) or any(where.startswith(m) for m in MUNICIPALITIES):
        return "provincial"
    if where == "市":
        return "provincial" if region in MUNICIPALITIES else "prefecture"
    if where.endswith(("州", "盟")) or (where.endswith("市") and len(where) > 1):
        return "prefecture"
    if where.endswith(("区", "县", "旗")):
        return "county"
    return None


def split_names(listing: str) -> tuple[str, ...]:
    """`市发展改革委、市经济信息委和两江新区管委会` → its names, in order, each once."""
    names: list[str] = []
    for piece in re.split(r"[、,,;]", listing):
        # 和/及/与 join two units only when the left side already ends like one: `市经济和信息化局`
        # is one name, `市科技局和市财政局` two.
        for part in _CONJUNCTION.split(piece):
            name = re.sub(r"\s+", "", part).strip("等")
            if 2 <= len(name) <= 30 and name not in names:
                names.append(name)
    return tuple(names)


def find_co_handlers(opening: str) -> tuple[str, ...]:
    for pattern in _CO_HANDLERS:
        match = pattern.search(opening)
        if match:
            return split_names(match.group("l"))
    return ()


def find_proposal_title(text: str) -> str | None:
    for pattern in (_TITLE, _TITLE_BARE, _TITLE_FIELD):
        match = pattern.search(text)
        if match:
            found = next(g for g in match.groups() if g)
            return found.strip().strip('《》“”"')
    return None


def extract_proposal(draft: Draft) -> Draft:
    """The proposal answered or reported, or None when the document names none (or many)."""
    record = draft.record
    body = [line for _, line in draft.body_lines]
    opening = "\n".join(body[:OPENING_LINES])
    head = "\n".join([record.title, opening])
    session = find_session(record.title) or find_session(opening) or find_session(draft.text[:8000])
    number_match = _NUMBER.search(record.title) or _NUMBER.search(opening)
    title = find_proposal_title(opening) or find_proposal_title(draft.text[:8000])
    if session is None and number_match is None and title is None:
        return draft.note("extract_proposal: no session, number or title: no proposal")
    if record.kind == "news_article" and (
        _MANY.search(draft.text) or len(set(re.findall(r"《[^》]{4,80}(?:建议|提案)》", draft.text))) > 1
    ):
        return draft.note("extract_proposal: the article reports many suggestions: no proposal")
    if session is None and title is None and record.kind != "reply_letter":
        return draft.note("extract_proposal: a number alone does not make a proposal")
    if record.kind == "reply_letter" and _SEVERAL.search(head):
        return draft.note("extract_proposal: the letter answers several suggestions at once: no proposal")
    meta = draft.meta
    if meta.get("proposal_title"):
        title = meta["proposal_title"].strip().strip('《》“”"')
    if number_match is None and meta.get("proposal_number"):
        number_match = _NUMBER.search(meta["proposal_number"]) or _FIELD_NUMBER.search(meta["proposal_number"])
    region = draft.region
    ptype = session.type if session else _type_from_words(f"{record.genre or ''} {record.addressee or ''} {head}")
    proposers = proposers_from_addressee(record.addressee) if record.addressee else ()
    if not proposers and meta.get("proposers"):
        proposers = proposers_from_field(meta["proposers"], ptype)
    if not proposers:
        proposers = proposers_from_text(opening if record.kind == "reply_letter" else draft.text[:8000])
    co_handlers = find_co_handlers(opening) if record.kind == "reply_letter" else ()
    if not co_handlers and meta.get("co_handlers"):
        co_handlers = split_names(meta["co_handlers"])  # `协办单位:县财政局、县水利局`
    proposal = Proposal(
        type=ptype,
        level=level_of(session.place, region) if session else None,
        session=session.text if session else None,
        term=session.term if session else None,
        session_no=session.session_no if session else None,
        number=number_match.group(1) if number_match else None,
        title=title,
        proposers=proposers,
        co_handlers=co_handlers,
    )
    return draft.with_record(proposal=proposal).note(
        f"extract_proposal: {proposal.session} {proposal.number} ({region})"
    )


def _type_from_words(text: str) -> ProposalType:
    """Without a session: 政协/委员/提案 say proposal; otherwise a deputy's suggestion."""
    cppcc = len(re.findall(r"政协|委员|提案", text))
    npc = len(re.findall(r"人大|代表|建议办理", text))
    return "proposal" if cppcc > npc else "suggestion"
