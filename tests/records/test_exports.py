import csv
import json
from pathlib import Path

import pytest

import trainer
from trainer.errors import TrainerError
from trainer.records.exports import CSV_COLUMNS, KEY_METRICS, export_records
from trainer.records.paths import contained_path
from trainer.records.spreadsheet import neutralise_cell
from trainer.records.xapi import XapiIdentity, iso_duration, statements_for


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_has_one_row_per_attempt_with_who_when_what_key_metrics_and_errors(store, make_record, tmp_path):
    # the ESP block's scene on the 3D patient has every hazard class (pleura, intercostal vessels,
    # neuraxis), so every key metric applies to it, and its expert makes no error (the costovertebral
    # expert's path passes within near-miss margins of the root, vessels and pleura: test_expert.py)
    expert = make_record(scenario_id="esp_block")
    unsafe = make_record(unsafe=True, mode="exam")
    rows = _rows(export_records(store, [expert, unsafe], tmp_path, "csv", "out.csv"))
    assert tuple(rows[0]) == CSV_COLUMNS and set(KEY_METRICS) <= set(expert["metrics"])
    assert rows[0]["trainee_name"] == "Ann Example" and rows[0]["score"] == str(expert["score"])
    assert rows[0]["path_length_mm"] == str(expert["metrics"]["path_length_mm"])
    assert rows[0]["errors"] == "" and rows[0]["critical_events"] == ""
    assert rows[1]["mode"] == "exam" and rows[1]["passed"] == "False" and rows[1]["band"] == "unsafe"
    assert rows[1]["errors"].split("; ") == [e["code"] for e in unsafe["errors"]]
    assert rows[1]["errors"].startswith("pleura_puncture; ")
    assert rows[1]["critical_events"].startswith("pleura_puncture (lung) at ")


def test_the_instructors_guide_names_the_key_metrics():
    guide = (Path(__file__).resolve().parents[2] / "docs" / "instructors.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in guide for name in KEY_METRICS)


def test_csv_leaves_a_metric_an_older_record_lacks_blank(store, make_record, tmp_path):
    record = make_record()
    del record["metrics"]["probe_drift_mm"]
    assert _rows(export_records(store, [record], tmp_path, "csv", "old.csv"))[0]["probe_drift_mm"] == ""


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_neutralises_formula_injection_in_names(store, make_record, tmp_path, name):
    record = make_record(trainee={"id": name, "name": name})
    row = _rows(export_records(store, [record], tmp_path, "csv", "x.csv"))[0]
    assert row["trainee_name"] == "'" + name and row["trainee_id"] == "'" + name


def test_numbers_and_plain_text_pass_through_unchanged():
    assert neutralise_cell(-3.5) == -3.5 and neutralise_cell("Ann") == "Ann" and neutralise_cell(None) == ""


@pytest.mark.parametrize("name", ["../escape.csv", "/tmp/abs.csv", "sub/../../x.csv", "..", "a\x00b"])
def test_export_paths_cannot_escape_the_chosen_folder(store, make_record, tmp_path, name):
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(TrainerError):
        export_records(store, [make_record()], folder, "json", name)
    assert list(folder.iterdir()) == [] and not (tmp_path / "escape.csv").exists()


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "link").symlink_to(tmp_path)
    with pytest.raises(TrainerError, match="outside"):
        contained_path(tmp_path / "inside", "link/x.csv")


def test_json_export_holds_full_replayable_records(store, make_record, tmp_path):
    record = make_record()
    body = json.loads(export_records(store, [record], tmp_path, "json", "a.json").read_text())
    [exported] = body["records"]
    assert exported == record
    assert trainer.replay(exported).to_dict() == record


def test_xapi_statements_attempted_then_passed_with_score_duration_band_and_extension_iris(make_record):
    record = make_record(session_id="0b7d0a43-3a3e-4c7f-9f53-5d2e1a1c2b3d")
    identity = XapiIdentity("https://lab.example.org", "https://lab.example.org/accounts")
    attempted, passed = statements_for(record, identity)
    assert attempted["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attempted"
    assert passed["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert passed["object"]["id"] == "https://lab.example.org/scenarios/esp_block"
    assert passed["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/simulation"
    assert passed["actor"]["account"] == {"homePage": "https://lab.example.org/accounts", "name": "t-ann"}
    result = passed["result"]
    assert result["score"] == {
        "scaled": record["score"] / 100,
        "raw": record["score"],
        "min": 0.0,
        "max": 100.0,
    }
    assert result["success"] is True and result["completion"] is True
    assert result["duration"] == iso_duration(record["duration_s"])
    extensions = result["extensions"]
    assert (
        extensions["https://lab.example.org/xapi/metrics/path_length_mm"]
        == record["metrics"]["path_length_mm"]
    )
    assert extensions["https://lab.example.org/xapi/result/band"] == record["band"] == "excellent"
    assert extensions["https://lab.example.org/xapi/result/subscores/safety"] == record["subscores"]["safety"]
    assert passed["context"]["registration"] == record["attempt_id"]  # one attempt
    grouping = passed["context"]["contextActivities"]["grouping"]
    assert grouping == [
        {"objectType": "Activity", "id": f"https://lab.example.org/sessions/{record['session_id']}"}
    ]
    assert passed["object"]["definition"]["name"] == {"en-US": "Erector spinae plane block, T5"}
    assert statements_for(record, identity) == [attempted, passed]  # same ids and contents every time
    failed = statements_for(make_record(unsafe=True), identity)[1]
    assert failed["verb"]["display"] == {"en-US": "failed"}
    assert failed["result"]["extensions"]["https://lab.example.org/xapi/result/band"] == "unsafe"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "PT0.00S"),
        (0.004, "PT0.00S"),
        (12.346, "PT12.35S"),
        (3600.5, "PT1H0.50S"),
        (3725.0, "PT1H2M5.00S"),
    ],
)
def test_iso_durations_have_at_most_centisecond_precision(seconds, text):
    assert iso_duration(seconds) == text
