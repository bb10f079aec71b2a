"""/people: filters and list items. A person is a name the letters print, with the roles they give it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.common import UPDATED_AT, UPDATED_SINCE, PageParams, ResourceId, UpdatedSince

PersonFacet = Literal["role"]


class PersonSort(StrEnum):
    name = "name"
    updated_at = "updated_at"
    updated_at_desc = "-updated_at"


class PersonFilters(PageParams):
    q: str | None = Field(
        None, min_length=1, max_length=100, description="Text the person's name contains", examples=["李"]
    )
    role: str | None = Field(
        None,
        max_length=50,
        description="A role a document gives the person, as printed: 代表, 委员, 局长, 记者…",
        examples=["代表"],
    )
    document_id: ResourceId | None = Field(
        None, description="Only people this document names", examples=[4273036748858228]
    )
    updated_since: UpdatedSince | None = Field(None, examples=["2026-01-01T00:00:00Z"], description=UPDATED_SINCE)
    sort: PersonSort = Field(
        PersonSort.name, examples=["name"], description="Order: by name, or by updated_at for a sync"
    )
    facet: list[PersonFacet] = Field(
        [], description="Count matching people by the roles documents give them", examples=[["role"]]
    )


class PersonSummary(BaseModel):
    id: int = Field(description="Stable across re-ingest", examples=[1])
    name: str = Field(examples=["李谨"])
    roles: list[str] = Field(description="Every role a document gives the person, sorted", examples=[["代表"]])
    documents: int = Field(description="How many documents name the person", examples=[1])
    updated_at: datetime = Field(description=UPDATED_AT, examples=["2026-12-02T17:24:11.516557Z"])
