"""Facets, totals, exports, series and related institutions, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from app.api.app import create_app
from tests.helpers import all_items, assert_problem


def facet(resp_json: dict, name: str) -> dict:
    return {f["value"]: f["count"] for f in resp_json["facets"][name]}


def test_facets_count_under_the_current_filters(client: TestClient) -> None:
    everything = client.get("/documents", params={"facet": ["kind", "year", "publisher"], "limit": 1}).json()
    assert facet(everything, "kind") == {"reply_letter": 3, "news_article": 2}
    publishers = {f["value"]: f for f in everything["facets"]["publisher"]}
    # The value is the canonical name the filter takes; the label the name the letters print.
    assert publishers["重庆市科学技术局"] == {"value": "重庆市科学技术局", "label": "市科技局", "count": 2}
    assert sum(facet(everything, "year").values()) == 5
    letters = client.get("/documents", params={"kind": "reply_letter", "facet": ["kind", "proposal_type"]}).json()
    assert facet(letters, "kind") == {"reply_letter": 3}
    assert facet(letters, "proposal_type") == {"proposal": 2, "suggestion": 1}


def test_topic_and_institution_facets_count_documents(client: TestClient) -> None:
    resp = client.get("/documents", params={"facet": ["topic", "institution"]}).json()
    assert facet(resp, "topic") == {"科技": 2, "教育": 1, "其他": 1}
    assert facet(resp, "institution")["重庆市科学技术局"] >= 2


def test_facets_on_proposals_and_metrics(client: TestClient) -> None:
    proposals = client.get("/proposals", params={"facet": ["proposal_type", "co_handler"]}).json()
    assert facet(proposals, "proposal_type") == {"proposal": 2, "suggestion": 2}
    co_handlers = {f["value"]: f for f in proposals["facets"]["co_handler"]}
    economy = "重庆市经济和信息化委员会"
    assert co_handlers[economy] == {"value": economy, "label": "市经济信息委", "count": 3}
    metrics = client.get("/metrics", params={"facet": ["unit", "kind"], "limit": 1}).json()
    units = facet(metrics, "unit")
    assert units["家"] > units.get("元", 0) > 0
    assert set(facet(metrics, "kind")) == {"actual", "target"}


def test_unknown_facet_is_a_422_naming_the_parameter_sent(client: TestClient) -> None:
    problem = assert_problem(client.get("/documents", params={"facet": ["publisher", "colour"]}), 422, "facet")
    assert [e.param for e in problem.errors] == ["facet"]  # not `facet.1`: the client sent `facet`


def test_total_counts_every_match_only_when_asked(client: TestClient) -> None:
    assert client.get("/documents", params={"limit": 1}).json()["total"] is None
    assert client.get("/documents", params={"limit": 1, "total": "true"}).json()["total"] == 5
    assert client.get("/documents", params={"kind": "news_article", "total": "true"}).json()["total"] == 2


def test_csv_export_has_a_bom_a_header_and_every_matching_row(client: TestClient) -> None:
    resp = client.get("/documents", params={"format": "csv", "limit": 1, "kind": "reply_letter"})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/csv")
    assert resp.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert {"id", "title", "topics", "proposal_number", "proposal_session"} <= set(rows[0])
    by_number = {row["proposal_number"]: row for row in rows}
    assert by_number["1024"]["proposal_session"] == "市六届人大一次会议"
    assert by_number["1024"]["topics"] == '["科技","教育"]'


def test_every_list_valued_csv_column_is_a_json_array(client: TestClient) -> None:
    """One rule whatever the list holds: names (topics, co_handlers, aliases, roles) or records (proposers)."""
    for path, columns in {
        "/documents": ["topics"],
        "/proposals": ["proposers", "co_handlers"],
        "/institutions": ["aliases"],
        "/people": ["roles"],
    }.items():
        exported = list(csv.DictReader(io.StringIO(client.get(path, params={"format": "csv"}).text.lstrip("\ufeff"))))
        listed = {item["id"]: item for item in all_items(client, path, limit=100)}
        assert len(exported) == len(listed)
        for row in exported:
            for column in columns:
                assert json.loads(row[column]) == listed[int(row["id"])][column]
    proposals = client.get("/proposals", params={"format": "csv", "number": "1024"}).text.splitlines()
    assert proposals[1].endswith(  # then its updated_at
        ',"[{""name"":""李谨"",""role"":""代表""}]","[""市发展改革委"",""市经济信息委"",""两江新区管委会""]"',
        0,
        proposals[1].rindex(","),
    )


def test_ndjson_export_by_accept_header_matches_the_paged_list(client: TestClient) -> None:
    resp = client.get("/metrics", params={"indicator": "企业"}, headers={"Accept": "application/x-ndjson"})
    assert resp.headers["content-type"].startswith("application/x-ndjson")
    exported = [json.loads(line) for line in resp.text.splitlines()]
    paged = all_items(client, "/metrics", indicator="企业", limit=3)
    assert exported == paged


def test_series_orders_one_indicators_figures_by_period(client: TestClient) -> None:
    series = client.get("/metrics/series", params={"indicator": "科技型企业"}).json()
    points = [(p["as_of"], p["value"], p["kind"]) for p in series["points"]]
    assert ("2024", 69820, "actual") in points and ("2025", 75000, "target") in points
    stated = [p["as_of"] for p in series["points"] if p["as_of_source"] == "sentence"]
    assert stated == sorted(stated)
    assert_problem(client.get("/metrics/series"), 422, "indicator")


def test_a_figure_without_a_stated_period_is_dated_by_its_document(client: TestClient) -> None:
    listed = client.get("/metrics", params={"indicator": "全国重点实验室", "limit": 100}).json()["items"]
    series = client.get("/metrics/series", params={"indicator": "全国重点实验室"}).json()["points"]
    assert len(series) == len(listed) > 0  # none dropped for want of a period
    undated = [p for p in series if p["as_of_source"] == "document"]
    assert undated and all(len(p["as_of"]) == 10 and p["as_of"][:2] == "20" for p in undated)


def test_related_institutions_are_those_named_in_the_same_documents(client: TestClient) -> None:
    bureau = client.get("/institutions", params={"q": "重庆市科学技术局"}).json()["items"][0]
    related = client.get(f"/institutions/{bureau['id']}/related", params={"role": "co_handler"}).json()
    counts = {r["name"]: r["documents"] for r in related["related"]}
    # 市经济信息委 co-handled both of the bureau's replies and, beside it, the 高新区's (seed 003).
    assert counts["重庆市经济和信息化委员会"] == 3
    assert len(counts) >= 5
    assert_problem(client.get("/institutions/1/related"), 404)


def advertised_facets() -> dict[str, list[str]]:
    """For each list, the facet names its OpenAPI parameter accepts: what clients are told they may ask."""
    operations = create_app().openapi()["paths"]
    facets = {}
    for path in ("/documents", "/proposals", "/metrics", "/institutions", "/people"):
        (parameter,) = [q for q in operations[path]["get"]["parameters"] if q["name"] == "facet"]
        items = parameter["schema"]["items"]
        facets[path] = items["enum"] if "enum" in items else [items["const"]]
    return facets


FACETS = advertised_facets()
assert len(FACETS) == 5 and all(FACETS.values()), FACETS
SINGLE_VALUED = {"publisher", "year", "genre", "kind", "proposal_type", "level", "session", "unit", "indicator", "type"}


@pytest.mark.parametrize(("path", "name"), [(p, n) for p, names in FACETS.items() for n in names])
def test_every_facet_counts_each_row_once_under_the_filters(client: TestClient, path: str, name: str) -> None:
    body = client.get(path, params={"facet": name, "total": "true", "limit": 1}).json()
    counts = body["facets"][name]
    assert counts and all(c["count"] > 0 for c in counts)
    assert [c["count"] for c in counts] == sorted((c["count"] for c in counts), reverse=True)
    if name in SINGLE_VALUED and len(counts) < 50:
        assert sum(c["count"] for c in counts) == body["total"]


@pytest.mark.parametrize("path", list(FACETS))
@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_every_list_exports_every_matching_row(client: TestClient, path: str, fmt: str) -> None:
    total = client.get(path, params={"total": "true"}).json()["total"]
    resp = client.get(path, params={"format": fmt, "limit": 1})
    assert resp.status_code == 200
    if fmt == "csv":
        assert resp.content.startswith("\ufeff".encode())
        assert len(list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))) == total
    else:
        assert len([json.loads(line) for line in resp.text.splitlines()]) == total


def test_genre_and_session_filters(client: TestClient) -> None:
    npc = client.get("/documents", params={"genre": "人大建议办理"}).json()["items"]
    assert [d["proposal"]["number"] for d in npc] == ["1024"]
    cppcc = client.get("/proposals", params={"session": "市政协六届三次会议"}).json()["items"]
    assert [p["number"] for p in cppcc] == ["0883"]


FACET_FILTERS = {
    ("/proposals", "proposal_type"): "type",  # the facet keeps the name /documents gives it
}
"""Facets whose filter has another name; every other facet's filter has the facet's own name."""


def facet_filter(path: str, name: str, value: str | int) -> dict[str, str | int]:
    """The filter that selects the rows a facet value counts."""
    if (path, name) == ("/metrics", "year"):  # the year of the period a figure refers to
        return {"as_of_from": value, "as_of_to": value}
    return {FACET_FILTERS.get((path, name), name): value}


@pytest.mark.parametrize(("path", "name"), [(p, n) for p, names in FACETS.items() for n in names])
def test_a_facet_value_is_what_its_filter_takes_and_finds_count_rows(client: TestClient, path: str, name: str) -> None:
    counts = client.get(path, params={"facet": name, "limit": 1}).json()["facets"][name]
    named = [c for c in counts if c["value"] is not None]
    assert named
    for entry in named:
        assert entry["label"] is not None
        found = all_items(client, path, limit=100, **facet_filter(path, name, entry["value"]))
        if (path, name) == ("/metrics", "indicator"):
            # indicator= matches figures whose indicator contains the text; the value is a whole one.
            assert all(entry["value"] in item["indicator"] for item in found)
            found = [item for item in found if item["indicator"] == entry["value"]]
        assert len(found) == entry["count"], (entry, len(found))


def test_institution_facet_labels_are_the_names_the_lists_show(client: TestClient) -> None:
    proposals = client.get("/proposals", params={"facet": "co_handler", "limit": 100}).json()
    listed = {name for p in proposals["items"] for name in p["co_handlers"]}
    assert {f["label"] for f in proposals["facets"]["co_handler"]} == listed
    documents = client.get("/documents", params={"facet": "publisher", "limit": 100}).json()
    printed = {d["publisher"] for d in documents["items"] if d["publisher"]}
    assert {f["label"] for f in documents["facets"]["publisher"] if f["value"]} == printed
