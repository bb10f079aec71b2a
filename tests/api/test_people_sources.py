"""/people, the person and date filters of /documents, publisher on /metrics, and a document's
source bytes and cleaned text, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api.app import create_app
from app.db.ids import stable_id
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import SEEDS, all_items, assert_problem

SEED_000 = stable_id("index_no", "11500000MB15895317/2023-00117")  # 第1024号, from 李谨
SEED_001 = stable_id("index_no", "11500000MB15895317/2025-00053")  # 第0883号, from 孙宽


def test_people_lists_each_person_once_with_their_roles_and_documents(client: TestClient) -> None:
    people = {p["name"]: p for p in all_items(client, "/people", limit=5)}
    assert people["李谨"]["roles"] == ["代表"] and people["李谨"]["documents"] == 1
    # 明炬 signs off both of the science bureau's replies.
    assert people["明炬"]["roles"] == ["局长"] and people["明炬"]["documents"] == 2
    assert people["李谨"]["id"] == stable_id("person", "李谨")
    assert list(people) == sorted(people)


def test_people_filters_by_name_role_and_document(client: TestClient) -> None:
    assert [p["name"] for p in all_items(client, "/people", q="李谨")] == ["李谨"]
    assert [p["name"] for p in all_items(client, "/people", q="李謹")] == ["李谨"]  # 繁体 as 简体
    assert {p["name"] for p in all_items(client, "/people", role="代表")} == {"李谨"}
    assert {p["name"] for p in all_items(client, "/people", document_id=SEED_000)} == {"李谨", "明炬"}
    assert {p["name"] for p in all_items(client, "/people", document_id=SEED_001, role="委员")} == {"孙宽"}
    assert all_items(client, "/people", document_id=SEED_000, role="委员") == []


def test_people_is_a_list_like_the_others(client: TestClient) -> None:
    body = client.get("/people", params={"limit": 2, "total": "true", "facet": "role"}).json()
    assert set(body) == {"items", "next_cursor", "total", "facets"}
    assert len(body["items"]) == 2 and body["next_cursor"] and body["total"] == 18
    roles = {f["value"]: f["count"] for f in body["facets"]["role"]}
    assert roles["记者"] == 3 and roles["局长"] == 2
    csv = client.get("/people", params={"format": "csv", "role": "局长"})
    assert csv.content.decode("utf-8-sig").splitlines()[0] == "id,name,roles,documents,updated_at"
    assert_problem(client.get("/people", params={"document_id": "abc"}), 422, "document_id")
    assert_problem(client.get("/people", params={"colour": "red"}), 422, "colour")


def test_documents_filter_by_person_and_signed_date(client: TestClient) -> None:
    assert [d["id"] for d in all_items(client, "/documents", person="李谨")] == [SEED_000]
    assert {d["id"] for d in all_items(client, "/documents", person="明炬")} == {SEED_000, SEED_001}
    signed = all_items(client, "/documents", signed_from="2023-04-14", signed_to="2023-04-14")
    assert [d["id"] for d in signed] == [SEED_000]
    later = all_items(client, "/documents", signed_from="2024-01-01")
    assert later and all(d["signed_date"] >= "2024-01-01" for d in later) and SEED_000 not in {d["id"] for d in later}
    assert_problem(client.get("/documents", params={"signed_to": "2023-02-30"}), 422, "signed_to")


def test_metrics_filter_by_publisher_under_any_of_its_names(client: TestClient) -> None:
    short = all_items(client, "/metrics", publisher="市科技局", limit=100)
    full = all_items(client, "/metrics", publisher="重庆市科学技术局", limit=100)
    assert short == full and {m["document_id"] for m in short} == {SEED_000, SEED_001}
    assert any(m["value"] == 69820 and m["indicator"] == "科技型企业" for m in short)


def test_source_is_the_bytes_as_ingested_and_text_the_cleaned_text(client: TestClient) -> None:
    source = client.get(f"/documents/{SEED_000}/source")
    assert source.status_code == 200
    assert source.headers["content-type"] == "text/plain; charset=utf-8"
    assert source.content == (SEEDS / "000_3f149416e4b38c5d.txt").read_bytes()
    text = client.get(f"/documents/{SEED_000}/text")
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.text == client.get(f"/documents/{SEED_000}").json()["text"]
    assert "第1024号" in text.text
    assert_problem(client.get("/documents/12345/source"), 404)
    assert_problem(client.get("/documents/12345/text"), 404)
    assert_problem(client.get(f"/documents/{SEED_000}/text", params={"format": "csv"}), 422, "format")


def test_source_of_a_gb18030_page_says_its_encoding(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    raw = (SEEDS / "000_3f149416e4b38c5d.txt").read_text(encoding="utf-8").encode("gb18030")
    (folder / "letter.txt").write_bytes(raw)
    assert run_ingest(engine, find_sources([folder])).counts["added"] == 1
    with TestClient(create_app(engine)) as client:
        source = client.get(f"/documents/{SEED_000}/source")
        assert source.headers["content-type"] == "text/plain; charset=gb18030"
        assert source.content == raw
        assert "索引號" in source.text  # a client decodes it by the charset it was told
