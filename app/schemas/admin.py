"""Admin shapes: the re-ingest request, ingest jobs with their progress, an uploaded document."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.db.models import JobStatus, JobTrigger
from app.periods import as_utc

JobId = Annotated[int, Ge(1), Le(2**31 - 1)]
"""An ingest job's id: the row's own integer key."""


class ReingestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paths: list[str] | None = Field(
        None,
        min_length=1,
        max_length=1000,
        description='Files or folders relative to SOURCE_DIR, e.g. ["2024/", "000_3f149416e4b38c5d.txt"]; '
        "omit for all of SOURCE_DIR, the only kind of run that also removes documents whose source is gone",
    )


class JobFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: JobStatus | None = Field(None, examples=["succeeded"], description="Only jobs in this state")
    limit: int = Field(20, ge=1, le=100, examples=[20], description="Jobs per page, 1 to 100, newest first")
    cursor: str | None = Field(
        None,
        max_length=500,
        examples=["WyJhZG1pbi9qb2JzIiwiLWlkIiwyLDJd"],
        description="Opaque: the `next_cursor` of the previous page",
    )


class FileError(BaseModel):
    path: str | None = Field(description="Relative to SOURCE_DIR; null for an error of the job as a whole")
    reason: str = Field(examples=["not a text document: binary content"])


class JobProgress(BaseModel):
    done: int = Field(description="Files looked at so far", examples=[3])
    total: int | None = Field(description="Files the job found to look at; null until it has looked", examples=[5])
    percent: float | None = Field(description="done / total, 0 to 100; null until total is known", examples=[60.0])


class JobOut(BaseModel):
    """One ingest job, from `python -m app ingest`, POST /admin/reingest or an upload."""

    model_config = ConfigDict(from_attributes=True)

    id: int = Field(examples=[7])
    status: JobStatus
    trigger: JobTrigger = Field(description="What started it")
    paths: list[str] | None = Field(description="What it was asked to ingest; null for all of SOURCE_DIR")
    started_at: datetime
    finished_at: datetime | None = Field(description="For an interrupted job, its last sign of life")
    heartbeat_at: datetime | None = Field(description="Its last sign of life: written after every file")
    owner: str | None = Field(
        description="host:pid of the process running it: for a re-ingest from the API, a child process of the API's",
        examples=["vm:21462"],
    )
    files_seen: int
    files_added: int
    files_updated: int
    files_unchanged: int
    files_failed: int
    files_removed: int = Field(description="Documents removed because their source file is gone (full runs)")
    errors: list[FileError]
    progress: JobProgress

    @field_validator("started_at", "finished_at", "heartbeat_at")
    @classmethod
    def _utc(cls, moment: datetime | None) -> datetime | None:
        return as_utc(moment) if moment else None

    @classmethod
    def of(cls, run: Any) -> JobOut:
        total = run.files_total
        percent = round(100 * run.files_seen / total, 1) if total else (100.0 if total == 0 else None)
        progress = JobProgress(done=run.files_seen, total=total, percent=percent)
        return cls.model_validate({**{k: getattr(run, k) for k in _COLUMNS}, "progress": progress})


_COLUMNS = [name for name in JobOut.model_fields if name != "progress"]


class JobAccepted(BaseModel):
    id: int = Field(examples=[7])
    status: JobStatus = Field(examples=["queued"])
    url: str = Field(description="Where to watch it; also in the Location header", examples=["/admin/jobs/7"])


class UploadedDocument(BaseModel):
    document_id: int = Field(description="The stored document: GET /documents/{document_id}")
    path: str = Field(description="Where it was stored, relative to SOURCE_DIR", examples=["2025/letter.txt"])
    outcome: Literal["added", "updated", "unchanged"]
    encoding: str = Field(description="The encoding it was read in", examples=["gb18030"])
    job_id: int = Field(description="The one-file ingest job that stored it")
