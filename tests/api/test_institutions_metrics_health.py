"""/institutions, /metrics and /health on the seeds, on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers import all_items, assert_problem


def test_an_institution_is_one_row_under_all_its_names(client: TestClient) -> None:
    items = client.get("/institutions", params={"q": "市科技局"}).json()["items"]
    bureau = next(i for i in items if i["name"] == "重庆市科学技术局")
    assert {"市科技局", "重庆市科学技术局"} <= set(bureau["aliases"])
    assert bureau["type"] == "government"
    detail = client.get(f"/institutions/{bureau['id']}").json()
    roles = {(d["role"], d["name"]) for d in detail["documents"]}
    assert ("publisher", "市科技局") in roles and ("signatory", "重庆市科学技术局") in roles


def test_institution_type_filter(client: TestClient) -> None:
    labs = {i["name"] for i in all_items(client, "/institutions", type="lab")}
    assert "金凤实验室" in labs
    assert all("实验室" in name for name in labs)


def test_metric_indicator_filter_finds_the_count_of_tech_firms(client: TestClient) -> None:
    items = client.get("/metrics", params={"indicator": "科技型企业"}).json()["items"]
    facts = {(m["value"], m["unit"], m["as_of"], m["kind"]) for m in items}
    assert (69820, "家", "2024", "actual") in facts
    assert (75000, "家", "2025", "target") in facts
    tech_firms = next(m for m in items if m["value"] == 69820)
    assert "累计培育科技型企业69820家" in tech_firms["sentence"]
    assert tech_firms["document_title"] == "重庆市科学技术局关于市政协六届三次会议第0883号提案答复的函"


def test_metric_filters_by_unit_kind_and_period(client: TestClient) -> None:
    targets = all_items(client, "/metrics", kind="target", as_of_from="2025", as_of_to="2025")
    assert targets and all(m["kind"] == "target" and m["as_of"].startswith("2025") for m in targets)
    money = all_items(client, "/metrics", unit="元")
    assert money and all(m["unit"] == "元" for m in money)
    one_doc = all_items(client, "/metrics", document_id=money[0]["document_id"])
    assert {m["document_id"] for m in one_doc} == {money[0]["document_id"]}


def test_metric_period_must_be_a_real_period(client: TestClient) -> None:
    assert_problem(client.get("/metrics", params={"as_of_from": "2024-02-30"}), 422, "as_of_from")
    assert_problem(client.get("/metrics", params={"as_of_to": "last year"}), 422, "as_of_to")


def test_health_reports_the_database(client: TestClient) -> None:
    resp = client.get("/health")
    assert resp.status_code == 200 and resp.json()["database"] == "ok"


def test_institution_detail_caps_its_document_links(client: TestClient) -> None:
    bureau = client.get("/institutions", params={"q": "重庆市科学技术局"}).json()["items"][0]
    every = client.get(f"/institutions/{bureau['id']}").json()["documents"]
    assert len(every) > 2
    newest = client.get(f"/institutions/{bureau['id']}", params={"limit": 2}).json()["documents"]
    assert newest == every[:2]
