"""Query parameters read into a pydantic model, and the OpenAPI that describes them.

FastAPI can read a query model itself (`Annotated[Model, Query()]`), but it re-derives each
field's aliases and shapes on every request: about a millisecond, more than a list's own
queries. `from_query` reads the query string once into a dict and validates it in one call,
with the same rules: a list field collects every repetition, any other field takes the last one,
and unknown names reach the model (which forbids them) so the 422 names them.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, TypeVar

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)


def from_query(model: type[ModelT]) -> Any:
    """`Depends` on reading `model` from the query string (no thread, no I/O)."""

    async def read(request: Request) -> ModelT:
        return read_query(request, model)

    return Depends(read)


def read_query(request: Request, model: type[ModelT]) -> ModelT:
    """`model` read from the request's query string. Hot routes call it themselves rather than
    through `Depends`: FastAPI's dependency solving costs more than the reading."""
    return validate_query(request.query_params.multi_items(), model)


def validate_query(items: Iterable[tuple[str, str]], model: type[ModelT]) -> ModelT:
    """`model` read from (name, value) pairs of a query string, with the API's rules and its 422s
    (the pages read their forms through it, so a bad value is refused the same way)."""
    repeatable = _repeatable(model)
    values: dict[str, Any] = {}
    for name, value in items:
        if name in repeatable:
            values.setdefault(name, []).append(value)
        else:
            values[name] = value
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        raise RequestValidationError([{**e, "loc": ("query", *e["loc"])} for e in errors]) from None


def refuse_unknown(request: Request, known: frozenset[str] = frozenset()) -> None:
    """A 422 naming each query parameter a route does not take, as the lists' models give: a
    detail asked `?format=csv` or `?foo=bar` says so instead of answering as if not asked."""
    unknown = [name for name in dict.fromkeys(request.query_params) if name not in known]
    if unknown:
        raise RequestValidationError(
            [
                {"type": "extra_forbidden", "loc": ("query", name), "msg": "Extra inputs are not permitted"}
                for name in unknown
            ]
        )


@lru_cache(maxsize=64)
def _repeatable(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(name for name, field in model.model_fields.items() if _is_list(field.annotation))


def query_openapi(model: type[BaseModel], **examples: Any) -> dict[str, Any]:
    """`openapi_extra` for a route reading `model` with `query_model`: one query parameter per
    field, described as FastAPI would, with any referenced enums written inline, and the field's
    first example (or the one given here by name: a cursor belongs to one endpoint) as the
    parameter's `example`, which "Try it out" starts filled with. `refresh_query_openapi` writes
    them again from the settings of the moment (page limits), before an OpenAPI document is made."""
    extra = {"parameters": _query_parameters(model, examples)}
    _QUERY_OPENAPI.append((extra, model, examples))
    return extra


_QUERY_OPENAPI: list[tuple[dict[str, Any], type[BaseModel], dict[str, Any]]] = []


def refresh_query_openapi() -> None:
    """Describe every route's query parameters again, as the settings now say."""
    for extra, model, examples in _QUERY_OPENAPI:
        extra["parameters"] = _query_parameters(model, examples)


def _query_parameters(model: type[BaseModel], examples: dict[str, Any]) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    definitions = schema.get("$defs", {})
    parameters = []
    for name, field in model.model_fields.items():
        field_schema = _inline(schema["properties"][name], definitions)
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": field.is_required(),
            "schema": field_schema,
        }
        if description := field.description or field_schema.get("description"):
            parameter["description"] = description
        if name in examples:
            parameter["example"] = examples[name]
        elif field.examples:
            parameter["example"] = field.examples[0]
        parameters.append(parameter)
    return parameters


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            target = definitions[node["$ref"].rsplit("/", 1)[-1]]
            return _inline({**target, **{k: v for k, v in node.items() if k != "$ref"}}, definitions)
        return {key: _inline(value, definitions) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    return node


def _is_list(annotation: Any) -> bool:
    if typing.get_origin(annotation) is list:
        return True
    return any(_is_list(arg) for arg in typing.get_args(annotation))
