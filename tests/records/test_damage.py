"""Damage contained: bad records refused with the field named, damaged rows quarantined while every other
record stays usable, hostile imports refused, replay that checks everything."""

import copy
import json
import sqlite3
import time

import pytest

from trainer.cli import main
from trainer.errors import RecordError, TrainerError
from trainer.record import load_record
from trainer.records.exports import export_records
from trainer.records.reports import export_cohort
from trainer.records.roster import roster_from_names
from trainer.records.sessions import create_session, install_session_file, write_session_file
from trainer.records.store import RecordStore
from trainer.records.transfer import import_records
from trainer.replay import Replay, check_replay

MUTATIONS = [
    ("errors", 7),
    ("errors", [{"code": 3}]),
    ("metrics", {"path_length_mm": [1, 2]}),
    ("metrics", {"path_length_mm": {"deep": 1}}),
    ("metrics", "fast"),
    ("subscores", {"accuracy": "high"}),
    ("score", "100"),
    ("score", 1000),
    ("band", None),
    ("feedback", [None]),
    ("events", [{"kind": "teleport"}]),
    ("trainee", {"id": 7, "name": "x"}),
    ("started_at", "yesterday"),
    ("duration_s", -3),
    ("standing", {"x": True}),
]


def _export(tmp_path, records, name="export.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"kind": "thoracic-trainer-records", "format": 1, "records": records}))
    return path


@pytest.mark.parametrize(("key", "value"), MUTATIONS)
def test_a_record_with_a_wrong_field_is_refused_naming_the_field(store, make_record, tmp_path, key, value):
    bad = {**make_record(), key: value}
    with pytest.raises(TrainerError, match=f"'{key}"):
        store.save_attempt(bad)
    report = import_records(store, _export(tmp_path, [bad]), keep_unverified=True)
    assert report.added == [] and f"'{key}" in report.rejected[0][1]
    assert store.attempts() == []


def _flip_inside_record(db, attempt_id):
    """Change one byte of one stored record on disk, as a failing disk would."""
    data = bytearray(db.read_bytes())
    at = data.index(b'"band":"excellent"', data.index(f'"attempt_id":"{attempt_id}"'.encode()))
    data[at + 10] ^= 0x01  # "excellent" becomes "exbellent": still valid JSON, still a string
    db.write_bytes(bytes(data))


def test_a_flipped_byte_in_one_record_quarantines_it_and_the_rest_stay_usable(tmp_path, make_record):
    records = [make_record() for _ in range(40)]
    store = RecordStore(tmp_path)
    for r in records:
        assert store.save_attempt(r).saved
    store.close()
    victim = records[17]["attempt_id"]
    _flip_inside_record(tmp_path / "trainer.sqlite3", victim)
    again = RecordStore(tmp_path)
    assert again.connection().execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # SQLite sees nothing
    kept = again.attempts()
    assert len(kept) == 39 and victim not in {r["attempt_id"] for r in kept}
    assert any(victim in n and "moved to" in n for n in again.notices)
    assert (tmp_path / "damaged" / "records" / f"{victim}.json").exists()
    out = tmp_path / "out"
    assert export_records(again, again.attempts(), out, "csv").exists()
    assert export_cohort(again, out, "csv").exists()


def test_a_damaged_row_written_by_another_program_never_blocks_the_store(store, make_record):
    good, bad = make_record(), make_record()
    store.save_attempt(good)
    store.save_attempt(bad)
    broken = {**bad, "errors": 7}
    with store.transaction() as conn:  # another tool, or an older trainer, wrote this
        conn.execute(
            "UPDATE attempts SET record = ?, checksum = NULL WHERE attempt_id = ?",
            (json.dumps(broken), bad["attempt_id"]),
        )
    assert store.attempts() == [good]
    assert "'errors'" in store.notices[-1]


def test_a_record_from_a_newer_trainer_is_skipped_not_quarantined(store, make_record):
    record, newer = make_record(), make_record()
    store.save_attempt(record)
    store.save_attempt(newer)
    with store.transaction() as conn:
        conn.execute(
            "UPDATE attempts SET record = ?, checksum = NULL WHERE attempt_id = ?",
            (json.dumps({**newer, "format": 99}), newer["attempt_id"]),
        )
    assert store.attempts() == [record] and "update the trainer" in store.notices[-1]
    assert store.connection().execute("SELECT count(*) FROM attempts").fetchone()[0] == 2


def test_imports_without_a_valid_seal_are_refused_or_marked_unverified(store, make_record, tmp_path):
    forged = {**make_record(), "score": 100.0, "band": "excellent"}  # seal and session stripped
    path = _export(tmp_path, [forged])
    report = import_records(store, path)
    assert report.added == [] and report.rejected[0][1] == "it carries no integrity code"
    assert "--unverified" in report.summary()
    kept = import_records(store, path, keep_unverified=True)
    assert kept.unverified == [forged["attempt_id"]] and "marked unverified" in kept.summary()
    [stored] = store.attempts()
    assert stored["unverified"] is True
    csv_path = export_records(store, [stored], tmp_path / "out", "csv")
    assert "unverified import" in csv_path.read_text(encoding="utf-8-sig")


def test_bombs_are_refused_quickly_with_a_message(store, make_record, tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text(
        '{"kind": "thoracic-trainer-records", "records": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    )
    with pytest.raises(TrainerError, match="nests 100002 levels deep"):
        import_records(store, deep)
    assert main(["--data-dir", str(tmp_path / "d"), "replay", str(deep)]) == 2
    assert "nests" in capsys.readouterr().err
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as f:
        f.truncate(65 * 2**20)
    with pytest.raises(TrainerError, match="more than the 64 MB allowed"):
        import_records(store, huge)
    many = make_record()
    many["inputs"] = [{"repeat": 4_900_000, "of": [["step", {"dt_s": 0.0166}]]}]
    many["input_count"] = 4_900_000
    started = time.perf_counter()
    with pytest.raises(RecordError, match="more than the 1000000"):
        Replay(many)
    report = import_records(store, _export(tmp_path, [many]), keep_unverified=True)
    assert "more than the 1000000" in report.rejected[0][1]
    assert time.perf_counter() - started < 2.0


def test_a_session_file_with_a_damaged_key_is_refused_at_install(store, tmp_path):
    session = create_session(store, "Lab", ["gel_phantom"], roster_from_names(["Ann"]))
    path = write_session_file(session, tmp_path)
    body = json.loads(path.read_text())
    body["session"]["key"] = "not-hex"
    path.write_text(json.dumps(body))
    laptop = RecordStore(tmp_path / "laptop")
    with pytest.raises(TrainerError, match="session key is damaged"):
        install_session_file(laptop, path)


def test_exporting_an_unknown_session_is_an_error_not_an_empty_file(tmp_path, capsys):
    code = main(["--data-dir", str(tmp_path), "session", "export", "no-such-session", "--out", str(tmp_path)])
    assert code == 2 and "no session 'no-such-session'" in capsys.readouterr().err
    assert list(tmp_path.glob("session-*.json")) == []


def test_a_very_long_name_gives_short_file_names(store, make_record, tmp_path):
    long_name = "Ann " + "x" * 300
    trainee = store.add_trainee(__import__("trainer").Trainee.new(long_name))
    store.save_attempt(make_record(trainee=trainee))
    from trainer.records.reports import export_trainee_report

    path = export_trainee_report(store, trainee.id, tmp_path)
    assert path.exists() and len(path.name) < 80


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("errors", []),
        ("feedback", ["Well done."]),
        ("subscores", {"accuracy": 100.0, "safety": 100.0, "technique": 100.0, "efficiency": 99.0}),
        ("band", "excellent"),
        ("strengths", []),
        ("standing", {}),
    ],
)
def test_replay_reports_every_stored_result_it_does_not_reproduce(make_record, key, value):
    record = make_record(unsafe=True)
    edited = copy.deepcopy(record)
    edited[key] = value if edited[key] != value else ["changed"]
    assert check_replay(record).reproduced
    check = check_replay(edited)
    assert not check.reproduced and check.differences == (key,)
    assert load_record(edited)  # the edit is well typed: only the replay can tell


def test_replay_from_the_command_line_names_what_differs(make_record, tmp_path, capsys):
    edited = {**make_record(unsafe=True), "errors": []}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(edited))
    assert main(["replay", str(path)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["reproduced"] is False and out["differences"] == ["errors"]


def test_a_damaged_session_row_is_left_out_with_a_notice(store, tmp_path):
    session = create_session(store, "Lab", ["gel_phantom"], roster_from_names(["Ann"]))
    with store.transaction() as conn:
        conn.execute("UPDATE sessions SET body = '{\"id\": 3}' WHERE session_id = ?", (session.id,))
    from trainer.records.sessions import list_sessions

    assert list_sessions(store) == [] and "damaged" in store.notices[-1]
    assert isinstance(store.connection(), sqlite3.Connection)
