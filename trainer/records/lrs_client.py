"""Delivering queued xAPI statements to the LRS, each attempt's statements in one request.

urllib (standard library) is enough for one JSON POST/PUT with Basic auth, so no HTTP dependency is
added. Statement ids are fixed per attempt and verb, so a statement sent twice (a crash between the
LRS's answer and the queue update) is stored once: the LRS answers 204 for a known identical statement.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from trainer.errors import TrainerError
from trainer.records.lrs_settings import LrsSettings, load_settings
from trainer.records.store import RecordStore
from trainer.records.xapi import XAPI_VERSION

TIMEOUT_S = 10.0
DELIVERED = (200, 204)


class LrsUnavailable(TrainerError):
    """The LRS cannot be reached or refuses the request as a whole (credentials, server error)."""


@dataclass(slots=True)
class SyncReport:
    """What one pass over the queue did."""

    sent: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    remaining: int = 0
    error: str = ""

    def summary(self) -> str:
        lines = [f"sent {len(self.sent)} statement(s); {self.remaining} still queued"]
        lines += [
            f"  conflict: statement {s} exists in the LRS with other contents; not re-sent"
            for s in self.conflicts
        ]
        lines += [f"  rejected: statement {s}: {why}" for s, why in self.rejected]
        if self.error:
            lines.append(f"  stopped: {self.error}")
        return "\n".join(lines)


def send(settings: LrsSettings, payload: Any, statement_id: str | None = None) -> tuple[int, str]:
    """POST a list of statements (or PUT one by id); the HTTP status and the body's first 300 chars."""
    url = settings.statements_url + (f"?statementId={quote(statement_id)}" if statement_id else "")
    token = base64.b64encode(f"{settings.username}:{settings.password}".encode()).decode("ascii")
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode("utf-8"),
        method="PUT" if statement_id else "POST",
        headers={
            "Content-Type": "application/json",
            "X-Experience-API-Version": XAPI_VERSION,
            "Authorization": f"Basic {token}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return response.status, response.read(300).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(300).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LrsUnavailable(f"the LRS at {settings.endpoint} is unreachable ({reason})") from None


def sync_outbox(store: RecordStore, settings: LrsSettings | None = None) -> SyncReport:
    """Send every queued statement, oldest attempt first; stop at the first sign the LRS is down."""
    settings = settings or load_settings(store.data_dir)
    if settings is None:
        raise TrainerError("no LRS is set up: use 'python main.py lrs-config' first")
    report = SyncReport()
    try:
        for attempt_id in _queued_attempts(store):
            _deliver_attempt(store, settings, attempt_id, report)
    except LrsUnavailable as exc:
        report.error = str(exc)
    report.remaining = store.outbox_size()
    return report


def _queued_attempts(store: RecordStore) -> list[str]:
    rows = store.connection().execute(
        "SELECT attempt_id FROM outbox WHERE state = 'queued' GROUP BY attempt_id ORDER BY min(rowid)"
    )
    return [r["attempt_id"] for r in rows.fetchall()]


def _deliver_attempt(store: RecordStore, settings: LrsSettings, attempt_id: str, report: SyncReport) -> None:
    rows = (
        store.connection()
        .execute(
            "SELECT statement_id, body FROM outbox WHERE attempt_id = ? AND state = 'queued' ORDER BY rowid",
            (attempt_id,),
        )
        .fetchall()
    )
    statements = {r["statement_id"]: json.loads(r["body"]) for r in rows}
    status, body = send(settings, list(statements.values()))
    if status in DELIVERED:
        _settle(store, list(statements), "sent", "", report)
    elif status in (400, 409):  # one of them is at fault: find which, one by one
        for statement_id, statement in statements.items():
            _deliver_one(store, settings, statement_id, statement, report)
    else:
        _fail(store, list(statements), status, body)


def _deliver_one(
    store: RecordStore,
    settings: LrsSettings,
    statement_id: str,
    statement: dict[str, Any],
    report: SyncReport,
) -> None:
    status, body = send(settings, statement, statement_id)
    if status in DELIVERED:
        _settle(store, [statement_id], "sent", "", report)
    elif status == 409:
        _settle(store, [statement_id], "conflict", body, report)
    elif status == 400:
        _settle(store, [statement_id], "rejected", body, report)
    else:
        _fail(store, [statement_id], status, body)


def _settle(store: RecordStore, ids: list[str], state: str, why: str, report: SyncReport) -> None:
    """Sent statements leave the queue; conflicts and rejections stay, marked, and are not retried."""
    with store.transaction() as conn:
        for statement_id in ids:
            if state == "sent":
                conn.execute("DELETE FROM outbox WHERE statement_id = ?", (statement_id,))
            else:
                conn.execute(
                    "UPDATE outbox SET state = ?, last_error = ? WHERE statement_id = ?",
                    (state, why, statement_id),
                )
    if state == "sent":
        report.sent += ids
    elif state == "conflict":
        report.conflicts += ids
    else:
        report.rejected += [(i, why) for i in ids]


def _fail(store: RecordStore, ids: list[str], status: int, body: str) -> None:
    why = (
        "the LRS refused the user name or password"
        if status in (401, 403)
        else f"the LRS answered HTTP {status}: {body[:120]}"
    )
    try:
        with store.transaction() as conn:
            conn.executemany(
                "UPDATE outbox SET tries = tries + 1, last_error = ? WHERE statement_id = ?",
                [(why, i) for i in ids],
            )
    except sqlite3.Error:
        pass  # the note is a courtesy; the statements stay queued either way
    raise LrsUnavailable(why)
