"""/institutions: filters, list items, and an institution with its aliases and documents by role."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from app.ingest.record import InstitutionRole, InstitutionType
from app.schemas.common import UPDATED_AT, UPDATED_SINCE, PageParams, UpdatedSince

InstitutionFacet = Literal["type"]


class InstitutionSort(StrEnum):
    name = "name"
    updated_at = "updated_at"
    updated_at_desc = "-updated_at"


class InstitutionFilters(PageParams):
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
