import sqlite3

import pytest

from trainer.errors import TrainerError
from trainer.records import schema
from trainer.records.schema import SCHEMA_VERSION, integrity_problems
from trainer.records.store import Merge, RecordStore


def test_a_saved_attempt_reads_back_unchanged_and_registers_its_trainee(store, make_record):
    record = make_record()
    outcome = store.save_attempt(record)
    assert outcome.saved and outcome.message == "Attempt saved."
    assert store.attempts() == [record]
    assert store.attempt(record["attempt_id"]) == record
    assert [t.name for t in store.trainees()] == ["Ann Example"]
    assert store.attempts(trainee_id="t-ann") == [record] and store.attempts(trainee_id="nobody") == []


def test_merging_is_idempotent_and_reports_conflicts(store, make_record):
    record = make_record()
    changed = {**record, "score": 12.0}
    assert store.merge([record], "local") == [Merge.ADDED]
    assert store.merge([record, changed], "import") == [Merge.DUPLICATE, Merge.CONFLICT]
    assert store.attempts() == [record]


def test_a_record_without_the_required_fields_is_refused_with_the_reason(store, make_record):
    record = make_record()
    del record["started_at"]
    with pytest.raises(TrainerError, match="started_at"):
        store.save_attempt(record)


def test_a_record_with_a_value_json_cannot_hold_is_refused_with_the_reason(store, make_record):
    record = make_record()
    record["metrics"]["path_length_mm"] = float("nan")
    with pytest.raises(TrainerError, match=r"'metrics.path_length_mm' .* \(not a finite number"):
        store.save_attempt(record)


def test_a_new_database_is_at_the_current_schema_version(store):
    version = store.connection().execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION >= 1


def test_a_database_from_a_newer_trainer_is_refused_with_a_clear_message(tmp_path):
    first = RecordStore(tmp_path)
    first.connection().execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    first.close()
    with pytest.raises(TrainerError, match="newer version of the trainer"):
        RecordStore(tmp_path).connection()


def test_a_damaged_database_is_set_aside_and_its_readable_attempts_are_salvaged(tmp_path, make_record):
    records = [make_record() for _ in range(3)]
    first = RecordStore(tmp_path)
    for r in records:
        first.save_attempt(r)
    first.close()
    db = tmp_path / "trainer.sqlite3"
    data = bytearray(db.read_bytes())
    page = 4096
    data[-page:] = b"\xff" * page  # the last page (the end of a record) is garbage now
    db.write_bytes(bytes(data))
    again = RecordStore(tmp_path)
    kept = {r["attempt_id"] for r in again.attempts()}
    assert len(again.notices) == 1 and "damaged" in again.notices[0]
    assert integrity_problems(again.connection()) == []
    assert list((tmp_path / "damaged").rglob("trainer.sqlite3"))  # the old file is kept, not deleted
    assert kept <= {r["attempt_id"] for r in records}


def test_a_file_that_is_not_a_database_is_set_aside_and_a_new_store_starts(tmp_path, make_record):
    (tmp_path / "trainer.sqlite3").write_bytes(b"this is not sqlite" * 100)
    store = RecordStore(tmp_path)
    assert store.save_attempt(make_record()).saved
    assert "damaged" in store.notices[0]


def test_a_full_disk_keeps_the_attempt_in_memory_until_a_retry_succeeds(store, make_record, monkeypatch):
    disk = {"full": True}

    def connect_to_a_full_disk(path):
        conn = schema.connect(path)
        if disk["full"]:  # SQLite then reports 'database or disk is full', as on a full disk
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr("trainer.records.store.connect", connect_to_a_full_disk)
    record = make_record()
    outcome = store.save_attempt(record)
    assert not outcome.saved
    assert "the disk is full" in outcome.message and "kept in memory" in outcome.message
    assert store.pending == [record]
    assert [o.saved for o in store.retry_pending()] == [False]
    disk["full"] = False
    assert [o.saved for o in store.retry_pending()] == [True]
    assert store.pending == [] and store.attempts() == [record]


def test_save_failures_never_raise_for_sqlite_errors(store, make_record, monkeypatch):
    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "merge", broken)
    outcome = store.save_attempt(make_record())
    assert not outcome.saved and "disk I/O error" in outcome.message and len(store.pending) == 1


def test_unreadable_lrs_settings_never_stop_an_attempt_being_saved(store, make_record):
    store.data_dir.mkdir(parents=True)
    (store.data_dir / "lrs.json").write_text("{not json")
    assert store.save_attempt(make_record()).saved
    assert "LRS settings cannot be used" in store.notices[0]
