"""Reporting to a real Ralph LRS on 127.0.0.1: delivery, validation, queueing while down, exactly once."""

import json
import stat
import time

import keyring
import pytest
from keyring.backend import KeyringBackend
from ralph_server import PASSWORD, USER, RalphServer

from trainer.cli import main
from trainer.records import credentials
from trainer.records.lrs_client import sync_outbox
from trainer.records.lrs_sender import LrsSender
from trainer.records.lrs_settings import (
    LrsSettings,
    load_settings,
    remove_settings,
    save_settings,
    settings_path,
)
from trainer.records.store import RecordStore
from trainer.records.xapi import XapiIdentity

# with pytest-xdist on one worker: one Ralph server for the module
pytestmark = pytest.mark.xdist_group("test_lrs")

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


def test_a_statement_the_lrs_holds_with_other_contents_becomes_a_dead_letter(ralph, tmp_path, make_record):
    store = _connected_store(tmp_path, ralph.endpoint)
    record = make_record()
    store.save_attempt(record)
    sync_outbox(store)
    store.close()
    changed = RecordStore(tmp_path)
    with changed.transaction() as conn:  # as if the sent rows had been lost: queue an edited copy
        conn.execute("DELETE FROM outbox")
    changed.queue_for_lrs([{**record, "score": 12.0}])
    report = sync_outbox(changed)
    assert len(report.dead) == 1 and len(report.sent) == 1 and report.remaining == 0
    assert "another statement with this id" in report.dead[0][1]
    assert sync_outbox(changed).dead == []  # not retried on its own
    assert changed.lrs_status().dead == 1


def test_wrong_credentials_keep_the_queue_and_say_why(ralph, tmp_path, make_record):
    store = _connected_store(tmp_path, ralph.endpoint, password="wrong")
    store.save_attempt(make_record())
    report = sync_outbox(store)
    assert report.sent == [] and report.remaining == 2 and "refused the user name or password" in report.error


def test_the_password_stays_off_the_data_folder_owner_only_and_never_printed(
    ralph, tmp_path, make_record, capsys, monkeypatch
):
    data = tmp_path / "data"
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(PASSWORD + "\n"))
    argv = [
        "--endpoint",
        ralph.endpoint,
        "--username",
        USER,
        "--password-stdin",
        "--iri-base",
        IDENTITY.iri_base,
    ]
    assert main(["--data-dir", str(data), "lrs-config", *argv]) == 0
    assert "connection tested" in capsys.readouterr().out
    assert PASSWORD not in settings_path(data).read_text()  # the data folder may be a shared one
    [secret] = (credentials.config_dir() / "credentials").iterdir()
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and PASSWORD in secret.read_text()
    assert load_settings(data).password == PASSWORD and PASSWORD not in repr(load_settings(data))
    RecordStore(data).save_attempt(make_record())
    assert main(["--data-dir", str(data), "lrs-sync"]) == 0
    out = capsys.readouterr()
    assert "sent 2 statement(s); 0 still queued" in out.out
    assert PASSWORD not in out.out + out.err


def test_a_password_an_older_version_kept_in_the_data_folder_moves_out(tmp_path):
    body = {"endpoint": "http://127.0.0.1:9/xAPI/", "username": USER, "password": PASSWORD}
    settings_path(tmp_path).write_text(json.dumps(body))
    assert load_settings(tmp_path).password == PASSWORD
    assert "password" not in json.loads(settings_path(tmp_path).read_text())
    assert load_settings(tmp_path).password == PASSWORD


class MemoryKeyring(KeyringBackend):
    """A keyring backend kept in memory, standing in for the Windows, macOS or Secret Service one."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.items = {}

    def set_password(self, service, username, password):
        self.items[service, username] = password

    def get_password(self, service, username):
        return self.items.get((service, username))

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


def test_the_password_goes_to_the_system_keyring_where_there_is_one(tmp_path):
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    where = save_settings(tmp_path, LrsSettings("http://127.0.0.1:9/xAPI/", USER, PASSWORD, IDENTITY))
    assert "system keyring" in where and list(backend.items.values()) == [PASSWORD]
    assert not (credentials.config_dir() / "credentials").exists()
    assert load_settings(tmp_path).password == PASSWORD
    remove_settings(tmp_path)
    assert backend.items == {}


def _wait_for(condition, timeout_s=30.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)
