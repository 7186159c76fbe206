"""Delivering queued xAPI statements to the LRS, each attempt's statements in one request.

A statement counts as delivered only when the LRS answers as the xAPI 1.0.3 spec says: a POST answered
200 with the ids of the statements it stored, or a PUT by id answered 204. Anything else (a redirect,
a web server that answers 200 to everything, a proxy's error page) leaves the statements queued and
says why. A statement the LRS itself refuses for good (its JSON 400, or a 409 for a PUT: it holds
another statement under that id) goes to the dead-letter queue; `requeue_dead` sends it again once the
configuration is fixed. Statement ids are fixed per attempt and verb, so a re-send is stored once.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from trainer.errors import TrainerError
from trainer.records import outbox
from trainer.records.lrs_http import Answer, LrsUnavailable, redirect_problem, request
from trainer.records.lrs_settings import LrsSettings, load_settings
from trainer.records.store import RecordStore
from trainer.records.xapi import XAPI_VERSION

__all__ = ["LrsUnavailable", "SyncReport", "send", "sync_outbox"]


@dataclass(slots=True)
class SyncReport:
    """What one pass over the queue did."""

    sent: list[str] = field(default_factory=list)
    dead: list[tuple[str, str]] = field(default_factory=list)
    remaining: int = 0
    error: str = ""

    def summary(self) -> str:
        lines = [f"sent {len(self.sent)} statement(s); {self.remaining} still queued"]
        lines += [f"  refused, kept as a dead letter: statement {s}: {why}" for s, why in self.dead]
        if self.error:
            lines.append(f"  stopped: {self.error}")
        return "\n".join(lines)


def headers(settings: LrsSettings, with_body: bool = False) -> dict[str, str]:
    token = base64.b64encode(f"{settings.username}:{settings.password}".encode()).decode("ascii")
    found = {"X-Experience-API-Version": XAPI_VERSION, "Authorization": f"Basic {token}"}
    return {**found, "Content-Type": "application/json"} if with_body else found


def send(settings: LrsSettings, payload: Any, statement_id: str | None = None) -> Answer:
    """POST a list of statements (or PUT one by id)."""
    url = settings.statements_url + (f"?statementId={quote(statement_id)}" if statement_id else "")
    body = json.dumps(payload).encode("utf-8")
    return request("PUT" if statement_id else "POST", url, headers(settings, True), body)


def sync_outbox(store: RecordStore, settings: LrsSettings | None = None) -> SyncReport:
    """Send every queued statement, oldest attempt first; stop at the first sign the LRS is down or
    misconfigured, and remember why (the menu and `lrs-status` show it)."""
    settings = settings or load_settings(store.data_dir)
    if settings is None:
        raise TrainerError("no LRS is set up: use 'python main.py lrs-config' first")
    report = SyncReport()
    try:
        if not settings.password:
            raise LrsUnavailable("the LRS password is not kept on this computer: run lrs-config here")
        for attempt_id in outbox.queued_attempts(store.connection()):
            _deliver_attempt(store, settings, attempt_id, report)
    except LrsUnavailable as exc:
        report.error = str(exc)
    _note(store, report.error)
    report.remaining = store.outbox_size()
    return report


def _note(store: RecordStore, problem: str) -> None:
    try:
        with store.transaction() as conn:
            outbox.note_problem(conn, problem)
    except (sqlite3.Error, TrainerError):
        pass  # the note is a courtesy; the queue is what matters


def _deliver_attempt(store: RecordStore, settings: LrsSettings, attempt_id: str, report: SyncReport) -> None:
    statements = _bodies(store, outbox.queued_statements(store.connection(), attempt_id), report)
    if not statements:
        return
    answer = send(settings, list(statements.values()))
    confirmed = _confirmed_ids(answer, statements)
    _settle(store, confirmed, outbox.SENT, "", report)
    rest = {i: s for i, s in statements.items() if i not in confirmed}
    if rest and (answer.status in (200, 204) or _lrs_refusal(answer)):
        for statement_id, statement in rest.items():  # find out one by one, idempotently
            _deliver_one(store, settings, statement_id, statement, report)
    elif rest:
        _fail(store, list(rest), answer)


def _bodies(store: RecordStore, texts: dict[str, str], report: SyncReport) -> dict[str, Any]:
    """The queued statements; a body damaged on disk becomes a dead letter ('lrs-sync --requeue-all'
    queues the attempt's statements afresh)."""
    bodies, damaged = {}, []
    for statement_id, text in texts.items():
        try:
            bodies[statement_id] = json.loads(text)
        except (ValueError, RecursionError):
            damaged.append(statement_id)
    _settle(store, damaged, outbox.DEAD, "the queued statement was damaged on disk", report)
    return bodies


def _confirmed_ids(answer: Answer, statements: dict[str, Any]) -> list[str]:
    """The sent statements a POST answer confirms: 200 with a JSON list of their ids."""
    ids = answer.json()
    if answer.status != 200 or not isinstance(ids, list):
        return []
    return [i for i in statements if i in ids]


def _lrs_refusal(answer: Answer) -> bool:
    """A 400 or 409 that came from an LRS (a JSON body), not from a proxy's error page."""
    return answer.status in (400, 409) and answer.json() is not None


def _deliver_one(
    store: RecordStore, settings: LrsSettings, statement_id: str, statement: Any, report: SyncReport
) -> None:
    answer = send(settings, statement, statement_id)
    if answer.status == 204 and stored_in_lrs(settings, statement_id):
        _settle(store, [statement_id], outbox.SENT, "", report)
    elif answer.status == 409:
        why = f"the LRS holds another statement with this id ({answer.text()})"
        _settle(store, [statement_id], outbox.DEAD, why, report)
    elif _lrs_refusal(answer):
        _settle(store, [statement_id], outbox.DEAD, f"the LRS refused it: {answer.text()}", report)
    else:
        _fail(store, [statement_id], answer)


def stored_in_lrs(settings: LrsSettings, statement_id: str) -> bool:
    """Whether the LRS returns the statement by its id (a catch-all web server answers 204 to a PUT too,
    but cannot give the statement back). Only asked when a POST did not list the ids it stored."""
    url = f"{settings.statements_url}?statementId={quote(statement_id)}"
    answer = request("GET", url, headers(settings))
    found = answer.json()
    # the spec returns the statement itself; some LRSs (Ralph) a statement list holding it
    listed = found.get("statements") if isinstance(found, dict) else None
    candidates = [found, *listed] if isinstance(listed, list) else [found]
    if answer.status == 200 and any(isinstance(c, dict) and c.get("id") == statement_id for c in candidates):
        return True
    raise LrsUnavailable(
        f"the LRS endpoint accepted statement {statement_id} but does not give it back "
        f"(HTTP {answer.status}): check that the endpoint is an xAPI LRS"
    )


def _settle(store: RecordStore, ids: list[str], state: str, why: str, report: SyncReport) -> None:
    if not ids:
        return
    with store.transaction() as conn:
        outbox.settle(conn, ids, state, why)
    if state == outbox.SENT:
        report.sent += ids
    else:
        report.dead += [(i, why) for i in ids]


def _fail(store: RecordStore, ids: list[str], answer: Answer) -> None:
    """The answer is not one an LRS gives: keep the statements queued and stop with the reason."""
    why = problem_of(answer, "LRS endpoint")
    try:
        with store.transaction() as conn:
            conn.executemany(
                "UPDATE outbox SET tries = tries + 1, last_error = ? WHERE statement_id = ?",
                [(why, i) for i in ids],
            )
    except sqlite3.Error:
        pass  # the note is a courtesy; the statements stay queued either way
    raise LrsUnavailable(why)


def problem_of(answer: Answer, what: str) -> str:
    """What an unexpected answer says about the configuration, in one sentence."""
    if 300 <= answer.status < 400:
        return redirect_problem(answer, what)
    if answer.status in (401, 403):
        return "the LRS refused the user name or password"
    if answer.status in (200, 204):
        return (
            f"the {what} answered HTTP {answer.status} but not as an xAPI LRS does (no statement ids came "
            "back): check the endpoint address"
        )
    return f"the LRS answered HTTP {answer.status}: {answer.text(120)}"
