"""One error shape for every non-2xx response: application/problem+json (RFC 9457)."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.db.queries.pagination import InvalidCursor
from app.db.queries.search import UnsearchableQuery
from app.schemas.common import ParamError, Problem

log = logging.getLogger("app.api")

PROBLEM_JSON = "application/problem+json"


def problem_responses(*statuses: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` declaring a problem+json body for each (status, description)."""
    return {s: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": d} for s, d in statuses}


PROBLEM_RESPONSES = problem_responses(
    (404, "Not found"), (422, "Invalid parameter"), (500, "Unexpected error"), (503, "Database unavailable")
)


class NotFound(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


FoundT = TypeVar("FoundT")


def found(value: FoundT | None, what: str) -> FoundT:
    """`value`, or a 404 saying `what` (`document 12`) does not exist when there is none."""
    if value is None:
        raise NotFound(what)
    return value


class ProblemError(Exception):
    """Raised by a route or dependency to refuse a request with a problem body of its own status and
    title (401, 409, 413…), with headers such as WWW-Authenticate or Location when the status needs them."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        errors: list[ParamError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers


def invalid_param(param: str, message: str) -> ProblemError:
    """The 422 for one bad parameter, when it is found after FastAPI's own validation."""
    return ProblemError(
        422, "Invalid parameter", f"{param}: {message}", errors=[ParamError(param=param, message=message)]
    )


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    errors: list[ParamError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail, errors=errors or [])
    return JSONResponse(body.model_dump(), status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _param_name(loc: tuple[int | str, ...]) -> str:
    # A repeated query parameter's position (`facet.1`) is not part of its name: the client sent
    # `facet`. In a body, the position says which item (`paths.1`).
    query = loc[:1] == ("query",)
    parts = [str(p) for p in loc if p not in ("query", "path", "body") and not (query and isinstance(p, int))]
    return ".".join(parts) or "request"


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, RequestValidationError):
        raise exc
    errors = [ParamError(param=_param_name(tuple(e.get("loc", ()))), message=_message(e)) for e in exc.errors()]
    detail = "; ".join(f"{e.param}: {e.message}" for e in errors)
    return problem(422, "Invalid parameter", detail, errors)


def _message(error: dict[str, Any]) -> str:
    if error.get("type") == "extra_forbidden":
        return "Unknown parameter"
    return str(error.get("msg", "Invalid value")).removeprefix("Value error, ")


async def _invalid_cursor(request: Request, exc: Exception) -> JSONResponse:
    return await _problem_error(request, invalid_param("cursor", str(exc)))


async def _unsearchable(request: Request, exc: Exception) -> JSONResponse:
    return await _problem_error(request, invalid_param("q", str(exc)))


async def _not_found(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, NotFound):
        raise exc
    return problem(404, "Not found", f"{exc.what} does not exist")


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, StarletteHTTPException):
        raise exc
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "Request refused")
    return problem(exc.status_code, title, str(exc.detail) if exc.detail else None)


async def _problem_error(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, ProblemError):
        raise exc
    return problem(exc.status, exc.title, exc.detail, exc.errors, exc.headers)


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable during %s %s: %s", request.method, request.url.path, exc)
    return problem(503, "Database unavailable", "The database cannot be reached; try again shortly")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error during %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "Unexpected error", "Something went wrong on our side; it has been logged")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(InvalidCursor, _invalid_cursor)
    app.add_exception_handler(UnsearchableQuery, _unsearchable)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(ProblemError, _problem_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected)
