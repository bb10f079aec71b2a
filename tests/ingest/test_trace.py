"""`python -m app parse --trace FILE`: which parser step set each field of a record."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from tests.ingest.conftest import SEEDS


def steps_of(output: str) -> dict[str, list[str]]:
    """The trace's lines under each step's name."""
    steps: dict[str, list[str]] = {}
    current: list[str] = []
    for line in output.splitlines()[1:]:
        if line.startswith("    "):
            current.append(line.strip())
        else:
            current = steps.setdefault(line.strip(), [])
    return steps


def test_the_trace_of_seed_000_says_which_step_set_each_field(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--trace", str(SEEDS / "000_3f149416e4b38c5d.txt")]) == 0
    steps = steps_of(capsys.readouterr().out)
    assert list(steps)[:3] == ["decode", "parse_html", "clean"]
    assert "note: decode: utf-8" in steps["decode"]
    assert 'set signed_date = "2023-04-14"' in steps["extract_fields"]
    assert 'set publisher = "市科技局"' in steps["extract_fields"]
    proposal = steps["extract_proposal"]
    assert 'set proposal.co_handlers = ["市发展改革委", "市经济信息委", "两江新区管委会"]' in proposal
    assert 'set proposal.proposers = [{"name": "李谨", "role": "代表"}]' in proposal
    assert not any(
        line.startswith("set proposal") for step, lines in steps.items() if step != "extract_proposal" for line in lines
    )
    assert any(line.startswith("set metrics = ") for line in steps["extract_metrics"])


def test_a_file_that_fails_is_traced_to_the_failing_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    assert main(["parse", "--trace", str(binary)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == str(binary)
    assert lines[-1] == "  failed: binary: not a text document: contains NUL bytes"
    assert lines[1:-1] == []  # decode, the first step, refused it


def test_trace_and_out_are_one_or_the_other(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["parse", "--trace", "--out", str(tmp_path), str(SEEDS)])
    assert exited.value.code == 2
