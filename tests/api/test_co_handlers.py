"""A proposal's co-handlers, one record on both databases: the list, the `co_handler=` filter, the
facet and the detail say the same, when two letters answer the proposal and name different units."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api.app import create_app
from app.api.examples import SEED_000_DOCUMENT, SEED_000_PROPOSAL
from app.db.engine import session_scope
from app.db.load import delete_documents
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import SEEDS, all_items

SEED_000 = SEEDS / "000_3f149416e4b38c5d.txt"
ALL_THREE = ["市发展改革委", "市经济信息委", "两江新区管委会"]
# Seed 000 as the page prints it (Traditional, with its pinyin glosses).
LISTED = "經(jīng)與市發(fā)展改革委、市經(jīng)濟(jì)信息委、兩江新區(qū)管委會等協(xié)辦單位"
INDEX_NO = "11500000MB15895317/2023-00117"


def second_letter(raw: str) -> str:
    """Seed 000 published again a week later under its own 索引号, naming two of its three co-handlers."""
    assert raw.count(LISTED) == 1 and INDEX_NO in raw
    fewer = LISTED.replace("、兩江新區(qū)管委會", "")
    return (
        raw.replace(LISTED, fewer)
        .replace(INDEX_NO, "11500000MB15895317/2023-00999")
        .replace("2023-07-26", "2023-08-02")
    )


@pytest.fixture
def two_letters(engine: Engine, tmp_path: Path) -> Engine:
    folder = tmp_path / "sources"
    folder.mkdir()
    raw = SEED_000.read_text(encoding="utf-8")
    # The later letter, naming fewer, is ingested last: it restates the proposal.
    (folder / "a_first.txt").write_text(raw, encoding="utf-8")
    summary = run_ingest(engine, find_sources([folder]))
    assert summary.counts["added"] == 1, summary.errors
    (folder / "b_later.txt").write_text(second_letter(raw), encoding="utf-8")
    summary = run_ingest(engine, find_sources([folder]))
    assert summary.counts["added"] == 1, summary.errors
    return engine


@dataclass
class Views:
    """What each way of asking says about the proposal's co-handlers."""

    detail: list[str]
    list: list[str]
    facet_labels: list[str]
    facet_counts: dict[str, int]
    filter: dict[str, list[int]]
    """For each facet value, the proposals its `co_handler=` finds."""
    documents: list[int]


def co_handler_views(client: TestClient) -> Views:
    detail = client.get(f"/proposals/{SEED_000_PROPOSAL}").json()
    (listed,) = [p for p in all_items(client, "/proposals") if p["id"] == SEED_000_PROPOSAL]
    facet = client.get("/proposals", params={"facet": "co_handler"}).json()["facets"]["co_handler"]
    by_filter = {
        entry["value"]: [p["id"] for p in all_items(client, "/proposals", co_handler=entry["value"])] for entry in facet
    }
    return Views(
        detail=detail["co_handlers"],
        list=listed["co_handlers"],
        facet_labels=sorted(entry["label"] for entry in facet),
        facet_counts={entry["value"]: entry["count"] for entry in facet},
        filter=by_filter,
        documents=sorted(d["id"] for d in detail["documents"]),
    )


def test_two_letters_naming_different_co_handlers_agree_everywhere(two_letters: Engine) -> None:
    with TestClient(create_app(two_letters)) as client:
        documents = all_items(client, "/documents")
        assert len(documents) == 2
        (later,) = [d["id"] for d in documents if d["id"] != SEED_000_DOCUMENT]
        # The premise: one letter names three co-handlers, the other two of them.
        named = {
            document_id: [
                i["name"]
                for i in client.get(f"/documents/{document_id}").json()["institutions"]
                if i["role"] == "co_handler"
            ]
            for document_id in (SEED_000_DOCUMENT, later)
        }
        assert named == {SEED_000_DOCUMENT: ALL_THREE, later: ALL_THREE[:2]}

        views = co_handler_views(client)
        assert views.detail == views.list == ALL_THREE
        assert views.facet_labels == sorted(ALL_THREE)
        assert views.facet_counts == {value: 1 for value in views.filter}
        assert len(views.filter) == 3
        assert all(ids == [SEED_000_PROPOSAL] for ids in views.filter.values())
        assert views.documents == sorted((SEED_000_DOCUMENT, later))
        # A letter's own detail shows its proposal as the proposal's row says.
        for document_id in (SEED_000_DOCUMENT, later):
            assert client.get(f"/documents/{document_id}").json()["proposal"]["co_handlers"] == ALL_THREE

        # Without the fuller letter, the unit only it named is no co-handler anywhere.
        with session_scope(two_letters) as session:
            delete_documents(session, [SEED_000_DOCUMENT])
        views = co_handler_views(client)
        assert views.detail == views.list == ALL_THREE[:2]
        assert views.facet_labels == sorted(ALL_THREE[:2])
        assert len(views.filter) == 2
        assert all(ids == [SEED_000_PROPOSAL] for ids in views.filter.values())
