"""After a job that wrote a good share of the documents, SQLite's full-text index is merged into
one segment (`app.db.engine.settle_search_index`); after one that changed a few, it is left to
FTS5's own merging. The hits are the same either way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

import app.db.engine
from app.db.engine import build_engine, settle_search_index
from app.db.migrate import migrate
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import FIXTURES, SEEDS


def _varint(blob: bytes, at: int) -> tuple[int, int]:
    """SQLite's big-endian varint at `at`: its value and where the next one starts."""
    value = 0
    for i in range(9):
        byte = blob[at]
        at += 1
        if i == 8:
            return (value << 8) | byte, at
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
    return value, at


def segments(engine: Engine) -> int:
    """How many segments the index has: the second varint of FTS5's structure record (row 10 of
    its `_data` table, after a 4-byte cookie and the number of levels)."""
    with engine.connect() as connection:
        blob = connection.execute(text("SELECT block FROM document_body_fts_data WHERE id = 10")).scalar_one()
    _, at = _varint(blob, 4)
    return _varint(blob, at)[0]


def hits(engine: Engine, word: str) -> list[int]:
    with engine.connect() as connection:
        sql = text("SELECT rowid FROM document_body_fts WHERE document_body_fts MATCH :word ORDER BY rowid")
        return list(connection.execute(sql, {"word": word}).scalars())


@pytest.fixture
def fragmented(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The five seeds ingested by five jobs of one new letter each, none of them merging the index."""
    monkeypatch.setattr(app.db.engine, "SETTLE_FRACTION", 0)
    engine = build_engine(f"sqlite:///{tmp_path / 'replies.db'}")
    migrate(engine)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, corpus)
        assert run_ingest(engine, find_sources([corpus]), workers=1).counts["added"] == 1
    monkeypatch.undo()
    return engine


def test_merging_leaves_one_segment_and_the_same_hits(fragmented: Engine) -> None:
    before = segments(fragmented), hits(fragmented, "科技"), hits(fragmented, "实验室")
    assert before[0] > 1
    assert len(before[1]) == 5
    with fragmented.begin() as connection:
        assert settle_search_index(connection, changed=5)
    assert (segments(fragmented), hits(fragmented, "科技"), hits(fragmented, "实验室")) == (1, *before[1:])
    fragmented.dispose()


def test_a_job_that_changed_few_documents_leaves_the_index_as_it_is(
    fragmented: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = segments(fragmented)
    monkeypatch.setattr(app.db.engine, "SETTLE_FRACTION", 2)  # 2 of 5 changed: under half
    with fragmented.begin() as connection:
        assert not settle_search_index(connection, changed=2)
        assert not settle_search_index(connection, changed=0)
    assert segments(fragmented) == before
    fragmented.dispose()


def test_a_job_that_wrote_a_tenth_of_the_documents_merges_the_index(fragmented: Engine, tmp_path: Path) -> None:
    assert segments(fragmented) > 1
    corpus = tmp_path / "corpus"
    shutil.copy(FIXTURES / "corpus" / "101_cq_kjj_2023_p0012.txt", corpus)
    summary = run_ingest(fragmented, find_sources([corpus]), workers=1)
    assert (summary.counts["added"], summary.counts["unchanged"]) == (1, 5)
    assert segments(fragmented) == 1
    assert len(hits(fragmented, "科技")) == 6
    fragmented.dispose()


def test_settling_an_empty_database_is_harmless_on_both(engine: Engine) -> None:
    """PostgreSQL has no segments to merge: there it does nothing, and must not fail."""
    with engine.begin() as connection:
        settle_search_index(connection, changed=10)
