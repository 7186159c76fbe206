"""Delivery you can trust: misconfigured networks and servers never count a statement as delivered,
never hang, and never kill the sender; what is refused waits in a dead-letter queue for --retry."""

import io
import json
import threading
import time

import pytest
from bad_servers import Trickler, catch_all, html_proxy_error, redirecting
from ralph_server import PASSWORD, USER, RalphServer

from trainer.cli import main
from trainer.errors import TrainerError
from trainer.record import inputs_of
from trainer.records import lrs_http
from trainer.records.lrs_client import sync_outbox
from trainer.records.lrs_sender import LrsSender, delivery_status
from trainer.records.lrs_settings import LrsSettings, load_settings, save_settings, settings_path
from trainer.records.store import RecordStore
from trainer.records.xapi import XapiIdentity, statement_id
from trainer.replay import Replay

# with pytest-xdist on one worker: one Ralph server for the module
pytestmark = pytest.mark.xdist_group("test_lrs_faults")

IDENTITY = XapiIdentity("https://lab.example.org/trainer", "https://lab.example.org")


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    server = RalphServer(tmp_path_factory.mktemp("ralph")).start()
    yield server
    server.stop()


def _store(data, endpoint, records):
    save_settings(data, LrsSettings(endpoint, USER, PASSWORD, IDENTITY))
    store = RecordStore(data)
    for record in records:
        assert store.save_attempt(record).saved
    return store


def _in_ralph(ralph, ids):
    stored = {s["id"] for s in ralph.statements()}
    return [i for i in ids if i in stored]


def _ids(records):
    return [statement_id(r["attempt_id"], v) for r in records for v in ("attempted", "passed")]


def test_a_redirect_is_not_followed_and_delivery_resumes_once_the_endpoint_is_fixed(
    ralph, tmp_path, make_record
):
    records = [make_record(), make_record()]
    proxy = redirecting(ralph.endpoint)
    try:
        store = _store(tmp_path, proxy.endpoint, records)
        report = sync_outbox(store)
    finally:
        proxy.close()
    assert report.sent == [] and report.remaining == 4 and "redirects (HTTP 302)" in report.error
    assert [method for method, _, _ in proxy.requests] == ["POST"]  # no GET with the credentials
    assert _in_ralph(ralph, _ids(records)) == []
    save_settings(tmp_path, LrsSettings(ralph.endpoint, USER, PASSWORD, IDENTITY))
    assert len(sync_outbox(store).sent) == 4 and _in_ralph(ralph, _ids(records)) == _ids(records)


@pytest.mark.parametrize("status", [200, 204])
def test_a_web_server_that_answers_everything_gets_nothing_counted(tmp_path, make_record, status):
    server = catch_all(status)
    try:
        store = _store(tmp_path, server.endpoint, [make_record(), make_record()])
        report = sync_outbox(store)
    finally:
        server.close()
    assert report.sent == [] and report.remaining == 4 and store.lrs_status().sent == 0
    assert "not as an xAPI LRS" in report.error or "does not give it back" in report.error


def test_a_server_trickling_bytes_meets_a_deadline_on_the_whole_request(tmp_path, make_record, monkeypatch):
    monkeypatch.setattr(lrs_http, "DEADLINE_S", 1.5)
    slow = Trickler(every_s=0.2)  # each read gets a byte in time: only a whole-request deadline stops it
    try:
        store = _store(tmp_path, slow.endpoint, [make_record()])
        started = time.perf_counter()
        report = sync_outbox(store)
        took_s = time.perf_counter() - started
    finally:
        slow.close()
    assert "did not answer within 2 s" in report.error and report.remaining == 2
    assert took_s < 4.0


def test_a_proxy_error_page_keeps_statements_queued(tmp_path, make_record):
    proxy = html_proxy_error(400)
    try:
        store = _store(tmp_path, proxy.endpoint, [make_record()])
        report = sync_outbox(store)
    finally:
        proxy.close()
    assert report.dead == [] and report.remaining == 2 and "HTTP 400" in report.error


def test_refused_statements_wait_as_dead_letters_until_retry_after_the_fix(
    ralph, tmp_path, make_record, capsys
):
    from bad_servers import BadServer

    gateway = BadServer(lambda h: (400, {"Content-Type": "application/json"}, b'{"error": "no route"}'))
    records = [make_record(), make_record()]
    try:
        store = _store(tmp_path, gateway.endpoint, records)
        report = sync_outbox(store)
    finally:
        gateway.close()
    assert len(report.dead) == 4 and store.lrs_status().dead == 4
    store.queue_for_lrs([])  # nothing new: the dead letters stay dead until asked
    assert sync_outbox(store).dead == [] and store.lrs_status().dead == 4
    save_settings(tmp_path, LrsSettings(ralph.endpoint, USER, PASSWORD, IDENTITY))
    store.close()
    assert main(["--data-dir", str(tmp_path), "lrs-status"]) == 0
    assert "4 refused" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path), "lrs-sync", "--retry"]) == 0
    out = capsys.readouterr().out
    assert "4 refused statement(s) queued again" in out and "sent 4 statement(s); 0 still queued" in out
    assert _in_ralph(ralph, _ids(records)) == _ids(records)


def _config(capsys, monkeypatch, data, endpoint, *extra, password=PASSWORD):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    code = main(
        [
            "--data-dir",
            str(data),
            "lrs-config",
            "--endpoint",
            endpoint,
            "--username",
            USER,
            "--password-stdin",
            *extra,
        ]
    )
    out = capsys.readouterr()
    return code, out.out + out.err


def test_lrs_config_checks_the_values_and_the_connection_and_says_what_is_wrong(
    ralph, tmp_path, capsys, monkeypatch
):
    code, said = _config(capsys, monkeypatch, tmp_path, ralph.endpoint + "\n\nx")
    assert code == 2 and "line breaks" in said
    code, said = _config(capsys, monkeypatch, tmp_path, ralph.endpoint, "--iri-base", "lab trainer")
    assert code == 2 and "IRI base" in said
    web = catch_all(200)
    try:
        code, said = _config(capsys, monkeypatch, tmp_path, web.endpoint)
    finally:
        web.close()
    assert code == 2 and "not as an xAPI LRS" in said and not settings_path(tmp_path).exists()
    assert "X-Experience-API-Version" in web.requests[-1][2]
    code, said = _config(capsys, monkeypatch, tmp_path, ralph.endpoint, password="wrong")
    assert code == 2 and "refused the user name or password" in said
    hop = redirecting(ralph.endpoint, 301)
    try:
        code, said = _config(capsys, monkeypatch, tmp_path, hop.endpoint)
    finally:
        hop.close()
    assert code == 2 and "redirects (HTTP 301)" in said
    code, said = _config(capsys, monkeypatch, tmp_path, "  " + ralph.endpoint.rstrip("/") + "\n")
    assert code == 0 and "connection tested" in said and load_settings(tmp_path).endpoint == ralph.endpoint


def test_a_hand_edited_endpoint_with_a_newline_never_crashes_sync_or_the_sender(
    tmp_path, make_record, capsys
):
    store = _store(tmp_path, "http://127.0.0.1:9/xAPI/", [make_record()])
    body = json.loads(settings_path(tmp_path).read_text())
    settings_path(tmp_path).write_text(json.dumps({**body, "endpoint": body["endpoint"] + "\n"}))
    with pytest.raises(TrainerError, match="line breaks"):
        load_settings(tmp_path)
    assert main(["--data-dir", str(tmp_path), "lrs-sync"]) == 2
    assert "line breaks" in capsys.readouterr().err
    sender = LrsSender(tmp_path, first_retry_s=0.1, longest_wait_s=0.2).start()
    try:
        sender.notify()
        _wait_for(lambda: "line breaks" in sender.last_error)
        assert sender._thread.is_alive()
    finally:
        sender.stop()
    assert store.lrs_status().queued == 2  # nothing lost


class Boom(BaseException):
    """Something no pass should ever raise, ending the thread."""


def test_a_sender_pass_that_fails_says_so_and_a_dead_sender_is_restarted(
    ralph, tmp_path, make_record, monkeypatch
):
    store = _store(tmp_path, ralph.endpoint, [make_record()])
    real = LrsSender._send_once
    failures = iter([RuntimeError("disk on fire"), Boom("gone")])

    def flaky(self, store, wait_s):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real(self, store, wait_s)

    monkeypatch.setattr(LrsSender, "_send_once", flaky)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # the dying thread's report
    sender = LrsSender(tmp_path, first_retry_s=0.1, longest_wait_s=0.2).start()
    try:
        _wait_for(lambda: "disk on fire" in sender.last_error or "stopped" in sender.last_error)
        _wait_for(lambda: not sender._thread.is_alive())  # the second pass killed it
        assert "stopped (Boom: gone)" in sender.last_error
        line = delivery_status(store, sender)  # the menu asks: the sender is started again
        assert sender.restarts == 1 and "restarted" in line
        _wait_for(lambda: store.lrs_status().sent == 2)
    finally:
        sender.stop(timeout_s=15)


def test_a_replaced_attempt_voids_the_outcome_already_sent(ralph, tmp_path, make_record):
    full = make_record()
    shown = Replay(full)  # the part is the same attempt, stopped half-way (a journal recovered early)
    part = {**shown.at(len(shown) // 2).finish().to_dict(), "recovered": True}
    assert len(inputs_of(part)) < len(inputs_of(full))
    store = _store(tmp_path, ralph.endpoint, [part])
    assert len(sync_outbox(store).sent) == 2
    assert store.save_attempt(full).saved
    assert store.attempt(full["attempt_id"]) == full
    report = sync_outbox(store)
    stored = {s["id"]: s for s in ralph.statements()}
    voiding = [
        stored[i] for i in report.sent if stored.get(i, {}).get("verb", {}).get("id", "").endswith("voided")
    ]
    old_outcome = statement_id(full["attempt_id"], "failed" if not part["passed"] else "passed")
    assert [v["object"] for v in voiding] == [{"objectType": "StatementRef", "id": old_outcome}]
    assert len(report.sent) == 2 and report.remaining == 0 and report.dead == []


def _wait_for(condition, timeout_s=30.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)
