"""clean: decoded text → the cleaned lines every later step reads.

Order matters: pinyin glosses go before Traditional→Simplified (OpenCC would leave them, but the
gloss pattern is simplest on the original), width folding before noise detection (so `：` and `:`
are one case), noise lines before the footer cut (so a share widget does not hide the footer).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

import opencc

from app.ingest.draft import Draft

# Patterns the functions below use, compiled once (a call with a pattern string looks it up in re's cache
# on every call).
_WORD_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{4,}")

# Some mirror sites annotate every character with its pinyin: `當(dāng)前`. A gloss is a
# parenthesised Latin syllable carrying at least one tone mark, right after a Han character;
# the tone mark is what tells it apart from `(R&D)` or `(第48号)`.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
PINYIN_GLOSS = re.compile(
    rf"(?<=[\u3400-\u9fff?�])[(（]\s?[a-zü{_TONED}]{{0,6}}[{_TONED}][a-zü{_TONED}]{{0,6}}\s?[)）]", re.I
)

# Full-width ASCII → ASCII and the ideographic space → space: the NFKC folding the gold records
# show for digits, letters, `:`, `,` and `()`, without NFKC's other rewrites (`①` → `1` would make
# a list marker look like a number).
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0xA0: 0x20, 0xFEFF: None}
_CONTROL = {code: None for code in (*range(0, 9), 11, 12, *range(14, 32), 127)}
_FOLD = str.maketrans(_WIDTH | _CONTROL)
_FOLDABLE = re.compile("[\uff01-\uff5e\u3000\u00a0\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified (OpenCC t2s); Simplified text passes through unchanged."""
    return str(_t2s().convert(text))


def fold_width(text: str) -> str:
    # translate() walks every character in Python-level dict lookups; folding only the runs that
    # need it is several times faster on text that is mostly Han characters.
    return _FOLDABLE.sub(lambda m: m.group(0).translate(_FOLD), text)


def normalise_text(text: str) -> str:
    """A short text as the stored text reads: Simplified, ASCII punctuation and digits, trimmed."""
    return fold_width(to_simplified(text)).strip()


_TONE_MARK = re.compile(f"[{_TONED}]", re.I)


def strip_pinyin(text: str) -> str:
    # Every gloss carries a tone mark; most pages carry none, and one scan for them is much cheaper
    # than trying the gloss pattern's lookbehind at every position.
    if _TONE_MARK.search(text) is None:
        return text
    return PINYIN_GLOSS.sub("", text)


# Mirror sites put a line of comma-joined SEO keywords above the page; it has no 。 and no digits,
# and its segments are short, which is how it differs from a title or a sentence.
_SEO_LINE = re.compile(r"^[^。\d,:]{2,16}(,[^。\d,:]{2,16}){3,}$")
_SPAM_WORDS = re.compile(r"三级|精品|在线|无码|欧美|日韩|亚洲|视频|av|成人|伦理|色")

# Whole lines that are page chrome, not document text.
_NOISE_LINE = re.compile(
    r"^(您?(当前|现在)?的?(所在)?位置[::]|首页\s*(>|>>|»|/)|分享到|分享[::]?$|打印本页|关闭窗口|【?关闭】?$|"
    r"\S{0,8}(举报电话|举报邮箱)|[\w\-]+\.(png|jpe?g|gif|bmp|webp|svg)$|字体[::]|字号[::]|【\s*(大|默认)|"
    r"[\[【]?\s*(打印|关闭|收藏|返回顶部)\s*[\]】]?$|"
    # an audio player's controls: `开始播报`, `停止播报`, `语音播报`
    r"((开始|停止|暂停|继续|语音)播报\s*)+$|"
    # an open-government page's disclosure mark: `主动公开`, `依申请公开`
    r"(主动公开|依申请公开|不予公开)$)"
)
# A breadcrumb without its home link: `人民网>>江西频道>>江西要闻` (looked for only on a line with a `>`).
_BARE_BREADCRUMB = re.compile(r"^[^>»\s]{1,12}(?:\s*(?:>>|>|»)\s*[^>»\s]{1,12}){2,}\s*$")
# Widgets glued onto a metadata line: `来源:本网 【字体: 【打印】`, `时间:… 字体:【大 中 小】`,
# `【字体:大 中 小】`.
_WIDGET = re.compile(
    r"【\s*字[体号]\s*[::][^】\n]{0,12}】|(【\s*)?字[体号]\s*[::]?\s*【[^】\n]{0,12}】?|【\s*(打印|关闭|收藏)\s*】|【\s*[大中小]\s*[大中小]?\s*[大中小]?\s*】"
)

# The page ends where the site's own footer begins: related articles, copyright, QR codes.
_FOOTER = re.compile(
    r"^(相关(阅读|文章|新闻|链接|附件)|热门文章|最新文章|推荐阅读|延伸阅读|版权(声明|所有)|扫一扫|微信扫一扫|有奖爆料|"
    r"上一篇|下一篇|网站地图|主办单位(?![^\n]*(?:协办|会办|分办))|联系我们|打印本页|关闭窗口|【打印本页】|【关闭窗口】)"
)
# A reply's `主办单位:` field (the unit that leads) has the letter below it; the site's footer
# `主办单位:` has no sentence after it.
_FOOTER_LOOKAHEAD = 8


def _sentences_follow(lines: list[str], index: int) -> bool:
    following = (line for line in itertools.islice(lines, index + 1, None) if line.strip())
    return any("。" in line for line in itertools.islice(following, _FOOTER_LOOKAHEAD))


# How many leading lines the footer cut leaves alone: a footer never opens a page.
_FOOTER_MIN_LINE = 3
_SPACES = re.compile(r"[ \t\f\v]+")


# Above a breadcrumb is the site's masthead (`服务粉丝`, `我们一直在努力`), and a page may open with
# its site's name alone on a line (`巫山网`): neither is document text.
_BREADCRUMB = re.compile(r"^(您?(当前|现在)?的?(所在)?位置[::]|首页\s*(>|>>|»|/))")
_MASTHEAD_LINES = 20
_MASTHEAD_LINE = re.compile(r"^[^。;?]{1,30}$")  # `您好,欢迎访问…网站!`, `今天是:`, `登录| 注册`
_SITE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,10}(网|网站|门户网|新闻网|在线|客户端)$")

# A label printed with spaces inside it (`标 题:`, `来 源:`, `联 系 人:`) is the label.
_SPACED_LABEL = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?: [\u4e00-\u9fff]){1,3}(?=\s*[::])")


def close_spaced_labels(line: str) -> str:
    if " " not in line or ":" not in line:
        return line
    return _SPACED_LABEL.sub(lambda m: m.group(0).replace(" ", ""), line)


# A paragraph is a few hundred characters; a longer "line" is a page that lost its line breaks,
# and is cut in pieces so that no per-line rule ever runs on megabytes.
MAX_LINE = 5000


def _bounded_lines(text: str) -> list[str]:
    lines: list[str] = []
    for line in text.split("\n"):
        if len(line) <= MAX_LINE:
            lines.append(line)
        else:
            lines.extend(line[i : i + MAX_LINE] for i in range(0, len(line), MAX_LINE))
    return lines


def _is_seo_spam(line: str, index: int) -> bool:
    if not _SEO_LINE.match(line):
        return False
    return index < 8 or bool(_SPAM_WORDS.search(line))


def clean_lines(text: str) -> tuple[list[str], list[str], list[str]]:
    """(kept lines, notes, masthead): one stripped line per paragraph, noise dropped, footer cut;
    the masthead lines above a breadcrumb are returned apart, for the spam rules to read."""
    text = strip_pinyin(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = fold_width(to_simplified(text))
    notes: list[str] = []
    kept: list[str] = []
    masthead: list[str] = []
    raw_lines = _bounded_lines(text)
    for index, raw_line in enumerate(raw_lines):
        line = close_spaced_labels(_SPACES.sub(" ", raw_line).strip())
        if not line:
            continue
        if (
            _FOOTER.match(line)
            and len(kept) >= _FOOTER_MIN_LINE
            and len(line) < 60
            and not (line.startswith("主办单位") and _sentences_follow(raw_lines, index))
        ):
            notes.append(f"clean: footer cut at {line[:20]!r}")
            break
        if _is_seo_spam(line, index):
            notes.append(f"clean: SEO line dropped {line[:20]!r}")
            continue
        if _NOISE_LINE.match(line) or ((">" in line or "»" in line) and _BARE_BREADCRUMB.match(line)):
            above = kept and len(kept) <= _MASTHEAD_LINES and all(map(_MASTHEAD_LINE.match, kept))
            if above and _BREADCRUMB.match(line):
                notes.append(f"clean: masthead dropped above the breadcrumb {kept!r}")
                masthead, kept = kept, []
            notes.append(f"clean: chrome line dropped {line[:20]!r}")
            continue
        if not kept and _SITE_NAME.match(line):
            notes.append(f"clean: site name dropped {line!r}")
            continue
        if "【" in line or "字" in line:  # every widget pattern holds one of the two
            line = _WIDGET.sub("", line).strip()
        if line:
            kept.append(line)
    return kept, notes, masthead


# SEO spam put in place of a word: a short phrase alone on a line at the top of the page that
# is also glued onto other lines (`凤凰体育` / `凤凰体育代表建议办理督办会`), or, on a page whose text
# has lost its 的 (the spam stands where it stood), the phrase repeated in its place.
SPAM_TOP_LINES = 3
SPAM_MIN_TEXT = 300
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
_HAN_PHRASE = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{2,10}$")


def _foreign(phrase: str, text: str) -> bool:
    """None of the phrase's character pairs, and at most half of its characters, occur in the
    text outside the phrase itself: words of another topic, not of this letter."""
    rest = text.replace(phrase, "\n")
    if any(phrase[i : i + 2] in rest for i in range(len(phrase) - 1)):
        return False
    return sum(ch in rest for ch in phrase) * 2 <= len(phrase)


def _stands_for_a_word(phrase: str, line: str) -> bool:
    """The phrase glued into the line where a word of it stood: against a Han character, and not
    as a place before its level word (`山东` / `山东省十四届人大…` names the province)."""
    start = line.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        before, after = line[start - 1 : start], line[end : end + 1]
        if _HAN_CHAR.match(before) or (_HAN_CHAR.match(after) and after not in _LEVEL_WORDS):
            return True
        start = line.find(phrase, end)
    return False


_LEVEL_WORDS = frozenset("省市县区州")


def _starved_of_de(text: str) -> str | None:
    """The phrase standing where 的 stood, on a page that has (almost) none left."""
    if len(text) < SPAM_MIN_TEXT or text.count("的") * 250 > len(text):
        return None  # the common case, decided without counting characters
    han = len(_HAN_CHAR.findall(text))
    if han < SPAM_MIN_TEXT or text.count("的") * 250 > han:
        return None
    counts: dict[str, int] = {}
    for run in _WORD_RUN.findall(text):
        for size in range(3, 9):
            for i in range(len(run) - size + 1):
                counts[run[i : i + size]] = counts.get(run[i : i + size], 0) + 1
    frequent = [p for p, n in counts.items() if n >= 4 and _foreign(p, text)]
    return max(frequent, key=lambda p: (counts[p], len(p)), default=None)


def drop_spam_phrases(lines: list[str], masthead: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """The lines with word-replacing spam phrases removed wherever they stand. The masthead above
    the page, already dropped, is read too: the spam phrase often stands alone there."""
    lines = [*masthead, *lines]
    text = "\n".join(lines)
    phrases = []
    for index, line in enumerate(lines[:SPAM_TOP_LINES]):
        # Glued onto a line below it: the site line above the page, not a title's broken-off half.
        if not _HAN_PHRASE.match(line):
            continue
        glued = any(other != line and _stands_for_a_word(line, other) for other in lines[index + 1 : 40])
        if glued and _foreign(line, text):
            phrases.append(line)
    starved = _starved_of_de(text)
    if starved:
        phrases.append(starved)
    if not phrases:
        return lines[len(masthead) :], []
    kept = []
    for line in lines[len(masthead) :]:
        for phrase in phrases:
            line = line.replace(phrase, "")
        if line.strip():
            kept.append(line.strip())
    return kept, [f"clean: spam phrase removed {p!r}" for p in phrases]


def clean(draft: Draft) -> Draft:
    """Traditional → Simplified, 當(dāng) → 当, full-width → ASCII, spam lines, breadcrumbs, footers."""
    lines, notes, masthead = clean_lines(draft.text)
    lines, spam = drop_spam_phrases(lines, masthead)
    notes += spam
    return draft.replace(lines=tuple(lines), text="\n".join(lines), trace=(*draft.trace, *notes))
