"""extract_proposal: the suggestion or proposal a document answers or reports.

Its session is printed in many orders, and the prefix before it is what says its level:
    市六届人大一次会议 · 十四届全国人大一次会议 · 北京市十六届人大三次会议 · 区十八届人大四次会议
    市政协六届三次会议 · 政协隆尧县十三届委员会第三次会议 · 政协第十四届全国委员会第二次会议
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import cn2an

from app.ingest.draft import Draft
from app.ingest.orgnames import OrgName, drop_nested, find_org_names, type_of
from app.ingest.people import proposers_from_addressee, proposers_from_field, proposers_from_text
from app.ingest.record import Level, Proposal, ProposalType
from app.ingest.region import MUNICIPALITIES, PROVINCE_PREFIX, city_level

# Patterns the functions below use, compiled once (a call with a pattern string looks it up in re's cache
# on every call).
_SPACE_RUN = re.compile(r"\s+")
_HANDLER_AFFIXES = re.compile(r"^(?:经?与|同|和)|[会协]办$")

_N = "[零〇一二两三四五六七八九十百\\d]"
# A standing committee's meeting (`十一届全国人大常委会第二十四次会议`) is not a session that takes
# suggestions; `区人大十九届五次会议` prints 人大 before its term.
_NPC = re.compile(
    rf"(?P<term>第?{_N}{{1,4}})届(?P<nat>全国)?(?:人大|人民代表大会)第?(?P<no>{_N}{{1,3}})次(?:全体)?会议|"
    rf"(?:人大|人民代表大会)(?P<term2>第?{_N}{{1,4}})届第?(?P<no2>{_N}{{1,3}})次(?:全体)?会议"
)
_CPPCC = re.compile(
    rf"(?P<nat0>全国)?(?:政协|中国人民政治协商会议)(?P<place>[\u4e00-\u9fff]{{0,8}}?)(?P<term>第?{_N}{{1,4}})届"
    rf"(?P<nat>全国)?(?:委员会)?第?(?P<no>{_N}{{1,3}})次(?:全体)?会议|"
    rf"(?P<term2>第?{_N}{{1,4}})届(?P<nat2>全国)?政协(?:委员会)?第?(?P<no2>{_N}{{1,3}})次(?:全体)?会议"
)
# The words that can stand right before a session without being part of it.
_LEFT_BOUNDARY = re.compile(
    r".*(?:关于|对|出席|列席|参加|在|的|是|于|将|向|和|与|及|号|为|在|据|转来|转交|交办|收到|提交|召开|举行|,|、|《|“|\(|\s)"
)
_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{0,8}(?:省|市|自治区|区|县|州|旗|盟)|全国)$")
# Numbers run to 7–8 digits where the year opens them (Guangzhou's `第2024156号`).
_NUMBER = re.compile(r"第\s*(\d{1,10})\s*号")
# `(立案号:2020072号)`: the registry number in the opening sentence.
_FILED_NUMBER = re.compile(r"(?:立案号|案号|建议号|提案号)\s*[::]\s*第?\s*(\d{1,10})")
# A form field's number may be printed without 第…号: `编号:0056`, `编号:第56号`.
_FIELD_NUMBER = re.compile(r"(\d{1,10})")
_TITLE = re.compile(
    r"(?:提出的|提出了|所提的?|提交了?|提交的|领衔的|领办|督办|第\s*\d{1,10}\s*号)\s*(?:重点|集体)?(?:建议|提案|议案)?\s*(?:关于)?(?:《(?P<t>[^》\n]{4,150})》|“(?P<q>[^”\n]{4,150})”|\"(?P<a>[^\"\n]{4,150})\")"
)
# Unquoted: `你们提出的关于…的建议`, `提交了一份关于…的建议`, `带来了关于…的提案`.
# `为做好《关于…的建议》(提案第124337号)的办理工作`: a quoted title with its number after it.
_TITLE_NUMBERED = re.compile(r"《(?P<t>关于[^》\n]{2,150}?(?:建议|提案|议案))》\s*[((]\s*(?:提案|建议|议案)?\s*第")
_TITLE_BARE = re.compile(
    r"(?:提出的|提出了?(?:一份|一件|一条)?|提交了?(?:一份|一件)?|带来了?(?:一份|一件)?|领衔的)"
    r"(?P<t>关于[^。,;\n]{2,100}?的(?:建议|提案|议案))"
)
# `《关于…的提案》已收悉`: the letter opens with the title it received; `对《关于…的建议》的答复`: the
# reply's own title quotes the one it answers.
_TITLE_RECEIVED = re.compile(
    r"《(?P<t>关于[^》\n]{2,150}?(?:建议|提案|议案))》\s*[已己]?收悉|“(?P<q>关于[^”\n]{2,150})”的?(?:建议|提案|议案)[已己]?收悉"
)
_TITLE_ANSWERED = re.compile(r"对《(?P<t>[^》\n]{4,150}?(?:建议|提案|议案))》的?(?:答复|复函|办理)")
# `市人大代表周继红提出“关于加快解决农村污水处理问题的建议”`: news quotes the title after 提出.
_TITLE_PROPOSED = re.compile(r"提出“(?P<q>关于[^”\n]{4,150}?(?:建议|提案|议案))”")
_TITLE_FIELD = re.compile(r"(?:建议|提案)(?:标题|名称)[::]\s*(?P<t>[^\n]{4,150})")
_CO_HANDLERS = (
    re.compile(
        r"(?:经与|会同|经结合|组织)(?P<l>[^。;\n]{2,200}?)等?(?:\d+个)?(?:协办单位|有关单位|相关单位|单位|部门)?"
        r"(?:(?:对|就)[^。;,\n]{0,30}?)?(?:进行了|进行)?(?:共同|认真)?(?:研究|协商|会商|办理)"
    ),
    re.compile(r"经综合(?P<l>[^。;\n]{2,200}?)等?(?:单位|部门)?的?意见"),
    re.compile(r"(?:征求了?|商请)(?P<l>[^。;\n]{2,200}?)等?(?:单位|部门)?的?意见"),
    # Ministries and provincial departments: `经商财政部、教育部,现答复如下`, `经商省财政厅同意`.
    # The listing must end like a unit: `经商环境持续优化,现…` is the business environment.
    re.compile(r"经商(?P<l>[^。;,\n]{1,200}?[委局厅办府会院所校部行室心司团])等?(?:单位|部门)?(?:同意)?[,。]\s*现"),
)
# `下一步,我市将…会同市交管大队加强管理`: a plan names who will work with the reply, not who handled it.
_PLANNED = re.compile(r"下一步|(?<!现)将|拟|计划|今后")  # (`现将…会同…办理情况答复如下` is what was done)
# `国家发展改革委会同国家卫生健康委…`: another named body leads that work; it is not this reply's.
_OTHER_LEAD = re.compile(r"(?<![我本])(?:委|局|厅|部|府|院)$")
_CO_OPINION = re.compile(r"[会协]办意见")
_CO_OPINION_OPENING = re.compile(r"[会协]办意见如下|提出(?:如下)?[会协]办意见")
# What stands between two names of a list: `、`, `和`, `以及`, spaces.
_LIST_GAP = re.compile(r"[\s、,,]*(?:和|及|与|以及|同)?[\s、,,]*")
# `我局与教育局就…进行了多次沟通`, `并与省工信厅、省财政厅沟通`: the replying unit consulted them.
_CONSULTATION = r"(?:就[^。;,\n]{0,40}?)?(?:进行了?)?(?:多次|认真|充分|积极|反复)?(?:沟通|协商|会商|对接|研究)"
_CONSULTED = re.compile(r"[与和同](?P<l>[^。;,,\n]{2,60}?)" + _CONSULTATION)
# In the opening, where the reply says how it was prepared, the list may end in 等有关部门.
_CONSULTED_IN_OPENING = re.compile(r"[与和同](?P<l>[^。;,,\n]{2,60}?)等?(?:有关|相关)?(?:单位|部门)?" + _CONSULTATION)
# Who stands before that 与: the replying unit (`我局与`, `我局也积极和`); in the opening also its
# clause after a comma (`我局高度重视,与…`).
# (One scan for the replying unit with its 与, not a look behind every 与, 和 and 同 of the letter.)
_ADVERBS_BEFORE_YU = r"(?:也|还)?(?:多次|积极|主动|及时)?(?=[与和同])"
_CONSULTING = re.compile(r"(?:我[局委厅办部]|本[局委厅]|我们|并|经)" + _ADVERBS_BEFORE_YU)
_CONSULTING_IN_OPENING = re.compile(r"(?:我[局委厅办部]|本[局委厅]|我们|并|经|,)" + _ADVERBS_BEFORE_YU)
# A cue right before the co-handlers (in the opening) or right after them (anywhere).
_LEADING_CUE = re.compile(r"经与|会同|经商|商请|征求了?|经综合|协同|协办单位(?![::])|会办单位(?![::])")
# (The closing cue opens with its verb, which the regex engine can look for quickly; the `等单位`
# before it is part of the gap between the list and the cue.)
_CLOSING_CUE = re.compile(r"会办|协办|分办|参与办理|配合办理|共同办理|协助办理|参与(?=[,,。;])")
# A form marks each unit's part after its name: `县教育局(主办) 县财政局(协办) 县人社局(协办)`.
_MARKED_CO_HANDLER = re.compile(r"[((]\s*(?:协办|会办|分办)(?:单位)?\s*[))]")
_CLOSING_GAP = re.compile(r"(?:等(?:\d+个)?(?:单位|部门)?|单位|部门|为)$")
# One reply to several suggestions: `第0023号、第0057号建议的合并答复`, `你们提出的3件建议`.
_SEVERAL = re.compile(
    r"第\s*\d{1,10}\s*号\s*[、,和及与]\s*第?\s*\d{1,10}\s*号|合并(?:答复|办理)|\d+\s*件(?:建议|提案|议案)"
)
# A report counts what it tells of: `共收到…730件`, `88件代表建议`, `代表建议93件`, `提案共计13件`.
_MANY = re.compile(
    r"共(?:收到|承办|办理|交办)[^。]{0,20}?\d+\s*件|\d+\s*件(?:代表|委员)?(?:建议|提案)"
    r"|(?:建议|提案|议案|意见)(?:共计?)?\s*(?:[2-9]|\d{2,})\s*件"
)
OPENING_LINES = 3
_UNIT_ENDS = frozenset("委局厅办府会院所校室心司团部镇乡处队站社联行台馆组道场园")
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
    if "届" not in text:
        return None  # every session is numbered by its term (`六届`): most texts need no regex scan
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
    nation = "全国" if any(match.groupdict().get(g) for g in ("nat", "nat0", "nat2")) else ""
    session = prefix + match.group(0)
    groups = match.groupdict()
    term = chinese_int(groups.get("term") or groups.get("term2") or "")
    number = chinese_int(groups.get("no") or groups.get("no2") or "")
    return Session(session, kind, term, number, nation or place or prefix)


def level_of(where: str, region: str | None, issuers: Sequence[str | None] = ()) -> Level | None:
    """national / provincial / prefecture / county from the place a session is named after.

    A bare `市` (`市六届人大`) or no place at all (`十三届人大三次会议`) says nothing by itself: the
    body that replies tells where the session sat (`苏州市交通运输局` → a prefecture city,
    `重庆市科学技术局` → a municipality), then the document's region."""
    if where == "全国":
        return "national"
    if where.endswith(("区", "县", "旗")) and not where.endswith(("自治区", "地区")):
        return "county"
    if where.endswith(("省", "自治区")) or any(where.startswith(m) for m in MUNICIPALITIES):
        return "provincial"
    if where.endswith(("州", "盟", "地区")):
        return "prefecture"
    if where.endswith("市") and len(where) > 1:
        return city_level(where)
    if where not in ("", "市"):
        return None
    issuer = next((level for level in map(issuer_level, issuers) if level), None)
    if where == "":
        return issuer
    if issuer in ("provincial", "prefecture"):
        return issuer
    # `市五届人大` answered by `新郑市住房和城乡建设局`: the 市 is a county-level city.
    if any(_in_county_city(name) for name in issuers):
        return "county"
    return "provincial" if region in MUNICIPALITIES else "prefecture"


def _in_county_city(name: str | None) -> bool:
    city = _CITY_PREFIX.match(PROVINCE_PREFIX.sub("", name or ""))
    return city is not None and len(city.group(0)) > 2 and city_level(city.group(0)) == "county"


_LEGISLATURE_MENTION = re.compile(
    r"(?P<level>全国|自治区|省|自治州|州|盟|市|区|县|旗)(?:人大|人民代表大会|政协)(?!常委会)"
)


# What follows a congress or CPPCC named as where a suggestion was made: its meeting, or the
# suggestion itself (`2021年省政协提案第45号`, `市人大代表建议`, `县政协委员提案`).
_MADE_AT = ("会议", "提案", "建议", "代表建议", "委员提案")


def legislature_level(text: str, region: str | None, *, meeting: bool = False) -> Level | None:
    """Where no session says it: the level of the first people's congress or CPPCC the text names
    with its place (`州政协`, `在2011年的全国人大会议上`); with `meeting`, only one named as where
    the suggestion was made (`在临沂市河东区人大会议上所提建议`, `2021年省政协提案`)."""
    for match in _LEGISLATURE_MENTION.finditer(text):
        if not meeting or text.startswith(_MADE_AT, match.end()):
            return level_of(match.group("level"), region)
    return None


_CITY_PREFIX = re.compile(r"^(?:中共)?[\u4e00-\u9fff]{1,6}?(?:市(?!场|民|政|委|级)|自治州|州|盟)")
_COUNTY_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:区(?!域)|县(?!域|级)|旗)")


def issuer_level(name: str | None) -> Level | None:
    """The level of the government an organisation belongs to, from the places its name opens
    with: `广西壮族自治区教育厅` provincial, `宜昌市财政局` prefecture, `重庆市荣昌区农业农村委` and
    `隆尧县教育局` county; None when its name opens with no place (`市科技局`)."""
    if not name or type_of(name) == "other":
        return None
    if name[0] in "区县" or name.startswith("省"):
        return "county" if name[0] in "区县" else "provincial"  # `区教委`, `省教育厅`
    level: Level | None = None
    rest = name
    province = PROVINCE_PREFIX.match(rest)
    if province:
        rest, level = rest[province.end() :], "provincial"
    city = _CITY_PREFIX.match(rest)
    if city and len(city.group(0).removeprefix("中共")) > 1:
        rest, level = rest[city.end() :], city_level(city.group(0))
    county = _COUNTY_PREFIX.match(rest)
    if county and (level is not None or len(county.group(0)) > 1):
        return "county"
    return level


# Names are listed between 、 , ; or, in a form's field, spaces after a unit (`县财政局 县人社局`).
_LIST_SEPARATOR = re.compile(r"[、,,;;]|(?<=[委局厅办府会院所校室心司团部镇乡处队站社联行台馆])\s+")
_LIST_LABEL = re.compile(r"^(?:协办|会办|配合|参与)单位")
_CONSULTING_VERB = re.compile(r"(?:进行了?)?(?:沟通|协商|会商|对接|研究|座谈)+$")


def split_names(listing: str) -> tuple[str, ...]:
    """`市发展改革委、市经济信息委和两江新区管委会` → its names, in order, each once."""
    names: list[str] = []
    for piece in _LIST_SEPARATOR.split(listing):
        # 和/及/与 join two units only when the left side already ends like one: `市经济和信息化局`
        # is one name, `市科技局和市财政局` two.
        for part in _CONJUNCTION.split(piece):
            name = _SPACE_RUN.sub("", part).strip("等")
            name = _HANDLER_AFFIXES.sub("", name)  # `(研究,)与区城管局`, `街道办事处会办意见`
            name = _LIST_LABEL.sub("", name)  # `与协办单位县财政局…`: the list's own word for its units
            name = _CONSULTING_VERB.sub("", name)  # `县自然资源局沟通协商`
            name = name.removesuffix("的")  # `会同市财政局、市教育局的办理情况`
            if 2 <= len(name) <= 30 and name not in names:
                names.append(name)
    return tuple(names)


def _units_after(text: str, names: list[OrgName], at: int) -> list[str]:
    """The names listed one after another from `at`: `会同|省财政厅和省教育厅对…` → both."""
    listed: list[str] = []
    for name in names:
        if name.start < at:
            continue
        if not _LIST_GAP.fullmatch(text[at : name.start]):
            break
        listed.append(name.name)
        at = name.end
    return listed


def _units_before(text: str, names: list[OrgName], at: int) -> list[str]:
    """The names listed one after another up to `at`: `省财政厅、省教育厅|会办` → both."""
    listed: list[str] = []
    for name in reversed(names):
        if name.end > at:
            continue
        if not _LIST_GAP.fullmatch(text[name.end : at]):
            break
        listed.append(name.name)
        at = name.start
    return listed[::-1]


def find_co_handlers(opening: str, body: str = "") -> tuple[str, ...]:
    """The units a reply names as handling the suggestion with the replying one.

    The letter's opening says it in a fixed phrase (`经与A、B等协办单位共同研究办理`, `会同A和B对…
    进行了认真研究`, `经商A、B`, `经综合A、B等单位意见`); anywhere in the letter a list may end in
    the co-handling itself (`A、B会办`, `A、B为协办单位`). The phrases are read first, as printed;
    then organisation names (orgnames.py) listed right after a cue in the opening, or right before
    a closing cue anywhere."""
    for pattern in _CO_HANDLERS:
        match = pattern.search(opening)
        if match and not _OTHER_LEAD.search(opening, max(0, match.start() - 4), match.start()):
            phrase_names = split_names(match.group("l"))
            units = [type_of(n) != "other" for n in phrase_names]
            # The phrase must name a unit (`征求办理意见` names none); `组织` also opens work that is
            # no unit's (`组织召开座谈会进行研究`), so after it every name must be one.
            if all(units) if match.group(0).startswith("组织") else any(units):
                return phrase_names
    letter = f"{opening}\n{body}"
    marked = marked_co_handlers(letter)
    if marked:
        return marked
    for text, cues in ((opening, _LEADING_CUE), (letter, _CLOSING_CUE)):
        for cue in cues.finditer(text):
            # Only the cue's own sentence is scanned for names: the list never crosses one.
            start = max(text.rfind(mark, 0, cue.start()) for mark in "。;\n") + 1
            end = min((i for i in (text.find(mark, cue.end()) for mark in "。;\n") if i >= 0), default=len(text))
            sentence = text[start:end]
            at = (cue.start() - start, cue.end() - start)
            if cues is _LEADING_CUE:
                if _OTHER_LEAD.search(sentence, max(0, at[0] - 4), at[0]) or _PLANNED.search(sentence, 0, at[0]):
                    continue
                listed = _units_after(sentence, drop_nested(find_org_names(sentence)), at[1])
            else:
                gap = _CLOSING_GAP.search(sentence, 0, at[0])
                list_end = gap.start() if gap else at[0]
                if sentence[list_end - 1 : list_end] not in _UNIT_ENDS:
                    continue  # `积极参与`, `分办`: no unit's name ends right before the cue
                listed = _units_before(sentence, drop_nested(find_org_names(sentence)), list_end)
            if listed:
                return tuple(dict.fromkeys(listed))
    # The reply's account of how it was prepared ends where the answer starts (`现答复如下`).
    preface = opening[: opening.find("如下") if "如下" in opening else 200]
    for text, consulting, consulted in (
        (preface, _CONSULTING_IN_OPENING, _CONSULTED_IN_OPENING),
        (letter, _CONSULTING, _CONSULTED),
    ):
        # Each 与 is looked at where the replying unit stands before it, and only there is the list
        # read; the first such list is the consultation, and it must name units only.
        found = next(
            (match for unit in consulting.finditer(text) if (match := consulted.match(text, unit.end()))),
            None,
        )
        consulted_names = split_names(found.group("l")) if found else ()
        if consulted_names and all(type_of(n) != "other" for n in consulted_names):
            return consulted_names
    return ()


def marked_co_handlers(letter: str) -> tuple[str, ...]:
    """Each unit a form marks `(协办)` right after its name."""
    listed: list[str] = []
    for mark in _MARKED_CO_HANDLER.finditer(letter):
        before = letter[max(0, mark.start() - 40) : mark.start()].rstrip()
        names = find_org_names(before)
        if names and names[-1].end == len(before):
            listed.append(names[-1].name)
    return tuple(dict.fromkeys(listed))


def find_proposal_title(text: str) -> str | None:
    for pattern in (
        _TITLE,
        _TITLE_NUMBERED,
        _TITLE_RECEIVED,
        _TITLE_ANSWERED,
        _TITLE_BARE,
        _TITLE_PROPOSED,
        _TITLE_FIELD,
    ):
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
    number_match = _NUMBER.search(record.title) or _NUMBER.search(opening) or _FILED_NUMBER.search(opening)
    title = find_proposal_title(opening) or find_proposal_title(draft.text[:8000])
    if session is None and number_match is None and title is None:
        return draft.note("extract_proposal: no session, number or title: no proposal")
    if record.kind != "reply_letter" and (
        _MANY.search(draft.text) or len(set(re.findall(r"[《“]关于[^》”]{4,80}(?:建议|提案)[》”]", draft.text))) > 1
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
    if number_match is None and session is not None:
        number_match = _number_under_session(draft.lines, session.text)
    region = draft.region
    ptype = session.type if session else _type_from_words(f"{record.genre or ''} {record.addressee or ''} {head}")
    # A co-handler's opinion (会办意见) is written by the co-handler to the unit that leads: its
    # sender co-handles, and its addressee is that lead unit, not who made the suggestion.
    co_opinion = bool(_CO_OPINION.search(record.title) or _CO_OPINION_OPENING.search(opening))
    proposers = proposers_from_addressee(record.addressee) if record.addressee and not co_opinion else ()
    if not proposers and meta.get("proposers"):
        proposers = proposers_from_field(meta["proposers"], ptype)
    if not proposers:
        proposers = proposers_from_text(opening if record.kind == "reply_letter" else draft.text[:8000])
    co_handlers = find_co_handlers(opening, "\n".join(body)) if record.kind == "reply_letter" else ()
    if co_opinion:
        sender = record.signatory or record.publisher or _issuer_of(record.title)
        co_handlers = (sender,) if sender else co_handlers
    if not co_handlers and meta.get("co_handlers"):
        co_handlers = split_names(meta["co_handlers"])  # `协办单位:县财政局、县水利局`
    if not co_handlers and meta.get("handlers"):
        co_handlers = marked_co_handlers(meta["handlers"])  # `承办单位:县教育局(主办) 县财政局(协办)`
    proposal = Proposal(
        type=ptype,
        level=(
            level_of(session.place, region, (record.signatory, record.publisher, _issuer_of(record.title)))
            or legislature_level(f"{record.title}\n{draft.text[:8000]}", region)
        )
        if session
        else _level_without_session(draft, region),
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


# A reply is copied to the office of the congress or CPPCC the suggestion was made to.
_COPIED_TO = re.compile(r"^抄\s*[送报][::](?P<to>.*)$", re.M)


def _level_without_session(draft: Draft, region: str | None) -> Level | None:
    """No session printed: a meeting named with its place says where the suggestion was made, and
    so does the congress or CPPCC a reply is copied to (`抄报:区政协办公室`). The replying body's own
    level is no evidence: it guesses, and the record says null where the letter does not say."""
    text = draft.text[:8000]
    level = legislature_level(text, region, meeting=True)
    if level or draft.record.kind != "reply_letter":
        return level
    copied = "\n".join(m.group("to") for m in _COPIED_TO.finditer(text))
    return legislature_level(copied, region) if copied else None


# A form prints the session on one line and the suggestion's number alone on the next.
_BARE_NUMBER = re.compile(r"^\s*(\d{1,8})\s*$")
FORM_LINES = 12


def _number_under_session(lines: Sequence[str], session: str) -> re.Match[str] | None:
    for index, line in enumerate(lines[: FORM_LINES - 1]):
        if line.strip() == session:
            return _BARE_NUMBER.match(lines[index + 1])
    return None


def _issuer_of(title: str) -> str | None:
    """`省财政厅关于…的会办意见` → 省财政厅: the organisation a title opens with, if any."""
    issuer = title.split("关于", 1)[0].strip()
    return issuer if issuer != title and 2 <= len(issuer) <= 30 and type_of(issuer) != "other" else None


def _type_from_words(text: str) -> ProposalType:
    """Without a session: 政协/委员/提案 say proposal; otherwise a deputy's suggestion."""
    cppcc = len(re.findall(r"政协|委员|提案", text))
    npc = len(re.findall(r"人大|代表|建议办理", text))
    return "proposal" if cppcc > npc else "suggestion"
