"""What a list item shows is stored with its row at ingest; it must say what the detail says,
also after a re-ingest changes a document's topics and its proposal's title and co-handlers."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api.app import create_app
from app.db.ids import stable_id
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import SEEDS, all_items

LETTER = "001_681e2b01cc784a69.txt"  # 市政协六届三次会议第0883号提案, answered by 市科技局
CHANGES = [
    ("[ 主题分类 ] 科技", "[ 主题分类 ] 工业"),
    ("经与市教委、", "经与市发展改革委、"),
    ("《关于强化重庆企业科技创新的建议》", "《关于加快重庆企业科技创新的建议》"),
]


def test_list_items_say_what_the_details_say_after_a_reingest_changes_them(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS, folder)
    run_ingest(engine, find_sources([folder]))
    with TestClient(create_app(engine)) as client:
        before = client.get("/documents").headers["etag"]
        letter = folder / LETTER
        text = letter.read_text(encoding="utf-8")
        for old, new in CHANGES:
            assert old in text
            text = text.replace(old, new)
        letter.write_text(text, encoding="utf-8")
        assert run_ingest(engine, find_sources([folder])).counts["updated"] == 1
        assert client.get("/documents", headers={"If-None-Match": before}).status_code == 200  # a new version

        documents = all_items(client, "/documents", limit=2)
        for item in documents:
            detail = client.get(f"/documents/{item['id']}").json()
            assert item == {key: detail[key] for key in item if key != "proposal"} | {"proposal": item["proposal"]}
            assert item["topics"] == detail["topics"]
            if item["proposal"] is None:
                assert detail["proposal"] is None
            else:
                assert item["proposal"] == {key: detail["proposal"][key] for key in item["proposal"]}
        changed = next(d for d in documents if d["id"] == stable_id("index_no", "11500000MB15895317/2025-00053"))
        assert changed["topics"] == ["工业"]
        assert changed["proposal"]["title"] == "关于加快重庆企业科技创新的建议"
        assert [d["id"] for d in all_items(client, "/documents", topic="工业")] == [changed["id"]]

        proposals = all_items(client, "/proposals", limit=2)
        for item in proposals:
            detail = client.get(f"/proposals/{item['id']}").json()
            assert item == {key: detail[key] for key in item}
        answered = next(p for p in proposals if p["id"] == changed["proposal"]["id"])
        assert "市发展改革委" in answered["co_handlers"] and "市教委" not in answered["co_handlers"]
        assert answered["title"] == "关于加快重庆企业科技创新的建议"

        figures = all_items(client, "/metrics", document_id=changed["id"])
        assert figures and {f["document_title"] for f in figures} == {changed["title"]}
