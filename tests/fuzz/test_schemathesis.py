"""Schema-driven fuzzing of every GET endpoint against the project's own OpenAPI document, on
SQLite and PostgreSQL with the seeds loaded: no 5xx, every response matches the documented
schema and status codes. A small budget here; `python -m tests.fuzz.run` runs thousands."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.fuzz.engine import fuzz_get_endpoints

CASES_PER_OPERATION = 25


def test_get_endpoints_never_fail_and_always_match_their_schema(client: TestClient) -> None:
    report = fuzz_get_endpoints(client.app, CASES_PER_OPERATION)
    assert report.cases >= CASES_PER_OPERATION * 5
    assert report.failures == [], "\n".join(report.failures[:5])
