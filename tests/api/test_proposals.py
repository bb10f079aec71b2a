"""/proposals on the seeds, on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers import assert_problem


def test_number_finds_li_jins_suggestion_and_its_co_handlers(client: TestClient) -> None:
    items = client.get("/proposals", params={"number": "1024"}).json()["items"]
    assert len(items) == 1
    proposal = items[0]
    assert proposal["type"] == "suggestion"
    assert proposal["session"] == "市六届人大一次会议"
    assert (proposal["term"], proposal["session_no"]) == (6, 1)
    assert proposal["proposers"] == [{"name": "李谨", "role": "代表"}]
    assert proposal["co_handlers"] == ["市发展改革委", "市经济信息委", "两江新区管委会"]


def test_number_matches_with_or_without_leading_zeros(client: TestClient) -> None:
    padded = client.get("/proposals", params={"number": "0883"}).json()["items"]
    bare = client.get("/proposals", params={"number": "883"}).json()["items"]
    assert [p["number"] for p in padded] == [p["number"] for p in bare] == ["0883"]


def test_a_number_is_text_as_printed_and_one_no_proposal_has_finds_none(client: TestClient) -> None:
    # Numbers are identifiers as printed, not integers (letters print 西湖33, 10.5.011): any text is
    # a valid number, and one that no proposal has is an empty list, as for any other filter.
    for number in ("1024", "第1024号", "１０２４", " 1024 "):
        assert [p["number"] for p in client.get("/proposals", params={"number": number}).json()["items"]] == ["1024"]
    for number in ("abc", "西湖33", "10240"):
        resp = client.get("/proposals", params={"number": number})
        assert resp.status_code == 200 and resp.json()["items"] == []
    assert_problem(client.get("/proposals", params={"number": "1" * 41}), 422, "number")


def test_proposer_and_co_handler_filters(client: TestClient) -> None:
    by_member = client.get("/proposals", params={"proposer": "孙宽"}).json()["items"]
    assert [p["number"] for p in by_member] == ["0883"]
    by_party = client.get("/proposals", params={"proposer": "致公党市委会"}).json()["items"]
    assert [p["number"] for p in by_party] == ["0244"]
    co_handled = client.get("/proposals", params={"co_handler": "市经济信息委"}).json()["items"]
    assert {p["number"] for p in co_handled} == {"1024", "0883", "0244"}


def test_type_level_term_and_year_filters(client: TestClient) -> None:
    cppcc = client.get("/proposals", params={"type": "proposal"}).json()["items"]
    assert {p["number"] for p in cppcc} == {"0883", "0244"}
    national = client.get("/proposals", params={"level": "national"}).json()["items"]
    assert [p["session"] for p in national] == ["十四届全国人大一次会议"]
    sixth = client.get("/proposals", params={"term": 6, "year": 2023}).json()["items"]
    assert [p["number"] for p in sixth] == ["1024"]


def test_detail_lists_the_reply_documents(client: TestClient) -> None:
    proposal = client.get("/proposals", params={"number": "1024"}).json()["items"][0]
    detail = client.get(f"/proposals/{proposal['id']}").json()
    assert [d["title"] for d in detail["documents"]] == [
        "重庆市科学技术局关于市六届人大一次会议第1024号建议办理情况的答复函"
    ]


def test_unknown_proposal_is_404_and_bad_type_is_422(client: TestClient) -> None:
    assert_problem(client.get("/proposals/1"), 404)
    assert_problem(client.get("/proposals", params={"type": "motion"}), 422, "type")
