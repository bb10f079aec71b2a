"""/changes: the feed of what ingests changed, across the list resources, in commit order."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.db.models import ChangeOp, ChangeResource
from app.schemas.common import QueryParams

FEED_DEFAULT_LIMIT = 100
FEED_MAX_LIMIT = 1000
"""A feed page may be longer than a list's: its entries are four small fields."""


class ChangeFilters(QueryParams):
    since: str | None = Field(
        None,
        max_length=200,
        description="Opaque: the `next_cursor` of the previous page (or of the last poll); absent, from the start. "
        "A cursor from before a pruned deletion is answered 410 Gone: replay from the start",
        examples=["WyJjaGFuZ2VzIiwiYWxsIiwwLDBd"],
    )
    resource: ChangeResource | None = Field(
        None,
        description="Only this resource's changes; its cursors belong to this filter",
        examples=["documents"],
    )
    limit: int = Field(
        FEED_DEFAULT_LIMIT,
        ge=1,
        le=FEED_MAX_LIMIT,
        description=f"Entries per page, 1 to {FEED_MAX_LIMIT}",
        examples=[FEED_DEFAULT_LIMIT],
    )


class ChangeEntry(BaseModel):
    resource: ChangeResource = Field(examples=["documents"])
    id: int = Field(description="The row's id, as its list and detail give it", examples=[4273036748858228])
    op: ChangeOp = Field(
        description="upsert: the row is new or changed, read it (e.g. /documents/{id}); delete: it is gone",
        examples=["upsert"],
    )
    at: datetime = Field(
        description="When the ingest changed it (RFC 3339, UTC): the row's `updated_at`",
        examples=["2026-12-02T17:24:11.516557Z"],
    )


class ChangePage(BaseModel):
    items: list[ChangeEntry] = Field(description="In commit order; only each row's latest change is kept")
    next_cursor: str = Field(
        description="Pass as `since` for what follows; never null: at the end it is the cursor to poll with",
        examples=["WyJjaGFuZ2VzIiwiYWxsIiwwLDE3N10"],
    )
