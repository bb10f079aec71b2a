"""The parser against the hand-checked records: the scorer the project is measured with, run on
the seeds and the corpus, must reach the targets (metadata and proposal ≥ 0.98, entities and
metrics F1 ≥ 0.90). Everything comes from the repository: seeds/, tests/fixtures/."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
from types import ModuleType

import pytest

from app.ingest import parse_document
from tests.ingest.conftest import CORPUS, FIXTURES, SEEDS

THRESHOLDS = {"metadata": 0.98, "proposal": 0.98, "entities_f1": 0.90, "metrics_f1": 0.90}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gold_scorer", FIXTURES / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    out = tmp_path_factory.mktemp("pred")
    for path in [*SEEDS.glob("*.txt"), *CORPUS.glob("*.txt")]:
        record = parse_document(path.read_bytes(), name=path.name)
        (out / f"{path.stem}.json").write_text(json.dumps(record.to_contract(), ensure_ascii=False), "utf-8")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        _scorer().main(["--gold", str(FIXTURES / "gold"), "--pred", str(out)])
    summary = printed.getvalue().strip().splitlines()[-1]
    return {key: float(value) for key, value in re.findall(r"(\w+)=([\d.]+)", summary)}


@pytest.mark.parametrize("measure", list(THRESHOLDS))
def test_gold_score_reaches_its_target(scores: dict[str, float], measure: str) -> None:
    assert scores[measure] >= THRESHOLDS[measure], scores


def test_every_gold_document_has_its_source_in_the_repository() -> None:
    sources = {p.stem for p in [*SEEDS.glob("*.txt"), *CORPUS.glob("*.txt")]}
    assert {p.stem for p in (FIXTURES / "gold").glob("*.json")} <= sources
