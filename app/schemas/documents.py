"""/documents: filters, list items and the full record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from app.ingest import record
from app.ingest.record import InstitutionType, Kind, Level, ProposalType
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
from app.schemas.metrics import MetricItem, MetricOut
from app.schemas.proposals import Proposer


class DocumentSort(StrEnum):
    published_date = "published_date"
    published_date_desc = "-published_date"
    signed_date = "signed_date"
    signed_date_desc = "-signed_date"
    title_asc = "title"
    relevance = "relevance"
    updated_at = "updated_at"
    updated_at_desc = "-updated_at"


class DocumentFacet(StrEnum):
    publisher = "publisher"
    year = "year"
    genre = "genre"
    kind = "kind"
    topic = "topic"
    proposal_type = "proposal_type"
    institution = "institution"


class DocumentInclude(StrEnum):
    proposal = "proposal"
    metrics = "metrics"


METRICS_PER_DOCUMENT = 50
"""The most figures `include=metrics` embeds in one document (a letter states ~40 on average)."""


class DocumentFilters(ListParams):
    id: Ids = ids_field(4273036748858228)
    include: Annotated[list[DocumentInclude], BeforeValidator(split_commas)] = include_field(
        "proposal: the whole proposal the document answers, as /proposals lists it (proposers, co_handlers…), in "
        f"place of its brief; metrics: the document's figures as /metrics lists them, the first {METRICS_PER_DOCUMENT} "
        "in the order the text states them, and metrics_total",
        "proposal",
    )
    kind: Kind | None = Field(None, examples=["reply_letter"], description="Document kind")
    genre: str | None = Field(
        None, max_length=100, examples=["人大建议办理"], description="体裁分类 as printed, e.g. 人大建议办理"
    )
    publisher: str | None = Field(
        None,
        max_length=200,
        examples=["市科技局"],
        description="发布机构, by any of its names: 市科技局 also finds 重庆市科学技术局",
    )
    topic: str | None = Field(
        None, max_length=100, examples=["科技"], description="主题分类, one of the document's topics, e.g. 科技"
    )
    year: int | None = Field(
        None, ge=1949, le=2100, examples=[2023], description="Year of the published date (else written or signed)"
    )
    published_from: date | None = Field(
        None, examples=["2023-07-26"], description="Published on or after this date, YYYY-MM-DD"
    )
    published_to: date | None = Field(
        None, examples=["2023-07-26"], description="Published on or before this date, YYYY-MM-DD"
    )
    signed_from: date | None = Field(
        None, examples=["2023-04-14"], description="Signed on or after this date, YYYY-MM-DD"
    )
    signed_to: date | None = Field(
        None, examples=["2023-04-14"], description="Signed on or before this date, YYYY-MM-DD"
    )
    proposal_type: ProposalType | None = Field(
        None,
        examples=["suggestion"],
        description="suggestion (人大代表建议) or proposal (政协提案) answered or reported",
    )
    session: str | None = Field(
        None,
        max_length=200,
        examples=["市六届人大一次会议"],
        description="The proposal's session as printed, e.g. 市六届人大一次会议",
    )
    institution: str | None = Field(
        None,
        max_length=200,
        examples=["两江新区管委会"],
        description="An institution in any role (publisher, signatory, co_handler, proposer, mentioned), by any name",
    )
    person: str | None = Field(
        None,
        max_length=100,
        examples=["李谨"],
        description="A person the document names (as /people lists them), e.g. 李谨",
    )
    q: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        examples=["明月湖实验室"],
        description="Words in the title or text; several words must all match; 繁体 finds 简体",
    )
    updated_since: UpdatedSince | None = Field(None, examples=["2026-01-01T00:00:00Z"], description=UPDATED_SINCE)
    sort: DocumentSort = Field(
        DocumentSort.published_date_desc,
        examples=["-published_date"],
        description="Order; documents without the date come last; updated_at: oldest change first, for a sync",
    )
    facet: list[DocumentFacet] = Field(
        [], examples=[["publisher"]], description="Count matching documents by these fields (repeatable)"
    )

    @field_validator("sort")
    @classmethod
    def _relevance_needs_q(cls, sort: DocumentSort, info: ValidationInfo) -> DocumentSort:
        if sort == DocumentSort.relevance and not info.data.get("q"):
            raise ValueError("relevance needs a search query in q")
        return sort

    def included(self) -> Sequence[str]:
        return self.include


class ProposalBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    type: ProposalType
    level: Level | None
    session: str | None
    number: str | None
    title: str | None


class DocumentSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(description="Stable across re-ingest")
    kind: Kind = Field(examples=["reply_letter"])
    title: str = Field(examples=["重庆市科学技术局关于市六届人大一次会议第1024号建议办理情况的答复函"])
    index_no: str | None = Field(examples=["11500000MB15895317/2023-00117"])
    doc_no: str | None
    genre: str | None
    topics: list[str]
    publisher: str | None
    written_date: date | None
    published_date: date | None
    signed_date: date | None
    signatory: str | None
    source: str | None
    proposal: ProposalBrief | None
    snippet: str | None = Field(
        None, description="With q: an HTML-escaped excerpt around the first match, matches wrapped in <mark>"
    )
    updated_at: datetime = Field(description=UPDATED_AT, examples=["2026-12-02T17:24:11.516557Z"])


INCLUDED_PROPOSAL = "With include=proposal (else absent)"


class ProposalInItem(ProposalBrief):
    """The proposal a listed document answers: its brief, and with `include=proposal` every field
    of the /proposals list item."""

    term: int | None = Field(None, description=INCLUDED_PROPOSAL)
    session_no: int | None = Field(None, description=INCLUDED_PROPOSAL)
    year: int | None = Field(None, description=INCLUDED_PROPOSAL)
    proposers: list[Proposer] | None = Field(None, description=INCLUDED_PROPOSAL)
    co_handlers: list[str] | None = Field(
        None, description=INCLUDED_PROPOSAL, examples=[["市发展改革委", "市经济信息委", "两江新区管委会"]]
    )


class DocumentItem(DocumentSummary):
    """A /documents list item, with what `include=` embeds (absent unless asked)."""

    proposal: ProposalInItem | None
    metrics: list[MetricItem] | None = Field(
        None,
        description=f"With include=metrics: the document's figures, the first {METRICS_PER_DOCUMENT} in the order "
        "the text states them, each as /metrics lists it",
    )
    metrics_total: int | None = Field(
        None,
        description="With include=metrics: how many figures the document states (more than `metrics` holds when cut)",
    )


class Section(BaseModel):
    number: str
    heading: str


MentionSource = Literal["text", "metadata"]
MENTION_SOURCE = (
    "text: `span` and `sentence` say where the text prints the name (for a publisher, signatory, co-handler or "
    "proposer, the first place it does; the last for a signatory); metadata: only the page's fields or the "
    "proposal name it, the text does not print it as given, and span and sentence are null"
)


class InstitutionRole(BaseModel):
    id: int = Field(description="The institution's id")
    name: str = Field(description="The name as written in this document")
    canonical_name: str
    type: InstitutionType
    role: record.InstitutionRole
    span: tuple[int, int] | None = Field(description="[start, end) in the document's `text`; null with source metadata")
    sentence: str | None = Field(description="The sentence of `text` around the span; null with source metadata")
    source: MentionSource = Field(description=MENTION_SOURCE)


class PersonRole(BaseModel):
    id: int
    name: str
    role: str | None
    is_proposer: bool
    span: tuple[int, int] | None = Field(description="[start, end) in the document's `text`; null with source metadata")
    sentence: str | None = Field(description="The sentence of `text` around the span; null with source metadata")
    source: MentionSource = Field(description=MENTION_SOURCE)


class ProposalInRecord(ProposalBrief):
    term: int | None
    session_no: int | None
    proposers: list[dict[str, str | None]]
    co_handlers: list[str]


class DocumentDetail(DocumentSummary):
    addressee: str | None
    approved_by: str | None
    proposal: ProposalInRecord | None
    sections: list[Section]
    institutions: list[InstitutionRole]
    people: list[PersonRole]
    metrics: list[MetricOut]
    text: str = Field(description="The cleaned text every span points into")
    source_path: str
    sha256: str
