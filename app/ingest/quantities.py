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
    "本", "门", "处",
    "万", "亿",
)  # fmt: skip
SCALES = {"万亿": Decimal(10) ** 12, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6, "亿": Decimal(10) ** 8,
          "万": Decimal(10) ** 4, "千": Decimal(1000)}  # fmt: skip
_UNIT_ALT = "|".join(re.escape(u) for u in UNITS if u not in ("万", "亿"))
QUANTITY = re.compile(
    r"(?<![\d.A-Za-z/\-—~～])(?P<num>\d{1,9}(?:,\d{3})*(?:\.\d+)?)\s*(?P<scale>万亿|千万|百万|亿|万|千)?"
    rf"(?P<approx>余|多)?\s*(?P<unit>{_UNIT_ALT})(?P<after>以上|左右|余|多)?"
)
# Limits in rules, not facts: `不超过1家`, `原则上…`, `每个主体最多`.
_RULE_BEFORE = re.compile(
    r"(不超过|不少于|不低于|不高于|不多于|不得|原则上|最多|至少|最高|最低|上限|每)[^\d,;。]{0,2}$"
)
# Counts of the text's own points: `4个特点`, `3个方面`.
_POINTS_AFTER = re.compile(r"^(方面|特点|要点|部分|阶段|步骤|环节|层面|维度|原则|问题|意见|建议|举措的|点)")
_RANGE_BEFORE = re.compile(r"\d\s*[-—~～至到]\s*$")
_RANGE_AFTER = re.compile(r"^\s*[-—~～至]\s*\d")
_OVER = re.compile(r"(超过|超|突破|逾|高于|大于|多于)\s*$")
_ABOUT = re.compile(r"(将近|近|约|大约|接近)\s*$")
_LATER_QUALIFIER = re.compile(r"累计|新增|新建")


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    unit: str
    start: int
    end: int
    qualifier: str | None
    """余/左右/以上/超 read from the words around the number (累计/新增 are added by the caller)."""


def scaled_value(number: str, scale: str | None, unit: str) -> float | None:
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
        if before.endswith("第") or _RULE_BEFORE.search(before) or _POINTS_AFTER.match(after):
            continue
        if _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(after):
            continue
        unit = match.group("unit")
        if unit == "台套":
            unit = "台/套"
        value = scaled_value(match.group("num"), match.group("scale"), unit)
        if value is None:
            continue
        qualifier = None
        approx, trailing = match.group("approx"), match.group("after")
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
