import pytest

from trainer.records.cusum import CusumLimits, cusum
from trainer.records.plots import cusum_figure, errors_figure, figure_png, score_curve_figure
from trainer.records.reports import export_cohort, export_trainee_report
from trainer.records.summary import cohort_summary, recurring_errors

PLEURA = {"time_s": 9.0, "kind": "pleura_puncture", "structure": "pleura", "tip_mm": [0, 30],
          "critical": True}


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


def test_recurring_errors_count_attempts_not_events(make_record):
    records = [make_record(passed=False, events=[PLEURA, PLEURA], feedback=["Keep the tip in view."]),
               make_record(passed=False, events=[PLEURA]), make_record()]
    assert recurring_errors(records) == [("pleura puncture (pleura)", 2), ("Keep the tip in view.", 1)]


def test_cohort_summary_per_trainee_and_scenario(make_record):
    bo = {"id": "t-bo", "name": "Bo"}
    records = [make_record(score=60.0, passed=False, events=[PLEURA], started_at="2026-03-01T09:00:00Z"),
               make_record(score=90.0, started_at="2026-03-01T10:00:00Z"),
               make_record(score=75.0, started_at="2026-03-01T11:00:00Z"),
               make_record(trainee=bo, scenario="gel_phantom", score=None)]
    ann, bo_row = cohort_summary(records)
    assert (ann.trainee_name, ann.scenario, ann.attempts) == ("Ann Example", "esp_block", 3)
    assert (ann.best_score, ann.last_score, ann.pass_rate_pct) == (90.0, 75.0, 66.7)
    assert ann.commonest_errors == (("pleura puncture (pleura)", 1),)
    assert (bo_row.trainee_name, bo_row.best_score, bo_row.last_score) == ("Bo", None, None)


def test_history_plots_render_to_png_bytes(make_record):
    records = [make_record(passed=i % 3 == 0, score=50.0 + i) for i in range(12)]
    for figure in (score_curve_figure(records), cusum_figure(records), errors_figure(records),
                   score_curve_figure([]), cusum_figure([])):
        png = figure_png(figure)
        assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_trainee_report_and_cohort_summary_files(store, make_record, tmp_path):
    for i in range(40):  # enough for the attempts table to need a second page
        day = f"2026-03-{1 + i % 28:02d}T09:00:00Z"
        store.save_attempt(make_record(passed=i % 4 != 0, score=60.0 + i % 30,
                                       events=[] if i % 4 else [PLEURA], started_at=day))
    pdf = export_trainee_report(store, "t-ann", tmp_path)
    assert pdf.name == "report-Ann-Example.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.read_bytes().count(b"/Type /Page\n") + pdf.read_bytes().count(b"/Type /Page ") >= 4
    csv_path = export_cohort(store, tmp_path, "csv")
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("trainee_id,trainee_name,scenario,attempts") and len(lines) == 2
    assert export_cohort(store, tmp_path, "pdf").read_bytes().startswith(b"%PDF")
