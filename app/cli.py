"""The command line: migrate, parse, ingest, dump, serve. Each command is a thin call into the app."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import configure_logging, get_settings
from app.ingest import ParseFailure, parse_document
from app.ingest.pipeline import trace_document
from app.sources import MissingSource, SourceFile, find_sources

if TYPE_CHECKING:  # imported when used: `parse` needs neither a database nor a terminal library
    from rich.console import Console
    from sqlalchemy import Engine

    from app.jobs.ingest import IngestSummary, Outcome


def parse_command(args: argparse.Namespace) -> int:
    """Parse files without a database: one NAME.json per input, failures reported, others kept;
    with --trace, what each step of the parser did to each input instead."""
    try:
        sources = list(find_sources(args.paths))
    except MissingSource as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.trace:
        return trace_command(sources)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for source in sources:
        try:
            record = parse_document(source.path.read_bytes(), name=source.name)
        except (ParseFailure, OSError) as exc:
            failed += 1
            print(f"failed: {source.path}: {exc}", file=sys.stderr)
            continue
        target = out / f"{source.name}.json"
        target.write_text(json.dumps(record.to_contract(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"parsed {len(sources) - failed} of {len(sources)} files into {out}", file=sys.stderr)
    return 1 if failed else 0


TRACED_VALUE_CHARS = 160
"""A field's value is cut to this many characters in a trace: the point is which step set it."""


def trace_command(sources: list[SourceFile]) -> int:
    """For each source, each parser step in order: its notes, then the fields it set with their
    values. Exit 1 if a file fails (the trace stops at the failing step, with its reason)."""
    failed = 0
    for source in sources:
        print(source.path)
        steps, failure = trace_document(source.path.read_bytes(), name=source.name)
        for traced in steps:
            print(f"  {traced.step}")
            for note in traced.notes:
                print(f"    note: {note}")
            for field, value in traced.changed.items():
                # The proposal's own fields one by one: which step named its co-handlers is the question.
                parts = {f"{field}.{k}": v for k, v in value.items()} if isinstance(value, dict) else {field: value}
                for name, part in parts.items():
                    shown = json.dumps(part, ensure_ascii=False)
                    cut = shown if len(shown) <= TRACED_VALUE_CHARS else shown[: TRACED_VALUE_CHARS - 1] + "…"
                    print(f"    set {name} = {cut}")
        if failure is not None:
            failed += 1
            print(f"  failed: {failure.reason}")
    return 1 if failed else 0


def migrate_command(args: argparse.Namespace) -> int:
    """Migrate to head; with --wait, first wait up to that many seconds for the database to answer
    (a container started beside its database server). Exit 1 if it never does."""
    from app.db.engine import get_engine
    from app.db.migrate import head_revision, migrate, wait_for_database

    engine = get_engine()
    if args.wait:
        unreachable = wait_for_database(engine, args.wait, waiting=lambda why: print(why, file=sys.stderr))
        if unreachable is not None:
            print(f"error: the database did not answer within {args.wait:g} s: {unreachable}", file=sys.stderr)
            return 1
    changed = migrate(engine)
    print(f"database at revision {head_revision(engine)}" + ("" if changed else " (already up to date)"))
    return 0


def ingest_command(args: argparse.Namespace) -> int:
    """Migrate if needed, then parse and load the given files or folders (default: all of SOURCE_DIR,
    which also removes documents whose source file is gone). With --join (PostgreSQL), work on the
    shared job that runs, or start one others may join. Exit 0, 1 if a file or the job failed,
    2 for a missing path (or a shared job SQLite cannot run), 3 while another ingest job runs."""
    from sqlalchemy.exc import OperationalError

    from app.db.engine import get_engine
    from app.db.migrate import migrate
    from app.jobs.ingest import NothingToIngest, NotShareable, WorkerLost, run_ingest, run_shared_ingest
    from app.jobs.runs import JobAlreadyRunning, JobLost, recover_interrupted

    settings = get_settings()
    full = not args.paths
    try:
        sources = list(_named_as_in_a_full_run(find_sources(args.paths or [settings.source_dir]), settings.source_dir))
    except MissingSource as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    engine = get_engine()
    paths = None if full else [str(p) for p in args.paths]
    if args.join and (outside := [s.relative for s in sources if not _under(s, settings.source_dir)]):
        print(
            f"error: --join reads files under SOURCE_DIR only, as every process finds them; not {outside[0]}",
            file=sys.stderr,
        )
        return 2
    display = IngestDisplay.for_terminal(len(sources))
    try:
        migrate(engine)
        for job_id in recover_interrupted(engine, stale_after=settings.job_stale_seconds):
            print(f"job {job_id} had stopped with its process; marked interrupted", file=sys.stderr)
        with display:
            if args.join:
                summary = run_shared_ingest(
                    engine, lambda: sources, full=full, paths=paths, progress=display.advance, workers=args.workers
                )
            else:
                summary = run_ingest(
                    engine,
                    sources,
                    trigger="cli",
                    progress=display.advance,
                    full=full,
                    paths=paths,
                    workers=args.workers,
                )
    except NotShareable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except JobAlreadyRunning as exc:
        print(f"error: {exc}; watch it with GET /admin/jobs/{exc.run_id}", file=sys.stderr)
        return 3
    except (JobLost, NothingToIngest, WorkerLost) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        # A read-only database file, a full disk, a server gone: nothing more was written, and
        # every document keeps the version it had (each is replaced in a transaction of its own).
        print(f"error: the database refused the ingest: {_first_database_error(exc)}", file=sys.stderr)
        return 1
    display.summarize(summary)
    if args.join:
        print(_shared_job_line(engine, summary.run_id))
        if summary.status != "succeeded":
            return 1
    return 1 if summary.counts["failed"] else 0


def _under(source: SourceFile, source_dir: Path) -> bool:
    return source.path.resolve().is_relative_to(source_dir.resolve())


def _shared_job_line(engine: Engine, run_id: int) -> str:
    """What the whole shared job did, all its processes together (the summary above is this one's)."""
    from app.db.engine import session_scope
    from app.db.models import IngestRun

    with session_scope(engine) as session:
        job = session.get(IngestRun, run_id)
        if job is None:
            return f"job {run_id}: gone"
        counts = {o: getattr(job, f"files_{o}") for o in ("added", "updated", "unchanged", "failed")}
    done = ", ".join(f"{n} {outcome}" for outcome, n in counts.items())
    return f"job {run_id} (all processes) {job.status}: {job.files_seen} of {job.files_total} files: {done}"


def _first_database_error(exc: BaseException) -> str:
    """The database's own first complaint: after a full disk, SQLite has already rolled back, so
    undoing the savepoint fails too ("no such savepoint"), and that later error hides the cause."""
    from sqlalchemy.exc import DBAPIError

    first = exc
    cause = exc.__context__
    while cause is not None:
        if isinstance(cause, DBAPIError):
            first = cause
        cause = cause.__context__
    return str(first.orig if isinstance(first, DBAPIError) else first).strip()


def _named_as_in_a_full_run(sources: Iterable[SourceFile], source_dir: Path) -> Iterator[SourceFile]:
    """Files under SOURCE_DIR keep the name a full run gives them (their path relative to it), so
    ingesting a part of the folder never renames, and so re-identifies, a document. Files elsewhere
    are named relative to the path given."""
    root = source_dir.resolve()
    for source in sources:
        resolved = source.path.resolve()
        inside = resolved.is_relative_to(root)
        yield SourceFile(source.path, resolved.relative_to(root).as_posix()) if inside else source


class IngestDisplay:
    """Plain lines, one per file and one summary: for logs, pipes and cron mail. On a terminal,
    `for_terminal` gives the rich version: a progress bar, then a summary table."""

    @staticmethod
    def for_terminal(total: int) -> IngestDisplay:
        from rich.console import Console

        console = Console()
        return RichIngestDisplay(console, total) if console.is_terminal else IngestDisplay()

    def __enter__(self) -> IngestDisplay:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def advance(self, source: SourceFile, outcome: Outcome, reason: str | None) -> None:
        print(f"{outcome:<9} {source.relative}" + (f": {reason}" if reason else ""), flush=True)

    def summarize(self, summary: IngestSummary) -> None:
        counts = ", ".join(f"{n} {outcome}" for outcome, n in summary.counts.items())
        print(f"job {summary.run_id} {summary.status}: {summary.seen} files: {counts}, {summary.removed} removed")


class RichIngestDisplay(IngestDisplay):
    def __init__(self, console: Console, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = console
        self.progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}", style="dim"),
            console=console,
        )
        self.task = self.progress.add_task("", total=total)

    def __enter__(self) -> IngestDisplay:
        self.progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.progress.stop()

    def advance(self, source: SourceFile, outcome: Outcome, reason: str | None) -> None:
        if reason:
            self.progress.console.print(f"[red]failed[/red] {source.relative}: {reason}", markup=True, highlight=False)
        self.progress.update(self.task, advance=1, description=source.relative)

    def summarize(self, summary: IngestSummary) -> None:
        from rich.table import Table

        table = Table(title=f"ingest job {summary.run_id}: {summary.status}", title_justify="left")
        for outcome in (*summary.counts, "removed", "seen"):
            table.add_column(outcome, justify="right")
        table.add_row(*(str(n) for n in summary.counts.values()), str(summary.removed), str(summary.seen))
        self.console.print(table)


def dump_command(args: argparse.Namespace) -> int:
    """Write one bulk dump of the database into --out: a gzipped NDJSON file per resource and
    manifest.json. Exit 0; 1 if the database or the file system refuses; 2 if --out holds something
    and there is no --force."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.db.engine import get_engine
    from app.dumps import DumpTargetNotEmpty, write_dump

    try:
        manifest = write_dump(get_engine(), args.out, force=args.force)
    except DumpTargetNotEmpty as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"error: the database refused the dump: {_first_database_error(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:  # a read-only or full file system: nothing was left behind (see write_dump)
        print(f"error: the dump could not be written: {exc}", file=sys.stderr)
        return 1
    for name, file in manifest["resources"].items():
        print(f"{name:<13} {file['records']:>9} records {file['bytes']:>12} bytes  {file['file']}")
    print(f"data version {manifest['data_version']} dumped into {args.out}")
    return 0


def serve_command(args: argparse.Namespace) -> int:
    import uvicorn

    # No log configuration of uvicorn's own: the app's (app.config.logging_config) covers its loggers.
    uvicorn.run("app.main:app", host=args.host, port=args.port, server_header=False, log_config=None)
    return 0


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _seconds(value: str) -> float:
    seconds = float(value)
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError("must be a number of seconds, 0 or more")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    parse = commands.add_parser("parse", help="parse files or folders to JSON records, no database")
    output = parse.add_mutually_exclusive_group(required=True)
    output.add_argument("--out", type=Path, help="folder for the NAME.json files")
    output.add_argument(
        "--trace", action="store_true", help="print what each parser step noted and which fields it set, per file"
    )
    parse.add_argument("paths", type=Path, nargs="+", help="source files or folders")
    parse.set_defaults(run=parse_command)

    migrate = commands.add_parser("migrate", help="bring the database at DATABASE_URL to the newest revision")
    migrate.add_argument(
        "--wait",
        type=_seconds,
        default=0,
        metavar="SECONDS",
        help="wait up to SECONDS for the database to answer before migrating (default: do not wait)",
    )
    migrate.set_defaults(run=migrate_command)

    ingest = commands.add_parser("ingest", help="migrate if needed, then parse and load sources")
    ingest.add_argument("paths", type=Path, nargs="*", help="source files or folders (default: SOURCE_DIR)")
    ingest.add_argument(
        "--workers",
        type=_positive,
        default=None,
        metavar="N",
        help="processes that parse (default: INGEST_WORKERS, else the machine's cores); one more writes",
    )
    ingest.add_argument(
        "--join",
        action="store_true",
        help="PostgreSQL: work on the shared ingest job that runs, or start one that others may join",
    )
    ingest.set_defaults(run=ingest_command)

    dump = commands.add_parser("dump", help="write every record, one gzipped NDJSON file per resource, and a manifest")
    dump.add_argument("--out", type=Path, required=True, help="folder to write (created; must be empty unless --force)")
    dump.add_argument("--force", action="store_true", help="replace what --out holds")
    dump.set_defaults(run=dump_command)

    serve = commands.add_parser("serve", help="serve the API (app.main:app) with uvicorn")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.set_defaults(run=serve_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(get_settings().log_level)
    return int(args.run(args))
