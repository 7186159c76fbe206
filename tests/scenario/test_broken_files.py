"""Every kind of broken scenario file gives one message naming the file, the field and the problem."""

from pathlib import Path

import pytest

import trainer
from trainer.errors import ScenarioError
from trainer.scenario.loader import SCENARIO_DIR

ESP = (SCENARIO_DIR / "esp_block.toml").read_text()
PHANTOM = (SCENARIO_DIR / "gel_phantom.toml").read_text()
ESP_2D = (SCENARIO_DIR / "archive" / "esp_block.v1.toml").read_text()


def broken(tmp_path: Path, text: str, old: str, new: str) -> Path:
    assert old in text, f"test set-up: {old!r} not in the file"
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1))
    return path


CASES = [
    # (description, source text, old, new, expected field, words expected in the problem)
    ("unknown key", ESP, 'kind = "linear"', 'kind = "linear"\ncolour = "red"', "probe.colour", "unknown key"),
    (
        "wrong type",
        ESP,
        "frequency_mhz = 10.0",
        'frequency_mhz = "ten"',
        "probe.frequency_mhz",
        "valid number",
    ),
    (
        "out of physical range",
        ESP,
        "frequency_mhz = 10.0",
        "frequency_mhz = 200.0",
        "probe.frequency_mhz",
        "less than or equal to 20",
    ),
    (
        "negative depth",
        ESP,
        "default_depth_mm = 50.0",
        "default_depth_mm = -5.0",
        "probe.default_depth_mm",
        "greater than or equal",
    ),
    (
        "unknown tissue kind",
        PHANTOM,
        '{ name = "tube", kind = "vein"',
        '{ name = "tube", kind = "veinz"',
        "planes[0].structures[1].kind",
        "'vein'",
    ),
    ("unknown gauge", ESP, "gauge = 22", "gauge = 99", "needle", "gauge 99"),
    ("missing section", ESP, "[section]\nx_mm = [-60.0, 60.0]\ndepth_mm = 90.0\n", "", "section", "required"),
    (
        "polygon not closed",
        PHANTOM,
        "[8.18, 24.82], [9.5, 28.0]]",
        "[8.18, 24.82], [9.4, 28.0]]",
        "target.zone",
        "not closed",
    ),
    (
        "self-intersecting polygon",
        PHANTOM,
        "[[9.5, 28.0], [8.18, 31.18], [5.0, 32.5], [1.82, 31.18], [0.5, 28.0], [1.82, 24.82], [5.0, 23.5], [8.18, 24.82], [9.5, 28.0]]",
        "[[0.5, 24.0], [9.5, 32.0], [9.5, 24.0], [0.5, 32.0], [0.5, 24.0]]",
        "target.zone",
        "invalid",
    ),
    (
        "overlapping structures",
        PHANTOM,
        'circle = [-10.0, 36.0, 3.0] },\n]\n\n[[planes]]\nname = "cyst_edge_near"',
        'circle = [8.0, 33.0, 3.0] },\n]\n\n[[planes]]\nname = "cyst_edge_near"',
        "planes[0].structures",
        "'cyst' and 'tube' overlap",
    ),
    (
        "target inside bone",
        ESP,
        "[[-5.0, -2.0], [5.0, -2.0], [5.0, 0.0], [-5.0, 0.0], [-5.0, -2.0]]",
        "[[-3.0, 2.0], [3.0, 2.0], [3.0, 6.0], [-3.0, 6.0], [-3.0, 2.0]]",
        "target.zone",
        "inside bone",
    ),
    (
        "target point outside zone",
        ESP,
        "point = [-1.0, -0.5]",
        "point = [8.0, -1.0]",
        "target.point",
        "outside the target zone",
    ),
    (
        "thoracic without pleura",
        PHANTOM,
        'region = "phantom"',
        'region = "thoracic"',
        "planes",
        "needs a pleura",
    ),
    (
        "unknown critical structure",
        ESP,
        'critical = ["pleura",',
        'critical = ["pleurae", "pleura",',
        "critical",
        "'pleurae'",
    ),
    (
        "layer without thickness",
        PHANTOM,
        'layers = [{ name = "gel", kind = "gel" }]',
        'layers = [{ name = "gel_top", kind = "gel", bottom_mm = 10.0 }, { name = "gel", kind = "gel", bottom_mm = 5.0 }]',
        "planes[0].layers[1].bottom_mm",
        "no thickness",
    ),
    (
        "anchor not in the planned view",
        ESP,
        'anchor = "tp_t5_right"',
        'anchor = "tp_t9_right"',
        "patient.anchor",
        "no 'tp_t9_right' in the planned view",
    ),
    (
        "anchor that names a layer",
        ESP,
        'anchor = "tp_t5_right"',
        'anchor = "erector_spinae"',
        "patient.anchor",
        "'erector_spinae' is a layer, not a structure, in the planned view",
    ),
    (
        "unknown level",
        ESP,
        'plan = { level = "T5"',
        'plan = { level = "T15"',
        "patient.plan.level",
        "pattern",
    ),
    (
        "no view at y_mm = 0",
        ESP,
        'name = "tp_view"\ny_mm = 0.0',
        'name = "tp_view"\ny_mm = 1.0',
        "views",
        "y_mm = 0",
    ),
    (
        "drawn planes on the 3D patient",
        ESP,
        '[[views]]\nname = "tp_view"',
        '[[planes]]\nname = "extra"\ny_mm = 0.0\ndescription = ""\nlayers = [{ name = "gel", kind = "gel" }]\n\n'
        '[[views]]\nname = "tp_view"',
        "(top level)",
        "no drawn [[planes]]",
    ),
    (
        "entry side that does not fit the plane",
        ESP,
        'entry_side = "cranial"',
        'entry_side = "lateral"',
        "approach.entry_side",
        "does not fit",
    ),
    (
        "angle range reversed",
        ESP,
        "angle_deg = [30.0, 45.0]",
        "angle_deg = [45.0, 30.0]",
        "approach",
        "angle_deg",
    ),
    (
        "unknown compartment",
        ESP,
        'compartments = ["fascial_plane"]',
        'compartments = ["fascia"]',
        "target.compartments",
        "'fascia' is not one of",
    ),
    (
        "two shapes for one structure",
        PHANTOM,
        "circle = [5.0, 28.0, 5.0] }",
        "circle = [5.0, 28.0, 5.0], polygon = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]] }",
        "planes[0].structures[0]",
        "exactly one of",
    ),
    (
        "nested in an unknown parent",
        PHANTOM,
        '{ name = "cyst", kind = "fluid", circle = [5.0, 28.0, 5.0] }',
        '{ name = "cyst", kind = "fluid", circle = [5.0, 28.0, 5.0], within = "box" }',
        "planes[0].structures[cyst].within",
        "no structure 'box'",
    ),
    (
        "structure outside the section",
        PHANTOM,
        'circle = [-10.0, 36.0, 3.0] },\n]\n\n[[planes]]\nname = "cyst_edge_near"',
        'circle = [-49.0, 36.0, 3.0] },\n]\n\n[[planes]]\nname = "cyst_edge_near"',
        "planes[0].structures[1]",
        "outside the section",
    ),
    ("needle too short", ESP, "length_mm = 80.0", "length_mm = 40.0", "needle.length_mm", "cannot reach"),
    (
        "nested thousands of levels deep",
        ESP,
        'critical = ["pleura",',
        "critical = [" + "[" * 2000 + "1" + "]" * 2000 + ', "pleura",',
        "(syntax)",
        "nested more than 24 levels deep",
    ),
    (
        "nested hundreds of levels deep",
        ESP,
        'critical = ["pleura",',
        "critical = [" + "[" * 300 + "1" + "]" * 300 + ', "pleura",',
        "critical[0][0][0][0][0]",
        "nested more than 24 levels deep",
    ),
    ("infinite number", ESP, "frequency_mhz = 10.0", "frequency_mhz = inf", "probe.frequency_mhz", "finite"),
    ("nan in a pose", ESP, "lateral_mm = 28.0", "lateral_mm = nan", "patient.plan.lateral_mm", "finite"),
    (
        "nan in a point",
        PHANTOM,
        "circle = [5.0, 28.0, 5.0] }",
        "circle = [5.0, nan, 5.0] }",
        "planes[0].structures[0].circle[1]",
        "finite",
    ),
    (
        "empty layer boundary",
        PHANTOM,
        'layers = [{ name = "gel", kind = "gel" }]',
        'layers = [{ name = "gel_top", kind = "gel", bottom_mm = [] }, { name = "gel", kind = "gel" }]',
        "planes[0].layers[0].bottom_mm",
        "at least 2 [x, z] points",
    ),
    (
        "variant anchor that names a layer",
        ESP_2D,
        'anchor = "tp_t5"',
        'anchor = "trapezius"',
        "variation.anchor",
        "'trapezius' is a layer, not a structure of the primary plane",
    ),
    (
        "syntax error",
        ESP,
        'title = "Erector spinae plane block"',
        'title = "Erector spinae plane block',
        "(syntax)",
        "not valid TOML",
    ),
]


@pytest.mark.parametrize("what,text,old,new,field,words", CASES, ids=[c[0] for c in CASES])
def test_broken_file_gives_a_specific_message(tmp_path, what, text, old, new, field, words):
    path = broken(tmp_path, text, old, new)
    with pytest.raises(ScenarioError) as info:
        trainer.load_scenario(path)
    err = info.value
    assert err.source == str(path)
    assert err.field == field, str(err)
    assert words in err.problem, str(err)
    assert str(err) == f"{path}: {field}: {err.problem}"


def test_missing_file_names_the_built_in_scenarios():
    with pytest.raises(ScenarioError, match="built-in scenarios are: esp_block"):
        trainer.load_scenario("no_such_block")


def test_binary_file_is_reported_not_raised(tmp_path):
    path = tmp_path / "garbage.toml"
    path.write_bytes(b"\xff\xfe\x00\x01binary")
    with pytest.raises(ScenarioError, match=r"garbage\.toml"):
        trainer.load_scenario(path)


def test_negative_variant_is_refused():
    with pytest.raises(ScenarioError, match="variant"):
        trainer.load_scenario("esp_block", variant=-1)


def test_check_command_reports_each_file_without_a_traceback(tmp_path, capsys):
    from trainer.cli import main

    bad = broken(tmp_path, ESP, "frequency_mhz = 10.0", 'frequency_mhz = "ten"')
    code = main(["check", str(SCENARIO_DIR / "esp_block.toml"), str(bad)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "esp_block.toml: ok" in out
    assert "probe.frequency_mhz" in err and "Traceback" not in err
