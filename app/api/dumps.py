"""/dumps: the newest bulk dump the ingest published (DUMPS_DIR): its manifest, and each file
served as it lies on disk, resumable with Range.

Files are served as application/gzip, never as NDJSON with `Content-Encoding: gzip`: a Range then
counts the bytes of the file itself, which is what the manifest's size and sha256 describe, and
no middleware compresses them again (Starlette's gzip leaves application/gzip and 206s alone).
The ETag of a file is its sha256 (strong), that of the manifest the manifest's own sha256 (weak), so
`HttpManners` leaves these paths' validators to the routes (its ETags are of the data version,
and a dump is published after the version has moved).
"""

from __future__ import annotations

import hashlib
from pathlib import Path as FilePath
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Header, Path, Request
from fastapi.responses import FileResponse, Response
from starlette.types import Message, Receive, Scope, Send

from app.api.errors import PROBLEM_JSON, ProblemError, problem_responses
from app.api.examples import example
from app.api.params import refuse_unknown
from app.config import Settings, get_settings
from app.dumps import MANIFEST, RESOURCE_NAMES, PublishedDump, latest_dump
from app.schemas.common import Problem
from app.schemas.dumps import DumpManifest

router = APIRouter(prefix="/dumps", tags=["dumps"])

CACHE_CONTROL = "no-cache"
"""`latest` moves with each ingest: a client may keep a copy, but asks (If-None-Match) before reusing it."""

SettingsDep = Annotated[Settings, Depends(get_settings)]
IfNoneMatch = Annotated[
    str | None,
    Header(
        description='An ETag from before: 304 when it is still the current one (`"<sha256>"`)',
        openapi_examples=example('"' + "0" * 64 + '"', "An ETag that is not current: the whole answer"),
    ),
]


@router.get(
    "/latest",
    summary="The manifest of the newest bulk dump",
    response_model=DumpManifest,
    responses={304: {"description": "Unchanged since the ETag sent in If-None-Match"}},
)
async def get_latest_manifest(request: Request, settings: SettingsDep, if_none_match: IfNoneMatch = None) -> Response:
    refuse_unknown(request)
    dump = _latest(settings.dumps_dir)
    raw = (dump.path / MANIFEST).read_bytes()
    # Weak: the manifest is JSON, which the API's gzip may compress (a strong tag names one byte sequence).
    etag = f'W/"{hashlib.sha256(raw).hexdigest()}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if _matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    manifest: dict[str, Any] = orjson.loads(raw)
    for name, file in manifest["resources"].items():
        file["url"] = request.url_for("get_latest_file", resource=name).path
    return Response(orjson.dumps(manifest), media_type="application/json", headers=headers)


@router.get(
    "/latest/{resource}.ndjson.gz",
    summary="One file of the newest bulk dump: gzipped NDJSON, one record a line",
    response_class=Response,
    responses={
        200: {"content": {"application/gzip": {}}, "description": "The whole file"},
        206: {"content": {"application/gzip": {}}, "description": "The bytes Range asked for, with Content-Range"},
        304: {"description": "Unchanged since the ETag sent in If-None-Match"},
        **problem_responses(
            (400, "A Range that is not bytes=START-END"), (416, "Range outside the file (Content-Range gives its size)")
        ),
    },
)
async def get_latest_file(
    request: Request,
    settings: SettingsDep,
    resource: Annotated[
        str,
        Path(
            description="documents, proposals, institutions, people or metrics",
            json_schema_extra={"enum": list(RESOURCE_NAMES)},
            openapi_examples=example("proposals", "Every suggestion and proposal"),
        ),
    ],
    range_: Annotated[
        str | None,
        Header(
            alias="range",
            description="Bytes of the gzipped file, e.g. `bytes=100-` to resume after 100 bytes: 206",
            openapi_examples=example("bytes=100-", "All but the first 100 bytes"),
        ),
    ] = None,
    if_range: Annotated[
        str | None,
        Header(
            description="The ETag the first part came with: the Range is honoured only while it is current, "
            "else the whole file comes (200)",
            openapi_examples=example('"' + "0" * 64 + '"', "Not current: the whole file"),
        ),
    ] = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    refuse_unknown(request)
    if resource not in RESOURCE_NAMES:
        raise ProblemError(404, "Not found", f"a dump has no resource {resource!r}; it has {', '.join(RESOURCE_NAMES)}")
    dump = _latest(settings.dumps_dir)
    file = dump.manifest["resources"][resource]
    etag = f'"{file["sha256"]}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if _matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    # FileResponse answers Range (one or several), If-Range (against this ETag) and 416 itself.
    path = dump.path / file["file"]
    return ProblemRanges(path, media_type="application/gzip", filename=file["file"], headers=headers)


class ProblemRanges(FileResponse):
    """FileResponse, whose refusals of a Range (400 malformed, 416 outside the file) come as plain
    text: here as this API's problem JSON, keeping Content-Range."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refused: list[int] = []

        async def send_problem(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (400, 416):
                status = message["status"]
                refused.append(status)
                detail = "Range lies outside the file" if status == 416 else "Range is not bytes=START-END"
                title = "Range not satisfiable" if status == 416 else "Invalid Range"
                body = orjson.dumps(Problem(title=title, status=status, detail=detail).model_dump())
                kept = [(k, v) for k, v in message["headers"] if k in (b"content-range",)]
                kept += [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
                await send({"type": "http.response.start", "status": status, "headers": kept})
                await send({"type": "http.response.body", "body": body})
                return
            if refused:
                return  # the plain-text body, already replaced
            await send(message)

        await super().__call__(scope, receive, send_problem)


def _latest(dumps_dir: FilePath | None) -> PublishedDump:
    if dumps_dir is None:
        raise ProblemError(404, "Not found", "bulk dumps are off on this server (DUMPS_DIR is not set)")
    dump = latest_dump(dumps_dir)
    if dump is None:
        raise ProblemError(404, "Not found", "no dump yet: one is published at the end of the next ingest")
    return dump


def _matches(if_none_match: str | None, etag: str) -> bool:
    # Weak comparison, as If-None-Match asks for (RFC 9110 13.1.2).
    if not if_none_match:
        return False
    opaque = etag.removeprefix("W/")
    return if_none_match.strip() == "*" or any(t.strip().removeprefix("W/") == opaque for t in if_none_match.split(","))
