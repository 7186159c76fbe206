"""Testing an LRS connection before the settings are kept: is it there, is it xAPI, are we let in?"""

from __future__ import annotations

from trainer.records.lrs_client import headers, problem_of
from trainer.records.lrs_http import LrsUnavailable, redirect_problem, request
from trainer.records.lrs_settings import LrsSettings
from trainer.records.xapi import XAPI_VERSION


def connection_problem(settings: LrsSettings) -> str:
    """What is wrong with reaching the LRS with these settings, in one sentence, or '' if nothing."""
    try:
        return _about_problem(settings) or _statements_problem(settings)
    except LrsUnavailable as exc:
        return str(exc)


def _about_problem(settings: LrsSettings) -> str:
    """The xAPI About resource (optional for some LRSs): a redirect, or a version other than 1.0.x."""
    answer = request("GET", settings.endpoint + "about", {"X-Experience-API-Version": XAPI_VERSION})
    if 300 <= answer.status < 400:
        return redirect_problem(answer, "LRS endpoint")
    about = answer.json()
    versions = about.get("version") if answer.status == 200 and isinstance(about, dict) else None
    if isinstance(versions, list) and not any(str(v).startswith("1.0") for v in versions):
        return f"the LRS speaks xAPI {', '.join(map(str, versions))}, not 1.0.x"
    return ""


def _statements_problem(settings: LrsSettings) -> str:
    """An authenticated query for one statement, with the version header, must give a statement list."""
    answer = request("GET", settings.statements_url + "?limit=1", headers(settings))
    body = answer.json()
    if answer.status == 200 and isinstance(body, dict) and isinstance(body.get("statements"), list):
        return ""
    if answer.status == 200:
        return (
            "the address answers, but not as an xAPI LRS (no statement list came back): check the "
            "endpoint, which often ends in /xAPI/ or /data/xAPI/"
        )
    return problem_of(answer, "LRS endpoint")
