"""Streaming exports: every matching row as CSV or NDJSON, in constant memory.

Rows are read in batches on a connection of the export's own (the request's session closes
before a streamed body is sent), rendered by the same function that renders a page, and written
out batch by batch. CSV starts with a BOM so spreadsheet software reads the Chinese as UTF-8; a
nested object becomes `parent_field` columns and every list a JSON array in its one column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

import orjson
from fastapi import Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy import Engine

from app.db.read import AnyRow, AnySelect
from app.schemas.common import ExportFormat

MEDIA_TYPES: dict[ExportFormat, str] = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}, "application/x-ndjson": {}}, "description": "A page, or every row exported"}
}
BATCH = 500


def export_format(request: Request, requested: Literal["json"] | ExportFormat) -> ExportFormat | None:
    """The export a request asks for: `format=` wins, else an Accept header naming only CSV or NDJSON."""
    if requested != "json":
        return requested
    accept = request.headers.get("accept", "")
    if "text/csv" in accept and "json" not in accept:
        return "csv"
    if "application/x-ndjson" in accept:
        return "ndjson"
    return None


def stream_export(
    engine: Engine,
    stmt: AnySelect,
    params: Mapping[str, Any],
    render: Callable[[Sequence[AnyRow]], list[dict[str, Any]]],
    model: type[BaseModel],
    fmt: ExportFormat,
    filename: str,
) -> StreamingResponse:
    """Every row `stmt` selects (ordered), rendered by `render` in batches and written as `fmt`.
    An export runs for minutes on a connection of its own, in a worker thread, one snapshot throughout."""

    def batches() -> Iterator[list[dict[str, Any]]]:
        with engine.connect() as connection, connection.begin():
            result = connection.execution_options(yield_per=BATCH, stream_results=True).execute(stmt, dict(params))
            for partition in result.partitions(BATCH):
                yield render(partition)

    body = _csv(batches(), model) if fmt == "csv" else _ndjson(batches())
    headers = {"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'}
    return StreamingResponse(body, media_type=MEDIA_TYPES[fmt], headers=headers)


def _ndjson(batches: Iterator[list[dict[str, Any]]]) -> Iterator[bytes]:
    for batch in batches:
        yield b"".join(orjson.dumps(item) + b"\n" for item in batch)


def _csv(batches: Iterator[list[dict[str, Any]]], model: type[BaseModel]) -> Iterator[bytes]:
    columns = csv_columns(model)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield "\ufeff".encode() + buffer.getvalue().encode()
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        for item in batch:
            flat = flatten(item)
            writer.writerow([flat.get(column, "") for column in columns])
        yield buffer.getvalue().encode()


def csv_columns(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Column names: nested models become `parent_field` columns, everything else one column."""
    columns: list[str] = []
    for name, field in model.model_fields.items():
        nested = _nested_model(field.annotation)
        if nested is not None:
            columns += csv_columns(nested, f"{prefix}{name}_")
        else:
            columns.append(prefix + name)
    return columns


def flatten(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, dict):
            flat |= flatten(item, f"{prefix}{key}_")
        elif isinstance(item, list):
            # One rule for every list-valued column, names or records alike: a JSON array, which a
            # spreadsheet shows as text and any language parses back. A separator such as "; " would
            # be one rule for names and another for records, and breaks on a name that contains it.
            flat[prefix + key] = orjson.dumps(item).decode()
        elif isinstance(item, date):
            flat[prefix + key] = item.isoformat()
        else:
            flat[prefix + key] = "" if item is None else item
    return flat


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, UnionType):
        models = [a for a in get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        return models[0] if len(models) == 1 else None
    return None
