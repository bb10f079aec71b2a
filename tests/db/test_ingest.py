"""Ingest: idempotent, updates what changed, records every run, keeps ids stable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import app.jobs.ingest
from app.db.engine import session_scope
from app.db.ids import stable_id
from app.db.load import DocumentRows
from app.db.models import Document, IngestRun, Metric, Proposal
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import SEEDS


def copy_seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS, folder)
    return folder


def test_second_ingest_of_unchanged_files_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path)
    first = run_ingest(engine, find_sources([folder]))
    assert first.counts == {"added": 5, "updated": 0, "unchanged": 0, "failed": 0}
    with session_scope(engine) as session:
        before = session.execute(select(Document.id, Document.ingested_at).order_by(Document.id)).all()
    second = run_ingest(engine, find_sources([folder]))
    assert second.counts == {"added": 0, "updated": 0, "unchanged": 5, "failed": 0}
    with session_scope(engine) as session:
        assert session.execute(select(Document.id, Document.ingested_at).order_by(Document.id)).all() == before


def test_a_changed_file_updates_its_rows_and_keeps_its_id(engine: Engine, tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path)
    run_ingest(engine, find_sources([folder]))
    letter = folder / "001_681e2b01cc784a69.txt"
    letter.write_text(letter.read_text(encoding="utf-8").replace("69820家", "70000家"), encoding="utf-8")
    summary = run_ingest(engine, find_sources([folder]))
    assert summary.counts == {"added": 0, "updated": 1, "unchanged": 4, "failed": 0}
    document_id = stable_id("index_no", "11500000MB15895317/2025-00053")
    with session_scope(engine) as session:
        values = set(session.scalars(select(Metric.value).where(Metric.document_id == document_id)))
        assert 70000 in values and 69820 not in values
        assert session.scalar(select(func.count()).select_from(Proposal)) == 4


def test_every_run_is_recorded_with_counts_and_per_file_errors(engine: Engine, tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    summary = run_ingest(engine, find_sources([folder]))
    assert summary.counts["added"] == 5 and summary.counts["failed"] == 1
    with session_scope(engine) as session:
        run = session.get(IngestRun, summary.run_id)
        assert run is not None
        assert run.status == "succeeded" and run.finished_at is not None and run.started_at <= run.finished_at
        assert (run.files_seen, run.files_added, run.files_failed) == (6, 5, 1)
        assert run.errors[0]["path"] == "broken.txt" and run.errors[0]["reason"]


def test_document_ids_come_from_the_index_number_or_the_source_path(engine: Engine, tmp_path: Path) -> None:
    run_ingest(engine, find_sources([SEEDS]))
    with session_scope(engine) as session:
        ids = set(session.scalars(select(Document.id)))
    assert stable_id("index_no", "11500000MB15895317/2023-00117") in ids
    assert stable_id("source", "002_4d19cff5ebdb1101.txt") in ids


def test_two_files_with_the_same_index_number_do_not_overwrite_each_other(engine: Engine, tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path)
    shutil.copy(folder / "000_3f149416e4b38c5d.txt", folder / "zz_mirror_of_000.txt")
    summary = run_ingest(engine, find_sources([folder]))
    assert summary.counts["failed"] == 1
    assert "000_3f149416e4b38c5d.txt" in summary.errors[0]["reason"]
    again = run_ingest(engine, find_sources([folder]))
    assert again.counts["unchanged"] == 5 and again.counts["updated"] == 0


def test_a_document_the_database_refuses_fails_alone_within_its_batch(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database refusing one document's rows (after some were written) undoes that document
    alone: the rest of its batch commits."""
    real_load_records = app.jobs.ingest.load_records

    def refuse_seed_002(session: Session, docs: list[DocumentRows]) -> list[bool]:
        replaced = real_load_records(session, docs)
        if any(doc.source_path.startswith("002_") for doc in docs):
            raise IntegrityError("INSERT …", {}, Exception("value too long for type character varying(200)"))
        return replaced

    monkeypatch.setattr(app.jobs.ingest, "load_records", refuse_seed_002)
    summary = run_ingest(engine, find_sources([copy_seeds(tmp_path)]))
    assert summary.counts == {"added": 4, "updated": 0, "unchanged": 0, "failed": 1}
    assert summary.errors[0]["path"] == "002_4d19cff5ebdb1101.txt"
    assert "cannot store" in (summary.errors[0]["reason"] or "")
    with session_scope(engine) as session:
        paths = set(session.scalars(select(Document.source_path)))
        assert len(paths) == 4 and "002_4d19cff5ebdb1101.txt" not in paths
        assert (
            session.scalar(
                select(func.count()).select_from(Metric).where(Metric.document_id.not_in(select(Document.id)))
            )
            == 0
        )


def test_a_proposal_no_document_answers_any_more_is_removed(engine: Engine, tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path)
    run_ingest(engine, find_sources([folder]))
    letter = folder / "001_681e2b01cc784a69.txt"
    letter.write_text(letter.read_text(encoding="utf-8").replace("第0883号", "第0884号"), encoding="utf-8")
    run_ingest(engine, find_sources([folder]))
    with session_scope(engine) as session:
        numbers = set(session.scalars(select(Proposal.number)))
    assert "0884" in numbers and "0883" not in numbers
    assert len(numbers) == 4
