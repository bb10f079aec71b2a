"""Running schemathesis over the app's GET operations and collecting what it finds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# What the API promises: no server error, only documented status codes and content types,
# bodies that match their schema. Not checked: that every schema-valid request is accepted
# (the API refuses, with a 422 naming the parameter, values a schema cannot express: a
# relevance sort without q, a query of only punctuation, a forged cursor, control characters).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass
class FuzzReport:
    cases: int = 0
    per_operation: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def fuzz_get_endpoints(app: Any, cases_per_operation: int) -> FuzzReport:
    """Generate cases for every GET operation and check each response: not a server error, a
    documented status code and content type, a body that matches the documented schema."""
    # The public read API; admin routes answer 503 by design until a token is configured.
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(method="GET").exclude(path_regex="^/admin")
    report = FuzzReport()
    for result in schema.get_all_operations():
        _fuzz_operation(result.ok(), cases_per_operation, report)
    return report


def _fuzz_operation(operation: Any, cases: int, report: FuzzReport) -> None:
    label = operation.label

    @given(case=operation.as_strategy())
    @settings(max_examples=cases, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        report.cases += 1
        report.per_operation[label] = report.per_operation.get(label, 0) + 1
        try:
            case.call_and_validate(checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # record every finding, then run the next case
            report.failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:500]}")

    try:
        check()
    except Unsatisfiable:
        report.failures.append(f"{label}: no valid case could be generated")
