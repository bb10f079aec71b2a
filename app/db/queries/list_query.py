"""What a list endpoint runs and renders: the statements and values of one request, and the
function that turns their rows into items."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar

from app.db.queries.shape import ListShape
from app.db.read import AnyRow
from app.schemas.common import PageParams

FiltersT = TypeVar("FiltersT", bound=PageParams)

Item = dict[str, Any]
"""A list item as the JSON answers it: built as a dict, never as a pydantic instance (see `Listing`)."""

Render = Callable[[Sequence[AnyRow], FiltersT], list[Item]]
"""(rows of a list's columns, the request's filters) → items: pure, no database, the same for a page and an export."""


class ListQuery(NamedTuple):
    """One list request's statements (by the shape of its filters) and their bind parameters' values."""

    shape: ListShape
    params: dict[str, Any]
