"""/changes on the seeds, and `updated_since` with `sort=updated_at` on every list."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.app import create_app
from tests.helpers import all_items, assert_problem, recorded_statements

RESOURCES = ("documents", "proposals", "institutions", "people", "metrics")
SEED_000 = 4273036748858228
SEED_000_PROPOSAL = 4174543302254997
LI_JIN = 4453888089164746


def feed(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    """Every entry of the feed from `since` (or the start), page by page."""
    entries: list[dict[str, Any]] = []
    for _ in range(1000):
        body = client.get("/changes", params=params).json()
        entries += body["items"]
        if not body["items"]:
            return entries
        params = {**params, "since": body["next_cursor"]}
    raise AssertionError("the feed did not end")


def test_the_feed_from_the_start_names_every_row_of_every_list_once(client: TestClient) -> None:
    entries = feed(client, limit=1000)
    assert {e["op"] for e in entries} == {"upsert"}
    for resource in RESOURCES:
        listed = {item["id"] for item in all_items(client, f"/{resource}", limit=100)}
        logged = [e["id"] for e in entries if e["resource"] == resource]
        assert sorted(logged) == sorted(listed), resource
    assert {"resource": "documents", "id": SEED_000, "op": "upsert"}.items() <= next(
        e for e in entries if e["id"] == SEED_000
    ).items()
    assert ("proposals", SEED_000_PROPOSAL) in {(e["resource"], e["id"]) for e in entries}
    assert ("people", LI_JIN) in {(e["resource"], e["id"]) for e in entries}


def test_pages_follow_in_commit_order_and_the_end_gives_a_cursor_to_poll_with(client: TestClient) -> None:
    everything = client.get("/changes", params={"limit": 1000}).json()["items"]
    paged = feed(client, limit=7)
    assert paged == everything
    at = [e["at"] for e in paged]
    assert at == sorted(at) and all(moment.endswith("Z") for moment in at)
    last = client.get("/changes", params={"limit": 1000}).json()["next_cursor"]
    assert client.get("/changes", params={"since": last}).json() == {"items": [], "next_cursor": last}


def test_an_entrys_moment_is_its_rows_updated_at(client: TestClient) -> None:
    entry = next(e for e in feed(client, limit=1000) if e["id"] == SEED_000)
    assert client.get(f"/documents/{SEED_000}").json()["updated_at"] == entry["at"]


def test_the_feed_filtered_by_resource_has_cursors_of_its_own(client: TestClient) -> None:
    documents = feed(client, resource="documents", limit=2)
    assert len(documents) == 5 and {e["resource"] for e in documents} == {"documents"}
    body = client.get("/changes", params={"resource": "documents", "limit": 2}).json()
    assert_problem(client.get("/changes", params={"since": body["next_cursor"]}), 422, "since")


@pytest.mark.parametrize(
    "params, param",
    [
        ({"since": "not-a-cursor"}, "since"),
        ({"since": "WyJkb2N1bWVudHMiLCItcHVibGlzaGVkX2RhdGUiLCIyMDI1LTA1LTIzIiwyMTU0NjAyMDM1MDc1ODAyXQ"}, "since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"resource": "letters"}, "resource"),
        ({"cursor": "x"}, "cursor"),
    ],
)
def test_a_bad_feed_parameter_is_a_422_naming_it(client: TestClient, params: dict[str, str], param: str) -> None:
    assert_problem(client.get("/changes", params=params), 422, param)


def test_a_feed_page_is_one_statement(client: TestClient) -> None:
    since = client.get("/changes", params={"limit": 3}).json()["next_cursor"]
    for params in ({"limit": 3}, {"limit": 3, "since": since}, {"limit": 3, "resource": "metrics"}):
        with recorded_statements(client) as recorded:
            assert client.get("/changes", params=params).status_code == 200
        assert len(recorded.queries) == 1, recorded.queries


def test_a_list_sorted_by_updated_at_pages_through_every_row_in_that_order(client: TestClient) -> None:
    for resource in RESOURCES:
        everything = {item["id"] for item in all_items(client, f"/{resource}", limit=100)}
        for sort in ("updated_at", "-updated_at"):
            paged = all_items(client, f"/{resource}", sort=sort, limit=3)
            assert [item["id"] for item in paged if item["id"] in everything] == [item["id"] for item in paged]
            assert len(paged) == len(everything) and {item["id"] for item in paged} == everything, (resource, sort)
            moments = [item["updated_at"] for item in paged]
            assert moments == sorted(moments, reverse=sort.startswith("-")), (resource, sort)


def test_updated_since_keeps_the_rows_changed_at_or_after_it(client: TestClient) -> None:
    for resource in RESOURCES:
        items = all_items(client, f"/{resource}", sort="updated_at", limit=100)
        latest = items[-1]["updated_at"]
        since = all_items(client, f"/{resource}", sort="updated_at", updated_since=latest, limit=100)
        assert since and [i["id"] for i in since] == [i["id"] for i in items if i["updated_at"] >= latest]
        assert all_items(client, f"/{resource}", updated_since="2100-01-01T00:00:00Z") == []
        # An offset is a moment too: 08:00 in Chongqing is midnight UTC.
        assert len(all_items(client, f"/{resource}", updated_since="2026-01-01T08:00:00+08:00", limit=100)) == len(
            items
        )


@pytest.mark.parametrize(
    "value", ["2026-01-01", "2026-01-01T00:00:00", "1700000000", "yesterday", "2026-13-01T00:00:00Z"]
)
def test_updated_since_must_be_an_rfc_3339_moment_with_its_zone(client: TestClient, value: str) -> None:
    problem = assert_problem(client.get("/documents", params={"updated_since": value}), 422, "updated_since")
    assert problem.detail


def test_a_page_sorted_by_updated_at_since_a_moment_is_one_statement(client: TestClient) -> None:
    for resource in RESOURCES:
        first = client.get(f"/{resource}", params={"sort": "updated_at", "limit": 2}).json()
        params = {
            "sort": "updated_at",
            "limit": 2,
            "updated_since": "2026-01-01T00:00:00Z",
            "cursor": first["next_cursor"],
        }
        with recorded_statements(client) as recorded:
            assert client.get(f"/{resource}", params=params).status_code == 200
        assert len(recorded.queries) == 1, (resource, recorded.queries)


def test_openapi_describes_the_feed_and_updated_since() -> None:
    spec: dict[str, Any] = create_app().openapi()
    feed_params = {p["name"]: p for p in spec["paths"]["/changes"]["get"]["parameters"]}
    assert set(feed_params) == {"since", "resource", "limit"}
    assert feed_params["resource"]["schema"]["anyOf"][0]["enum"] == list(RESOURCES)
    assert "410" in spec["paths"]["/changes"]["get"]["responses"]
    for resource in RESOURCES:
        params = {p["name"]: p for p in spec["paths"][f"/{resource}"]["get"]["parameters"]}
        assert "RFC 3339" in params["updated_since"]["description"]
        assert {"updated_at", "-updated_at"} <= set(params["sort"]["schema"]["enum"]), resource
