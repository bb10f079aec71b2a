"""Chinese full-text search: words, phrases, several terms, 繁体 queries, relevance, snippets,
and the same hits on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.app import create_app
from app.db.migrate import migrate
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import SEEDS, assert_problem, new_engine

QUERIES = [
    "科技",
    "人才",
    "重点实验室",
    "金凤实验室 冯纲",
    "實驗室",
    "R&D",
    "成渝 协同",
    "两江新区管委会",
    "zzz",
    "1024",
]


def hit_ids(client: TestClient, q: str) -> set[int]:
    resp = client.get("/documents", params={"q": q, "limit": 100})
    assert resp.status_code == 200, resp.text
    return {item["id"] for item in resp.json()["items"]}


@pytest.fixture(scope="module")
def both(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestClient]]:
    clients = {}
    engines = []
    for backend in ("sqlite", "postgresql"):
        engine = new_engine(backend, Path(tmp_path_factory.mktemp(f"search-{backend}")), request)
        migrate(engine)
        run_ingest(engine, find_sources([SEEDS]))
        engines.append(engine)
        clients[backend] = TestClient(create_app(engine))
    yield clients
    for engine in engines:
        engine.dispose()


@pytest.mark.parametrize("q", QUERIES)
def test_the_same_query_finds_the_same_documents_on_both_databases(both: dict[str, TestClient], q: str) -> None:
    assert hit_ids(both["sqlite"], q) == hit_ids(both["postgresql"], q)


def test_search_finds_exactly_the_documents_containing_every_word(client: TestClient) -> None:
    documents = [client.get(f"/documents/{item['id']}").json() for item in client.get("/documents").json()["items"]]
    for q in ["科技", "重点实验室", "成渝 致公党", "金凤实验室 冯纲", "量子计算机"]:
        words = q.split()
        expected = {d["id"] for d in documents if all(w in d["title"] + d["text"] for w in words)}
        assert hit_ids(client, q) == expected, q
    assert len(hit_ids(client, "重点实验室")) == 4


def test_relevance_sort_puts_the_document_that_says_it_most_first(client: TestClient) -> None:
    items = client.get("/documents", params={"q": "金凤实验室", "sort": "relevance"}).json()["items"]
    assert len(items) >= 3
    assert items[0]["title"] == "全团建议 | 增强成渝地区双城经济圈协同创新能力"


def test_relevance_pages_cover_every_hit_once(client: TestClient) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        params = {"q": "科技", "sort": "relevance", "limit": 2} | ({"cursor": cursor} if cursor else {})
        body = client.get("/documents", params=params).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 5


def test_each_hit_carries_a_snippet_with_the_match_marked(client: TestClient) -> None:
    items = client.get("/documents", params={"q": "明月湖實驗室"}).json()["items"]
    assert items and all("<mark>明月湖实验室</mark>" in item["snippet"] for item in items)
    assert client.get("/documents").json()["items"][0]["snippet"] is None


def test_unsearchable_queries_are_422_and_operators_are_only_text(client: TestClient) -> None:
    assert_problem(client.get("/documents", params={"q": "科"}), 422, "q")
    assert_problem(client.get("/documents", params={"q": "，。"}), 422, "q")
    assert_problem(client.get("/documents", params={"sort": "relevance"}), 422, "sort")
    for hostile in ['"', "*", "NEAR(科技 人才)", "科技 OR 人才", "'; DROP TABLE document; --"]:
        resp = client.get("/documents", params={"q": hostile})
        assert resp.status_code in (200, 422), (hostile, resp.text)


def test_proposals_metrics_and_institutions_are_searchable_too(client: TestClient) -> None:
    proposals = client.get("/proposals", params={"q": "高能级产业创新平台"}).json()["items"]
    assert [p["number"] for p in proposals] == ["1024"]
    metrics = client.get("/metrics", params={"q": "孵化器"}).json()["items"]
    assert (114, "家") in [(m["value"], m["unit"]) for m in metrics]
    assert all("孵化器" in m["sentence"] and "<mark>孵化器</mark>" in m["snippet"] for m in metrics)
    labs = client.get("/institutions", params={"q": "實驗室 金鳳"}).json()["items"]
    assert [i["name"] for i in labs] == ["金凤实验室"]


@pytest.mark.parametrize(("path", "q"), [("/metrics", "企业"), ("/metrics", "累计 培育"), ("/institutions", "管委会")])
def test_metric_and_institution_search_agree_on_both_databases(both: dict[str, TestClient], path: str, q: str) -> None:
    def ids(client: TestClient) -> list[tuple[str, float]]:
        items = client.get(path, params={"q": q, "limit": 100}).json()["items"]
        return sorted((str(i.get("name") or i.get("indicator")), float(i.get("value") or 0)) for i in items)

    assert ids(both["sqlite"]) == ids(both["postgresql"])
    assert ids(both["sqlite"])
