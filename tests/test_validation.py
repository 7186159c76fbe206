"""`python main.py validate`: the trainee profiles are graded as an instructor would grade them."""

import json

import pytest

import trainer
from trainer.assessment import validation
from trainer.cli import main
from trainer.profiles import PROFILES, profile, run_profile

# with pytest-xdist on one worker: the battery of profiles is run once
pytestmark = pytest.mark.xdist_group("test_validation")


@pytest.fixture(scope="module")
def esp_runs() -> list[validation.Run]:
    return validation.run_battery(["esp_block"], variants=1)


def test_every_profile_runs_on_the_esp_block_and_none_is_misgraded(esp_runs):
    assert [r.profile for r in esp_runs] == [p.name for p in PROFILES]
    assert [(r.profile, r.misgraded) for r in esp_runs if r.misgraded] == []
    by_name = {r.profile: r for r in esp_runs}
    assert by_name["expert"].passed and by_name["expert"].score >= validation.EXPERT_FLOOR
    assert by_name["slow_novice"].passed
    assert by_name["reckless"].band == "unsafe"
    assert all(not r.passed for r in esp_runs if r.profile not in ("expert", "slow_novice"))


def test_a_wrong_grade_is_caught():
    """The checks can fail: a blind advance graded as the expert's is misgraded, and so is an
    expert attempt held to a critical profile's grade."""
    sc = trainer.load_scenario("esp_block")
    blind = run_profile(profile("blind_advancer"), sc).finish()
    expert = run_profile(profile("expert"), sc).finish()
    assert validation.misgrading(profile("expert"), blind).startswith("expert scored")
    assert validation.misgrading(profile("reckless"), expert).startswith("reckless attempt not unsafe")
    assert "passed with" in validation.misgrading(profile("overdoser"), expert)


def test_the_summary_has_median_band_and_pass_rate_and_the_verdict_needs_separation(esp_runs):
    summaries = validation.summarise(esp_runs)
    expert = next(s for s in summaries if s.profile == "expert")
    assert (expert.runs, expert.band, expert.pass_rate) == (1, "excellent", 100.0)
    right, lines = validation.verdict(summaries, esp_runs)
    assert right and "Wong 2014" in lines[0]
    only_expert = [r for r in esp_runs if r.profile == "expert"]
    alone, said = validation.verdict(validation.summarise(only_expert), only_expert)
    assert alone and said[0] == "no expert and trainees with errors to compare"  # grades alone judged
    close = [validation.Run("expert", "esp_block", 0, 80.0, "competent", True, (), "")]
    close.append(validation.Run("overdoser", "esp_block", 0, 69.0, "developing", False, (), ""))
    assert not validation.verdict(validation.summarise(close), close)[0]  # 11 points apart: too close


def test_the_command_prints_a_table_and_ends_with_json(capsys):
    code = main(["validate", "--quick", "--scenario", "gel_phantom", "--jobs", "1", "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    assert out[1].split()[:3] == ["profile", "expected", "runs"]
    rows = json.loads(out[-1])
    assert {r["profile"] for r in rows} >= {"expert", "blind_advancer", "reckless"}
    assert set(rows[0]) == {"profile", "median_score", "band", "pass_rate"}
