"""Trainees that never collide: opaque ids, names kept as typed, old records migrated, matching by id
or by name plus programme id."""

import json
import sqlite3
import uuid

import pytest

from trainer.attempt import Trainee
from trainer.errors import TrainerError
from trainer.record import load_record
from trainer.records.integrity import canonical_json
from trainer.records.roster import read_roster_csv, roster_from_names
from trainer.records.schema import MIGRATIONS
from trainer.records.sessions import create_session, install_session_file, load_session, write_session_file
from trainer.records.store import RecordStore
from trainer.records.trainees import remembered, sign_in
from trainer.replay import check_replay
from trainer.result import RECORD_FORMAT


@pytest.mark.parametrize("name", ["王伟", "José", "Zoë Ørsted-Ng", "Алексей", "محمد", "Alex Morgan"])
def test_names_in_any_script_are_kept_exactly_and_get_opaque_ids(store, name):
    trainee = sign_in(store, name)
    assert trainee.name == name and uuid.UUID(trainee.id).version == 4
    assert store.trainee(trainee.id) == trainee
    assert sign_in(store, f"  {name.upper()} ") == trainee  # the same person typing again


def test_one_name_typed_on_two_keyboards_is_one_trainee(store):
    composed, decomposed = "Jos\u00e9", "Jose\u0301"
    assert sign_in(store, composed) == sign_in(store, decomposed)


def test_two_alex_morgans_are_told_apart_by_programme_id(store, make_record):
    first = sign_in(store, "Alex Morgan", "R2-0147")
    second = sign_in(store, "Alex Morgan", "R3-0020")
    assert first.id != second.id and sign_in(store, "Alex Morgan", "r2-0147") == first
    for who in (first, second):
        assert store.save_attempt(make_record(trainee=who)).saved
    assert [len(store.attempts(trainee_id=t.id)) for t in (first, second)] == [1, 1]
    assert sign_in(store, "Alex Morgan", "", chosen_id=second.id) == second  # picked from the list


def test_a_session_roster_signs_in_by_name_plus_programme_id(store, tmp_path):
    roster = tmp_path / "class.csv"
    roster.write_text("name,student id\nAlex Morgan,R2-0147\nAlex Morgan,R3-0020\nBo Sample,\n")
    session = create_session(store, "Lab", ["gel_phantom"], read_roster_csv(roster))
    r2, r3, bo = session.roster
    assert session.sign_in("alex morgan", "R3-0020") == r3 and session.sign_in("R2-0147") == r2
    assert session.sign_in(r3.id) == r3 and session.sign_in("Bo Sample") == bo
    with pytest.raises(TrainerError, match="give the programme ID"):
        session.sign_in("Alex Morgan")
    with pytest.raises(TrainerError, match="not on the roster"):
        session.sign_in("Alex Morgan", "R9-9999")


def test_a_roster_import_reuses_the_ids_of_known_trainees(store):
    known = sign_in(store, "Ann Example", "ann@uni.example")
    march = create_session(store, "March", ["gel_phantom"], roster_from_names(["Bo Sample"]))
    april_roster = [Trainee.new("ann example", "ANN@uni.example"), Trainee.new("Bo Sample")]
    april = create_session(store, "April", ["gel_phantom"], april_roster)
    assert april.roster[0].id == known.id and april.roster[1].id == march.roster[0].id
    assert april.roster[0].name == "ann example"  # as typed on this roster


def _format2(record, trainee_id, name):
    old = {k: v for k, v in record.items()}
    old["format"], old["trainee"] = 2, {"id": trainee_id, "name": name}
    return old


def test_a_store_of_the_previous_format_is_migrated_on_opening(tmp_path, make_record):
    data = tmp_path / "data"
    data.mkdir()
    conn = sqlite3.connect(data / "trainer.sqlite3")
    conn.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    old = [
        _format2(make_record(), "alex-morgan", "Alex Morgan"),  # a slug the sign-in screen made
        _format2(make_record(), "R2-0147", "Alex Morgan"),  # an id someone typed
        _format2(make_record(), str(uuid.UUID(int=7)), "Bo Sample"),  # a roster's opaque id
    ]
    for r in old:
        who = r["trainee"]
        conn.execute("INSERT OR IGNORE INTO trainees VALUES (?, ?, '2025-01-01')", (who["id"], who["name"]))
        conn.execute(
            "INSERT INTO attempts VALUES (?, ?, NULL, ?, ?, ?, 1, 'local', ?)",
            (r["attempt_id"], who["id"], "esp_block", r["started_at"], r["score"], canonical_json(r)),
        )
    conn.commit()
    conn.close()
    store = RecordStore(data)
    migrated = {r["attempt_id"]: r for r in store.attempts()}
    slug, typed, opaque = (migrated[r["attempt_id"]]["trainee"] for r in old)
    assert slug["programme_id"] == "" and typed["programme_id"] == "R2-0147"
    assert slug["id"] != typed["id"] and uuid.UUID(slug["id"]) and uuid.UUID(typed["id"])
    assert opaque == {"id": str(uuid.UUID(int=7)), "name": "Bo Sample", "programme_id": ""}
    assert all(r["format"] == RECORD_FORMAT for r in migrated.values())
    assert {t.id for t in store.trainees()} == {slug["id"], typed["id"], opaque["id"]}
    assert store.attempts(trainee_id=typed["id"]) == [migrated[old[1]["attempt_id"]]]
    # the game's settings still remember the old slug: it is brought up to date
    assert remembered(store, "alex-morgan", "Alex Morgan").id == slug["id"]
    # a migrated record still loads and replays to itself
    record = migrated[old[0]["attempt_id"]]
    assert load_record(record).info.trainee.id == slug["id"] and check_replay(record).reproduced
    # the same old record migrates the same way wherever it is opened (merges match)
    assert check_replay(old[0]).reproduced


def test_an_old_session_file_installs_with_the_ids_its_records_migrate_to(tmp_path, make_record):
    instructor = RecordStore(tmp_path / "instructor")
    session = create_session(instructor, "Lab", ["gel_phantom"], roster_from_names(["Ann Example"]))
    path = write_session_file(session, tmp_path)
    body = json.loads(path.read_text())
    body["format"] = 1
    body["session"]["roster"] = [{"id": "ann@uni.example", "name": "Ann Example"}]  # format 1's CSV id
    path.write_text(json.dumps(body))
    laptop = RecordStore(tmp_path / "laptop")
    installed = install_session_file(laptop, path)
    [ann] = installed.roster
    old_record = _format2(make_record(), "ann@uni.example", "Ann Example")
    assert load_record(old_record).info.trainee == ann and ann.programme_id == "ann@uni.example"
    assert load_session(laptop, session.id).sign_in("ann@uni.example") == ann
