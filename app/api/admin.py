"""/admin: re-ingest jobs and document uploads, behind a bearer token (ADMIN_TOKEN).

The token is read from the Authorization header only: a token in a URL ends up in access logs,
browser history and Referer headers. It is compared in constant time and never logged. With no
token configured the routes answer 503 rather than run open.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Annotated

from fastapi import APIRouter, Body, Depends, FastAPI, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from app.api.deps import DbSession, app_engine
from app.api.errors import ProblemError, found, invalid_param, problem_responses
from app.api.examples import example, path_id
from app.api.params import from_query, query_openapi
from app.config import Settings, get_settings
from app.db.engine import get_engine
from app.db.models import IngestRun
from app.db.queries.pagination import SortKey, decode_int, page_rows
from app.jobs.paths import InvalidSourcePath
from app.jobs.reingest import JobNotStarted, start_reingest, stop_jobs
from app.jobs.runs import JobAlreadyRunning, recover_interrupted
from app.jobs.upload import DuplicateDocument, NotADocument, store_upload
from app.schemas.admin import JobAccepted, JobFilters, JobId, JobOut, ReingestRequest, UploadedDocument
from app.schemas.common import Page

log = logging.getLogger("app.api")

SettingsDep = Annotated[Settings, Depends(get_settings)]


ADMIN_BEARER = HTTPBearer(
    scheme_name="AdminToken",
    description="ADMIN_TOKEN, sent as `Authorization: Bearer <token>`",
    auto_error=False,  # the refusals are this module's own: 503 while no token is set, else 401
)


def require_admin(
    settings: SettingsDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(ADMIN_BEARER)]
) -> None:
    """Admit a request carrying `Authorization: Bearer <ADMIN_TOKEN>`; refuse anything else."""
    expected = settings.admin_token.get_secret_value() if settings.admin_token else ""
    if not expected:
        raise ProblemError(503, "Admin disabled", "Admin routes are closed: no ADMIN_TOKEN is configured")
    given = credentials.credentials.strip() if credentials is not None else ""
    # Digests first, so the comparison takes the same time whatever the length of the guess.
    if credentials is None or not hmac.compare_digest(_digest(given), _digest(expected)):
        raise ProblemError(
            401, "Unauthorized", "A valid admin token is required", headers={"WWW-Authenticate": 'Bearer realm="admin"'}
        )


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()


@asynccontextmanager
async def recover_on_start(app: FastAPI) -> AsyncIterator[None]:
    """Jobs left unfinished by a process that died are marked interrupted when the API starts; the
    jobs this process started are ended, and marked interrupted, when it stops."""
    engine = getattr(app.state, "engine", None) or get_engine()
    try:
        await run_in_threadpool(recover_interrupted, engine, stale_after=get_settings().job_stale_seconds)
    except SQLAlchemyError as exc:  # not migrated yet, or down: the next job recovers them instead
        log.warning("could not check for interrupted ingest jobs at start: %s", exc)
    yield
    await run_in_threadpool(stop_jobs, engine)


router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses=problem_responses(
        (401, "No or wrong bearer token"), (503, "Admin routes closed (no ADMIN_TOKEN) or database unavailable")
    ),
    lifespan=recover_on_start,
)


@contextmanager
def job_refusals() -> Iterator[None]:
    """The job layer's refusals as problem responses."""
    try:
        yield
    except InvalidSourcePath as exc:
        raise invalid_param(exc.param, exc.message) from None
    except JobAlreadyRunning as exc:
        where = f"; watch it at /admin/jobs/{exc.run_id}" if exc.run_id else ""
        raise ProblemError(409, "Job already running", f"{exc}{where}") from None
    except JobNotStarted as exc:
        raise ProblemError(503, "Job not started", str(exc)) from None
    except DuplicateDocument as exc:
        raise ProblemError(409, "Duplicate document", str(exc)) from None
    except NotADocument as exc:
        raise ProblemError(422, "Not a source document", exc.reason) from None


@router.post(
    "/reingest",
    status_code=202,
    summary="Start a re-ingest job",
    responses=problem_responses(
        (409, "Another ingest job is running"),
        (422, "A path is unsafe or missing"),
        (503, "The job could not be started (it is marked interrupted, with the reason)"),
    ),
)
def reingest(
    request: Request, response: Response, settings: SettingsDep, body: Annotated[ReingestRequest | None, Body()] = None
) -> JobAccepted:
    """Re-ingest SOURCE_DIR, or the `paths` given under it, in the background. Watch the job at the
    URL in `Location`; unchanged files are skipped, so a re-run after a failure only does the rest."""
    with job_refusals():
        job_id = start_reingest(app_engine(request), settings, body.paths if body else None)
    url = f"/admin/jobs/{job_id}"
    response.headers["Location"] = url
    return JobAccepted(id=job_id, status="queued", url=url)


JOB_SORT = SortKey(IngestRun.id, descending=True, decode=decode_int)


@router.get("/jobs", summary="Ingest jobs, newest first", openapi_extra=query_openapi(JobFilters))
def list_jobs(db: DbSession, f: Annotated[JobFilters, from_query(JobFilters)]) -> Page[JobOut]:
    rows = select(IngestRun)
    if f.status:
        rows = rows.where(IngestRun.status == f.status)
    jobs, next_cursor = page_rows(
        db,
        rows,
        endpoint="admin/jobs",
        sort="-id",
        key=JOB_SORT,
        id_column=IngestRun.id,
        limit=f.limit,
        cursor=f.cursor,
    )
    return Page[JobOut](items=[JobOut.of(job) for job in jobs], next_cursor=next_cursor)


@router.get("/jobs/{job_id}", summary="One ingest job: status, counts, per-file errors, progress")
def get_job(
    db: DbSession,
    job_id: Annotated[JobId, path_id("job", 1, "The first job, the ingest of the seeds")],
) -> JobOut:
    return JobOut.of(found(db.get(IngestRun, job_id), f"job {job_id}"))


# What a source document may arrive as without multipart; anything else is refused with a 415.
# application/x-www-form-urlencoded is what `curl --data-binary @file` labels any body with.
RAW_TYPES = frozenset(
    {
        "",
        "text/plain",
        "text/html",
        "application/xhtml+xml",
        "application/octet-stream",
        "application/x-www-form-urlencoded",
    }
)
MULTIPART_SLACK = 64 * 1024
"""Room for the multipart envelope around a file of the largest allowed size."""


@router.post(
    "/documents",
    status_code=201,
    summary="Upload one source document",
    responses=problem_responses(
        (409, "An ingest job is running, or another file holds the same document"),
        (413, "Larger than MAX_UPLOAD_BYTES"),
        (415, "Not a text or HTML document"),
        (422, "Unsafe name, or not a document we can read"),
    ),
    openapi_extra={
        "requestBody": {
            "description": "The document as the raw body (with ?name=) or as the `file` part of a multipart form",
            "content": {
                "text/plain": {"schema": {"type": "string", "format": "binary"}},
                "text/html": {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}, "name": {"type": "string"}},
                        "required": ["file"],
                    }
                },
            },
        }
    },
)
async def upload_document(
    request: Request,
    response: Response,
    settings: SettingsDep,
    name: Annotated[
        str | None,
        Query(
            max_length=1000,
            description="Where to store it, relative to SOURCE_DIR, e.g. 2025/letter.txt",
            openapi_examples=example("000_3f149416e4b38c5d.txt", "Seed 000 again"),
        ),
    ] = None,
) -> UploadedDocument:
    """Store one document under SOURCE_DIR and ingest it at once. 201 when it is new, 200 when it
    replaced (or matched) the stored version; `Location` is the document."""
    given_name, raw = await _read_upload(request, name, settings.max_upload_bytes)
    with job_refusals():
        stored = await run_in_threadpool(store_upload, app_engine(request), settings, given_name, raw)
    response.status_code = 201 if stored.outcome == "added" else 200
    response.headers["Location"] = f"/documents/{stored.document_id}"
    return UploadedDocument(
        document_id=stored.document_id,
        path=stored.path,
        outcome=stored.outcome,
        encoding=stored.encoding,
        job_id=stored.job_id,
    )


async def _read_upload(request: Request, name: str | None, limit: int) -> tuple[str, bytes]:
    """The file name and bytes of an upload, refusing early what is too large or not text."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    multipart = media_type == "multipart/form-data"
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + (MULTIPART_SLACK if multipart else 0):
        raise _too_large(limit)
    if multipart:
        return await _read_multipart(request, name, limit)
    if media_type not in RAW_TYPES:
        raise _not_text(media_type)
    if not name:
        raise invalid_param("name", "required when the document is the raw body (or send multipart with a file name)")
    return name, b"".join([chunk async for chunk in _capped(request, limit)])


async def _read_multipart(request: Request, name: str | None, limit: int) -> tuple[str, bytes]:
    parser = MultiPartParser(request.headers, _capped(request, limit + MULTIPART_SLACK), max_files=1, max_fields=5)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise ProblemError(422, "Invalid upload", exc.message) from None
    try:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise invalid_param("file", "a multipart part named file, holding the document, is required")
        part_type = (file.content_type or "").split(";")[0].strip().lower()
        if part_type not in RAW_TYPES:
            raise _not_text(part_type)
        raw = await file.read(limit + 1)
        if len(raw) > limit:
            raise _too_large(limit)
        field = form.get("name")
        return name or (field if isinstance(field, str) else None) or file.filename or "", raw
    finally:
        await form.close()


async def _capped(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    """The request body, refused with a 413 as soon as it passes `limit` bytes."""
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > limit:
            raise _too_large(limit)
        yield chunk


def _too_large(limit: int) -> ProblemError:
    return ProblemError(413, "Upload too large", f"A source document may be at most {limit} bytes (MAX_UPLOAD_BYTES)")


def _not_text(media_type: str) -> ProblemError:
    return ProblemError(
        415,
        "Unsupported media type",
        f"{media_type} is not a source document; send text/plain or text/html, raw or as a multipart file",
    )
