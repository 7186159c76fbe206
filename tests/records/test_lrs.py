"""Reporting to a real Ralph LRS on 127.0.0.1: delivery, validation, queueing while down, exactly once."""

import json
import stat
import time

import pytest
from ralph_server import PASSWORD, USER, RalphServer

from trainer.cli import main
from trainer.records.lrs_client import sync_outbox
from trainer.records.lrs_sender import LrsSender
from trainer.records.lrs_settings import LrsSettings, load_settings, save_settings, settings_path
from trainer.records.store import RecordStore
from trainer.records.xapi import XapiIdentity

IDENTITY = XapiIdentity("https://lab.example.org/trainer", "https://lab.example.org")


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    server = RalphServer(tmp_path_factory.mktemp("ralph")).start()
    yield server
    server.stop()


def _connected_store(path, endpoint, password=PASSWORD):
    save_settings(path, LrsSettings(endpoint, USER, password, IDENTITY))
    return RecordStore(path)


def test_statements_arrive_in_the_lrs_and_validate(ralph, tmp_path, make_record):
    store = _connected_store(tmp_path, ralph.endpoint)
    records = [make_record(), make_record(unsafe=True)]
    for record in records:
        assert store.save_attempt(record).saved
    started = time.perf_counter()
    report = sync_outbox(store)
    round_trip_s = time.perf_counter() - started
    assert len(report.sent) == 4 and report.remaining == 0 and report.error == ""
    stored = {s["id"]: s for s in ralph.statements()}
    assert set(report.sent) <= set(stored)
    assert ralph.validation_problems([stored[i] for i in report.sent]) == []
    verbs = sorted(stored[i]["verb"]["display"]["en-US"] for i in report.sent)
    assert verbs == ["attempted", "attempted", "failed", "passed"]
    failed = next(stored[i] for i in report.sent if stored[i]["verb"]["display"]["en-US"] == "failed")
    assert failed["result"]["score"]["raw"] == records[1]["score"] and failed["result"]["success"] is False
    assert failed["result"]["extensions"]["https://lab.example.org/trainer/xapi/result/band"] == "unsafe"
    assert failed["object"]["id"] == "https://lab.example.org/trainer/scenarios/esp_block"
    print(f"Ralph round trip for 2 attempts (4 statements): {round_trip_s * 1000:.0f} ms")


def test_attempts_queue_while_the_lrs_is_down_and_arrive_once_after_restart(tmp_path, make_record):
    server = RalphServer(tmp_path / "ralph").start()
    server.stop()
    store = _connected_store(tmp_path / "data", server.endpoint)
    sender = LrsSender(store.data_dir, first_retry_s=0.2, longest_wait_s=0.5).start()
    try:
        records = [make_record() for _ in range(3)]
        for record in records:
            started = time.perf_counter()
            assert store.save_attempt(record).saved
            sender.notify()
            assert time.perf_counter() - started < 0.5  # the game never waits for the LRS
        _wait_for(lambda: "unreachable" in sender.last_error)
        assert store.outbox_size() == 6
        server.start()
        _wait_for(lambda: store.outbox_size() == 0)
    finally:
        sender.stop(timeout_s=15)
        server.stop()
    server.start()
    try:
        assert sync_outbox(store).sent == []
        store.queue_for_lrs(records)  # as if the process died after sending, before dequeuing
        assert len(sync_outbox(store).sent) == 6  # the LRS answers 204: already there, identical
        ids = [s["id"] for s in server.statements()]
        assert len(ids) == 6 == len(set(ids)) == server.stored_lines()
    finally:
        server.stop()


def test_a_statement_the_lrs_holds_with_other_contents_is_reported_not_retried(ralph, tmp_path, make_record):
    store = _connected_store(tmp_path, ralph.endpoint)
    record = make_record()
    store.save_attempt(record)
    sync_outbox(store)
    store.close()
    changed = RecordStore(tmp_path)
    changed.queue_for_lrs([{**record, "score": 12.0}])
    report = sync_outbox(changed)
    assert len(report.conflicts) == 1 and len(report.sent) == 1 and report.remaining == 0
    assert sync_outbox(changed).conflicts == []  # not retried


def test_wrong_credentials_keep_the_queue_and_say_why(ralph, tmp_path, make_record):
    store = _connected_store(tmp_path, ralph.endpoint, password="wrong")
    store.save_attempt(make_record())
    report = sync_outbox(store)
    assert report.sent == [] and report.remaining == 2 and "refused the user name or password" in report.error


def test_credentials_are_owner_only_and_never_printed(ralph, tmp_path, make_record, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(PASSWORD + "\n"))
    assert (
        main(
            [
                "--data-dir",
                str(tmp_path),
                "lrs-config",
                "--endpoint",
                ralph.endpoint,
                "--username",
                USER,
                "--password-stdin",
                "--iri-base",
                IDENTITY.iri_base,
            ]
        )
        == 0
    )
    assert stat.S_IMODE(settings_path(tmp_path).stat().st_mode) == 0o600
    assert load_settings(tmp_path).password == PASSWORD and PASSWORD not in repr(load_settings(tmp_path))
    RecordStore(tmp_path).save_attempt(make_record())
    assert main(["--data-dir", str(tmp_path), "lrs-sync"]) == 0
    out = capsys.readouterr()
    assert "sent 2 statement(s); 0 still queued" in out.out
    assert PASSWORD not in out.out + out.err
    settings_path(tmp_path).chmod(0o644)
    load_settings(tmp_path)
    assert stat.S_IMODE(settings_path(tmp_path).stat().st_mode) == 0o600
    assert json.loads(settings_path(tmp_path).read_text())["username"] == USER


def _wait_for(condition, timeout_s=30.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)
