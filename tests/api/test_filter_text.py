"""Text filters speak the Chinese the stored text speaks: a value in Traditional characters, in
full-width forms or with spaces around it finds what its Simplified, trimmed form finds; a zone's
committee is found by the zone's customary name. On the seeds, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def ids(client: TestClient, path: str, **params: str) -> set[int]:
    resp = client.get(path, params={**params, "limit": "100"})
    assert resp.status_code == 200, resp.text
    return {item["id"] for item in resp.json()["items"]}


@pytest.mark.parametrize(
    ("path", "name", "traditional", "simplified"),
    [
        ("/documents", "publisher", "重慶市科學技術局", "重庆市科学技术局"),
        ("/documents", "session", "市六屆人大一次會議", "市六届人大一次会议"),
        ("/documents", "institution", "金鳳實驗室", "金凤实验室"),
        ("/documents", "genre", "人大建議辦理", "人大建议办理"),
        ("/proposals", "proposer", "李謹", "李谨"),
        ("/proposals", "co_handler", " 市經濟信息委 ", "市经济信息委"),
    ],
)
def test_a_filter_in_traditional_characters_finds_the_simplified_text(
    client: TestClient, path: str, name: str, traditional: str, simplified: str
) -> None:
    found = ids(client, path, **{name: simplified})
    assert found, f"{name}={simplified} finds nothing on the seeds"
    assert ids(client, path, **{name: traditional}) == found


def test_full_width_forms_fold_as_the_text_does(client: TestClient) -> None:
    assert ids(client, "/proposals", number="１０２４") == ids(client, "/proposals", number="1024") != set()


def test_a_zones_committee_by_the_zones_customary_name(client: TestClient) -> None:
    by_zone = ids(client, "/documents", institution="重庆高新区")
    assert by_zone and by_zone == ids(client, "/documents", institution="重庆高新技术产业开发区管理委员会")
