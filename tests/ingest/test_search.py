"""The search normaliser: the same tokens for the indexed text and for a user's query."""

from __future__ import annotations

import pytest

from app.ingest.search import search_query_terms, search_text


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("市科技局", "市科 科技 技局"),
        ("市科技局答复 R&D 2023年", "市科 科技 技局 局答 答复 r d 2023 年"),
        ("重慶市科學技術局", "重庆 庆市 市科 科学 学技 技术 术局"),  # Traditional is searched as Simplified
        ("當(dāng)前", "当前"),  # the pinyin gloss is not text
        ("ＡＢＣ１２３", "abc123"),
        ("a 重 b", "a 重 b"),  # a lone Han character between non-Han text is a unigram
    ],
)
def test_search_text_is_overlapping_han_bigrams_plus_words(text: str, tokens: str) -> None:
    assert search_text(text) == tokens


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("科技 人才", ["科技", "人才"]),
        ("重点实验室", ["重点 点实 实验 验室"]),
        ("實驗室", ["实验 验室"]),
    ],
)
def test_a_query_is_one_bigram_phrase_per_term(query: str, terms: list[str]) -> None:
    assert search_query_terms(query) == terms


def test_every_query_phrase_occurs_in_the_text_it_came_from() -> None:
    text = search_text("重庆市科学技术局关于市六届人大一次会议第1024号建议办理情况的答复函")
    for phrase in search_query_terms("科学技术局 人大 1024"):
        assert phrase in text
