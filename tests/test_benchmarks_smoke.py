"""The benchmark runs end to end on a tiny corpus: generator, ingest through run_ingest, and the
API load (Datasette only where the `bench` extra is installed). Its figures are not checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--tiny", "--load", "python", "--workdir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["corpus"]["count"] == 40
    (ingest,) = results["ingest"]["sqlite"]
    assert ingest["counts"]["added"] == 40
    assert ingest["counts"]["failed"] == 0
    api = results["api"]["40"]
    for scenario in ("list", "detail", "floor_list"):
        assert api[scenario]["available"], scenario
        assert api[scenario]["requests"] > 0, scenario
        assert api[scenario]["non_2xx"] == 0, scenario
    assert "Ratios and targets" in done.stdout
