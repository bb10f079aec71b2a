"""A list's statements for one shape of request, built once and run with bind parameters.

A shape is which filters a request gives (never their values), its sort and, for searches, how
many words it has: building a Select costs about as much as running it, so each shape's page,
total, facets and export are built the first time the shape is asked for and kept. Values reach
the database as bind parameters; `params` of each resource's builder names them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.orm import InstrumentedAttribute

from app.db.queries.facets import Facet, facet_statement, total_statement
from app.db.queries.pagination import CursorShape, SortKey, after_params, ordering
from app.db.read import DATA_VERSION, AnyRow, AnySelect, Reader

DATA_VERSION_COLUMN = DATA_VERSION.scalar_subquery().label("data_version")


@dataclass(eq=False)
class ListShape:
    rows: AnySelect
    """The listed columns of every matching row, unordered."""
    key: SortKey
    id_column: InstrumentedAttribute[int]
    """The listed table's primary key: the tie-breaker of every order and what totals count."""
    facets: Mapping[str, Facet]
    paged: AnySelect | None = None
    """The same rows as a first page finds them, when that differs from how later pages, a total,
    a facet or an export do: a search for a common word sorted by date may walk the documents and
    stop at a page (`app.db.queries.search.page_among_hits`), which is no way to count or export
    them all, and costs more the deeper the page."""
    learn: Callable[[Reader, Mapping[str, Any], AnyRow], None] | None = None
    """Keeps what a first page's row reports for the next request (the reader, the request's
    values, the row): a common word's document count, which `paged` reads."""
    _built: dict[Any, AnySelect] = field(default_factory=dict, repr=False)
    _by_ids: ListShape | None = field(default=None, repr=False)

    def by_ids(self) -> ListShape:
        """The same shape narrowed to the ids in `:ids` (one expanding bind parameter, a list of
        ≤100 ids): its page, total, facets and export all keep the other filters. The walking
        first page of a common word (`paged`) is no plan for a handful of known ids."""
        if self._by_ids is None:
            asked = self.id_column.in_(bindparam("ids", type_=self.id_column.type, expanding=True))
            self._by_ids = ListShape(self.rows.where(asked), self.key, self.id_column, self.facets)
        return self._by_ids

    def page(self, start: CursorShape) -> AnySelect:
        """A page from `start`, `:limit` rows; the last two columns are the data version and the
        sort value."""
        if (built := self._built.get(start)) is None:
            stmt = self.paged if self.paged is not None and start == "first" else self.rows
            if (condition := after_params(self.key, self.id_column, start)) is not None:
                stmt = stmt.where(condition)
            # The data version rides along in the same statement, so it is of the page's snapshot.
            ordered = stmt.add_columns(DATA_VERSION_COLUMN, self.key.column).order_by(
                *ordering(self.key, self.id_column)
            )
            built = self._built[start] = ordered.limit(bindparam("limit"))
        return built

    def total(self) -> AnySelect:
        if (built := self._built.get("total")) is None:
            built = self._built["total"] = total_statement(self.rows, self.id_column)
        return built

    def facet(self, name: str) -> AnySelect:
        if (built := self._built.get(("facet", name))) is None:
            built = self._built[("facet", name)] = facet_statement(self.rows, self.id_column, self.facets[name])
        return built

    def export(self) -> AnySelect:
        """Every matching row, in the page order."""
        if (built := self._built.get("export")) is None:
            built = self._built["export"] = self.rows.order_by(*ordering(self.key, self.id_column))
        return built
