"""Shapes shared by every resource: a page of items, a problem body, paging parameters."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC
from functools import lru_cache
from typing import Annotated, Any, Generic, Literal, TypeVar

from annotated_types import Ge, Le
from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from app.config import get_settings
from app.ingest.clean import normalise_text

ItemT = TypeVar("ItemT")

ExportFormat = Literal["csv", "ndjson"]
"""What a list streams every matching row as, instead of a page of JSON."""

MAX_ID = 2**53
"""Ids are at most 53 bits (`app/db/ids.py`), so JavaScript reads them exactly."""
ResourceId = Annotated[int, Ge(1), Le(MAX_ID)]
"""The id of a document, proposal, institution or person, in a path or a filter: a path adds its
description and example with `Path(...)`, which keeps these bounds."""


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")


def _rfc3339(value: Any) -> Any:
    # Only the RFC 3339 form, with its zone: pydantic alone would also take a bare date, a naive
    # time (whose zone would be a guess) or a number of seconds.
    if not isinstance(value, str) or not _RFC3339.match(value):
        raise PydanticCustomError(
            "rfc3339", "Input should be an RFC 3339 timestamp with Z or an offset, e.g. 2026-01-01T00:00:00Z"
        )
    return value


UpdatedSince = Annotated[AwareDatetime, BeforeValidator(_rfc3339), AfterValidator(lambda m: m.astimezone(UTC))]
"""`updated_since` of every list: an RFC 3339 moment with its zone, compared in UTC."""

UPDATED_SINCE = (
    "Only rows an ingest changed at or after this moment: RFC 3339 with Z or an offset (a `+` sent as %2B), "
    "e.g. 2026-01-01T00:00:00Z. With sort=updated_at a sync pages through every change since; to resume, "
    "send the last `updated_at` it saw (rows changed at that very moment come again)"
)
UPDATED_AT = "When an ingest last changed what this item shows (RFC 3339, UTC)"


class FacetValue(BaseModel):
    value: str | int | None = Field(
        description="What the facet's filter takes: that filter with this value finds exactly `count` rows. "
        "An institution's canonical name; null counts the rows that have none",
        examples=["重庆市科学技术局"],
    )
    label: str | int | None = Field(
        description="How the rows print it: for an institution the name its letters use, else the value itself",
        examples=["市科技局"],
    )
    count: int = Field(examples=[2])


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` to get the next page; null on the last page", examples=[None]
    )
    total: int | None = Field(None, examples=[5], description="How many rows match the filters; only with `total=true`")
    facets: dict[str, list[FacetValue]] | None = Field(
        None, description="Counts per value under the same filters, for each `facet` asked for; most frequent first"
    )


class ListPage(Page[ItemT], Generic[ItemT]):
    """A page of a list that also answers by ids (`id=`)."""

    missing: list[int] | None = Field(
        None,
        description="Only with `id`: the ids asked for that are not in `items`, in the order asked: unknown, or "
        "excluded by the other filters. Absent without `id`",
        examples=[[999]],
    )


class ParamError(BaseModel):
    param: str = Field(description="The parameter that was wrong", examples=["limit"])
    message: str = Field(examples=["Input should be less than or equal to 100"])


class Problem(BaseModel):
    """Every error response (RFC 9457 problem details)."""

    type: str = "about:blank"
    title: str = Field(examples=["Invalid parameter"])
    status: int = Field(examples=[422])
    detail: str | None = Field(None, examples=["limit: Input should be less than or equal to 100"])
    errors: list[ParamError] = Field(default_factory=list)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

# Filter values repeat from request to request (a genre, a publisher, a date), and folding one
# (OpenCC, then widths) costs more than the rest of its validation.
_normalised = lru_cache(maxsize=4096)(normalise_text)


class QueryParams(BaseModel):
    """Query parameters of one endpoint: unknown ones are refused, and text may not carry control
    characters or lone surrogates (PostgreSQL rejects NUL; none of them ever means anything here)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and _CONTROL.search(text) for text in texts):
            raise ValueError("must not contain control characters")
        # Filters speak the Chinese the stored text speaks: Traditional → Simplified, full-width →
        # ASCII, no surrounding spaces, as the ingest normalises the documents (`重慶市科學技術局`
        # finds what `重庆市科学技术局` finds).
        if type(value) is str:  # not an enum's member, which is a str too
            return _normalised(value)
        if isinstance(value, list):
            return [_normalised(v) if type(v) is str else v for v in value]
        return value


def _limit_schema() -> dict[str, Any]:
    settings = get_settings()
    return {
        "maximum": settings.max_page_size,
        "default": settings.default_page_size,
        "description": f"Items per page, 1 to {settings.max_page_size}",
    }


class PageParams(QueryParams):
    """Paging parameters; each resource's filters extend this."""

    # The page limits are the settings' when a request is read (and when OpenAPI is written), not
    # when this module is imported: tests and deployments may change them after.
    limit: int = Field(
        default_factory=lambda: get_settings().default_page_size,
        ge=1,
        examples=[20],
        json_schema_extra=lambda schema: schema.update(_limit_schema()),
    )
    cursor: str | None = Field(
        None,
        max_length=500,
        description="Opaque: the `next_cursor` of the previous page, with the same filters and sort",
    )
    total: bool = Field(False, examples=[True], description="Also count every matching row (costs a second query)")

    @field_validator("limit")
    @classmethod
    def _at_most_max_page_size(cls, limit: int) -> int:
        largest = get_settings().max_page_size
        if limit > largest:
            raise PydanticCustomError("less_than_equal", "Input should be less than or equal to {le}", {"le": largest})
        return limit

    format: Literal["json"] | ExportFormat = Field(
        "json",
        examples=["json"],
        description="csv (UTF-8 with BOM) or ndjson streams every matching row, ignoring limit and cursor; "
        "an Accept header of text/csv or application/x-ndjson does the same",
    )


MAX_IDS = 100
"""The most distinct ids one `id=` request may ask for: a page's worth (`MAX_PAGE_SIZE`'s default)."""

IDS_DESCRIPTION = (
    f"Repeatable (`id=1&id=2`), at most {MAX_IDS} distinct: answer these records, in the order asked (a duplicate "
    "once, at its first place), in one page; `limit` does not apply and `cursor` is refused. The other filters "
    "still apply; asked ids not in the page are listed in `missing`"
)


def distinct_ids(ids: list[int]) -> list[int]:
    """The ids asked for, each once at its first place; more than MAX_IDS distinct is an error naming `id`."""
    distinct = list(dict.fromkeys(ids))
    if len(distinct) > MAX_IDS:
        raise PydanticCustomError("too_many_ids", "At most {most} distinct ids", {"most": MAX_IDS})
    return distinct


def split_commas(value: Any) -> Any:
    """`include=proposal,metrics` as `include=proposal&include=metrics`; empty parts are no value."""
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        return value
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


Ids = Annotated[list[ResourceId], AfterValidator(distinct_ids)]


def ids_field(example: int) -> Any:
    """The `id` field of one list, with one of its seed's ids as the example "Try it out" sends."""
    return Field([], description=IDS_DESCRIPTION, examples=[[example]])


def include_field(described: str, example: str) -> Any:
    """The `include` field of one list: `described` names what each value embeds and its bounds."""
    return Field(
        [],
        description="Repeatable or comma-separated (`include=a,b`): embed related records in each item, one more "
        f"statement per page for each. {described}",
        examples=[[example]],
    )


class ListParams(PageParams):
    """Paging parameters of a list that also answers by ids (`/documents`, `/proposals`,
    `/institutions`, `/metrics`)."""

    id: Ids = Field([], description=IDS_DESCRIPTION)

    def included(self) -> Sequence[str]:
        """The names of the related records asked for with `include=`; a list that embeds some
        declares its own `include` field and answers it here."""
        return ()
