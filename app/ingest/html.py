"""html_to_text: an HTML page → the plain-text layout the rest of the parser reads.

A real HTML parser (selectolax/lexbor), not regexes: pages nest tables in tables and leave tags
unclosed. Page chrome (scripts, navigation, headers, footers, share widgets) is dropped; block
elements become lines and table rows become `cell | cell` lines, which is exactly the pipe-table
metadata layout the text-only scrapes already show, so one metadata parser serves both.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from app.ingest.draft import Draft

_DROP_TAGS = "script, style, noscript, template, iframe, svg, nav, header, footer, form, button, select, object"
# Share bars, QR codes, breadcrumbs and print/font widgets, by the class or id names CMSs use.
_DROP_CLASSES = re.compile(r"share|bdshare|qrcode|erweima|ewm|crumb|breadcrumb|position|toolbar|print|fontsize", re.I)

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "ul",
        "center",
        "title",
    ]
)
_ROW_TAGS = frozenset(("tr",))
_CELL_TAGS = frozenset(("td", "th"))


def _drop_chrome(tree: LexborHTMLParser) -> None:
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    for node in tree.css("[class], [id]"):
        label = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _DROP_CLASSES.search(label):
            node.decompose()


def _walk(root: object) -> str:
    """Text of the tree with a newline around every block element and ` | ` between cells.

    Iterative (an explicit stack) so that pathologically deep markup cannot exhaust the stack."""
    out: list[str] = []
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = getattr(node, "tag", "")
        if closing:
            if tag in _CELL_TAGS:
                out.append(" | ")
            elif tag in _BLOCK_TAGS or tag in _ROW_TAGS:
                out.append("\n")
            continue
        if tag == "-text":
            out.append(getattr(node, "text_content", "") or "")
            continue
        if tag in _BLOCK_TAGS or tag in _ROW_TAGS:
            out.append("\n")
        stack.append((node, True))
        children = []
        child = getattr(node, "child", None)
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))
    return "".join(out)


def html_page_title(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first("title")
    return node.text(strip=True) if node is not None else None


# lexbor's tree building grows quadratically with unclosed nesting (20,000 open <div>s take
# seconds). Real pages close their tags; a page that leaves more than this many open is read by
# the plain tag stripper below instead, which is linear.
MAX_OPEN_TAGS = 1000
_OPEN_TAG = re.compile(r"<(div|p|span|table|td|tr|li|ul|section|font|b|i|a|center)\b", re.I)
_CLOSE_TAG = re.compile(r"</(div|p|span|table|td|tr|li|ul|section|font|b|i|a|center)\s*>", re.I)
_ANY_TAG = re.compile(r"<[^>]{0,2000}>")
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|tr|li|h[1-6]|table|section|article)\b[^>]{0,2000}>", re.I)
_HIDDEN_OPEN = re.compile(r"<(script|style)\b", re.I)


def _drop_hidden(html: str) -> str:
    """Remove <script>/<style> bodies with one forward scan (a lazy `.*?` regex is quadratic
    when the closing tags are missing)."""
    lower, out, position = html.lower(), [], 0
    while (match := _HIDDEN_OPEN.search(html, position)) is not None:
        out.append(html[position : match.start()])
        close = lower.find(f"</{match.group(1).lower()}", match.end())
        if close < 0:
            return "".join(out)
        position = close + len(match.group(1)) + 2
    out.append(html[position:])
    return "".join(out)


def _strip_tags(html: str) -> str:
    text = _BLOCK_TAG.sub("\n", _drop_hidden(html))
    return _ANY_TAG.sub("", text)


def html_to_text(html: str) -> tuple[str, str | None]:
    """(the page's visible text with one block per line, the `<title>` text or None)."""
    if len(_OPEN_TAG.findall(html)) - len(_CLOSE_TAG.findall(html)) > MAX_OPEN_TAGS:
        return "\n".join(line.strip() for line in _strip_tags(html).splitlines() if line.strip()), None
    tree = LexborHTMLParser(html)
    title = html_page_title(tree)
    _drop_chrome(tree)
    body = tree.body if tree.body is not None else tree.root
    text = _walk(body) if body is not None else ""
    lines = [re.sub(r"[ \t\u00a0\u3000]+", " ", line).strip() for line in text.splitlines()]
    kept = [line for line in lines if line.strip(" |")]
    return "\n".join(kept), title


def parse_html(draft: Draft) -> Draft:
    """HTML → layout text (no-op for plain text)."""
    if not draft.is_html:
        return draft
    text, title = html_to_text(draft.text)
    # The <title> is kept aside: the fields step uses it only when the page shows no title line.
    return draft.replace(text=text, page_title=title).note("parse_html: html converted to lines")
