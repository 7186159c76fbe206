"""xAPI 1.0.3 statements for an attempt: 'attempted', then 'passed' or 'failed' with the score, and the
band, sub-scores and metrics as result extensions. The registration is the attempt's id, a skills-lab
session is the grouping context activity, and the activity is named by the procedure's title; the
units of the metrics are described once, in the trainer's xAPI profile (xapi_profile.py), not in
every statement.

Statements are a pure function of the record and the identity settings: the same attempt always gives
the same statement ids and contents, so a re-send is idempotent and never a conflict. When a stored
attempt is replaced by a longer copy of itself (a crash-recovered part, then the whole attempt), its
outcome is sent again under a revised id and the outcome already sent is voided.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from trainer.attempt import utc_iso
from trainer.errors import TrainerError
from trainer.records.envelope import ended_at, parse_time, score_of, trainee_of
from trainer.scenario import load_scenario

XAPI_VERSION = "1.0.3"
SIMULATION_TYPE = "http://adlnet.gov/expapi/activities/simulation"
VERBS = {
    name: f"http://adlnet.gov/expapi/verbs/{name}" for name in ("attempted", "passed", "failed", "voided")
}
# Fixed namespace for statement ids: uuid5(namespace, attempt id + verb).
STATEMENT_NAMESPACE = uuid.UUID("2f6a3c0e-8d5b-4f0a-9d8e-7b1c4e2a9f61")
SCORE_MIN, SCORE_MAX = 0.0, 100.0


@dataclass(frozen=True, slots=True)
class XapiIdentity:
    """Where the trainer's IRIs live. Set `iri_base` to a URL your institution controls."""

    iri_base: str = "https://thoracic-trainer.example"
    home_page: str = "https://thoracic-trainer.example"

    def __post_init__(self) -> None:
        for label, value in (("IRI base", self.iri_base), ("home page", self.home_page)):
            problem = iri_problem(value)
            if problem:
                raise TrainerError(f"the {label} {value!r} is not usable: {problem}")
        object.__setattr__(self, "iri_base", self.iri_base.rstrip("/"))

    def scenario_iri(self, scenario_id: str) -> str:
        return f"{self.iri_base}/scenarios/{scenario_id}"

    def metric_iri(self, name: str) -> str:
        return f"{self.iri_base}/xapi/metrics/{name}"

    def context_iri(self, name: str) -> str:
        return f"{self.iri_base}/xapi/context/{name}"

    def result_iri(self, name: str) -> str:
        return f"{self.iri_base}/xapi/result/{name}"

    def session_iri(self, session_id: str) -> str:
        return f"{self.iri_base}/sessions/{session_id}"

    def profile_iri(self) -> str:
        return f"{self.iri_base}/xapi/profile"


def iri_problem(value: str) -> str:
    """Why `value` cannot be an absolute http(s) IRI for xAPI ids, or '' if it can."""
    if value != value.strip() or any(c.isspace() or ord(c) < 32 for c in value):
        return "it contains spaces, tabs or line breaks"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "it must be an absolute http:// or https:// address, e.g. https://your-institution.example/trainer"
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return "it must not carry '?' or '#' parts"
    if parts.username or parts.password:
        return "it must not hold a user name or password"
    return ""


def statement_id(attempt_id: str, verb: str, revision: int = 0) -> str:
    """The statement's fixed id; `revision` (the input count of a replacing copy) gives a new one."""
    suffix = f"/{revision}" if revision else ""
    return str(uuid.uuid5(STATEMENT_NAMESPACE, f"{attempt_id}/{verb}{suffix}"))


def iso_duration(seconds: float) -> str:
    """ISO-8601 duration with at most 0.01 s precision, e.g. 'PT1M5.25S'."""
    centis = max(0, round(seconds * 100))
    hours, centis = divmod(centis, 360_000)
    minutes, centis = divmod(centis, 6_000)
    whole, frac = divmod(centis, 100)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{whole}.{frac:02d}S"


def statements_for(record: dict[str, Any], identity: XapiIdentity, revision: int = 0) -> list[dict[str, Any]]:
    """The attempt's statements, oldest first; a `revision` gives the outcome a new id."""
    verdict = "passed" if record.get("passed") else "failed"
    base = {
        "actor": _actor(record, identity),
        "object": _activity(record, identity),
        "context": _context(record, identity),
    }
    attempted = {
        **base,
        "id": statement_id(record["attempt_id"], "attempted"),
        "verb": _verb("attempted"),
        "timestamp": utc_iso(parse_time(record["started_at"])),
    }
    outcome = {
        **base,
        "id": statement_id(record["attempt_id"], verdict, revision),
        "verb": _verb(verdict),
        "result": _result(record, identity),
        "timestamp": utc_iso(ended_at(record)),
    }
    return [attempted, outcome]


def voiding_statement(record: dict[str, Any], identity: XapiIdentity, voided_id: str) -> dict[str, Any]:
    """Withdraws an outcome sent for an earlier, shorter copy of the attempt."""
    return {
        "id": str(uuid.uuid5(STATEMENT_NAMESPACE, f"{record['attempt_id']}/voids/{voided_id}")),
        "actor": _actor(record, identity),
        "verb": _verb("voided"),
        "object": {"objectType": "StatementRef", "id": voided_id},
        "timestamp": utc_iso(ended_at(record)),
    }


def _verb(name: str) -> dict[str, Any]:
    return {"id": VERBS[name], "display": {"en-US": name}}


def _actor(record: dict[str, Any], identity: XapiIdentity) -> dict[str, Any]:
    who = trainee_of(record)
    actor: dict[str, Any] = {
        "objectType": "Agent",
        "account": {"homePage": identity.home_page, "name": who["id"] or "anonymous"},
    }
    if who["name"]:
        actor["name"] = who["name"]
    return actor


def _activity(record: dict[str, Any], identity: XapiIdentity) -> dict[str, Any]:
    scenario_id = str(record["scenario"]["id"])
    return {
        "objectType": "Activity",
        "id": identity.scenario_iri(scenario_id),
        "definition": {"type": SIMULATION_TYPE, "name": {"en-US": activity_name(scenario_id)}},
    }


@lru_cache(maxsize=64)
def activity_name(scenario_id: str) -> str:
    """The procedure's title and level ("Erector spinae plane block, T5"), as analytics tools list it;
    the id's words for a scenario this trainer does not have."""
    try:
        sc = load_scenario(scenario_id)
    except TrainerError:
        return scenario_id.replace("_", " ")
    return f"{sc.title}, {sc.level}"


def _context(record: dict[str, Any], identity: XapiIdentity) -> dict[str, Any]:
    scenario = record["scenario"]
    facts = {
        "scenario-version": scenario.get("version"),
        "variant": scenario.get("variant"),
        "seed": record.get("seed"),
        "mode": record.get("mode"),
        "difficulty": record.get("difficulty"),
    }
    context: dict[str, Any] = {
        "registration": str(record["attempt_id"]),  # one attempt (the record model checks it is a UUID)
        "platform": "thoracic-us-trainer",
        "extensions": {identity.context_iri(k): v for k, v in facts.items() if v is not None},
    }
    session_id = record.get("session_id")
    if session_id:
        session = {"objectType": "Activity", "id": identity.session_iri(str(session_id))}
        context["contextActivities"] = {"grouping": [session]}
    return context


def _result(record: dict[str, Any], identity: XapiIdentity) -> dict[str, Any]:
    result: dict[str, Any] = {
        "success": bool(record.get("passed")),
        "completion": True,
        "duration": iso_duration(float(record.get("duration_s", 0.0))),
    }
    score = score_of(record)
    if score is not None:
        raw = min(max(score, SCORE_MIN), SCORE_MAX)
        result["score"] = {
            "scaled": round(raw / SCORE_MAX, 4),
            "raw": raw,
            "min": SCORE_MIN,
            "max": SCORE_MAX,
        }
    extensions = {identity.metric_iri(k): v for k, v in (record.get("metrics") or {}).items() if _plain(v)}
    extensions.update(
        {
            identity.result_iri(f"subscores/{k}"): v
            for k, v in (record.get("subscores") or {}).items()
            if _plain(v)
        }
    )
    if isinstance(record.get("band"), str):
        extensions[identity.result_iri("band")] = record["band"]
    if extensions:
        result["extensions"] = extensions
    return result


def _plain(value: Any) -> bool:
    """JSON scalars an LRS accepts (no NaN or infinity)."""
    return isinstance(value, str | bool | int) or (isinstance(value, float) and math.isfinite(value))
