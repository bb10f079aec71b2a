"""How pages are drawn: the Jinja2 environment (autoescaped: document text is hostile input), the
Chinese labels of the API's codes, and the URLs that tie a page to its JSON twin."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urlencode

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

PAGES = "/explore"
"""Every page but the home page lives under this prefix; strip it and the path is the page's API twin."""
STATIC = f"{PAGES}/static"

LABELS: dict[str, str] = {
    "reply_letter": "答复函",
    "news_article": "新闻",
    "other": "其他",
    "suggestion": "人大代表建议",
    "proposal": "政协提案",
    "publisher": "发布机构",
    "signatory": "署名机构",
    "co_handler": "协办单位",
    "proposer": "提出者",
    "mentioned": "提及",
    "actual": "实际值",
    "target": "目标值",
    "national": "全国",
    "provincial": "省级",
    "prefecture": "地市级",
    "county": "县级",
    "government": "政府机关",
    "party": "党的机关",
    "lab": "实验室",
    "university": "高校",
    "institute": "研究院所",
    "centre": "中心",
    "company": "企业",
    "media": "媒体",
    "group": "团体",
    "kind": "类型",
    "proposal_type": "建议或提案",
    "year": "年份",
    "topic": "主题",
    "institution": "机构",
    "genre": "体裁",
    "session": "会议",
    "q": "检索词",
}


def label(code: Any) -> str:
    """The Chinese label of one of the API's codes; anything else as it is."""
    return LABELS.get(str(code), str(code)) if code is not None else "—"


def is_page(path: str) -> bool:
    """Whether `path` is a page (HTML under the explorer's policy) rather than the JSON API."""
    return path == "/" or path == PAGES or path.startswith(PAGES + "/")


def query_url(path: str, items: Iterable[tuple[str, Any]]) -> str:
    """`path` with the query string of (name, value) pairs, in their order; empty values dropped."""
    pairs = [(name, str(value)) for name, value in items if value is not None and value != ""]
    return f"{path}?{urlencode(pairs)}" if pairs else path


environment = Environment(
    loader=PackageLoader("app.web", "templates"),
    autoescape=True,  # every template, whatever its name: document text is hostile input
    undefined=StrictUndefined,  # a misspelt name fails the test that renders it instead of printing nothing
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals.update(label=label, query_url=query_url, PAGES=PAGES, STATIC=STATIC)
environment.filters["unquote"] = unquote  # an API URL shown as a person reads it; the link keeps it encoded


def page(template: str, context: Mapping[str, Any], status_code: int = 200) -> HTMLResponse:
    """`template` rendered with `context`. `api` in the context is the JSON twin: [(what, URL)]."""
    html = environment.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)
