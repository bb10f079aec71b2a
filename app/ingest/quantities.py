"""Quantities in Chinese text: `69820家`, `1.83万家`, `超10亿元`, `200余场次`, `65%以上`, `近40名`.

A quantity is Arabic digits, an optional 万/亿 scale, and a counting unit. Dates (`2023年`),
document numbers (`〔2023〕302号`), ordinals (`第3次`), phone numbers and list markers (`1、`) have
no counting unit after them, so the unit is what keeps them out; the rest of the exclusions
(limits in rules, ranges, numbers inside names) are checked around the match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Counting units, longest first so that 场次 wins over 场 and 台/套 over 台.
UNITS = (
    "个百分点", "台/套", "台套", "人次", "场次", "户次", "批次", "家", "个", "项", "人", "名", "件", "次", "条", "块",
    "台", "套", "场", "%", "元", "所", "座", "户", "位", "支", "批", "篇", "款", "亩", "吨", "辆", "张",
    "本", "门", "处", "幢", "栋", "种",
    # Physical measures that agriculture, transport and environment letters report (`42.6万亩`,
    # `258公里`, `3.6万千瓦`, `32微克/立方米`); bare `米` only where no word follows it but a
    # dimension (`红线宽25米。`, `3.5米宽桥梁`): `500米覆盖率` names a measure.
    "微克/立方米", "平方公里", "平方米", "立方米", "千瓦时", "千瓦", "兆瓦", "公里", "千米", "公顷", "天", "米",
    # Measure words of what letters count besides: `路灯1500盏`, `涵洞300道`, `培训班3期`, `病床500床`.
    "课时", "学时", "公斤", "千克", "盏", "棵", "株", "只", "份", "册", "间", "艘", "架", "期", "轮", "床", "道", "眼",
    "万", "亿",
)  # fmt: skip
SCALES = {"万亿": Decimal(10) ** 12, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6, "亿": Decimal(10) ** 8,
          "万": Decimal(10) ** 4, "千": Decimal(1000)}  # fmt: skip
_UNIT_ALT = "|".join(re.escape(u) for u in UNITS if u not in ("万", "亿"))
# The guard against a longer token (`PM2.5`, `G20`, `2023-06`) is checked after the first digit:
# a pattern that opens with a lookbehind is tried at every position of the sentence, one that
# opens with a digit lets the regex engine skip to the digits.
QUANTITY = re.compile(
    r"(?P<num>\d(?<![\d.A-Za-z/—~～]\d)(?<![\d.A-Za-z/]-\d)\d{0,8}(?:,\d{3})*(?:\.\d+)?)\s*(?P<approx0>余|多)?(?P<scale>万亿|千万|百万|亿|万|千)?"
    rf"(?P<approx>余|多)?\s*(?P<unit>{_UNIT_ALT})(?P<after>以上|左右|余|多)?"
)
# Limits in rules, not facts: `不超过1家`, `原则上…`, `每个主体最多`.
_RULE_BEFORE = re.compile(
    r"(不超过|不少于|不低于|不高于|不多于|不得|原则上|最多|至少|最高|最低|上限|每)[^\d,;。]{0,2}$"
)
# Counts of the text's own points: `4个特点`, `3个方面` (`54项部分落实` counts what was partly done).
_POINTS_AFTER = re.compile(
    r"^(方面|特点|要点|部分(?!落实|完成|解决|采纳|实现|办结|满足)|阶段|步骤|环节|层面|维度|原则|举措的|点)"
)
# `3个问题`, `5条建议` count the text's own points; `84028件建议`, `40多条建议` are figures.
_FEW_POINTS_AFTER = re.compile(r"^(问题|意见|建议)")
MAX_POINTS = 10
_RANGE_BEFORE = re.compile(r"\d\s*[-—~～至到]\s*$")
_RANGE_AFTER = re.compile(r"^\s*[-—~～至]\s*\d")
_OVER = re.compile(r"(超过|超|突破|逾|高于|大于|多于)\s*$")
_ABOUT = re.compile(r"(将近|近|约|大约|接近)\s*$")
# Durations, deadlines and positions, not counts: `3个月`, `5个工作日`, `30天内办结`, `7天后`,
# `300多公里外的科学城`.
_DISTANCE_AFTER = re.compile(r"(?:外|之外|以外|远|处|开外)")
_NOT_A_COUNT_AFTER = {
    "个": re.compile(r"(?:月|工作日|小时|星期|季度|学期)"),
    "天": re.compile(r"(?:内|以内|之内|后|以后|之后|前|之前|时间|左右)"),
    "公里": _DISTANCE_AFTER,
    "千米": _DISTANCE_AFTER,
    "米": re.compile(r"(?![宽长高深])[\u4e00-\u9fff]"),
}


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    unit: str
    start: int
    end: int
    qualifier: str | None
    """余/左右/以上/超 read from the words around the number (累计/新增 are added by the caller)."""


def scaled_value(number: str, scale: str | None) -> float | None:
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    if scale:
        value *= SCALES[scale]
    result = float(value)
    return float(int(value)) if value == value.to_integral_value() else result


def find_quantities(sentence: str, protected: list[tuple[int, int]]) -> list[Quantity]:
    """The quantities of one sentence that can be metrics, with the qualifier their own words give."""
    found = []
    for match in QUANTITY.finditer(sentence):
        start, end = match.start(), match.end()
        before, after = sentence[max(0, start - 8) : start], sentence[end : end + 6]
        if any(a <= start < b for a, b in protected):
            continue  # inside 《…》 or “…”: a title or a slogan, not a stated figure
        if (
            before.endswith(("第", "上述", "前述", "以上", "这"))
            or _RULE_BEFORE.search(before)
            or _POINTS_AFTER.match(after)
        ):
            continue
        if _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(after):
            continue
        unit = match.group("unit")
        not_a_count = _NOT_A_COUNT_AFTER.get(unit)
        if not_a_count is not None and not_a_count.match(sentence, match.end("unit")):
            continue
        if unit == "天" and match.group("scale"):
            continue  # `3万天`: not how a count of days is written
        if unit == "台套":
            unit = "台/套"
        value = scaled_value(match.group("num"), match.group("scale"))
        if value is None:
            continue
        if value <= MAX_POINTS and not match.group("approx") and _FEW_POINTS_AFTER.match(after):
            continue
        if sentence[start - 1 : start] == "-" and start > 0:
            value, start = -value, start - 1  # `较上年增长-6.9%`: a fall printed as a negative rate
        qualifier = None
        approx, trailing = match.group("approx") or match.group("approx0"), match.group("after")
        if trailing in ("以上",):
            qualifier = "以上"
        elif trailing == "左右":
            qualifier = "左右"
        elif approx or trailing in ("余", "多"):
            qualifier = "余"
        elif _OVER.search(before):
            qualifier = "超"
        elif _ABOUT.search(before):
            qualifier = "左右"
        found.append(Quantity(value, unit, start, end, qualifier))
    return found
