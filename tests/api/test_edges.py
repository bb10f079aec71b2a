"""Parameters at the edges get a 4xx problem naming the parameter, or a correct empty result;
never a 500, a stack trace or a database error text."""

from __future__ import annotations

import base64
import json

import pytest
from fastapi.testclient import TestClient

from tests.helpers import assert_problem


def forged(*parts: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


REFUSED = [
    ("/documents", {"q": "科" * 5000}, "q"),
    ("/documents", {"q": "\x00\x01"}, "q"),
    ("/documents", {"q": '"'}, "q"),
    ("/documents", {"q": "*"}, "q"),
    ("/institutions", {"q": "%"}, "q"),
    ("/metrics", {"q": "_"}, "q"),
    ("/documents", {"publisher": "市科技局\x00"}, "publisher"),
    ("/proposals", {"number": "\x00"}, "number"),
    ("/metrics/series", {"indicator": "\x00"}, "indicator"),
    ("/documents", {"limit": -1}, "limit"),
    ("/documents", {"limit": 0}, "limit"),
    ("/documents", {"year": 99999}, "year"),
    ("/documents", {"published_from": "2023-02-30"}, "published_from"),
    ("/metrics", {"document_id": 10**25}, "document_id"),
    ("/metrics", {"as_of_from": "0000"}, "as_of_from"),
    ("/documents", {"cursor": forged("documents", "-published_date", {"a": 1}, 1)}, "cursor"),
    ("/documents", {"cursor": forged("documents", "-published_date", "2023-01-01", "1")}, "cursor"),
    ("/documents", {"cursor": forged("documents", "-published_date", "2023-01-01", 2**70)}, "cursor"),
    ("/documents", {"cursor": forged("documents", "title", 12, 1), "sort": "title"}, "cursor"),
    ("/metrics", {"cursor": forged("metrics", "value", "x", 1), "sort": "value"}, "cursor"),
    ("/documents", {"cursor": "eyJ"}, "cursor"),
    ("/metrics", {"cursor": forged("metrics", "document", 1, 2**40)}, "cursor"),
    ("/proposals", {"cursor": forged("proposals", "year", 2**40, 1), "sort": "year"}, "cursor"),
    ("/documents", {"cursor": forged("documents", "title", "a\x00b", 1), "sort": "title"}, "cursor"),
    ("/documents", {"cursor": "%%%"}, "cursor"),
]


@pytest.mark.parametrize(("path", "params", "param"), REFUSED)
def test_bad_values_are_refused_naming_the_parameter(client: TestClient, path: str, params: dict, param: str) -> None:
    problem = assert_problem(client.get(path, params=params), 422, param)
    assert "Traceback" not in (problem.detail or "") and "SQL" not in (problem.detail or "")


EMPTY = [
    ("/documents", {"q": "NEAR"}),
    ("/documents", {"q": "OR"}),
    ("/documents", {"q": "'; DROP TABLE document; --"}),
    ("/documents", {"published_to": "1800-01-01"}),
    ("/metrics", {"as_of_from": "9999-12-31"}),
]


@pytest.mark.parametrize(("path", "params"), EMPTY)
def test_odd_but_valid_values_give_an_empty_result(client: TestClient, path: str, params: dict) -> None:
    resp = client.get(path, params=params)
    assert resp.status_code == 200, resp.text
    assert resp.json()["items"] == []


# Bytes that are not UTF-8 are read as U+FFFD, as Starlette decodes a query string; what that
# leaves decides the answer, the same as for any other text.
UNDECODABLE = [
    ("q=%ED%A0%80", 422),  # an encoded lone surrogate: nothing left that can be searched
    ("q=%E4%B8", 422),  # a truncated character: the same
    ("q=%zz%", 200),  # no escape at all: the text `%zz%`, which no document contains
    ("publisher=%FF%FE", 200),  # a name no institution has: an empty list, as for any unknown name
]


@pytest.mark.parametrize(("raw", "status"), UNDECODABLE)
def test_invalid_percent_encoding_is_read_as_text_and_answered_as_such(
    client: TestClient, raw: str, status: int
) -> None:
    resp = client.get(f"/documents?{raw}")
    if status == 422:
        assert_problem(resp, 422, raw.split("=")[0])
    else:
        assert resp.status_code == 200, resp.text
        assert resp.json()["items"] == []


def test_repeated_parameters_do_not_break_the_query(client: TestClient) -> None:
    query = "&".join(["kind=news_article"] * 1000 + ["facet=year"] * 1000)
    resp = client.get(f"/documents?{query}")
    assert resp.status_code == 200
    assert {item["kind"] for item in resp.json()["items"]} == {"news_article"}


def test_latin_words_match_regardless_of_case_on_both_databases(client: TestClient) -> None:
    upper = client.get("/metrics", params={"q": "R&D 经费"}).json()["items"]
    lower = client.get("/metrics", params={"q": "r&d 经费"}).json()["items"]
    assert upper == lower
    assert {5, 1000000000} <= {m["value"] for m in upper}  # 研究与试验发展(R&D)经费 in seeds 003 and 004


@pytest.mark.parametrize(
    "path",
    ["/documents/{document}?foo=bar", "/documents/{document}?format=csv", "/proposals/{proposal}?x=1",
     "/institutions/{institution}?limit=5&role=co_handler", "/institutions/{institution}/related?format=csv"],
)  # fmt: skip
def test_a_detail_refuses_a_parameter_it_does_not_take(client: TestClient, path: str) -> None:
    document = client.get("/documents", params={"limit": 1}).json()["items"][0]["id"]
    proposal = client.get("/proposals", params={"limit": 1}).json()["items"][0]["id"]
    institution = client.get("/institutions", params={"limit": 1}).json()["items"][0]["id"]
    resp = client.get(path.format(document=document, proposal=proposal, institution=institution))
    assert resp.status_code == 422, resp.text
    name = path.split("?")[1].split("=")[0] if "limit" not in path else "role"
    assert name in [e["param"] for e in resp.json()["errors"]]
