"""extract_metrics: the figures a document states, each with what it counts and when.

For every quantity (quantities.py) in a body sentence we read, from the words around it:
- indicator: the noun phrase it counts, before it (`培育科技型企业69820家`) or after it
  (`8个在渝国家重点实验室`), without the leading verbs, as short as the text allows;
- qualifier: 超/余/左右/以上 from the number's own words, else 累计/新增 from its clause;
- as_of: the latest time expression before it in its sentence (`截至2024年底` → 2024,
  `2023年1-6月` → 2023-06), else the one that opened its paragraph (`2022年,…。…`);
- kind: target when a plan speaks (`力争`, `计划`, `将`, `到2025年`, a `下一步` section).
"""

from __future__ import annotations

import re

from app.ingest.draft import Draft
from app.ingest.orgnames import cut_leading_verbs
from app.ingest.patterns import word_alternation
from app.ingest.quantities import Quantity, find_quantities
from app.ingest.record import Metric, MetricKind

# Patterns the functions below use, compiled once (a call with a pattern string looks it up in re's cache
# on every call).
_LIST_JOINER = re.compile(r"[、和及与]")
_OPEN_LIST_END = re.compile(r"(等|的|首批|一批|着|了)\s*$")
_GROWTH_WORDS = re.compile(r"累计|新增|新建")
_JOINER_ONLY = re.compile(r"\s*[和、及与]\s*")

# Sentences are cut at 500 characters at most, which bounds the work on a page without punctuation.
_SENTENCE = re.compile(r"[^。!?;\n]{1,500}[。!?;]?")
# Titles, slogans, issuing numbers and year ranges in brackets: numbers there are not figures,
# and years there are not the time a figure refers to.
_PROTECTED = re.compile(r"《[^》]{0,80}》|“[^”]{0,30}”|〔[^〕]{0,10}〕|[((][^()()]{0,20}\d{4}[^()()]{0,20}[))]")
_CLAUSE_BREAK = re.compile(r"[,:、()]")
# A short bracket inside a noun phrase glosses it (`研究与试验发展(R&D)经费`), so it does not end the clause.
_GLOSS = re.compile(r"[((][^()(),,、:;。]{1,12}[))](?=[\u4e00-\u9fff])")
_DIGIT = re.compile(r"\d")
_SECTION_OPENING = re.compile(r"^[一二三四五六七八九十]+、")
_COMMA_OR_COLON = re.compile(r"[,:]")

# Time expressions, most specific first. A range start (`2018年以来`) is not a reference date.
_SINCE = r"(?!\s*(?:以来|起|开始|至今|[-—~～至到]\s*\d))"
_AS_OF = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年\s*(?:度)?\s*(?:(?P<m1>\d{1,2})\s*[-—~～至]\s*(?P<m2>\d{1,2})\s*月份?|"
    rf"(?P<month>\d{{1,2}})\s*月(?!\s*\d{{1,2}}\s*日){_SINCE}|(?:底|末)?{_SINCE})"
    r"|(?<![\d年])(?P<r1>\d{1,2})\s*[-—~～至]\s*(?P<r2>\d{1,2})\s*月份?"
)
# A time expression that opens a sentence sets the time of the sentences after it in its paragraph.
_OPENING_TIME = re.compile(r"^\s*(?:截至|截止|到)?\s*(?:19|20)\d{2}\s*年")

_TARGET = re.compile(
    r"力争|目标|预计|拟|确保|(?<!将)将(?!近)|(?:年|全市|全县|全区|全省|今年|明年|^|[,;])计划|到(?:19|20)\d{2}年"
)
# Bounded work on pathological pages: figures past this offset are not read.
MAX_SCAN = 100_000
_PLAN_SECTION = re.compile(r"下一步|计划|打算|思路|展望|今后|未来")
_PLAN_PARAGRAPH = re.compile(r"^(?:下一步|接下来|今后|未来|下阶段)")

_VERB_AT_END = re.compile(
    r"(达到|达|为|超过|超|突破|共|约|近|完成|实现|累计|新增|新建|已有|有|均|分别|合计|总计|共计|提了|提出了?|带来了?|提高至|提高到|提升至|提升到|增至|增长至|上升至|下降至|降至|降低至)+$"
)
_JOINING_CHARS = frozenset("与和及并或的了着")
# `重点支持100名青年科技人才`, `邀请7名委员`, `就31件提案`: words that end in a verb of doing or a
# preposition count the noun after the number.
_VERB_ENDING = re.compile(
    r"(?:支持|资助|奖励|培训|引进|培育|招引|帮扶|表彰|邀请|组织|转交|交办|交由|交给|接待|走访|分别就|就|对|"
    # `发动全省11万名人大代表`, `确定将25件作为代表议案处理`, `其余15件转为…`, `都在200件以上`
    r"发动|动员|确定将|其余|都在|最好是)$"
)
# Words before a number that name nothing counted (`和`, `包括`, `这个比例`): the noun after it does.
_NAMES_NOTHING = re.compile(r"[\u4e00-\u9fff]|包括|方面|不下|数量|其中|以及|并且|这个比例|另外|他|她|我们")
_LEADING_NOISE = re.compile(
    r"^(其中|同时|目前|此外|另外|全年|当年|首批|力争|计划|预计|已|共|并|还|又|累计|新增|新建|均|含|包含|包括|\s)+"
)
# Inside the words before a number, what follows the last of these is the thing counted:
# `该研究院已|汇聚发明专利`, `…连接点的|旅游交通标志`, `汽车软件等|校地院地合作项目`.
_INDICATOR_CUT = re.compile(r"的|了|已|等|汇聚|签约|更换|承接|提交|达到")
_VERB_ONLY = re.compile(
    r"(召开|建设|启动|形成|设立|推进|塑造|组织|开展|实施|举办|培育|建成|新建|布局|打造|完成|引进|获批|支持|认定)+"
)
# Verbs that start a new statement, so a clause with one does not continue the previous figure's list.
_ACTION_WORDS = (
    "建成", "培育", "建设", "引进", "开展", "实施", "获批", "推动", "完成", "实现", "达到", "投入", "签订", "支持",
    "集聚", "孵化", "汇聚", "获得", "形成", "组织", "申请", "提交", "举办", "召开", "布局", "解决", "成立", "引育",
    "聚集", "承接", "设立", "培训", "在孵", "申报", "认定", "评价", "通过", "帮助", "提供", "启动", "打造", "引导",
)  # fmt: skip
_ACTION = re.compile(word_alternation(_ACTION_WORDS))
_NOUN_AFTER = re.compile(r"^[\u4e00-\u9fff“”()]{2,20}")
_NOUN_STOP = re.compile(
    # `分别交由78家|单位|承办`: the units counted, then what they do with it
    r"全部|已|正在|加快|通过|获批|等|的|为|在|将|均|被|是|和|与|及|实现|开展|投入|完成|达|进行|参加|参与|来|到|"
    r"(?<=单位|部门)(?:承办|办理|具体)|" + word_alternation(_ACTION_WORDS)
)
# `105家国内外知名高校、科研院所、企业和科学家团队来渝开展合作`: the figure counts the whole list.
_NOUN_LIST = re.compile(
    r"^[\u4e00-\u9fff“”]{2,12}?(?:、[\u4e00-\u9fff“”]{2,12}?)+?(?:[和及与][\u4e00-\u9fff“”]{2,12}?)?(?=来|[,。;:]|$|"
    + word_alternation(_ACTION_WORDS)
    + ")"
)
# `布局建设川渝共建重点实验室`: a verb of joint work right after its own subject modifies the noun.
# Units of counted items (suggestions, units, people), whose share of a total a report gives.
_ITEM_UNITS = frozenset(("件", "个", "家", "条", "位", "名", "项", "人"))
_SCOPE_END = re.compile(r"全(?:省|市|县|区|国)$")
_BRACKETED_LABEL = re.compile(r"[((]([^()(),,。;]{1,8})[))]$")
_SUBJECT_AND_JOINT_VERB = re.compile(r"[\u4e00-\u9fff]{2}(?:共建|联建|合建|共育|共享)$")


def _as_of(text: str, context_year: str | None) -> str | None:
    """The last time expression in `text` as YYYY / YYYY-MM, or None."""
    found: str | None = None
    for match in _AS_OF.finditer(text):
        if match.group("year"):
            year = match.group("year")
            month = match.group("m2") or match.group("month")
            found = f"{year}-{int(month):02d}" if month and 1 <= int(month) <= 12 else year
        elif context_year and match.group("r2") and 1 <= int(match.group("r2")) <= 12:
            found = f"{context_year}-{int(match.group('r2')):02d}"
    return found


def _indicator(clause_before: str, after: str) -> str:
    """What is counted: the words before the number, or, when those are only verbs or end a list
    (`…等9个`, `对于需要复审的12家`), the noun after it. Empty when the text names nothing."""
    # `…等9个`, `需要复审的12家`, `直接联系着439名…`, `召开了16次…`: the noun after the number.
    ends_list = bool(_OPEN_LIST_END.search(clause_before))
    before = _VERB_AT_END.sub("", _AS_OF.sub("", clause_before))
    before = _LEADING_NOISE.sub("", before).strip("“”() ")
    cut = max((m.end() for m in _INDICATOR_CUT.finditer(before) if m.end() < len(before)), default=0)
    uncut = before[cut:].strip("“”() ").removesuffix("的")
    short = cut_leading_verbs(uncut).strip("“”() ").removesuffix("的")
    if len(short) < 2 <= len(uncut) and short not in _JOINING_CHARS:
        short = uncut  # `每万人发明专利拥有|量`: the verb is inside the thing measured
    modifier = _SUBJECT_AND_JOINT_VERB.search(uncut[: len(uncut) - len(short)])
    if modifier and short:
        short = modifier.group(0) + short
    # `获评全省20个森林康养示范基地`, `从全县600万元旅游发展专项资金`: the scope, then the thing counted after
    scope = _SCOPE_END.search(short)
    names_nothing = (
        _VERB_ONLY.fullmatch(short) or _NAMES_NOTHING.fullmatch(short) or _VERB_ENDING.search(short) or scope
    )
    if short and not ends_list and not names_nothing:
        return short
    if scope:
        counted = _indicator("", after)
        return scope.group(0) + counted if counted else short
    after = after.lstrip("的")
    listed = _NOUN_LIST.match(after)
    if listed:
        return listed.group(0)
    noun = _NOUN_AFTER.match(after)
    if noun:
        text = noun.group(0)
        stop = _NOUN_STOP.search(text, 2)
        return _balanced(text[: stop.start()] if stop else text, after).strip("“”")
    return short


def _balanced(text: str, after: str) -> str:
    """Brackets closed: `综合体(科技型企业主导型` runs on to its `)` when the text has it close by,
    else ends before the `(`."""
    text = text.strip("“”")
    if text.count("(") <= text.count(")"):
        dangling = text.startswith("(") or (text.endswith(")") and "(" not in text)
        return text.strip("()") if dangling else text.rstrip("(")
    close = after.find(")", len(text))
    if 0 <= close <= len(text) + 12:
        return after[: close + 1]
    return text[: text.rfind("(")] or text.strip("()")


def _metrics_of_sentence(sentence: str, as_of_context: str | None, plan: bool) -> list[tuple[Quantity, Metric]]:
    if _DIGIT.search(sentence) is None:
        return []  # most sentences state no figure: skip the work below
    protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(sentence)]
    found: list[tuple[Quantity, Metric]] = []
    previous_end = 0
    previous: Metric | None = None
    for quantity in find_quantities(sentence, protected):
        before = sentence[: quantity.start]
        clause_start = max(previous_end, _last_end(_CLAUSE_BREAK, _GLOSS.sub(_masked, before)))
        clause = sentence[clause_start : quantity.start]
        whole_clause = sentence[_last_end(_COMMA_OR_COLON, before) : quantity.start]
        qualifier = quantity.qualifier
        in_list = previous is not None and _JOINER_ONLY.fullmatch(clause) is not None
        # `高新技术企业、科技型企业分别突破1万家和7.5万家`: the n-th figure counts the n-th item.
        listed = whole_clause.split("分别")[0] if "分别" in whole_clause else ""
        items = [i for i in _LIST_JOINER.split(listed) if i]
        distributive = len(items) > 1 and (previous is None or in_list)
        if qualifier is None:
            lead = _LEADING_QUALIFIER(whole_clause)
            if lead:
                qualifier = lead
            elif distributive and in_list and previous is not None:
                qualifier = previous.qualifier
            elif previous is not None and previous.qualifier in ("累计", "新增") and not _ACTION.search(clause):
                # `全年新增高新技术企业5家,科技型中小企业67家`: a bare noun continues the list
                qualifier = previous.qualifier
        plain_before = _PROTECTED.sub("", before)
        as_of = _as_of(plain_before, as_of_context[:4] if as_of_context else None) or as_of_context
        kind: MetricKind = "target" if plan or _TARGET.search(plain_before) else "actual"
        indicator = _indicator(clause, sentence[quantity.end : quantity.end + 24])
        if distributive:
            cue = sentence.rfind("分别", 0, quantity.start)
            position = sum(1 for q, _ in found if q.start > cue)
            if position < len(items):
                indicator = _indicator(items[position], "") or indicator
        if not indicator and before.endswith((")", ")")):
            # `已经解决或基本解决的(A类)22件`: the class named in the brackets right before the count
            label = _BRACKETED_LABEL.search(before)
            indicator = label.group(1) if label else indicator
        if not indicator and previous is not None:
            indicator = previous.indicator  # `新增…生态圈4个、累计10个`: the same thing, counted again
        # `(A类)22件,占承办提案总数的23.91%`: the share of the things just counted, not the total it
        # is taken of (a share of a named whole, `占耕地面积的58.3%`, keeps its words).
        share_of_total = quantity.unit == "%" and "总数" in clause and "占" in clause
        if share_of_total and previous is not None and previous.unit in _ITEM_UNITS and previous.indicator != "?":
            indicator = previous.indicator + "占比"
        metric = Metric(
            indicator or "?", quantity.value, quantity.unit, as_of, kind, qualifier, _clean_sentence(sentence), (0, 0)
        )
        found.append((quantity, metric))
        previous, previous_end = metric, quantity.end
    return found


def _masked(match: re.Match[str]) -> str:
    return "_" * len(match.group(0))


def _clean_sentence(sentence: str) -> str:
    """The sentence without the closing quote of the one before it (`”市科技局…介绍,…`)."""
    return sentence.strip().lstrip("”’").strip()


def _last_end(pattern: re.Pattern[str], text: str) -> int:
    """End of the last match of a one-character pattern in `text`, 0 when there is none."""
    end = 0
    for match in pattern.finditer(text):
        end = match.end()
    return end


def _LEADING_QUALIFIER(clause: str) -> str | None:
    matches = _GROWTH_WORDS.findall(clause)
    if not matches:
        return None
    return "累计" if matches[-1] == "累计" else "新增"


def extract_metrics(draft: Draft) -> Draft:
    """Metrics of the body, in text order, each with its sentence and its span in `Record.text`."""
    metrics: list[Metric] = []
    section_is_plan = False
    # A page that prints the suggestion above the reply (`议案内容:1、江山村辖18个村民组…`): its
    # figures are the document's too, though the letter's body opens below them.
    offsets = draft.line_offsets
    content = [
        (offsets[i], line)
        for i, line in enumerate(draft.lines[: draft.body_start])
        if line.startswith(_CONTENT_LABELS) and i not in draft.meta_lines
    ]
    for offset, line in [*content, *draft.body_lines]:
        if offset > MAX_SCAN:
            draft = draft.note(f"extract_metrics: stopped at character {MAX_SCAN}")
            break
        if _SECTION_OPENING.match(line):
            section_is_plan = bool(_PLAN_SECTION.search(line[:30]))
        paragraph_plan = section_is_plan or bool(_PLAN_PARAGRAPH.match(line))
        context: str | None = None
        for sentence_match in _SENTENCE.finditer(line, 0, MAX_SCAN - offset):
            sentence = sentence_match.group(0)
            for quantity, metric in _metrics_of_sentence(sentence, context, paragraph_plan):
                start = offset + sentence_match.start() + quantity.start
                metrics.append(_with_span(metric, (start, offset + sentence_match.start() + quantity.end)))
            if _OPENING_TIME.match(sentence):
                opening = _as_of(sentence[:24], context[:4] if context else None)
                context = opening or context
    metrics = _each_fact_once(metrics)
    return draft.with_record(metrics=tuple(metrics)).note(f"extract_metrics: {len(metrics)} metrics")


# Labels of the suggestion's own text printed with the reply.
_CONTENT_LABELS = tuple(f"{what}内容{colon}" for what in ("议案", "建议", "提案") for colon in ":：")


# A page's own counters (`0条评论`, `阅读 1200`), not figures the document states.
_COUNTERS = frozenset(("评论", "阅读", "浏览", "点击", "点赞", "分享", "收藏", "浏览量", "阅读量", "访问量", "点击量"))


def _each_fact_once(metrics: list[Metric]) -> list[Metric]:
    """Each stated fact once: a figure restated later (`24件建议意见` in the lead and again in the
    body) is the same fact when its value and unit agree and one indicator holds the other; two
    figures of one sentence are two facts."""
    kept: list[Metric] = []
    by_figure: dict[tuple[float, str], list[Metric]] = {}
    for metric in metrics:
        if metric.indicator in _COUNTERS:
            continue
        same = by_figure.setdefault((metric.value, metric.unit), [])
        if same and _SET_DIVIDED.search(metric.indicator):
            continue  # `801件提案中,已经解决…`: the figure counted before, now the set being divided
        if any(not _one_sentence(m, metric) and _restates(m.indicator, metric.indicator) for m in same):
            continue
        same.append(metric)
        kept.append(metric)
    return kept


# An indicator that names the set a sentence goes on to divide (`提案中`, `建议中“所提问题…`).
_SET_DIVIDED = re.compile(r"中(?:“|$)")


def _one_sentence(a: Metric, b: Metric) -> bool:
    """Both figures stand in one sentence of the text; a sentence printed again in a later paragraph
    (a lead restated in the body) is another."""
    return a.sentence == b.sentence and abs(a.span[0] - b.span[0]) < len(a.sentence or "")


def _restates(a: str, b: str) -> bool:
    """One indicator says the other: nearly all of the shorter one's characters stand in order in
    the longer (`建议意见` in `人大代表建议意见`, `一般债券` in `一般政府债券`, `因怀化市条件暂不具备` in
    `因怀化市条件不具备暂未落实`). A bare two-character noun (`企业`) is too generic to say two figures
    are one fact."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and _common_in_order(short, long) * 5 >= len(short) * 4


def _common_in_order(a: str, b: str) -> int:
    """Length of the longest common subsequence of two short strings."""
    previous = [0] * (len(b) + 1)
    for ch in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if ch == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def _with_span(metric: Metric, span: tuple[int, int]) -> Metric:
    return Metric(metric.indicator, metric.value, metric.unit, metric.as_of, metric.kind, metric.qualifier,
                  metric.sentence, span)  # fmt: skip


def metrics_in_text(text: str) -> list[Metric]:
    """The metrics of a free-standing piece of text (one paragraph per line): for tests and tools."""
    lines = tuple(text.split("\n"))
    draft = Draft(name="text", raw=b"", text=text, lines=lines)
    return list(extract_metrics(draft).record.metrics)
