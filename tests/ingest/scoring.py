"""Scoring the parser the way the project is measured: the scorer in tests/fixtures/score.py,
imported and run on parser output written to a folder; its summary is what `main` returns."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
from collections.abc import Iterable
from pathlib import Path

from app.ingest import parse_document
from tests.ingest.conftest import FIXTURES


def score(sources: Iterable[Path], gold: Path, out: Path) -> dict[str, float]:
    """Parse `sources` into `out` and score them against their records in `gold`: metadata,
    proposal, entities_f1, metrics_f1."""
    sources = list(sources)
    if {p.stem for p in sources} != {g.stem for g in gold.glob("*.json")}:
        # Score these sources alone: a copy of just their gold records.
        subset = out / "gold"
        subset.mkdir()
        for path in sources:
            (subset / f"{path.stem}.json").write_bytes((gold / f"{path.stem}.json").read_bytes())
        gold = subset
    for path in sources:
        record = parse_document(path.read_bytes(), name=path.name)
        (out / f"{path.stem}.json").write_text(json.dumps(record.to_contract(), ensure_ascii=False), "utf-8")
    spec = importlib.util.spec_from_file_location("gold_scorer", FIXTURES / "score.py")
    assert spec is not None and spec.loader is not None
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    with contextlib.redirect_stdout(io.StringIO()):  # its report is for people; the summary comes back
        summary: dict[str, float] = scorer.main(["--gold", str(gold), "--pred", str(out)])
    assert set(summary) == {"metadata", "proposal", "entities_f1", "metrics_f1"}, summary
    # At the precision the scorer prints, which the targets are set in.
    return {measure: round(value, 3) for measure, value in summary.items()}
