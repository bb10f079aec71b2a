"""GET /dumps/latest: the newest dump's manifest, and its files served for download and resumption
(Range, If-Range, If-None-Match), on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api.app import create_app
from app.config import Settings, get_settings
from app.dumps import RESOURCE_NAMES, PublishedDump, publish_dump
from tests.helpers import assert_problem


def client_with_dumps(engine: Engine, dumps_dir: Path | None) -> TestClient:
    app = create_app(engine)
    settings = Settings(_env_file=None, dumps_dir=dumps_dir)
    app.dependency_overrides[get_settings] = lambda: settings
    return TestClient(app)


@pytest.fixture(scope="module")
def published(seeded_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> PublishedDump:
    dump = publish_dump(seeded_engine, tmp_path_factory.mktemp("dumps"))
    assert dump is not None
    return dump


@pytest.fixture(scope="module")
def dumps(seeded_engine: Engine, published: PublishedDump) -> Iterator[TestClient]:
    with client_with_dumps(seeded_engine, published.path.parent) as client:
        yield client


def proposals_file(published: PublishedDump) -> tuple[bytes, dict[str, Any]]:
    file = published.manifest["resources"]["proposals"]
    return (published.path / file["file"]).read_bytes(), file


def test_the_manifest_lists_each_file_with_its_url_count_and_sha256(
    dumps: TestClient, published: PublishedDump
) -> None:
    resp = dumps.get("/dumps/latest")
    assert resp.status_code == 200
    body = resp.json()
    assert list(body["resources"]) == list(RESOURCE_NAMES)
    assert body["data_version"] == published.manifest["data_version"]
    proposals = body["resources"]["proposals"]
    assert proposals["url"] == "/dumps/latest/proposals.ndjson.gz"
    assert proposals["records"] == 4
    assert {k: v for k, v in proposals.items() if k != "url"} == published.manifest["resources"]["proposals"]
    manifest_sha = hashlib.sha256((published.path / "manifest.json").read_bytes()).hexdigest()
    assert resp.headers["etag"] == f'W/"{manifest_sha}"'
    assert resp.headers["cache-control"] == "no-cache"
    again = dumps.get("/dumps/latest", headers={"If-None-Match": resp.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["etag"] == resp.headers["etag"]


def test_a_file_comes_whole_with_its_length_and_its_sha256_as_a_strong_etag(
    dumps: TestClient, published: PublishedDump
) -> None:
    raw, file = proposals_file(published)
    # The test client accepts gzip: the file must still come as its own bytes, not compressed again.
    resp = dumps.get("/dumps/latest/proposals.ndjson.gz")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in resp.headers
    assert resp.headers["content-length"] == str(file["bytes"]) == str(len(raw))
    assert resp.headers["etag"] == f'"{file["sha256"]}"'
    assert resp.headers["accept-ranges"] == "bytes"
    assert resp.headers["content-disposition"] == 'attachment; filename="proposals.ndjson.gz"'
    assert resp.content == raw
    assert hashlib.sha256(resp.content).hexdigest() == file["sha256"]


def test_a_download_resumes_with_range_and_the_parts_make_the_file(dumps: TestClient, published: PublishedDump) -> None:
    raw, file = proposals_file(published)
    first = dumps.get("/dumps/latest/proposals.ndjson.gz", headers={"Range": "bytes=0-99"})
    assert first.status_code == 206
    assert first.headers["content-range"] == f"bytes 0-99/{len(raw)}"
    assert first.headers["content-length"] == "100"
    assert first.headers["etag"] == f'"{file["sha256"]}"'
    rest = dumps.get(
        "/dumps/latest/proposals.ndjson.gz", headers={"Range": "bytes=100-", "If-Range": first.headers["etag"]}
    )
    assert rest.status_code == 206
    assert rest.headers["content-range"] == f"bytes 100-{len(raw) - 1}/{len(raw)}"
    assert first.content + rest.content == raw


def test_if_range_with_another_etag_sends_the_whole_file(dumps: TestClient, published: PublishedDump) -> None:
    raw, _file = proposals_file(published)
    stale = '"' + "0" * 64 + '"'
    resp = dumps.get("/dumps/latest/proposals.ndjson.gz", headers={"Range": "bytes=100-", "If-Range": stale})
    assert resp.status_code == 200
    assert resp.content == raw


def test_a_range_past_the_end_is_a_416_with_the_files_size(dumps: TestClient, published: PublishedDump) -> None:
    raw, _file = proposals_file(published)
    resp = dumps.get("/dumps/latest/proposals.ndjson.gz", headers={"Range": f"bytes={len(raw)}-"})
    problem = assert_problem(resp, 416)
    assert problem.title == "Range not satisfiable"
    assert resp.headers["content-range"] == f"bytes */{len(raw)}"
    assert assert_problem(dumps.get("/dumps/latest/proposals.ndjson.gz", headers={"Range": "lines=1-2"}), 400)


def test_if_none_match_with_the_files_etag_is_a_304(dumps: TestClient, published: PublishedDump) -> None:
    _raw, file = proposals_file(published)
    etag = f'"{file["sha256"]}"'
    resp = dumps.get("/dumps/latest/proposals.ndjson.gz", headers={"If-None-Match": etag})
    assert resp.status_code == 304
    assert resp.content == b""
    assert resp.headers["etag"] == etag
    other = dumps.get("/dumps/latest/proposals.ndjson.gz", headers={"If-None-Match": '"' + "0" * 64 + '"'})
    assert other.status_code == 200


def test_an_unknown_resource_is_a_404_and_an_unknown_parameter_a_422(dumps: TestClient) -> None:
    problem = assert_problem(dumps.get("/dumps/latest/bills.ndjson.gz"), 404)
    assert "bills" in (problem.detail or "")
    assert_problem(dumps.get("/dumps/latest", params={"format": "csv"}), 422, "format")


def test_every_file_of_the_manifest_downloads_with_its_sha256(dumps: TestClient) -> None:
    for name, file in dumps.get("/dumps/latest").json()["resources"].items():
        resp = dumps.get(file["url"])
        assert resp.status_code == 200, name
        assert hashlib.sha256(resp.content).hexdigest() == file["sha256"], name


def test_dumps_off_or_none_yet_is_a_404_saying_which(seeded_engine: Engine, tmp_path: Path) -> None:
    with client_with_dumps(seeded_engine, None) as off:
        for url in ("/dumps/latest", "/dumps/latest/documents.ndjson.gz"):
            assert "DUMPS_DIR is not set" in (assert_problem(off.get(url), 404).detail or "")
    with client_with_dumps(seeded_engine, tmp_path) as empty:
        for url in ("/dumps/latest", "/dumps/latest/documents.ndjson.gz"):
            assert "no dump yet" in (assert_problem(empty.get(url), 404).detail or "")


def test_the_openapi_path_example_downloads(dumps: TestClient) -> None:
    spec = dumps.get("/openapi.json").json()
    operation = spec["paths"]["/dumps/latest/{resource}.ndjson.gz"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) == {"resource", "range", "if-range", "if-none-match"}
    assert params["resource"]["schema"]["enum"] == list(RESOURCE_NAMES)
    example = next(iter(params["resource"]["examples"].values()))["value"]
    assert dumps.get(f"/dumps/latest/{example}.ndjson.gz").status_code == 200
    assert {"200", "206", "304", "404", "416"} <= set(operation["responses"])


def test_a_browser_on_an_allowed_origin_may_resume_a_download(
    seeded_engine: Engine, published: PublishedDump, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORS_ORIGINS", '["https://news.example"]')
    monkeypatch.setenv("DUMPS_DIR", str(published.path.parent))
    get_settings.cache_clear()
    try:
        with TestClient(create_app(seeded_engine)) as cors:
            url = "/dumps/latest/proposals.ndjson.gz"
            origin = {"Origin": "https://news.example"}
            preflight = cors.options(
                url,
                headers={
                    **origin,
                    "Access-Control-Request-Method": "GET",
                    "Access-Control-Request-Headers": "range, if-range",
                },
            )
            assert preflight.status_code == 200
            assert {"range", "if-range"} <= set(preflight.headers["access-control-allow-headers"].lower().split(", "))
            part = cors.get(url, headers={**origin, "Range": "bytes=0-9"})
            assert part.status_code == 206
            exposed = set(part.headers["access-control-expose-headers"].lower().split(", "))
            assert {"etag", "content-range"} <= exposed
    finally:
        get_settings.cache_clear()
