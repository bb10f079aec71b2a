"""/metrics: filters and items. Each figure comes with the sentence it was read from."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from annotated_types import Ge, Le
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from app.ingest.record import MetricKind
from app.periods import period_end
from app.schemas.common import (
    IDS_DESCRIPTION,
    UPDATED_AT,
    UPDATED_SINCE,
    ListParams,
    QueryParams,
    ResourceId,
    UpdatedSince,
    distinct_ids,
)


class MetricSort(StrEnum):
    document = "document"
    as_of = "as_of"
    as_of_desc = "-as_of"
    value = "value"
    value_desc = "-value"
    updated_at = "updated_at"
    updated_at_desc = "-updated_at"


class MetricFacet(StrEnum):
    unit = "unit"
    kind = "kind"
    indicator = "indicator"
    year = "year"


MetricId = Annotated[int, Ge(1), Le(2**31 - 1)]
"""A figure's id: a row number (an INTEGER column), not a derived id like a document's."""


class MetricFilters(ListParams):
    id: Annotated[list[MetricId], AfterValidator(distinct_ids)] = Field(
        [],
        description=IDS_DESCRIPTION,
        # Seed 001's 科技型企业 69820家: a row id, the 26th figure a fresh ingest of seeds/ stores.
        examples=[[26]],
    )
    q: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        examples=["科技型企业"],
        description="Words in the indicator or its sentence, all required; 繁体 finds 简体",
    )
    indicator: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        examples=["科技型企业"],
        description="Text the indicator contains, e.g. 科技型企业",
    )
    unit: str | None = Field(
        None, max_length=20, examples=["家"], description="Counting unit as printed, e.g. 家, 个, %, 元"
    )
    kind: MetricKind | None = Field(None, examples=["actual"], description="actual (achieved) or target (a goal)")
    as_of_from: str | None = Field(
        None,
        examples=["2024"],
        description="Figures for periods ending on or after the start of this period: YYYY, YYYY-MM or YYYY-MM-DD",
    )
    as_of_to: str | None = Field(
        None,
        examples=["2024"],
        description="Figures for periods ending on or before the end of this period: YYYY, YYYY-MM or YYYY-MM-DD",
    )
    document_id: ResourceId | None = Field(
        None, examples=[2154602035075802], description="Only figures from this document"
    )
    publisher: str | None = Field(
        None,
        max_length=200,
        examples=["市科技局"],
        description="Only figures of documents this body published, by any of its names",
    )
    updated_since: UpdatedSince | None = Field(None, examples=["2026-01-01T00:00:00Z"], description=UPDATED_SINCE)
    sort: MetricSort = Field(
        MetricSort.document, examples=["document"], description="Order; figures without as_of come last"
    )
    facet: list[MetricFacet] = Field(
        [], examples=[["unit"]], description="Count matching figures by these fields (repeatable)"
    )

    @field_validator("as_of_from", "as_of_to")
    @classmethod
    def _period(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                period_end(value)
            except ValueError as exc:  # a malformed period, or a day that does not exist
                raise ValueError("must be a period: YYYY, YYYY-MM or YYYY-MM-DD") from exc
        return value


class MetricOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    indicator: str = Field(examples=["科技型企业"])
    value: int | float = Field(examples=[69820], description="Whole numbers come as integers")
    unit: str = Field(examples=["家"])
    as_of: str | None = Field(examples=["2024"])
    kind: MetricKind = Field(examples=["actual"])
    qualifier: str | None = Field(examples=["累计"])
    sentence: str = Field(description="The sentence of the cleaned text the figure was read from")
    snippet: str | None = Field(None, description="With q: the sentence, HTML-escaped, matches wrapped in <mark>")
    span: tuple[int, int] = Field(description="[start, end) of the figure in the document's `text`")


class MetricItem(MetricOut):
    id: int = Field(
        description="The figure's id, for `id=`: kept while a re-ingest states the figure again as it was",
        examples=[17],
    )
    document_id: int
    document_title: str
    updated_at: datetime = Field(description=UPDATED_AT, examples=["2026-12-02T17:24:11.516557Z"])


class SeriesFilters(QueryParams):
    indicator: str = Field(
        min_length=1, max_length=300, examples=["科技型企业"], description="The indicator exactly as /metrics lists it"
    )
    unit: str | None = Field(None, max_length=20, examples=["家"], description="Only points in this unit")
    kind: MetricKind | None = Field(None, examples=["actual"], description="Only actual figures, or only targets")
    limit: int = Field(1000, ge=1, le=10000, examples=[1000], description="At most this many points, earliest first")


class SeriesPoint(BaseModel):
    as_of: str = Field(
        examples=["2024"],
        description="The period the figure refers to: as its sentence states it, else its document's date",
    )
    as_of_source: Literal["sentence", "document"] = Field(
        description="sentence: the text states the period; document: it does not, and the document's date stands in"
    )
    value: int | float = Field(examples=[69820], description="Whole numbers come as integers")
    unit: str = Field(examples=["家"])
    kind: MetricKind
    qualifier: str | None
    document_id: int
    document_title: str
    sentence: str


class Series(BaseModel):
    indicator: str
    points: list[SeriesPoint] = Field(description="Figures that state the period they refer to, ordered by it")
