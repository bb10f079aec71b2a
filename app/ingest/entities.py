"""extract_entities: the organisations and people a document names.

Institutions come from two places: the fields that name one by construction (publisher,
signatory, an organisation as proposer, co-handlers) and a suffix scan of the title and body
(orgnames.py). Each distinct name is listed once, as written, at its first occurrence; names only
inside a cited title 《…》 do not count, nor does the outlet that is the article's own source
(its `来源`, its `湖北日报讯` dateline). `canonical` comes from the alias table for the document's
region (aliases.py).

People come from the proposal (deputies, members), the approval line (`明炬局长`, `区委常委、宣传部
部长王小波`), people introduced by position or role (`处长周艳介绍`, `全国人大代表陈晓红在`), deputies
named in the text (`罗丹代表`), news credits and bylines, and a closing `(陈若奎)`.
"""

from __future__ import annotations

import re

from app.ingest.aliases import canonical_in_document
from app.ingest.draft import Draft
from app.ingest.orgnames import (
    OrgName,
    drop_nested,
    find_enumerated_names,
    find_org_names,
    is_bare_suffix,
    parent_units,
    type_of,
)
from app.ingest.patterns import word_alternation
from app.ingest.people import (
    CREDIT_ROLES,
    LABELLED_CREDIT_CUES,
    TITLES,
    closing_credit,
    find_credits,
    find_listed_members,
    find_speakers,
    looks_like_name,
    proposers_from_addressee,
    split_person,
    trailing_name,
)
from app.ingest.proposal import split_names
from app.ingest.record import PROPOSER_GROUPS, InstitutionMention, Person
from app.ingest.spans import cited_title_spans, inside, sentence_at

# `摄/视觉重庆`: the photo agency after a byline.
_PHOTO_AGENCY = re.compile(r"摄\s*/\s*(?P<org>[\u4e00-\u9fff]{2,8})")
# Every person pattern below needs one of these words; a line with none of them names nobody.
_PERSON_CUE = re.compile(
    word_alternation(
        ("代表", "委员", *CREDIT_ROLES, "摄", "牵头", "具体负责",
         "介绍", "说", "表示", "指出", "称", "认为", "强调", "透露", "坦言", "告诉", "谈到", "提到", "解释", "建议",
         *TITLES, *LABELLED_CREDIT_CUES)
    )
)  # fmt: skip
# Every credit names its role: `记者`, `编辑`, `摄`, `作者`, `联系人`…
_CREDIT_CUE = re.compile(word_alternation((*CREDIT_ROLES, "摄", *LABELLED_CREDIT_CUES)))
# `罗丹代表`, `李谨委员` in running text, not followed by more of a word (`代表团`, `代表性`).
_DEPUTY = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,4})(?P<role>代表|委员)(?![团性作处大会们工])")


# What follows an outlet's name in its own credits: `湖北日报讯`, `湖南日报记者 苏莉`,
# `(应城电视台记者:尹丹)`, the e-paper's masthead `钱江晚报 数字报纸`; not a photo's credit.
_OWN_CREDIT_AFTER = ("讯", "消息", "记者", "通讯员", " 数字报", "数字报")


def _is_dateline(text: str, name: OrgName) -> bool:
    """`湖北日报讯(记者…)`, `湖南日报记者 苏莉`: the outlet crediting itself or its reporter is a byline,
    not a mention (the contract keeps other outlets, such as a photo's agency)."""
    if name.type != "media" or not text.startswith(_OWN_CREDIT_AFTER, name.end):
        return False
    # `川观新闻记者 杨树 摄` under a photo: another outlet's picture, which the contract keeps.
    return "摄" not in text[name.end : name.end + 12]


def _is_own_source(text: str, name: OrgName, source: str | None) -> bool:
    """The article's own outlet, named as such: its source, a part of it (`贵州日报` of the source
    `贵州日报天眼新闻`, crediting its reporter), or its dateline."""
    if name.name == source:
        return True
    return name.type == "media" and (bool(source and name.name in source) or _is_dateline(text, name))


_PART_MARK = re.compile(r"[((][^()()]{1,6}[))]")


def _structured_names(draft: Draft) -> list[str]:
    """Names the record's own fields give: they are organisations by construction."""
    record = draft.record
    # `承办单位:教育局(主办) 县财政局(协办)`: the units that handle it, without their parts.
    handlers = _PART_MARK.sub("", draft.meta.get("handlers") or "")
    names = [record.publisher, record.signatory, *split_names(handlers)]
    source = draft.meta.get("source")
    if record.kind == "reply_letter" and source and type_of(source) != "other":
        names.append(source)  # `来源:科技和工业信息化局`: the issuing body, not a news outlet
    if record.proposal:
        names += [p.name for p in record.proposal.proposers if p.role in PROPOSER_GROUPS]
        names += list(record.proposal.co_handlers)
    # A suffix word alone (`来源:办公室`) names no one body.
    return [n for n in names if n and not is_bare_suffix(n)]


# The last two characters of every title: a run that opens inside one (`主|任接待`) is not a name.
_TITLE_ENDINGS = frozenset(title[-2:] for title in TITLES if len(title) >= 2)

# An article's closing credit sits in its last few lines.
CLOSING_LINES = 3

# A letter runs to a few thousand characters; past this the scan stops, which bounds the work on
# a pathological page (the rest of the text still goes into the record).
MAX_SCAN = 100_000


def _scan_region(draft: Draft) -> tuple[int, str]:
    """(offset, text) the suffix scan reads: metadata lines blanked (same length, so spans hold)."""
    pieces = []
    for index, line in enumerate(draft.lines):
        pieces.append(" " * len(line) if index in draft.meta_lines else line)
    return 0, "\n".join(pieces)[:MAX_SCAN]


def find_institutions(draft: Draft) -> list[InstitutionMention]:
    text = draft.text
    _, scan = _scan_region(draft)
    cited = cited_title_spans(scan)
    found: list[OrgName] = [n for n in find_org_names(scan) if not inside(cited, n.start, n.end)]
    for match in _PHOTO_AGENCY.finditer(scan):
        found.append(OrgName(match.group("org"), match.start("org"), match.end("org"), "media"))
    found += [n for n in find_enumerated_names(scan) if not inside(cited, n.start, n.end)]
    source = draft.record.source
    found = [n for n in drop_nested(found) if not _is_own_source(scan, n, source)]
    found += [parent for name in found for parent in parent_units(name)]
    found.sort(key=lambda n: n.start)
    ordered: dict[str, OrgName | None] = {}
    for name in _structured_names(draft):
        ordered.setdefault(name, None)
    for item in found:
        if item.name not in ordered or ordered[item.name] is None:
            ordered[item.name] = item
    names = set(ordered)
    mentions = []
    for name, where in ordered.items():
        if where is None:
            position = text.find(name)
            span = (position, position + len(name)) if position >= 0 else None
        else:
            span = (where.start, where.end)
        mentions.append(
            InstitutionMention(
                name=name,
                canonical=canonical_in_document(name, draft.region, names),
                type=where.type if where is not None else type_of(name),
                span=span,
                sentence=sentence_at(text, *span) if span else None,
            )
        )
    return mentions


def find_people(draft: Draft) -> list[Person]:
    record, text = draft.record, draft.text
    people: list[Person] = []

    def add(person: Person | None, start: int | None = None) -> None:
        if person is None or any(p.name == person.name for p in people):
            return
        if start is None:
            start = text.find(person.name)
        span = (start, start + len(person.name)) if start >= 0 else None
        sentence = sentence_at(text, *span) if span else None
        people.append(Person(person.name, person.role, span, sentence))

    if record.proposal:
        for proposer in record.proposal.proposers:
            if proposer.role in ("代表", "委员"):
                add(Person(proposer.name, proposer.role))
    if record.addressee:
        # `刘伟代表、陈芳代表:` a letter answering several deputies at once has no proposal, but
        # its salutation still names them.
        for person in proposers_from_addressee(record.addressee):
            if person.role in ("代表", "委员"):
                add(person)
    if record.approved_by:
        signer = Person(record.approved_by, "签发人") if looks_like_name(record.approved_by) else None
        add(split_person(record.approved_by) or signer)
    offsets = draft.line_offsets
    # An article credits its reporter at its end or before the date that opens its first paragraph.
    credit_lines = {*range(max(draft.body_start, len(draft.lines) - CLOSING_LINES), len(draft.lines))}
    credit_lines.add(min(draft.body_start, len(draft.lines) - 1))
    for index in sorted(credit_lines) if record.kind == "news_article" else ():
        for person in closing_credit(draft.lines[index]):
            add(person, offsets[index] + draft.lines[index].rfind(person.name))
    for index, line in enumerate(draft.lines):
        if not _PERSON_CUE.search(line):
            continue
        if index in draft.meta_lines:  # a byline's `作者:梁秋坪 李楠楠`
            for person in find_credits(line):
                add(person, offsets[index] + line.find(person.name))
            continue
        if index < draft.body_start and record.kind != "news_article":
            # A letter's head names no one by position; a news headline may (`委员赵惠仙等建议`). A
            # form's fields above the letter name their people (`责任领导:杨立海`).
            for person in find_credits(line) if _CREDIT_CUE.search(line) else ():
                add(person, offsets[index] + line.find(person.name))
            continue
        for person, at in find_speakers(line):
            add(person, offsets[index] + at)
        for person in find_listed_members(line) if "等" in line else ():
            add(person, offsets[index] + line.find(person.name))
        for match in _DEPUTY.finditer(line) if "代表" in line or "委员" in line else ():
            name = trailing_name(match.group("name"))
            at = match.end("name") - len(name) if name else 0
            # `主任接待代表日`: the run opens inside a title (主|任), not with a name.
            if name and line[at - 1 : at + 1] not in _TITLE_ENDINGS:
                add(Person(name, match.group("role")), offsets[index] + at)
        for person in find_credits(line) if _CREDIT_CUE.search(line) else ():
            add(person, offsets[index] + line.find(person.name))
    return people


def extract_entities(draft: Draft) -> Draft:
    """Institutions (each distinct name once, with canonical name and type) and people with roles."""
    institutions = tuple(find_institutions(draft))
    people = tuple(find_people(draft))
    return draft.with_record(institutions=institutions, people=people).note(
        f"extract_entities: {len(institutions)} institutions, {len(people)} people"
    )
