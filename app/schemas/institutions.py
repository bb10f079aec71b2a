"""/institutions: filters, list items, and an institution with its aliases and documents by role."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from app.ingest.record import InstitutionRole, InstitutionType
from app.schemas.common import (
    UPDATED_AT,
    UPDATED_SINCE,
    Ids,
    ListParams,
    UpdatedSince,
    ids_field,
    include_field,
    split_commas,
)

InstitutionFacet = Literal["type"]


class InstitutionSort(StrEnum):
    name = "name"
    updated_at = "updated_at"
    updated_at_desc = "-updated_at"


class InstitutionInclude(StrEnum):
    aliases = "aliases"
    related = "related"


RELATED_PER_INSTITUTION = 10
"""The most co-mentioned institutions `include=related` embeds in one institution."""


class InstitutionFilters(ListParams):
    id: Ids = ids_field(7030021567835984)
    include: Annotated[list[InstitutionInclude], BeforeValidator(split_commas)] = include_field(
        "aliases: every name of the institution, which each item carries anyway (no statement added); related: "
        f"the institutions named in the same documents, as /institutions/{{id}}/related lists them, the "
        f"{RELATED_PER_INSTITUTION} most shared first, and related_total",
        "related",
    )
    q: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        examples=["科学技术局"],
        description="Words in its name or one of its aliases, all required (two or more characters each)",
    )
    type: InstitutionType | None = Field(None, examples=["government"], description="Kind of institution")
    updated_since: UpdatedSince | None = Field(None, examples=["2026-01-01T00:00:00Z"], description=UPDATED_SINCE)
    sort: InstitutionSort = Field(
        InstitutionSort.name, examples=["name"], description="Order: by canonical name, or by updated_at for a sync"
    )
    facet: list[InstitutionFacet] = Field([], examples=[["type"]], description="Count matching institutions by type")

    def included(self) -> Sequence[str]:
        return self.include


class InstitutionSummary(BaseModel):
    id: int
    name: str = Field(description="Canonical name", examples=["重庆市科学技术局"])
    type: InstitutionType = Field(examples=["government"])
    aliases: list[str] = Field(examples=[["市科技局", "重庆市科学技术局"]])
    updated_at: datetime = Field(description=UPDATED_AT, examples=["2026-12-02T17:24:11.516557Z"])


class DocumentByRole(BaseModel):
    id: int
    title: str
    published_date: date | None
    role: InstitutionRole
    name: str = Field(description="The name the document uses")


class InstitutionDetail(InstitutionSummary):
    documents: list[DocumentByRole]


class RelatedInstitution(BaseModel):
    id: int
    name: str
    type: InstitutionType
    documents: int = Field(description="How many documents name both institutions")


class Related(BaseModel):
    institution: InstitutionSummary
    related: list[RelatedInstitution]


class InstitutionItem(InstitutionSummary):
    """An /institutions list item, with what `include=` embeds (absent unless asked)."""

    related: list[RelatedInstitution] | None = Field(
        None,
        description=f"With include=related: the institutions named in the same documents, in any role, the "
        f"{RELATED_PER_INSTITUTION} most shared first",
    )
    related_total: int | None = Field(
        None, description="With include=related: how many institutions share a document with it"
    )
