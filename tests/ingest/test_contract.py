"""The contract of parse_document: a Record that validates, or ParseFailure, never anything else."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import Settings
from app.ingest import ParseFailure, Record, parse_document
from app.ingest.decode import MAX_BYTES
from app.ingest.metrics import MAX_SCAN as METRICS_MAX_SCAN
from tests.ingest.conftest import CORPUS, SEEDS

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "app" / "ingest" / "record.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)")


def _parse_or_fail(raw: bytes) -> Record | None:
    try:
        record = parse_document(raw, name="fuzz.txt")
    except ParseFailure:
        return None
    VALIDATOR.validate(record.to_contract())
    return record


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_give_a_record_or_a_parse_failure(raw: bytes) -> None:
    _parse_or_fail(raw)


_LETTER_CHARACTERS = (
    "关于市六届人大一次会议第号建议代表委员提案:,。、《》“”()" + "1234567890年月日家个%万亿超累计新增局委中心实验室\n "
)
_CHINESE = st.text(alphabet=st.sampled_from(list(_LETTER_CHARACTERS)), max_size=600)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_CHINESE)
def test_arbitrary_letter_like_text_gives_a_record_or_a_parse_failure(text: str) -> None:
    _parse_or_fail(text.encode("utf-8"))


@pytest.mark.parametrize("path", sorted([*SEEDS.glob("*.txt"), *CORPUS.glob("*.txt")]), ids=lambda p: p.stem[:3])
def test_every_real_letter_validates_against_the_schema(path: Path) -> None:
    record = _parse_or_fail(path.read_bytes())
    assert record is not None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL"),
        (bytes(range(1, 32)) * 50, "binary"),
    ],
)
def test_non_text_is_refused_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(ParseFailure, match=reason):
        parse_document(raw, name="x.bin")


PARSE_TIMEOUT_SECONDS = Settings.model_fields["ingest_parse_timeout_seconds"].default
"""How long an ingest lets one file parse before it fails it (INGEST_PARSE_TIMEOUT_SECONDS's default)."""


@pytest.mark.timeout(PARSE_TIMEOUT_SECONDS)
def test_huge_input_is_parsed_in_bounded_time() -> None:
    # 2.4 MB on one line: decoding, cleaning and the metric scan each stop at their bound, so the
    # parse ends within the time an ingest allows a file (pytest-timeout fails the test past it).
    raw = ("数字123家," * 200_000 + "\n").encode("utf-8")
    record = _parse_or_fail(raw)
    assert record is not None
    assert len(raw) > MAX_BYTES and len(record.text) <= MAX_BYTES
    assert record.metrics, "the figures before the scan's bound are read"
    assert max(m.span[0] for m in record.metrics) < METRICS_MAX_SCAN


def _seed_000_text(seed: bytes) -> str:
    # Big5 has no tone-marked Latin letters: drop the pinyin glosses before re-encoding.
    return GLOSS.sub("", seed.decode("utf-8"))


@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
def test_legacy_encodings_parse_to_the_same_proposal(seed_000: bytes, record_000: Record, encoding: str) -> None:
    raw = _seed_000_text(seed_000).encode(encoding, errors="ignore")
    record = parse_document(raw, name="000.txt")
    assert record.proposal == record_000.proposal
    assert record.title == record_000.title


def test_utf8_with_bom_parses_like_without(seed_000: bytes, record_000: Record) -> None:
    assert parse_document(b"\xef\xbb\xbf" + seed_000, name="000.txt").proposal == record_000.proposal


def test_html_page_parses_to_the_same_proposal(seed_000: bytes, record_000: Record) -> None:
    lines = _seed_000_text(seed_000).splitlines()
    body = "".join(f"<p>{line}</p>" for line in lines)
    html = (
        '<html><head><meta charset="gb2312"><title>答复函 - 重庆市科学技术局</title>'
        "<script>var x = '第9999号建议';</script><style>p{}</style></head><body>"
        '<nav>首页 政务公开</nav><div class="share">分享到 微信</div>'
        f'<div class="content">{body}</div><footer>版权所有 重庆市科学技术局</footer></body></html>'
    )
    record = parse_document(html.encode("gb18030"), name="000.html")
    assert record.proposal == record_000.proposal
    assert record.title == record_000.title
    assert "第9999号" not in record.text and "版权所有" not in record.text
