"""A skills lab: the instructor's laptop creates the session, two lab laptops run it, results come back."""

import functools
import json
import uuid

import pytest

import trainer
from trainer.errors import TrainerError
from trainer.records.exports import export_session_results
from trainer.records.recorder import AttemptRecorder
from trainer.records.roster import read_roster_csv, roster_from_names
from trainer.records.sessions import (
    PinError,
    create_session,
    delete_attempt,
    install_session_file,
    load_session,
    update_session,
    write_session_file,
)
from trainer.records.store import RecordStore
from trainer.records.transfer import import_records


@pytest.fixture
def lab(tmp_path):
    instructor = RecordStore(tmp_path / "instructor")
    laptops = [RecordStore(tmp_path / f"laptop{n}") for n in (1, 2)]
    session = create_session(
        instructor,
        "T5 ESP block, March",
        ["esp_block", "facet_joint"],
        roster_from_names(["Ann Example", "Bo Sample", "Cy Third"]),
        variant=4,
        seed=11,
        pin="2468",
    )
    session_file = write_session_file(session, tmp_path / "usb")
    for laptop in laptops:
        install_session_file(laptop, session_file)
    yield instructor, laptops, session, tmp_path
    for s in (instructor, *laptops):
        s.close()


@functools.cache
def _expert_inputs(scenario_id, variant):
    return trainer.expert_attempt(trainer.load_scenario(scenario_id, variant=variant))


def _attempt(laptop, session, who, scenario_id="facet_joint"):
    """An expert exam attempt by a trainee signed in on a lab laptop, recorded there."""
    installed = load_session(laptop, session.id)
    sim = installed.simulation(scenario_id, installed.sign_in(who))
    recorder = AttemptRecorder.start(laptop, sim)
    trainer.play(sim, _expert_inputs(scenario_id, session.variant))
    assert recorder.finish().saved
    return laptop.attempt(sim.info.attempt_id)


def test_trainees_sign_in_on_any_laptop_and_results_merge_idempotently(lab):
    instructor, (one, two), session, tmp_path = lab
    ann = _attempt(one, session, "ann example")
    bo = _attempt(two, session, "Bo Sample")
    assert ann["mode"] == "exam" and ann["scenario"]["variant"] == 4 and ann["session_id"] == session.id
    assert (
        ann["difficulty"] == session.difficulty
        and ann["seed"] == 11
        and ann["trainee"]["name"] == "Ann Example"
    )
    files = [export_session_results(laptop, session.id, tmp_path / "usb") for laptop in (one, two)]
    first = [import_records(instructor, f) for f in files]
    assert [r.added for r in first] == [[ann["attempt_id"]], [bo["attempt_id"]]]
    again = import_records(instructor, files[0])
    assert again.added == [] and again.duplicates == [ann["attempt_id"]] and again.rejected == []
    assert {r["attempt_id"] for r in instructor.attempts(session_id=session.id)} == {
        ann["attempt_id"],
        bo["attempt_id"],
    }


def test_an_edited_export_is_rejected_with_the_reason(lab):
    instructor, (one, _), session, tmp_path = lab
    _attempt(one, session, "Cy Third")
    path = export_session_results(one, session.id, tmp_path)
    body = json.loads(path.read_text())
    body["records"][0]["trainee"]["name"] = "Ann Example"  # Cy's attempt passed off as Ann's
    path.write_text(json.dumps(body))
    report = import_records(instructor, path)
    assert report.added == [] and instructor.attempts() == []
    assert "changed after export" in report.rejected[0][1]


def test_a_session_record_without_a_seal_or_from_an_unknown_session_is_rejected(lab, make_record, tmp_path):
    instructor, _, session, _ = lab
    bare = make_record(session_id=session.id)
    stranger = make_record(session_id="2c0f5a1e-0000-4000-8000-000000000000")
    path = tmp_path / "bare.json"
    body = {"kind": "thoracic-trainer-records", "format": 1, "records": [bare, stranger]}
    path.write_text(json.dumps(body))
    reasons = [why for _, why in import_records(instructor, path).rejected]
    assert reasons[0] == "it carries no integrity code" and "not installed here" in reasons[1]


def test_a_changed_record_with_the_same_id_is_reported_as_a_conflict(lab):
    instructor, (one, _), session, tmp_path = lab
    record = _attempt(one, session, "Ann Example")
    assert instructor.save_attempt({**record, "score": 1.0}).saved
    report = import_records(instructor, export_session_results(one, session.id, tmp_path))
    assert report.conflicts == [record["attempt_id"]] and "stored one was kept" in report.summary()
    assert instructor.attempt(record["attempt_id"])["score"] == 1.0


def test_the_pin_guards_settings_and_deletion_and_is_stored_only_hashed(lab):
    instructor, (one, _), session, _ = lab
    stored = instructor.connection().execute("SELECT body FROM sessions").fetchone()[0]
    assert "2468" not in stored and json.loads(stored)["pin"]["scheme"] == "scrypt"
    with pytest.raises(PinError, match="required"):
        update_session(instructor, session.id, None, variant=2)
    with pytest.raises(PinError, match="wrong"):
        update_session(instructor, session.id, "1111", variant=2)
    assert update_session(instructor, session.id, "2468", variant=2).variant == 2
    record = _attempt(one, session, "Ann Example")
    with pytest.raises(PinError):
        delete_attempt(one, record["attempt_id"])
    assert delete_attempt(one, record["attempt_id"], "2468") and one.attempts() == []


def test_a_trainee_off_the_roster_cannot_sign_in(lab):
    _, (one, _), session, _ = lab
    with pytest.raises(TrainerError, match="not on the roster"):
        load_session(one, session.id).sign_in("Mallory")


def test_an_unknown_scenario_or_empty_roster_is_refused(store):
    with pytest.raises(TrainerError):
        create_session(store, "x", ["no_such_scenario"], roster_from_names(["A"]))
    with pytest.raises(TrainerError, match="roster"):
        create_session(store, "x", ["esp_block"], [])


def test_rosters_import_from_class_list_csv_files(tmp_path):
    with_header = tmp_path / "class.csv"
    with_header.write_text("\ufeffEmail;Name\nann@uni.example;Ann Example\n;Bo Sample\n\n", encoding="utf-8")
    ann, bo = read_roster_csv(with_header)
    assert (ann.programme_id, ann.name) == ("ann@uni.example", "Ann Example") and uuid.UUID(ann.id)
    assert bo.name == "Bo Sample" and bo.programme_id == "" and uuid.UUID(bo.id) != uuid.UUID(ann.id)
    plain = tmp_path / "names.csv"
    plain.write_text("Ann Example\nBo Sample\n")
    assert [t.name for t in read_roster_csv(plain)] == ["Ann Example", "Bo Sample"]
    plain.write_text("Ann\nann\n")
    with pytest.raises(TrainerError, match="twice"):
        read_roster_csv(plain)


def test_broken_import_files_give_clear_messages_and_change_nothing(store, tmp_path, make_record):
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"kind": "thoracic-trainer-rec')
    with pytest.raises(TrainerError, match="cannot read the file"):
        import_records(store, broken)
    broken.write_text(json.dumps({"something": "else"}))
    with pytest.raises(TrainerError, match="not an export of attempt records"):
        import_records(store, broken)
    broken.write_text(json.dumps({"kind": "thoracic-trainer-records", "records": [42, {"attempt_id": "x"}]}))
    report = import_records(store, broken)
    assert report.rejected[0][1] == "it is not a JSON object"
    assert "no 'format'" in report.rejected[1][1] and store.attempts() == []
