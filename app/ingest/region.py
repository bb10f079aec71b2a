"""detect_region: which province-level region a document belongs to, or None.

Two things depend on it: a proposal's level (`市六届人大` is provincial in 重庆, a municipality
directly under the State Council, but prefecture-level in 盘锦), and which alias table applies
(`市科技局` in a Beijing letter is not Chongqing's). Evidence, strongest first: the administrative
division code inside a unified social credit code (the 索引号 of most government sites starts
with the publisher's), the one-character region abbreviation opening a 发文字号 (`渝科局函`), region
names in the title, publisher and signatory, then region names counted in the text.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from app.ingest.draft import Draft
from app.ingest.record import Level

# GB/T 2260 two-digit province codes.
DIVISION_CODES = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
    "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
    "63": "青海", "64": "宁夏", "65": "新疆",
}  # fmt: skip
REGIONS = tuple(DIVISION_CODES.values())
MUNICIPALITIES = frozenset(("北京", "天津", "上海", "重庆"))
# The one-character abbreviations that open issuing numbers (渝科局函〔2023〕302号).
ABBREVIATIONS = {
    "京": "北京", "津": "天津", "冀": "河北", "晋": "山西", "蒙": "内蒙古", "辽": "辽宁", "吉": "吉林",
    "黑": "黑龙江", "沪": "上海", "苏": "江苏", "浙": "浙江", "皖": "安徽", "闽": "福建", "赣": "江西",
    "鲁": "山东", "豫": "河南", "鄂": "湖北", "湘": "湖南", "粤": "广东", "桂": "广西", "琼": "海南",
    "渝": "重庆", "川": "四川", "黔": "贵州", "滇": "云南", "藏": "西藏", "陕": "陕西", "甘": "甘肃",
    "青": "青海", "宁": "宁夏", "新": "新疆",
}  # fmt: skip
# A unified social credit code: 2 registration characters, then the 6-digit division code.
_CREDIT_CODE = re.compile(r"^[0-9A-Z]{2}(\d{2})\d{4}[0-9A-Z]{10}")
_REGION_NAME = re.compile("|".join(REGIONS))


def detect_region(index_no: str | None, doc_no: str | None, headline_texts: list[str | None], body: str) -> str | None:
    """The region's short name (`重庆`, `北京`, `广东`...) or None when nothing says it."""
    if index_no:
        match = _CREDIT_CODE.match(index_no)
        if match and match.group(1) in DIVISION_CODES:
            return DIVISION_CODES[match.group(1)]
    if doc_no and doc_no[0] in ABBREVIATIONS and not doc_no.startswith(("新华", "国")):
        return ABBREVIATIONS[doc_no[0]]
    for text in headline_texts:
        match = _REGION_NAME.search(text or "")
        if match:
            return match.group(0)
    counts = Counter(_REGION_NAME.findall(body[:20000]))
    if counts:
        region, count = counts.most_common(1)[0]
        return region if count >= 2 else None
    return None


def locate_region(draft: Draft) -> Draft:
    """The document's region, from its index number, issuing number, headline fields and text."""
    record = draft.record
    region = detect_region(
        record.index_no, record.doc_no, [record.title, record.signatory, record.publisher], draft.text
    )
    return draft.replace(region=region).note(f"locate_region: {region}")


@lru_cache(maxsize=1)
def prefecture_cities() -> frozenset[str]:
    """The prefecture-level cities (data/prefecture_cities.txt), without 市."""
    text = resources.files("app.ingest").joinpath("data/prefecture_cities.txt").read_text(encoding="utf-8")
    return frozenset(word for line in text.splitlines() if not line.startswith("#") for word in line.split())


# The province a place's or a body's name opens with: `湖北省|宜昌市`, `广西壮族自治区|教育厅`.
PROVINCE_PREFIX = re.compile(r"^(?:中共)?[\u4e00-\u9fff]{1,7}?(?:省|自治区)")


def city_level(city: str) -> Level:
    """`宜昌市` prefecture, `沙河市` county (a county-level city), `重庆市` provincial."""
    name = PROVINCE_PREFIX.sub("", city).removeprefix("中共").removesuffix("市")
    if any(name.startswith(m) for m in MUNICIPALITIES):
        return "provincial"
    return "prefecture" if name in prefecture_cities() else "county"
