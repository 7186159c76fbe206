"""Construct validity as a command: scripted trainee profiles on every procedure and many
anatomical variants, graded as an instructor would grade them (`python main.py validate`).

The expert must pass everywhere at 90 or above; a clean, slow novice must pass; each
quality-compromising behaviour must end below competent with its gate (or a critical event) among
the findings; each critical behaviour must fail as unsafe. The expert and the trainees with errors
must be separated at least as far apart as a published checklist separates experienced and
inexperienced residents (Wong 2014: 76.7 vs 54.2, 22.5 points).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from trainer.assessment.score import PASS_MARK, UNSAFE_BAND
from trainer.profiles import PROFILES, ExpertPlan, Profile, profile, run_profile
from trainer.result import AttemptResult
from trainer.scenario import list_scenarios, load_scenario

EXPERT_FLOOR = 90.0
BELOW_COMPETENT = ("developing", "novice", UNSAFE_BAND)
# Wong et al. 2014: checklist scores of experienced vs inexperienced residents, 76.7 vs 54.2.
PUBLISHED_SEPARATION = 76.7 - 54.2
VALIDATION_VARIANTS = 20
QUICK_VARIANTS = 2


@dataclass(frozen=True, slots=True)
class Run:
    """One profile on one procedure variant, and whether it was graded as an instructor would."""

    profile: str
    scenario_id: str
    variant: int
    score: float
    band: str
    passed: bool
    codes: tuple[str, ...]
    misgraded: str  # why the grade is wrong, or ""


@dataclass(frozen=True, slots=True)
class Summary:
    """A profile over every procedure and variant it applies to."""

    profile: str
    expect: str
    runs: int
    median_score: float
    band: str
    pass_rate: float
    misgraded: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "median_score": self.median_score,
            "band": self.band,
            "pass_rate": self.pass_rate,
        }


def misgrading(p: Profile, result: AttemptResult) -> str:
    """Why this grade is not what an instructor would give the profile ("" when it is)."""
    findings = result.report.findings
    flagged = {f.code for f in findings if f.gate or f.critical}
    found = {f.code for f in findings}
    if p.expect == "excellent" and not (result.passed and result.score >= EXPERT_FLOOR):
        return f"expert scored {result.score:.1f} ({result.band}, passed {result.passed})"
    if p.expect == "pass" and not result.passed:
        return f"clean attempt failed with {result.score:.1f} ({', '.join(sorted(found)) or 'no findings'})"
    if p.expect == "critical" and not (result.band == UNSAFE_BAND and not result.passed):
        return f"reckless attempt not unsafe: {result.score:.1f} ({result.band})"
    if p.expect in ("gated", "fail") and result.passed:
        return f"passed with {result.score:.1f} ({result.band})"
    if p.expect == "gated" and result.band not in BELOW_COMPETENT:
        return f"band {result.band} at {result.score:.1f}"
    wanted = flagged if p.expect == "gated" else found
    if p.codes and not wanted & set(p.codes):
        return f"none of {', '.join(p.codes)} found ({', '.join(sorted(found)) or 'no findings'})"
    return ""


def run_one(job: tuple[str, str, int]) -> Run | None:
    """Play one profile on one variant (None when the profile does not apply there)."""
    name, scenario_id, variant = job
    p = profile(name)
    sc = load_scenario(scenario_id, variant=variant)
    try:
        ExpertPlan.of(sc)
    except ValueError:  # every profile builds on the expert's plan: a variant it cannot plan is left out
        return None
    if not p.applies(sc):
        return None
    result = run_profile(p, sc).finish()
    codes = tuple(f.code for f in result.report.findings)
    return Run(
        name, scenario_id, variant, result.score, result.band, result.passed, codes, misgrading(p, result)
    )


def run_battery(
    scenario_ids: Sequence[str] | None = None,
    variants: int = VALIDATION_VARIANTS,
    profiles: Sequence[Profile] = PROFILES,
    jobs: int = 1,
    progress: Callable[[str], None] | None = None,
) -> list[Run]:
    """Every profile on variants 0..variants-1 of every scenario (in `jobs` processes)."""
    work = [
        (p.name, sid, v)
        for sid in scenario_ids or list_scenarios()
        for v in range(variants)
        for p in profiles
    ]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            done = list(pool.map(run_one, work, chunksize=4))
    else:
        done = [run_one(job) for job in work]
    runs = [r for r in done if r is not None]
    if progress:
        for r in runs:
            if r.misgraded:
                progress(f"misgraded: {r.profile} on {r.scenario_id} variant {r.variant}: {r.misgraded}")
    return runs


def summarise(runs: Iterable[Run], profiles: Sequence[Profile] = PROFILES) -> list[Summary]:
    """Median score, the commonest band, pass rate and misgraded runs per profile."""
    by_profile: dict[str, list[Run]] = {}
    for r in runs:
        by_profile.setdefault(r.profile, []).append(r)
    found = []
    for p in profiles:
        group = by_profile.get(p.name, [])
        if group:
            found.append(
                Summary(
                    p.name,
                    p.expect,
                    len(group),
                    round(statistics.median(r.score for r in group), 1),
                    Counter(r.band for r in group).most_common(1)[0][0],
                    round(100.0 * sum(r.passed for r in group) / len(group), 1),
                    sum(bool(r.misgraded) for r in group),
                )
            )
    return found


def separation(runs: Iterable[Run]) -> tuple[float, float] | None:
    """Median score of the expert's runs and of every run of the profiles with errors (None
    without both groups)."""
    listed = list(runs)
    expert = [r.score for r in listed if profile(r.profile).expect == "excellent"]
    flawed = [r.score for r in listed if profile(r.profile).expect not in ("excellent", "pass")]
    if not (expert and flawed):
        return None
    return statistics.median(expert), statistics.median(flawed)


TABLE_HEADER = (
    f"{'profile':24} {'expected':9} {'runs':>5} {'median':>7} {'band':11} {'pass %':>7} {'misgraded':>9}"
)


def format_row(s: Summary) -> str:
    return (
        f"{s.profile:24} {s.expect:9} {s.runs:5d} {s.median_score:7.1f} {s.band:11} "
        f"{s.pass_rate:7.1f} {s.misgraded:9d}"
    )


def verdict(summaries: Sequence[Summary], runs: Sequence[Run]) -> tuple[bool, list[str]]:
    """Whether the battery is graded right, with the closing lines of the report."""
    medians = separation(runs)
    misgraded = sum(s.misgraded for s in summaries)
    if medians is None:  # a subset of the profiles: only the grades can be judged
        gap, first = PUBLISHED_SEPARATION, "no expert and trainees with errors to compare"
    else:
        gap = medians[0] - medians[1]
        first = (
            f"expert median {medians[0]:.1f} vs trainees with errors {medians[1]:.1f}: {gap:.1f} points "
            f"apart (published checklist, Wong 2014: {PUBLISHED_SEPARATION:.1f}); pass mark {PASS_MARK:.0f}"
        )
    lines = [first, f"misgraded runs: {misgraded} of {len(runs)}"]
    return misgraded == 0 and gap >= PUBLISHED_SEPARATION, lines
