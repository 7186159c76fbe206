"""docs/scoring.md states the weights, rules, allowances, bands and pass mark the code uses."""

import itertools
import re
from pathlib import Path

from trainer.assessment import score as scoring
from trainer.assessment.gates import OVERDOSE_GATE_PCT
from trainer.assessment.thresholds import ALLOWANCES, GATE_LIMITS

DOC = (Path(__file__).resolve().parents[1] / "docs" / "scoring.md").read_text(encoding="utf-8")


def table(heading: str) -> list[list[str]]:
    """The rows of the first table after a heading, as stripped cells (header rows dropped)."""
    lines = DOC.split(f"## {heading}\n", 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = list(itertools.takewhile(lambda line: line.startswith("|"), lines[start:]))
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def number(cell: str) -> float:
    return float(cell.strip("*`"))


def test_the_weights_in_the_doc_are_the_codes():
    assert {row[0]: number(row[1]) for row in table("Weights")} == scoring.WEIGHTS


def test_the_pass_mark_and_bands_in_the_doc_are_the_codes():
    assert float(re.search(r"pass mark is \*\*(\d+)\*\*", DOC).group(1)) == scoring.PASS_MARK
    stated = tuple((number(row[1]), row[0]) for row in table("Pass mark and bands"))
    assert stated == scoring.BANDS
    assert f"band **{scoring.UNSAFE_BAND}**" in DOC


def test_every_rule_in_the_doc_is_the_codes():
    stated = []
    for sub, metric, points, counted, limit, cap, *_ in table("Sub-scores: 100 minus deductions"):
        limit_value = limit.strip("`") if limit.startswith("`") else number(limit)
        stated.append(
            scoring.Rule(
                sub, metric.strip("`"), number(points), number(cap), limit_value, below=counted == "below"
            )
        )
    assert tuple(stated) == scoring.RULES


def test_the_allowances_in_the_doc_are_the_codes():
    rows = table("Difficulty: allowances")
    assert {row[0].strip("`"): tuple(number(c) for c in row[1:4]) for row in rows} == ALLOWANCES


def test_the_gate_limits_and_cap_in_the_doc_are_the_codes():
    rows = table("Error gates: below competent whatever the composite")
    assert {
        row[1].strip("`"): tuple(number(c) for c in row[2:5]) for row in rows if row[1].startswith("`")
    } == (GATE_LIMITS)
    assert f"at most **{scoring.GATE_CAP_SCORE:.0f}**" in DOC
    assert f"more than {OVERDOSE_GATE_PCT:.0f} % of the planned volume" in DOC


def test_the_validation_table_lists_every_trainee_profile_with_its_expectation():
    from trainer.profiles import PROFILES

    rows = table("Validation: are attempts graded as an instructor would?")
    assert [(row[0], row[1]) for row in rows] == [(p.name, p.expect) for p in PROFILES]
