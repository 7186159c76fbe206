"""A broken patient file (trainer/data/patient/anatomy.toml): one message naming the file, the field and
the problem for every procedure on the patient, while the gel phantom (not on the patient) still loads."""

from collections.abc import Iterator
from pathlib import Path

import pytest

import trainer
from trainer.errors import ScenarioError
from trainer.patient import body, spec
from trainer.scenario import loader

SHIPPED = spec.anatomy_path().read_text(encoding="utf-8")


def forget() -> None:
    spec.load_anatomy.cache_clear()
    body.patient_for.cache_clear()
    loader._load_cached.cache_clear()


@pytest.fixture
def patient_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The trainer reads this path as its patient file for the test."""
    path = tmp_path / "anatomy.toml"
    monkeypatch.setattr(spec, "anatomy_path", lambda: path)
    forget()
    yield path
    monkeypatch.undo()
    forget()


def edited(old: str, new: str) -> str:
    assert old in SHIPPED, f"test set-up: {old!r} not in the patient file"
    return SHIPPED.replace(old, new, 1)


CASES = [
    # (description, file text, expected field, words expected in the problem)
    ("nan", edited("body_mm = 18.8", "body_mm = nan"), "levels[1].body_mm", "finite"),
    ("infinity", edited("tp_rise_mm = -5.5", "tp_rise_mm = -inf"), "levels[1].tp_rise_mm", "finite"),
    ("out of range", edited("body_mm = 18.8", "body_mm = 188.0"), "levels[1].body_mm", "less than 40"),
    ("unknown key", edited("[bone]\n", "[bone]\ncolour = 1\n"), "bone.colour", "unknown key"),
    ("missing table", edited("[landmarks]", "[landmarks_]"), "landmarks", "required"),
    (
        "wrong level name",
        edited('rhomboid_lowest = "', 'rhomboid_lowest = "T99'),
        "soft.rhomboid_lowest",
        "T99",
    ),
    ("deep nesting", edited('name = "C7"', "name = " + "[" * 3000 + "]" * 3000), "(syntax)", "nested"),
    ("not TOML", SHIPPED + "\n[[levels\n", "(syntax)", "not valid TOML"),
]


@pytest.mark.parametrize("what,text,field,words", CASES, ids=[c[0] for c in CASES])
def test_a_broken_patient_file_is_named_with_its_field_for_every_procedure_on_it(
    patient_file, what, text, field, words
):
    patient_file.write_text(text, encoding="utf-8")
    for scenario_id in ("esp_block", "costovertebral_joint"):
        with pytest.raises(ScenarioError) as info:
            trainer.load_scenario(scenario_id)
        err = info.value
        assert (err.source, err.field) == (str(patient_file), field), str(err)
        assert words in err.problem and "\n" not in str(err), str(err)
    assert trainer.load_scenario("gel_phantom").id == "gel_phantom"


def test_a_missing_patient_file_is_named(patient_file):
    with pytest.raises(ScenarioError, match=r"anatomy\.toml: \(file\): cannot be read"):
        trainer.load_scenario("esp_block")


def test_the_menu_keeps_the_procedures_that_do_not_need_the_broken_patient_with_one_notice(patient_file):
    from trainer.ui.screens.menu import loadable

    patient_file.write_text(edited("body_mm = 18.8", "body_mm = nan"), encoding="utf-8")
    scenarios, notices = loadable(["esp_block", "gel_phantom", "facet_joint"])
    assert [sc.id for sc in scenarios] == ["gel_phantom"]
    assert notices == [
        f"Scenarios 'esp_block', 'facet_joint' left out: {patient_file}: levels[1].body_mm: "
        "Input should be a finite number"
    ]
