"""The command line: demo prints the result as JSON; help lists every subcommand; errors are clear."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_headless_demo_prints_the_result_as_one_json_object():
    done = run("demo", "esp_block", "--headless", "--variant", "2")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["passed"] is True and result["scenario"] == {"id": "esp_block", "version": 2, "variant": 2}
    assert any(e["kind"] == "bone_contact" or e["kind"] == "injection" for e in result["events"])


def test_help_lists_every_subcommand():
    done = run("--help")
    assert done.returncode == 0
    for command in ("play", "demo", "scenarios", "check", "replay"):
        assert command in done.stdout


def test_unknown_scenario_is_one_clear_line_not_a_traceback():
    done = run("demo", "no_such", "--headless")
    assert done.returncode == 2
    assert done.stderr.startswith("error: no_such") and "Traceback" not in done.stderr


def test_replay_command_reproduces_a_demo_record(tmp_path):
    done = run("demo", "gel_phantom", "--headless", "--inputs")
    record = tmp_path / "attempt.json"
    record.write_text(done.stdout)
    replayed = run("replay", str(record))
    assert replayed.returncode == 0, replayed.stderr
    assert json.loads(replayed.stdout)["reproduced"] is True


def test_damaged_record_is_reported(tmp_path):
    record = tmp_path / "broken.json"
    record.write_text('{"scenario": {"id": "esp_block"')
    done = run("replay", str(record))
    assert done.returncode == 2 and "not a complete JSON record" in done.stderr


def test_check_refuses_a_procedure_whose_target_is_anchored_to_a_layer(tmp_path, capsys):
    from trainer.cli import main
    from trainer.scenario.loader import SCENARIO_DIR

    joint = (SCENARIO_DIR / "costotransverse_joint.toml").read_text("utf-8")
    anchored = tmp_path / "anchored.toml"  # the target's anchor names a layer, not a structure
    anchored.write_text(
        joint.replace('anchor = "costotransverse_t5_right"', 'anchor = "erector_spinae"'), "utf-8"
    )
    code = main(["check", str(SCENARIO_DIR / "gel_phantom.toml"), str(anchored)])
    out, err = capsys.readouterr()
    assert code == 1 and "gel_phantom.toml: ok" in out
    assert f"{anchored}: patient.anchor: 'erector_spinae' is a layer, not a structure" in err
    assert "Traceback" not in err


def test_check_refuses_a_file_the_expert_cannot_plan(tmp_path, capsys):
    from trainer.cli import main
    from trainer.scenario.loader import SCENARIO_DIR

    gel = (SCENARIO_DIR / "gel_phantom.toml").read_text("utf-8")
    blocked = tmp_path / "blocked.toml"  # loads, but every path at 84-85 deg meets the tube over the cyst
    blocked.write_text(
        gel.replace("[20.0, 45.0]", "[84.0, 85.0]").replace(
            "circle = [-10.0, 36.0, 3.0]", "circle = [5.0, 17.0, 4.0]"
        ),
        "utf-8",
    )
    assert main(["check", str(blocked)]) == 1
    _, err = capsys.readouterr()
    assert f"{blocked}: the expert autopilot cannot plan it" in err and "Traceback" not in err
