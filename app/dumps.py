"""Bulk dumps: every record of every resource as gzipped NDJSON, read in one snapshot and written
atomically, with a manifest of counts, bytes and sha256s.

A dump line is the record exactly as the list's NDJSON export writes it (`?format=ndjson`): the
same statement (`ListShape.export()` of the resource's query builder with no filters) and the
same renderer (`Listing.render`). Documents add one key, `text`, the cleaned text every span
points into, which a mirror needs and a list never carries. The renderers live beside their
routers, so this module imports them from `app.api`; it needs no server, only an engine.

Each file is gzipped with mtime 0 and no file name, so the same data makes the same bytes and the
same sha256: a client's ETag survives a dump that changed nothing in its resource.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO
from weakref import WeakKeyDictionary

import orjson
from sqlalchemy import Connection, Engine, select, update

from app.api import documents, institutions, metrics, people, proposals
from app.api.exports import BATCH
from app.api.listing import Listing
from app.db.engine import snapshot_reads
from app.db.models import Document, DocumentBody, IngestRun
from app.db.queries.documents import document_query
from app.db.queries.institutions import institution_query
from app.db.queries.list_query import ListQuery
from app.db.queries.metrics import metric_query
from app.db.queries.people import person_query
from app.db.queries.proposals import proposal_query
from app.db.read import DATA_VERSION, AnyRow, AnySelect, Reader
from app.schemas.common import PageParams
from app.schemas.documents import DocumentFilters
from app.schemas.institutions import InstitutionFilters
from app.schemas.metrics import MetricFilters
from app.schemas.people import PersonFilters
from app.schemas.proposals import ProposalFilters

log = logging.getLogger("app.dumps")

FORMAT_VERSION = 1
"""Bumped when a manifest's or a line's layout changes in a way a client must know about."""

MANIFEST = "manifest.json"
LATEST = "latest"
"""In DUMPS_DIR: a symbolic link to the newest dump's folder, replaced atomically."""

KEEP = 2
"""Dumps kept in DUMPS_DIR: the newest, and the one before it, so a download that started before a
new dump was published can still finish (or resume) from the same bytes."""

GZIP_LEVEL = 6
"""zlib's default: level 9 costs about twice the CPU for a few percent fewer bytes."""

STALE_TEMP_SECONDS = 3600.0
"""A `.tmp-` folder older than this is left over from a dump that died; the next dump removes it."""

_DUMP_NAME = re.compile(r"^\d+-\d{8}T\d{6}Z(-\d+)?$")
"""A published dump's folder: `<data_version>-<created_at>`, and `-N` when two share a second."""


@dataclass(frozen=True)
class DumpedResource:
    """One file of a dump: the list whose every record it holds."""

    name: str
    listing: Listing[Any]
    query: Callable[[Any, Reader], ListQuery]
    filters: type[PageParams]

    @property
    def file(self) -> str:
        return f"{self.name}.ndjson.gz"


RESOURCES: tuple[DumpedResource, ...] = (
    DumpedResource("documents", documents.LISTING, document_query, DocumentFilters),
    DumpedResource("proposals", proposals.LISTING, proposal_query, ProposalFilters),
    DumpedResource("institutions", institutions.LISTING, institution_query, InstitutionFilters),
    DumpedResource("people", people.LISTING, person_query, PersonFilters),
    DumpedResource("metrics", metrics.LISTING, metric_query, MetricFilters),
)
"""In the manifest's order."""

RESOURCE_NAMES = tuple(resource.name for resource in RESOURCES)

_TEXT = select(DocumentBody.text).where(DocumentBody.document_id == Document.id).scalar_subquery()
_WITH_TEXT: WeakKeyDictionary[AnySelect, AnySelect] = WeakKeyDictionary()
"""Each documents export statement with the text added as its last column, built once."""


class DumpTargetNotEmpty(Exception):
    """`write_dump` was pointed at a folder that holds something, and not told to replace it."""


@dataclass(frozen=True)
class PublishedDump:
    path: Path
    manifest: dict[str, Any]


def write_dump(engine: Engine, out: Path, *, force: bool = False) -> dict[str, Any]:
    """Write one dump into the folder `out` and return its manifest. A folder that exists must be
    empty unless `force`, which replaces it. The files are written into a temporary folder beside
    `out` and renamed into place, so `out` never holds half a dump; replacing a full folder moves
    the old one aside first, so for a moment `out` does not exist at all."""
    out = out.absolute()
    if out.exists() and not force and (not out.is_dir() or any(out.iterdir())):
        raise DumpTargetNotEmpty(f"{out} is not an empty folder (--force replaces it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_beside(out)
    manifest = _write_files(engine, temp)
    aside = None
    if out.is_dir() and any(out.iterdir()):
        aside = out.with_name(f".{out.name}.old-{secrets.token_hex(4)}")
        out.rename(aside)
    elif out.exists():
        _remove(out)
    temp.rename(out)  # over an empty folder, or where none is
    _fsync_dir(out.parent)
    if aside is not None:
        _remove(aside)
    return manifest


def publish_dump(engine: Engine, dumps_dir: Path) -> PublishedDump | None:
    """A new dump in `dumps_dir`, unless the newest there already holds the data version now
    (None). Published as `<data_version>-<created_at>/` and pointed to by `latest`; older dumps
    beyond KEEP are removed."""
    dumps_dir.mkdir(parents=True, exist_ok=True)
    newest = latest_dump(dumps_dir)
    if newest is not None and newest.manifest["data_version"] == current_data_version(engine):
        return None
    _remove_stale_temps(dumps_dir)
    temp = _temp_beside(dumps_dir / "dump")
    manifest = _write_files(engine, temp)
    stamp = datetime.fromisoformat(manifest["created_at"]).strftime("%Y%m%dT%H%M%SZ")
    base = f"{manifest['data_version']}-{stamp}"
    for attempt in range(1, 100):
        target = dumps_dir / (base if attempt == 1 else f"{base}-{attempt}")
        try:
            target.mkdir()  # claims the name; the rename below replaces this empty folder
        except FileExistsError:
            continue
        temp.rename(target)
        break
    else:
        _remove(temp)
        raise FileExistsError(f"no free name for a dump in {dumps_dir}")
    pointer = dumps_dir / f".{LATEST}.tmp-{secrets.token_hex(4)}"
    pointer.symlink_to(target.name)  # relative: the folder may be mounted elsewhere
    pointer.replace(dumps_dir / LATEST)
    _fsync_dir(dumps_dir)
    _prune(dumps_dir, keep=target.name)
    log.info("dump of data version %s published at %s", manifest["data_version"], target)
    return PublishedDump(target, manifest)


def latest_dump(dumps_dir: Path) -> PublishedDump | None:
    """The dump `latest` points to, with its manifest; None before the first one."""
    try:
        name = os.readlink(dumps_dir / LATEST)
        path = dumps_dir / name
        manifest = orjson.loads((path / MANIFEST).read_bytes())
    except (FileNotFoundError, NotADirectoryError):
        return None
    return PublishedDump(path, manifest)


def dump_after_ingest(engine: Engine, run_id: int, dumps_dir: Path | None) -> str | None:
    """The ingest job's last step: publish a dump when DUMPS_DIR is set and the data changed. A
    failure is logged and added to the job's errors, and returned; the data the job committed
    stays as it is, and the job's status too."""
    if dumps_dir is None:
        return None
    try:
        publish_dump(engine, dumps_dir)
    except Exception as exc:
        reason = f"dump not written: {type(exc).__name__}: {exc}"
        log.exception("ingest job %s: %s", run_id, reason)
        with contextlib.suppress(Exception), engine.begin() as connection:
            errors = connection.execute(select(IngestRun.errors).where(IngestRun.id == run_id)).scalar()
            connection.execute(
                update(IngestRun)
                .where(IngestRun.id == run_id)
                .values(errors=[*(errors or []), {"path": None, "reason": reason}])
            )
        return reason
    return None


def current_data_version(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(DATA_VERSION).scalar() or 0)


def _write_files(engine: Engine, folder: Path) -> dict[str, Any]:
    """Every resource's file and the manifest in `folder` (created here; removed again on failure),
    all read in one read-only transaction, so the counts are those of the data version recorded."""
    folder.mkdir()
    try:
        reader = Reader(engine)  # the query builders ask it only for the dialect
        reading = snapshot_reads(engine)
        with reading.connect() as connection:
            if engine.dialect.name == "postgresql":
                connection = connection.execution_options(postgresql_readonly=True)
            with connection.begin():
                # SQLite's BEGIN is deferred: this first read fixes the snapshot every file reads.
                version = int(connection.execute(DATA_VERSION).scalar() or 0)
                created = datetime.now(UTC).replace(microsecond=0)
                files = {resource.name: _write_resource(connection, reader, resource, folder) for resource in RESOURCES}
        manifest = {
            "format_version": FORMAT_VERSION,
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "data_version": version,
            "resources": files,
        }
        with open(folder / MANIFEST, "wb") as file:
            file.write(orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n")
            _fsync(file)
        _fsync_dir(folder)
    except BaseException:
        _remove(folder)
        raise
    return manifest


def _write_resource(connection: Connection, reader: Reader, resource: DumpedResource, folder: Path) -> dict[str, Any]:
    f = resource.filters()
    shape, params = resource.query(f, reader)
    stmt = shape.export()
    render: Callable[[Sequence[AnyRow]], list[dict[str, Any]]] = partial(_render, resource.listing, f)
    if resource.name == "documents":
        if (with_text := _WITH_TEXT.get(stmt)) is None:
            with_text = _WITH_TEXT[stmt] = stmt.add_columns(_TEXT.label("text"))
        stmt, render = with_text, partial(_render_with_text, render)
    records = 0
    with open(folder / resource.file, "wb") as file:
        hashed = _HashingWriter(file)
        with gzip.GzipFile(filename="", mode="wb", compresslevel=GZIP_LEVEL, fileobj=hashed, mtime=0) as gz:
            result = connection.execution_options(yield_per=BATCH, stream_results=True).execute(stmt, params)
            for partition in result.partitions(BATCH):
                items = render(partition)
                gz.write(b"".join(orjson.dumps(item) + b"\n" for item in items))
                records += len(items)
        _fsync(file)
    return {"file": resource.file, "records": records, "bytes": hashed.size, "sha256": hashed.digest.hexdigest()}


def _render(listing: Listing[Any], f: PageParams, rows: Sequence[AnyRow]) -> list[dict[str, Any]]:
    return listing.render(rows, f)


def _render_with_text(
    render: Callable[[Sequence[AnyRow]], list[dict[str, Any]]], rows: Sequence[AnyRow]
) -> list[dict[str, Any]]:
    return [{**item, "text": row[-1]} for item, row in zip(render(rows), rows, strict=True)]


class _HashingWriter:
    """A binary file that also counts and hashes what is written to it, so a file's sha256 needs
    no second read."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:  # gzip hands bytes and memoryviews
        self.digest.update(data)
        self.size += len(data)
        return self._file.write(data)

    def flush(self) -> None:
        self._file.flush()


def _temp_beside(target: Path) -> Path:
    # Beside the target, on its file system, so the final rename is atomic.
    return target.with_name(f".{target.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")


def _prune(dumps_dir: Path, *, keep: str) -> None:
    published = sorted(
        (p for p in dumps_dir.iterdir() if _DUMP_NAME.match(p.name) and p.is_dir() and not p.is_symlink()),
        key=lambda p: (p.name.split("-")[1], p.name),
    )
    for old in [p for p in published if p.name != keep][: max(0, len(published) - KEEP)]:
        _remove(old)


def _remove_stale_temps(dumps_dir: Path) -> None:
    cutoff = time.time() - STALE_TEMP_SECONDS
    for entry in dumps_dir.iterdir():
        if entry.name.startswith(".") and ".tmp-" in entry.name and entry.lstat().st_mtime < cutoff:
            _remove(entry)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _fsync(file: BinaryIO) -> None:
    file.flush()
    os.fsync(file.fileno())


def _fsync_dir(folder: Path) -> None:
    # A rename is durable once the folder that holds it is synced.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
