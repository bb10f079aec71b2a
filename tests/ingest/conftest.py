"""Fixtures for the parser tests: the real letters in `seeds/` and `tests/fixtures/corpus/`."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest import Record, parse_document

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = FIXTURES / "corpus"


def seed_bytes(prefix: str) -> bytes:
    """The bytes of the seed or corpus document whose file name starts with `prefix`."""
    for folder in (SEEDS, CORPUS):
        for path in sorted(folder.glob(f"{prefix}*.txt")):
            return path.read_bytes()
    raise FileNotFoundError(prefix)


def parsed(prefix: str) -> Record:
    return parse_document(seed_bytes(prefix), name=f"{prefix}.txt")


@pytest.fixture(scope="session")
def seed_000() -> bytes:
    return seed_bytes("000")


@pytest.fixture(scope="session")
def record_000() -> Record:
    return parsed("000")


@pytest.fixture(scope="session")
def record_001() -> Record:
    return parsed("001")
