"""The parser on held-out documents, in two sets.

`h*`: ten documents written after the parser, modelled on layouts the seeds do not show (a
provincial 教育厅 with 提案人:/办理结果: fields, a county form layout, a ministry, a Shanghai district
with (一) sections, Traditional characters, a GBK HTML page with a metadata table, a news report
with a bracketed byline, a reply to several suggestions, an environment bureau's measures). Before
the rules they prompted, the parser scored metadata 0.962, proposal 0.984, entities F1 0.802,
metrics F1 0.962 on them.

`r*`, `n*`, `x*`, `y*`, `z*`, `w*`, `v*`, `u*` and `t*`: 129 real pages (SOURCES-r.tsv, -n, -x, -y,
-z, -w, -v, -u, -t), reply letters from ministries, provinces, prefectures, counties and mirrors, and news
and portal pages about
suggestions, their gold written by hand from the contract before the parser was run on them.
Before the general rules for bylines, labelled titles, co-handler lists, session levels, people by
position and names that run on into a clause, the parser scored metadata 0.907, proposal 0.821,
entities F1 0.588, metrics F1 0.931 on the first 24. Four later batches were kept blind until the
rules before them were written, and scored on first sight:
  x* (14): metadata 0.912, proposal 0.843, entities F1 0.759, metrics F1 0.889
           (0.901, 0.843, 0.701, 0.889 before any of the rules);
  y* (12): metadata 0.917, proposal 0.810, entities F1 0.746, metrics F1 0.880
           (0.891, 0.746, 0.592, 0.917 before any of the rules);
  z* (16): metadata 0.904, proposal 0.895, entities F1 0.755, metrics F1 0.894
           (entities 0.740 before the rules of the session that collected them);
  w* (16): metadata 0.913, proposal 0.835, entities F1 0.756, metrics F1 0.903
           (entities 0.721 before that session's rules, z* among them: they had been tuned on);
  v* (19): metadata 0.935, proposal 1.000 (two of them answer one proposal), entities F1 0.722,
           metrics F1 0.966 (0.887, 1.000, 0.716, 0.966 against the gold as first written, before
           ten pages printing no title line took the record's fallback title, two reports became
           kind `other`, a 来源 label and an affiliation were read as the contract says);
  u* (16, SOURCES-u.tsv, mostly news): metadata 0.913, proposal 0.971, entities F1 0.813, metrics
           F1 0.904 at the parser before the session that collected them, and entities 0.819 after
           that session's rules written before the batch was seen (0.933, 0.971, 0.935, 0.904
           after the rules it prompted);
  t* (12, SOURCES-t.tsv: a county report with a metadata block, app, e-paper and wire news,
           Traditional mirrors with and without pinyin glosses, a machine-spun copy): metadata
           0.917, proposal 0.000 (one page names a proposal, which the parser misses), entities F1
           0.737, metrics F1 0.875 at the parser before the session that collected them (metadata
           0.910 against the gold as first written, before a fallback title was cut at 200
           characters as the other batches' gold is; 0.974, 0.000, 0.913, 0.957 after the rules it
           prompted; the other batches gained with them: all 129 from 0.977 / 0.946 / 0.923 / 0.934
           to 0.984 / 0.948 / 0.940 / 0.963).

The thresholds are the levels reached since, so a change that loses a general rule shows here;
the documents have been seen now, so this guards against regression and does not estimate
accuracy on unseen letters."""

from __future__ import annotations

import pytest

from tests.ingest.conftest import FIXTURES
from tests.ingest.scoring import score

SETS = {
    "modelled": ("h*.txt", {"metadata": 0.99, "proposal": 0.99, "entities_f1": 0.98, "metrics_f1": 0.99}),
    "real": ("[rnxyzwvut]*.txt", {"metadata": 0.98, "proposal": 0.94, "entities_f1": 0.935, "metrics_f1": 0.955}),
}


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float]]:
    return {
        name: score(
            sorted((FIXTURES / "holdout").glob(pattern)),
            FIXTURES / "holdout_gold",
            tmp_path_factory.mktemp(f"holdout_{name}"),
        )
        for name, (pattern, _) in SETS.items()
    }


@pytest.mark.parametrize(
    ("held_out", "measure"), [(name, measure) for name, (_, levels) in SETS.items() for measure in levels]
)
def test_holdout_score_reaches_its_level(scores: dict[str, dict[str, float]], held_out: str, measure: str) -> None:
    assert scores[held_out][measure] >= SETS[held_out][1][measure], scores[held_out]
