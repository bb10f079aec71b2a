"""/proposals: filters, list items, and a proposal with its reply documents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from app.ingest.record import Kind, Level, ProposalType
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


class ProposalSort(StrEnum):
    year = "year"
    year_desc = "-year"
    number = "number"
    updated_at = "updated_at"
    updated_at_desc = "-updated_at"


class ProposalFacet(StrEnum):
    proposal_type = "proposal_type"
    level = "level"
    session = "session"
    year = "year"
    co_handler = "co_handler"


class ProposalInclude(StrEnum):
    documents = "documents"


DOCUMENTS_PER_PROPOSAL = 50
"""The most reply documents `include=documents` embeds in one proposal (most have one to three)."""


class ProposalFilters(ListParams):
    id: Ids = ids_field(4174543302254997)
    include: Annotated[list[ProposalInclude], BeforeValidator(split_commas)] = include_field(
        f"documents: the documents that answer or report each proposal, as /proposals/{{id}} lists them, the first "
        f"{DOCUMENTS_PER_PROPOSAL} oldest first, and documents_total",
        "documents",
    )
    type: ProposalType | None = Field(
        None, examples=["suggestion"], description="suggestion (人大代表建议) or proposal (政协提案)"
    )
    q: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        examples=["明月湖实验室"],
        description="Words in its title or in the title or text of a reply, all required; 繁体 finds 简体",
    )
    level: Level | None = Field(None, examples=["provincial"], description="Level of the congress or CPPCC")
    session: str | None = Field(
        None, max_length=200, examples=["市六届人大一次会议"], description="Session as printed, e.g. 市六届人大一次会议"
    )
    term: int | None = Field(None, ge=1, le=100, examples=[6], description="届, e.g. 6")
    number: str | None = Field(
        None,
        max_length=40,
        examples=["1024"],
        description="Number as printed, any text (letters print numbers such as 西湖33 or 10.5.011); leading zeros "
        "and a surrounding 第…号 optional (1024, 第1024号, 0883 and 883 all work); a number no proposal has "
        "finds none",
    )
    proposer: str | None = Field(
        None, max_length=100, examples=["李谨"], description="A proposer's name, e.g. 李谨 or 致公党市委会"
    )
    co_handler: str | None = Field(
        None, max_length=200, examples=["市经济信息委"], description="A co-handling unit, by any of its names"
    )
    year: int | None = Field(None, ge=1949, le=2100, examples=[2023], description="Year of its earliest dated reply")
    updated_since: UpdatedSince | None = Field(None, examples=["2026-01-01T00:00:00Z"], description=UPDATED_SINCE)
    sort: ProposalSort = Field(
        ProposalSort.year_desc,
        examples=["-year"],
        description="Order; proposals without a year come last; number sorts as printed (text: 0883 before 1024)",
    )
    facet: list[ProposalFacet] = Field(
        [], examples=[["co_handler"]], description="Count matching proposals by these fields (repeatable)"
    )

    def included(self) -> Sequence[str]:
        return self.include


class Proposer(BaseModel):
    name: str
    role: str | None


class ProposalSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    type: ProposalType = Field(examples=["suggestion"])
    level: Level | None = Field(examples=["provincial"])
    session: str | None = Field(examples=["市六届人大一次会议"])
    term: int | None = Field(examples=[6])
    session_no: int | None = Field(examples=[1])
    number: str | None = Field(examples=["1024"])
    title: str | None
    year: int | None
    proposers: list[Proposer]
    co_handlers: list[str] = Field(examples=[["市发展改革委", "市经济信息委", "两江新区管委会"]])
    updated_at: datetime = Field(description=UPDATED_AT, examples=["2026-12-02T17:24:11.516557Z"])


class ReplyDocument(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: Kind
    title: str
    publisher: str | None
    published_date: date | None
    signed_date: date | None


class ProposalDetail(ProposalSummary):
    documents: list[ReplyDocument] = Field(description="Reply letters and reports about this proposal")


class ProposalItem(ProposalSummary):
    """A /proposals list item, with what `include=` embeds (absent unless asked)."""

    documents: list[ReplyDocument] | None = Field(
        None,
        description=f"With include=documents: the documents that answer or report it, the first "
        f"{DOCUMENTS_PER_PROPOSAL}, oldest first",
    )
    documents_total: int | None = Field(
        None, description="With include=documents: how many there are (more than `documents` holds when cut)"
    )
