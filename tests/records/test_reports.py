import pytest

from trainer.assessment.feedback import TEMPLATES
from trainer.records.cusum import CusumLimits, cusum
from trainer.records.error_labels import ERROR_LABELS, error_label
from trainer.records.plots import cusum_figure, errors_figure, figure_png, score_curve_figure
from trainer.records.reports import export_cohort, export_trainee_report
from trainer.records.summary import cohort_summary, error_labels, recurring_errors


def test_cusum_limits_match_the_published_formulas():
    limits = CusumLimits()  # p0 = 0.2, p1 = 0.4, alpha = beta = 0.1
    assert limits.s == pytest.approx(0.2933, abs=1e-4)
    assert limits.h1 == pytest.approx(2.2402, abs=1e-4) and limits.h0 == pytest.approx(-2.2402, abs=1e-4)
    with pytest.raises(ValueError):
        CusumLimits(acceptable_failure_rate=0.5, unacceptable_failure_rate=0.3)


def test_cusum_curve_steps_and_decisions():
    curve = cusum([False, True] + [True] * 10)
    assert curve.values[:2] == pytest.approx((0.7067, 0.4134), abs=1e-4)
    # 0.7067 - 10 x 0.2933 = -2.226 is above h0; one more pass reaches it
    assert curve.competent_at == 12 and curve.alarm_at is None
    assert cusum([False] * 4).alarm_at == 4 and cusum([]).values == ()


def test_every_error_code_the_assessment_explains_has_a_label():
    assert set(ERROR_LABELS) == set(TEMPLATES)
    assert error_label("pleura_puncture") == "pleura punctured" and error_label("new_code") == "new code"


def test_recurring_errors_are_the_assessments_error_codes_counted_by_attempt(make_record):
    unsafe = make_record(unsafe=True)
    twice = {**unsafe, "errors": unsafe["errors"] + unsafe["errors"][:1]}  # a code found twice counts once
    records = [twice, make_record(unsafe=True), make_record()]
    labels = error_labels(unsafe)
    assert labels[0] == "pleura punctured" and len(labels) == len(unsafe["errors"]) >= 4
    assert recurring_errors(records, top=2) == [(labels[0], 2), (labels[1], 2)]  # ties: as first found
    assert recurring_errors(records, top=10) == [(label, 2) for label in labels]
    assert recurring_errors([make_record(), {"attempt_id": "an older record without errors"}]) == []


def test_cohort_summary_per_trainee_and_scenario(make_record):
    bo = {"id": "t-bo", "name": "Bo"}
    unscored = {k: v for k, v in make_record(trainee=bo).items() if k != "score"}  # e.g. an older record
    records = [
        make_record(unsafe=True, started_at="2026-03-01T09:00:00Z"),
        make_record(started_at="2026-03-01T10:00:00Z"),
        make_record(started_at="2026-03-01T11:00:00Z"),
        unscored,
    ]
    ann, bo_row = cohort_summary(records)
    score = records[1]["score"]
    assert (ann.trainee_name, ann.scenario, ann.attempts) == ("Ann Example", "esp_block", 3)
    assert (ann.best_score, ann.last_score, ann.pass_rate_pct) == (score, score, 66.7)
    assert ann.commonest_errors == tuple((label, 1) for label in error_labels(records[0])[:3])
    assert ann.commonest_errors[0] == ("pleura punctured", 1)
    assert (bo_row.trainee_name, bo_row.best_score, bo_row.last_score) == ("Bo", None, None)


def test_history_plots_render_to_png_bytes(make_record):
    records = [make_record(unsafe=i % 3 != 0) for i in range(12)]
    for figure in (
        score_curve_figure(records),
        cusum_figure(records),
        errors_figure(records),
        score_curve_figure([]),
        cusum_figure([]),
    ):
        png = figure_png(figure)
        assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_trainee_report_and_cohort_summary_files(store, make_record, tmp_path):
    for i in range(40):  # enough for the attempts table to need a second page
        day = f"2026-03-{1 + i % 28:02d}T09:00:00Z"
        store.save_attempt(make_record(unsafe=i % 4 == 0, started_at=day))
    pdf = export_trainee_report(store, "t-ann", tmp_path)
    assert pdf.name == "report-Ann-Example.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.read_bytes().count(b"/Type /Page\n") + pdf.read_bytes().count(b"/Type /Page ") >= 4
    csv_path = export_cohort(store, tmp_path, "csv")
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("trainee_id,trainee_name,scenario,attempts") and len(lines) == 2
    assert export_cohort(store, tmp_path, "pdf").read_bytes().startswith(b"%PDF")
