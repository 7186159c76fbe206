"""xAPI delivery to a real Ralph LRS on 127.0.0.1 under faults.

Kills: a child saves attempts and sends their statements while it is SIGKILLed, and now and then the
LRS is stopped under it (SIGTERM: Ralph's file backend, the only one that needs no database server,
cannot survive a SIGKILL mid-write; its file then holds a torn line and it answers HTTP 500 to every
later request until the line is removed); at the end the queue is sent and every statement of every
stored attempt must be in the LRS exactly once.

Server faults: each way a misconfigured network answers (a redirect, a web server that answers 200 or
204 to anything, a proxy's error page, a gateway's JSON 400, a server trickling bytes) must not count
a statement as delivered, must not hang, and once the endpoint is fixed (`lrs-sync --retry`) every
statement arrives.
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from campaigns.common import ROOT, Row, fresh_record, ralph_server, read_when_ready, spawn

SENDER = """
import sys
from pathlib import Path
from trainer.records.lrs_client import sync_outbox
from trainer.records.store import RecordStore
sys.path.insert(0, sys.argv[2])
from campaigns.common import fresh_record
store = RecordStore(Path(sys.argv[1]))
fresh_record()  # the expert's attempt is played once, before the first save
print("ready", flush=True)
while True:
    for _ in range(2):
        store.save_attempt(fresh_record(trainee={"id": "t-lrs", "name": "Lou", "programme_id": ""}))
    sync_outbox(store)
"""
USER, PASSWORD = "lab-laptop", "s3cret-Pa55"


def _in_lrs(server: Any) -> list[str]:
    """The statement ids in Ralph's own file (a torn last line, if any, is not a statement)."""
    ids = []
    for path in server.workdir.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                ids.append(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError):
                continue
    return ids


def _expected(data: Path) -> set[str]:
    from trainer.records.lrs_settings import load_settings
    from trainer.records.store import RecordStore
    from trainer.records.xapi import statements_for

    store = RecordStore(data)
    identity = load_settings(data).identity  # type: ignore[union-attr]
    ids = {s["id"] for r in store.attempts() for s in statements_for(r, identity)}
    store.close()
    return ids


def _configure(data: Path, endpoint: str) -> None:
    from trainer.records.lrs_settings import LrsSettings, save_settings

    save_settings(data, LrsSettings(endpoint, USER, PASSWORD))


def _drain(data: Path) -> int:
    """Send until the queue is empty (or stops shrinking); what remains."""
    from trainer.records.lrs_client import sync_outbox
    from trainer.records.store import RecordStore

    store = RecordStore(data)
    try:
        for _ in range(20):
            if sync_outbox(store).remaining == 0:
                return 0
            time.sleep(0.5)
        return store.outbox_size()
    finally:
        store.close()


def _stop_lrs(server: Any) -> None:
    os.killpg(server._process.pid, signal.SIGTERM)
    server._process.wait()
    server._process = None


def _queued(data: Path) -> set[str]:
    from trainer.records.store import RecordStore

    store = RecordStore(data)
    rows = store.connection().execute("SELECT statement_id FROM outbox WHERE state != 'sent'").fetchall()
    store.close()
    return {r[0] for r in rows}


def kills(work: Path, rounds: int, seed: int = 14) -> list[Row]:
    rng = random.Random(seed)
    server = ralph_server(work / "ralph").start()
    data = work / "kills"
    _configure(data, server.endpoint)
    lrs_kills = 0
    try:
        for n in range(rounds):
            child = spawn(SENDER, str(data), str(ROOT / "scripts"))
            read_when_ready(child)
            time.sleep(rng.uniform(1.0, 4.0))
            if n % 3 == 2:
                _stop_lrs(server)  # the LRS goes away while the laptop sends
                lrs_kills += 1
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            if server._process is None:
                server.start()
        _drain(data)
        sent, waiting, expected = _in_lrs(server), _queued(data), _expected(data)
    finally:
        server.stop()
    name = f"LRS delivery, {rounds} sender SIGKILLs and {lrs_kills} LRS stops"
    return [
        Row(
            name,
            len(expected),
            "statements lost (neither in the LRS nor queued)",
            len(expected - set(sent) - waiting),
        ),
        Row(name, len(expected), "statements not delivered once the LRS was back", len(expected - set(sent))),
        Row(name, len(expected), "statements stored twice", len(sent) - len(set(sent))),
        Row(name, rounds, "no statement made (the campaign measured nothing)", int(not expected)),
    ]


def _faulty_servers() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "tests" / "records"))
    import bad_servers

    return {
        "redirect 302 to the LRS": lambda lrs: bad_servers.redirecting(lrs, 302),
        "redirect 301 to the LRS": lambda lrs: bad_servers.redirecting(lrs, 301),
        "web server answering 200": lambda lrs: bad_servers.catch_all(200),
        "web server answering 204": lambda lrs: bad_servers.catch_all(204),
        "proxy error page 400": lambda lrs: bad_servers.html_proxy_error(400),
        "gateway JSON 400": lambda lrs: bad_servers.BadServer(
            lambda h: (400, {"Content-Type": "application/json"}, b'{"error": "no route"}')
        ),
        "server trickling a byte every 4 s": lambda lrs: bad_servers.Trickler(4.0),
    }


def faults(work: Path, seed: int = 14) -> list[Row]:
    from trainer.cli import main
    from trainer.records import lrs_http
    from trainer.records.lrs_client import sync_outbox
    from trainer.records.store import RecordStore

    lrs_http.DEADLINE_S = 8.0  # the trickler takes this long to be given up, instead of 20 s
    server = ralph_server(work / "ralph-faults").start()
    counted_wrongly = lost = slow = 0
    try:
        for n, make in enumerate(_faulty_servers().values()):
            data = work / f"fault-{n}"
            bad = make(server.endpoint)
            _configure(data, bad.endpoint)
            store = RecordStore(data)
            for _ in range(3):
                store.save_attempt(fresh_record())
            started = time.monotonic()
            sync_outbox(store)
            slow += time.monotonic() - started > lrs_http.DEADLINE_S * 3 + 5
            present = set(_in_lrs(server))
            counted_wrongly += sum(1 for i in _sent_ids(store) if i not in present)
            bad.close()
            store.close()
            _configure(data, server.endpoint)  # the instructor fixes the endpoint
            with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
                main(["--data-dir", str(data), "lrs-sync", "--retry"])
            lost += len(_expected(data) - set(_in_lrs(server)))
    finally:
        server.stop()
    name = f"LRS server faults ({len(_faulty_servers())} kinds, 3 attempts each)"
    return [
        Row(
            name,
            6 * len(_faulty_servers()),
            "statements counted as delivered but not in the LRS",
            counted_wrongly,
        ),
        Row(name, 6 * len(_faulty_servers()), "statements lost after the endpoint was fixed", lost),
        Row(name, len(_faulty_servers()), "syncs that hung past the deadline", slow),
    ]


def _sent_ids(store: Any) -> list[str]:
    rows = store.connection().execute("SELECT statement_id FROM outbox WHERE state = 'sent'")
    return [r[0] for r in rows.fetchall()]
