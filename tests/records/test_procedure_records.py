"""The gel phantom warm-up stays out of the procedures' CUSUM learning curves."""

from trainer.records.cusum import cusum, is_practice_model, procedure_records


def test_the_phantom_is_a_practice_model_and_the_blocks_are_procedures():
    assert is_practice_model("gel_phantom")
    assert not any(is_practice_model(sid) for sid in ("esp_block", "facet_joint", "no_such_scenario"))


def test_phantom_passes_do_not_declare_a_trainee_competent_at_a_block():
    phantom = [{"scenario": {"id": "gel_phantom"}, "passed": True}] * 10
    blocks = [{"scenario": {"id": "esp_block"}, "passed": False}] * 2
    assert cusum([True] * 10).competent_at is not None  # ten passes would reach h0 if counted
    kept = procedure_records(phantom + blocks)
    assert kept == blocks
    assert cusum([bool(r["passed"]) for r in kept]).competent_at is None
