"""Many ids per call (`id=`) and related records inline (`include=`), on the seeds, on both databases."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api.exports import BATCH
from app.db.ids import stable_id
from app.db.queries.includes import DOCUMENT_METRICS
from app.db.read import Reader
from app.schemas.common import MAX_IDS, ListPage
from app.schemas.documents import DocumentItem
from app.schemas.institutions import InstitutionItem
from app.schemas.metrics import MetricItem
from app.schemas.proposals import ProposalItem
from tests.helpers import all_items, assert_problem

SEED_000 = stable_id("index_no", "11500000MB15895317/2023-00117")
"""市科技局's reply to 第1024号 of 市六届人大一次会议, from 李谨."""
SEED_001 = stable_id("index_no", "11500000MB15895317/2025-00053")
"""市科技局's reply to 第0883号 of 市政协六届三次会议, from 孙宽: 30 figures, 69820 科技型企业 among them."""
PROPOSAL_1024 = 4174543302254997
SCIENCE_BUREAU = 7030021567835984
UNKNOWN = 999
CO_HANDLERS_1024 = ["市发展改革委", "市经济信息委", "两江新区管委会"]


def page(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_ids_answer_in_the_order_asked_once_each_with_the_unknown_ones_missing(client: TestClient) -> None:
    body = page(client, "/documents", id=[SEED_001, UNKNOWN, SEED_000, SEED_001])
    ListPage[DocumentItem].model_validate(body)
    assert [item["id"] for item in body["items"]] == [SEED_001, SEED_000]
    assert body["missing"] == [UNKNOWN]
    assert body["next_cursor"] is None
    reversed_ = page(client, "/documents", id=[SEED_000, SEED_001])
    assert [item["id"] for item in reversed_["items"]] == [SEED_000, SEED_001]


def test_ids_answer_every_item_whatever_the_limit(client: TestClient) -> None:
    body = page(client, "/documents", id=[SEED_000, SEED_001], limit=1)
    assert [item["id"] for item in body["items"]] == [SEED_000, SEED_001]
    assert body["next_cursor"] is None and body["missing"] == []


def test_ids_and_other_filters_both_apply_and_the_excluded_ids_are_missing(client: TestClient) -> None:
    body = page(client, "/documents", id=[SEED_001, SEED_000], proposal_type="suggestion", total="true", facet="year")
    assert [item["id"] for item in body["items"]] == [SEED_000]
    assert body["missing"] == [SEED_001]
    assert body["total"] == 1
    assert body["facets"]["year"] == [{"value": 2023, "label": 2023, "count": 1}]


def test_without_ids_and_includes_a_page_is_as_before(client: TestClient) -> None:
    body = page(client, "/documents", limit=100)
    assert set(body) == {"items", "next_cursor", "total", "facets"}
    letter = next(item for item in body["items"] if item["id"] == SEED_000)
    assert set(letter["proposal"]) == {"id", "type", "level", "session", "number", "title"}
    assert "metrics" not in letter and "metrics_total" not in letter
    institutions = page(client, "/institutions", limit=100)["items"]
    assert all(set(item) == {"id", "name", "type", "aliases", "updated_at"} for item in institutions)
    proposals = page(client, "/proposals", limit=100)["items"]
    assert all("documents" not in item for item in proposals)


def test_include_proposal_gives_the_whole_proposal_in_place_of_its_brief(client: TestClient) -> None:
    body = page(client, "/documents", id=[SEED_000, UNKNOWN], include="proposal")
    ListPage[DocumentItem].model_validate(body)
    assert body["missing"] == [UNKNOWN]
    (letter,) = body["items"]
    proposal = letter["proposal"]
    assert (proposal["id"], proposal["session"], proposal["number"]) == (PROPOSAL_1024, "市六届人大一次会议", "1024")
    assert proposal["co_handlers"] == CO_HANDLERS_1024
    assert proposal["proposers"] == [{"name": "李谨", "role": "代表"}]
    # Exactly what /proposals lists for it.
    assert proposal == page(client, "/proposals", id=PROPOSAL_1024)["items"][0]


def test_a_document_without_a_proposal_keeps_none_with_include_proposal(client: TestClient) -> None:
    items = page(client, "/documents", include="proposal", limit=100)["items"]
    assert any(item["proposal"] is None for item in items)
    assert all(item["proposal"] is None or "co_handlers" in item["proposal"] for item in items)


def test_include_metrics_gives_the_documents_figures_as_metrics_lists_them(client: TestClient) -> None:
    body = page(client, "/documents", id=SEED_001, include="metrics")
    ListPage[DocumentItem].model_validate(body)
    (letter,) = body["items"]
    listed = all_items(client, "/metrics", document_id=SEED_001, limit=100)
    assert letter["metrics_total"] == len(listed) == 30
    assert letter["metrics"] == listed
    firms = next(m for m in letter["metrics"] if m["value"] == 69820)
    assert (firms["indicator"], firms["unit"], firms["as_of"]) == ("科技型企业", "家", "2024")


def test_include_metrics_is_cut_per_document_in_sql_and_says_how_many_there_are(
    client: TestClient, seeded_engine: Engine
) -> None:
    reader = Reader(seeded_engine)

    async def first_two() -> list[tuple[int, int, int]]:
        async with reader.snapshot() as snapshot:
            rows = await snapshot.rows(DOCUMENT_METRICS, {"ids": [SEED_000, SEED_001], "per_item": 2})
        await reader.dispose()
        return [(row.parent_id, row.id, row.total) for row in rows]

    rows = asyncio.run(first_two())
    counts = {SEED_000: 15, SEED_001: 30}
    assert [(parent, total) for parent, _, total in rows] == sorted(
        [(parent, counts[parent]) for parent in counts for _ in range(2)]
    )
    ids = [id_ for _, id_, _ in rows]
    first = [m["id"] for m in all_items(client, "/metrics", document_id=SEED_000, limit=100)[:2]]
    assert first == [id_ for (parent, id_, _) in rows if parent == SEED_000]
    assert len(set(ids)) == 4


def test_include_metrics_on_a_page_gives_each_document_its_own(client: TestClient) -> None:
    items = page(client, "/documents", include="metrics", limit=100)["items"]
    assert {item["id"]: item["metrics_total"] for item in items}[SEED_000] == 15
    assert all({m["document_id"] for m in item["metrics"]} <= {item["id"]} for item in items)
    assert all(len(item["metrics"]) == item["metrics_total"] for item in items)  # none has more than 50


def test_include_takes_commas_or_repetitions_alike(client: TestClient) -> None:
    commas = page(client, "/documents", id=SEED_000, include="proposal,metrics")
    repeated = client.get("/documents", params=[("id", SEED_000), ("include", "metrics"), ("include", "proposal")])
    assert commas == repeated.json()
    (letter,) = commas["items"]
    assert letter["proposal"]["co_handlers"] == CO_HANDLERS_1024 and letter["metrics_total"] == 15


def test_include_documents_gives_each_proposal_its_replies_as_its_detail_lists_them(client: TestClient) -> None:
    body = page(client, "/proposals", id=[PROPOSAL_1024, UNKNOWN], include="documents")
    ListPage[ProposalItem].model_validate(body)
    assert body["missing"] == [UNKNOWN]
    (proposal,) = body["items"]
    assert proposal["co_handlers"] == CO_HANDLERS_1024
    assert proposal["documents"] == page(client, f"/proposals/{PROPOSAL_1024}")["documents"]
    assert [d["id"] for d in proposal["documents"]] == [SEED_000] and proposal["documents_total"] == 1


def test_include_related_gives_the_most_co_mentioned_institutions_as_related_does(client: TestClient) -> None:
    body = page(client, "/institutions", id=SCIENCE_BUREAU, include="related")
    ListPage[InstitutionItem].model_validate(body)
    (bureau,) = body["items"]
    assert bureau["name"] == "重庆市科学技术局"
    related = page(client, f"/institutions/{SCIENCE_BUREAU}/related", limit=100)["related"]
    assert bureau["related"] == related[:10]
    assert bureau["related_total"] == len(related) > 10
    assert "重庆市经济和信息化委员会" in [r["name"] for r in bureau["related"]]


def test_include_aliases_is_accepted_and_changes_nothing(client: TestClient) -> None:
    plain = page(client, "/institutions", q="科学技术局")
    assert page(client, "/institutions", q="科学技术局", include="aliases") == plain
    assert "市科技局" in plain["items"][0]["aliases"]


def test_proposals_institutions_and_metrics_answer_by_ids_too(client: TestClient) -> None:
    proposals = page(client, "/proposals", id=[PROPOSAL_1024, UNKNOWN])
    assert [p["number"] for p in proposals["items"]] == ["1024"] and proposals["missing"] == [UNKNOWN]
    institutions = page(client, "/institutions", id=[UNKNOWN, SCIENCE_BUREAU])
    assert [i["name"] for i in institutions["items"]] == ["重庆市科学技术局"] and institutions["missing"] == [UNKNOWN]
    figures = all_items(client, "/metrics", document_id=SEED_001, limit=100)
    firms = next(m for m in figures if m["value"] == 69820)
    other = figures[0]
    metrics = page(client, "/metrics", id=[firms["id"], 2**31 - 1, other["id"]])
    ListPage[MetricItem].model_validate(metrics)
    assert metrics["items"] == [firms, other] and metrics["missing"] == [2**31 - 1]


def test_an_export_by_ids_holds_the_same_rows_in_the_order_asked(client: TestClient) -> None:
    response = client.get("/documents", params={"id": [SEED_001, UNKNOWN, SEED_000], "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [int(row["id"]) for row in rows] == [SEED_001, SEED_000]
    assert MAX_IDS <= BATCH  # every row of an export by ids comes in its first batch, which is ordered


@pytest.mark.parametrize(
    ("params", "param", "message"),
    [
        ({"include": "proposals"}, "include", "'proposal' or 'metrics'"),
        ({"include": "proposal,bogus"}, "include", "'proposal' or 'metrics'"),
        ({"id": list(range(1, MAX_IDS + 2))}, "id", "At most 100 distinct ids"),
        ({"id": "0"}, "id", "greater than or equal to 1"),
        ({"id": "abc"}, "id", "valid integer"),
        ({"id": str(SEED_000), "cursor": "WyJkb2N1bWVudHMiXQ"}, "cursor", "does not apply with id"),
        ({"include": "metrics", "format": "csv"}, "include", "an export has its items alone"),
    ],
)
def test_bad_ids_and_includes_are_a_422_naming_the_parameter(
    client: TestClient, params: dict[str, Any], param: str, message: str
) -> None:
    problem = assert_problem(client.get("/documents", params=params), 422, param)
    assert message in (problem.detail or "")


def test_a_hundred_distinct_ids_are_answered_and_duplicates_do_not_count(client: TestClient) -> None:
    ids = [SEED_000, *range(1, MAX_IDS), SEED_000]
    body = page(client, "/documents", id=ids)
    assert [item["id"] for item in body["items"]] == [SEED_000]
    assert body["missing"] == list(range(1, MAX_IDS))


@pytest.mark.parametrize(
    ("path", "params", "allowed"),
    [
        ("/proposals", {"include": "proposal"}, "'documents'"),
        ("/institutions", {"include": "documents"}, "'aliases' or 'related'"),
        ("/metrics", {"include": "documents"}, "Unknown parameter"),
        ("/metrics", {"id": str(2**31)}, "less than or equal to 2147483647"),
    ],
)
def test_each_list_takes_its_own_includes_and_ids(
    client: TestClient, path: str, params: dict[str, str], allowed: str
) -> None:
    problem = assert_problem(client.get(path, params=params), 422, next(iter(params)))
    assert allowed in (problem.detail or "")


def test_openapi_documents_ids_includes_and_what_they_add() -> None:
    from app.api.app import create_app

    spec: dict[str, Any] = create_app().openapi()
    for path, includes in [
        ("/documents", ["proposal", "metrics"]),
        ("/proposals", ["documents"]),
        ("/institutions", ["aliases", "related"]),
        ("/metrics", None),
    ]:
        parameters = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        assert parameters["id"]["schema"]["type"] == "array" and "at most 100" in parameters["id"]["description"]
        if includes is None:
            assert "include" not in parameters
        else:
            assert parameters["include"]["schema"]["items"]["enum"] == includes
            assert "comma-separated" in parameters["include"]["description"]
    schemas = spec["components"]["schemas"]
    assert "missing" in schemas["ListPage_DocumentItem_"]["properties"]
    assert {"metrics", "metrics_total"} <= set(schemas["DocumentItem"]["properties"])
    assert {"co_handlers", "proposers"} <= set(schemas["ProposalInItem"]["properties"])
    assert {"documents", "documents_total"} <= set(schemas["ProposalItem"]["properties"])
    assert {"related", "related_total"} <= set(schemas["InstitutionItem"]["properties"])
