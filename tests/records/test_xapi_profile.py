"""Every statement the trainer makes follows its published xAPI profile (docs/xapi-profile.jsonld)."""

import json
from pathlib import Path

from trainer.records.xapi import XapiIdentity, statements_for, voiding_statement
from trainer.records.xapi_profile import profile_document, statement_problems

PROFILE_FILE = Path(__file__).resolve().parents[2] / "docs" / "xapi-profile.jsonld"


def test_the_published_profile_is_the_one_the_trainer_makes():
    assert json.loads(PROFILE_FILE.read_text(encoding="utf-8")) == profile_document()


def test_the_profile_is_json_ld_with_each_metric_unit_described_once():
    profile = profile_document(XapiIdentity("https://lab.example.org"))
    assert profile["@context"] == "https://w3id.org/xapi/profiles/context" and profile["type"] == "Profile"
    by_label = {c["prefLabel"]["en"]: c for c in profile["concepts"]}
    assert by_label["blind_advance_mm"]["id"] == "https://lab.example.org/xapi/metrics/blind_advance_mm"
    assert by_label["blind_advance_mm"]["definition"]["en"].endswith("Unit: mm.")
    assert by_label["redirections"]["definition"]["en"].endswith("Unit: count.")


def test_every_statement_of_every_kind_of_attempt_follows_the_profile(make_record):
    identity = XapiIdentity("https://lab.example.org", "https://lab.example.org/accounts")
    profile = profile_document(identity)
    records = [
        make_record(),
        make_record(unsafe=True, mode="exam"),
        make_record(scenario_id="costovertebral_joint", session_id="lab-2026-03"),
        make_record(scenario_id="gel_phantom"),
    ]
    for record in records:
        statements = statements_for(record, identity)
        statements.append(voiding_statement(record, identity, statements[1]["id"]))
        for statement in statements:
            assert statement_problems(statement, profile) == [], statement["verb"]
        assert all("metric-units" not in key for key in statements[0]["context"]["extensions"])


def test_a_statement_off_the_profile_is_named(make_record):
    identity = XapiIdentity("https://lab.example.org")
    profile = profile_document(identity)
    attempted, outcome = statements_for(make_record(), identity)
    outcome["result"]["extensions"]["https://lab.example.org/xapi/metrics/made_up_mm"] = 1.0
    del outcome["context"]["registration"]
    assert statement_problems(outcome, profile) == [
        "$.context.registration is missing",
        "the result extension https://lab.example.org/xapi/metrics/made_up_mm is not defined in the profile",
    ]
    attempted["verb"]["id"] = "http://adlnet.gov/expapi/verbs/completed"
    assert statement_problems(attempted, profile) == [
        "no template for the verb http://adlnet.gov/expapi/verbs/completed"
    ]
