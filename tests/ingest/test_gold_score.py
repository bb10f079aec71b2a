"""The parser against the hand-checked records: the scorer the project is measured with, run on
the seeds and the corpus, must reach the targets (metadata and proposal ≥ 0.98, entities and
metrics F1 ≥ 0.90). Everything comes from the repository: seeds/, tests/fixtures/."""

from __future__ import annotations

import pytest

from tests.ingest.conftest import CORPUS, FIXTURES, SEEDS
from tests.ingest.scoring import score

THRESHOLDS = {"metadata": 0.98, "proposal": 0.98, "entities_f1": 0.90, "metrics_f1": 0.90}


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    sources = [*SEEDS.glob("*.txt"), *CORPUS.glob("*.txt")]
    return score(sources, FIXTURES / "gold", tmp_path_factory.mktemp("pred"))


@pytest.mark.parametrize("measure", list(THRESHOLDS))
def test_gold_score_reaches_its_target(scores: dict[str, float], measure: str) -> None:
    assert scores[measure] >= THRESHOLDS[measure], scores


def test_every_gold_document_has_its_source_in_the_repository() -> None:
    sources = {p.stem for p in [*SEEDS.glob("*.txt"), *CORPUS.glob("*.txt")]}
    assert {p.stem for p in (FIXTURES / "gold").glob("*.json")} <= sources
