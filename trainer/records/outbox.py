"""The LRS outbox: xAPI statements queued in the store, in the same transaction as their attempt.

A statement is `queued` until the LRS confirms it as the xAPI spec says, then `sent` (its body is
dropped, its id kept, so a later replacement of the attempt knows what to void). One the LRS refuses
for good goes to the dead-letter state `dead` with the reason; `requeue_dead` sends those again once
the configuration is fixed. The last delivery problem is kept in the store's meta table, so the menu
and the instructor commands can show it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from trainer.attempt import utc_now
from trainer.records.schema import meta_value, set_meta
from trainer.records.xapi import XapiIdentity, statement_id, statements_for, voiding_statement

QUEUED, SENT, DEAD = "queued", "sent", "dead"
LAST_ERROR_KEY = "lrs_last_error"


@dataclass(frozen=True, slots=True)
class OutboxStatus:
    """How delivery stands: statements waiting, refused for good (dead letters), confirmed, and the last
    problem ('' when the last pass went well)."""

    queued: int
    dead: int
    sent: int
    last_error: str

    def line(self, problem: str = "") -> str:
        """One line for the menu and the command line (`problem`: a fresher one than the stored)."""
        text = f"LRS: {self.queued} statement(s) waiting, {self.dead} refused, {self.sent} delivered"
        if self.dead:
            text += " (fix the LRS settings, then run 'lrs-sync --retry')"
        problem = problem or self.last_error
        return text + (f"; last problem: {problem}" if problem else "")


def queue(
    conn: sqlite3.Connection, attempt_id: str, statements: list[dict[str, Any]], again: bool = False
) -> None:
    """Queue statements not already queued, sent or dead (their ids are fixed per attempt); `again`
    queues sent and dead ones once more too (the LRS is idempotent for identical statements)."""
    now = utc_now()
    conflict = (
        "DO UPDATE SET state = 'queued', body = excluded.body, tries = 0, last_error = ''"
        if again
        else "DO NOTHING"
    )
    conn.executemany(
        "INSERT INTO outbox (statement_id, attempt_id, body, queued_at) VALUES (?, ?, ?, ?) "
        f"ON CONFLICT (statement_id) {conflict}",
        [(s["id"], attempt_id, json.dumps(s), now) for s in statements],
    )


def queue_replacement(
    conn: sqlite3.Connection, old: dict[str, Any], new: dict[str, Any], identity: XapiIdentity
) -> None:
    """The attempt `old` was replaced by the longer `new`: unsent statements of `old` are dropped; an
    outcome of `old` already sent is voided, and `new`'s outcome goes under a revised id."""
    attempt_id = new["attempt_id"]
    states = dict(conn.execute("SELECT statement_id, state FROM outbox WHERE attempt_id = ?", (attempt_id,)))
    conn.execute("DELETE FROM outbox WHERE attempt_id = ? AND state != ?", (attempt_id, SENT))
    sent_outcomes = [i for i in _outcome_ids(old) if states.get(i) == SENT]
    revision = int(new.get("input_count", 0)) if sent_outcomes else 0
    statements = statements_for(new, identity, revision)
    statements += [voiding_statement(new, identity, voided) for voided in sent_outcomes]
    queue(conn, attempt_id, statements)


def _outcome_ids(record: dict[str, Any]) -> list[str]:
    """The ids the record's outcome statement may have been sent under (first copy, or a revision)."""
    verdict = "passed" if record.get("passed") else "failed"
    revisions = (0, int(record.get("input_count", 0)))
    return [statement_id(record["attempt_id"], verdict, r) for r in revisions]


def settle(conn: sqlite3.Connection, ids: list[str], state: str, why: str = "") -> None:
    """Mark statements sent (their bodies dropped) or dead (with the reason)."""
    body = "''" if state == SENT else "body"
    conn.executemany(
        f"UPDATE outbox SET state = ?, last_error = ?, body = {body} WHERE statement_id = ?",
        [(state, why, i) for i in ids],
    )


def queued_attempts(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT attempt_id FROM outbox WHERE state = ? GROUP BY attempt_id ORDER BY min(rowid)", (QUEUED,)
    )
    return [r[0] for r in rows.fetchall()]


def queued_statements(conn: sqlite3.Connection, attempt_id: str) -> dict[str, str]:
    """statement id -> body text, in queue order."""
    rows = conn.execute(
        "SELECT statement_id, body FROM outbox WHERE attempt_id = ? AND state = ? ORDER BY rowid",
        (attempt_id, QUEUED),
    )
    return {r[0]: r[1] for r in rows.fetchall()}


def requeue_dead(conn: sqlite3.Connection) -> int:
    """Send the dead letters again (after the configuration was fixed); returns how many."""
    return conn.execute(
        "UPDATE outbox SET state = ?, tries = 0, last_error = '' WHERE state = ?", (QUEUED, DEAD)
    ).rowcount


def note_problem(conn: sqlite3.Connection, problem: str) -> None:
    """Remember the last delivery problem ('' once a pass went well)."""
    set_meta(conn, LAST_ERROR_KEY, f"{problem} ({utc_now()[:16].replace('T', ' ')} UTC)" if problem else "")


def status(conn: sqlite3.Connection) -> OutboxStatus:
    counts = dict(conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
    return OutboxStatus(
        int(counts.get(QUEUED, 0)),
        int(counts.get(DEAD, 0)),
        int(counts.get(SENT, 0)),
        meta_value(conn, LAST_ERROR_KEY),
    )
