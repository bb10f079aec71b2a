"""HTTP manners: ETags and 304s, Cache-Control, gzip, CORS and safe headers."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api.app import create_app
from app.config import get_settings
from app.db.ids import stable_id
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import SEEDS, recorded_statements


def test_a_repeated_get_with_the_etag_gets_a_304(client: TestClient) -> None:
    first = client.get("/documents", params={"kind": "reply_letter"})
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    again = client.get("/documents", params={"kind": "reply_letter"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag


def test_the_etag_changes_with_the_data_asked_for(client: TestClient) -> None:
    letters = client.get("/documents", params={"kind": "reply_letter"}).headers["etag"]
    news = client.get("/documents", params={"kind": "news_article"})
    assert news.headers["etag"] != letters
    stale = client.get("/documents", params={"kind": "news_article"}, headers={"If-None-Match": letters})
    assert stale.status_code == 200


def test_large_responses_are_gzipped_when_the_client_accepts_it(client: TestClient) -> None:
    resp = client.get("/documents", params={"limit": 100}, headers={"Accept-Encoding": "gzip"})
    assert resp.headers["content-encoding"] == "gzip"
    assert len(resp.json()["items"]) == 5


def test_every_response_says_nosniff_and_errors_are_not_cached(client: TestClient) -> None:
    error = client.get("/documents", params={"limit": "x"})
    assert error.headers["x-content-type-options"] == "nosniff"
    assert "etag" not in error.headers and error.headers["cache-control"] == "no-store"
    assert client.get("/documents/1").headers["cache-control"] == "no-store"
    assert "accept" in client.get("/documents").headers["vary"].lower()  # JSON or CSV by Accept
    docs = client.get("/docs")
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]


def client_with_settings(engine: Engine, monkeypatch: pytest.MonkeyPatch, **env: str) -> Iterator[TestClient]:
    """A client of an app built while the given environment variables are set."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        with TestClient(create_app(engine)) as test_client:
            yield test_client
    finally:
        get_settings.cache_clear()


@pytest.fixture
def cors_client(seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    yield from client_with_settings(seeded_engine, monkeypatch, CORS_ORIGINS='["https://news.example"]')


def test_cors_allows_only_the_configured_origins(cors_client: TestClient, client: TestClient) -> None:
    allowed = cors_client.get("/health", headers={"Origin": "https://news.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://news.example"
    other = cors_client.get("/health", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers
    default = client.get("/health", headers={"Origin": "https://news.example"})
    assert "access-control-allow-origin" not in default.headers


@pytest.fixture
def limited_client(seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    yield from client_with_settings(seeded_engine, monkeypatch, RATE_LIMIT_PER_MINUTE="3")


def test_over_the_rate_limit_a_client_gets_429_with_retry_after(limited_client: TestClient) -> None:
    statuses = [limited_client.get("/documents", params={"limit": 1}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = limited_client.get("/proposals")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["title"] == "Too many requests"
    assert limited_client.get("/health").status_code == 200


def test_rate_limiting_is_off_by_default(client: TestClient) -> None:
    assert all(client.get("/health").status_code == 200 for _ in range(50))
    assert all(client.get("/documents", params={"limit": 1}).status_code == 200 for _ in range(50))


def test_the_etag_is_known_before_the_route_runs_and_changes_with_every_ingest(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS, folder)
    run_ingest(engine, find_sources([folder]))
    with TestClient(create_app(engine)) as client:
        first = client.get("/documents", params={"kind": "reply_letter", "limit": 2})
        reordered = client.get("/documents", params={"limit": 2, "kind": "reply_letter"})
        assert first.headers["etag"] == reordered.headers["etag"]  # one canonical URL
        letter = folder / "001_681e2b01cc784a69.txt"
        letter.write_text(letter.read_text(encoding="utf-8").replace("69820家", "70000家"), encoding="utf-8")
        run_ingest(engine, find_sources([folder]))
        again = client.get(
            "/documents", params={"kind": "reply_letter", "limit": 2}, headers={"If-None-Match": first.headers["etag"]}
        )
        assert again.status_code == 200 and again.headers["etag"] != first.headers["etag"]


@pytest.fixture
def cached_client(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[TestClient]:
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS, folder)
    run_ingest(engine, find_sources([folder]))
    yield from client_with_settings(engine, monkeypatch, RESPONSE_CACHE_MB="1")


def test_the_response_cache_serves_a_body_only_while_its_data_version_is_the_newest(
    cached_client: TestClient, engine: Engine, tmp_path: Path
) -> None:
    first = cached_client.get("/metrics", params={"limit": 3})
    with recorded_statements(cached_client) as statements:
        hit = cached_client.get("/metrics", params={"limit": 3})
    assert hit.content == first.content and hit.headers["etag"] == first.headers["etag"]
    assert statements.queries == []  # from the cache
    letter = tmp_path / "sources" / "001_681e2b01cc784a69.txt"
    letter.write_text(letter.read_text(encoding="utf-8").replace("69820家", "70000家"), encoding="utf-8")
    run_ingest(engine, find_sources([tmp_path / "sources"]))
    with recorded_statements(cached_client) as statements:
        fresh = cached_client.get(
            "/metrics", params={"limit": 100, "document_id": stable_id("index_no", "11500000MB15895317/2025-00053")}
        )
    assert len(statements.queries) == 1
    assert 70000 in {m["value"] for m in fresh.json()["items"]}
    with recorded_statements(cached_client) as statements:
        after = cached_client.get("/metrics", params={"limit": 3})
    assert len(statements.queries) == 1 and after.headers["etag"] != first.headers["etag"]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_load_only_assets_the_app_serves(client: TestClient, page: str) -> None:
    """Offline and inside a closed network the docs still work: nothing comes from a CDN."""
    resp = client.get(page)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    urls = re.findall(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']|url:\s*'([^']+)'""", resp.text)
    urls = [a or b for a, b in urls]
    assert any(url.endswith(".js") for url in urls)
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url  # same origin
        asset = client.get(url)
        assert asset.status_code == 200 and asset.content, url
    assert "http://" not in resp.text and "https://" not in resp.text
    csp = resp.headers["content-security-policy"]
    assert "http" not in csp and "cdn" not in csp and "frame-ancestors 'none'" in csp


def test_the_docs_assets_are_served_with_their_types_and_only_those(client: TestClient) -> None:
    assert client.get("/docs/assets/swagger-ui-bundle.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/docs/assets/swagger-ui.css").headers["content-type"].startswith("text/css")
    assert client.get("/docs/assets/redoc.standalone.js").content.startswith(b"/*! For license information")
    assert client.get("/docs/assets/__init__.py").status_code == 404
    assert client.get("/docs/assets/..%2F__init__.py").status_code == 404


def test_a_client_without_gzip_gets_plain_bytes_that_say_they_vary_by_encoding(client: TestClient) -> None:
    resp = client.get("/documents", params={"limit": 100}, headers={"Accept-Encoding": "identity"})
    assert resp.status_code == 200 and "content-encoding" not in resp.headers
    assert resp.json()["items"]
    assert {"accept", "accept-encoding"} <= {v.strip().lower() for v in resp.headers["vary"].split(",")}
