import json

import pytest

import trainer
from trainer.records.envelope import AttemptContext, Trainee
from trainer.records.journal import JOURNAL_DIR, read_journal
from trainer.records.recorder import AttemptRecorder, recover_unfinished
from trainer.records.store import RecordStore


def _start(store, scenario="esp_block", seed=3):
    sc = trainer.load_scenario(scenario)
    sim = trainer.Simulation(sc, seed=seed)
    context = AttemptContext(trainee=Trainee("t-bo", "Bo"), mode="practice", difficulty="guided")
    return sim, AttemptRecorder.start(store, sim, context), trainer.expert_attempt(sc)


def test_a_finished_attempt_is_stored_with_its_envelope_and_its_journal_removed(store):
    sim, recorder, actions = _start(store)
    trainer.play(sim, actions)
    outcome = recorder.finish()
    assert outcome.saved and recorder.warning == ""
    record = store.attempt(outcome.attempt_id)
    assert record["trainee"] == {"id": "t-bo", "name": "Bo"} and record["difficulty"] == "guided"
    assert record["passed"] and trainer.replay(record).to_dict()["events"] == record["events"]
    assert list((store.data_dir / JOURNAL_DIR).iterdir()) == []


def test_an_abandoned_attempt_is_recovered_from_its_journal_on_the_next_start(store, tmp_path):
    sim, recorder, actions = _start(store)
    trainer.play(sim, actions[: len(actions) // 2])
    expected = sim.finish().to_dict()  # the process "dies" here: finish() is never called on the recorder
    later = RecordStore(store.data_dir)
    [recovery] = recover_unfinished(later)
    assert recovery.saved and recovery.attempt_id == recorder.context.attempt_id
    record = later.attempt(recovery.attempt_id)
    assert record["recovered"] is True and record["trainee"]["name"] == "Bo"
    assert record["inputs"] == expected["inputs"] and record["events"] == expected["events"]
    assert recover_unfinished(later) == []  # the journal is gone once stored


def test_a_torn_last_line_is_ignored_and_a_damaged_journal_is_set_aside(store):
    sim, recorder, actions = _start(store)
    trainer.play(sim, actions[:50])
    path = recorder._journal.path
    with open(path, "a", encoding="utf-8") as f:
        f.write('["advance", {"mm"')  # the crash cut the last write
    header, inputs = read_journal(path)
    assert len(inputs) == len(sim.inputs) and header.seed == 3
    path.write_text("not json\n")
    [recovery] = recover_unfinished(RecordStore(store.data_dir))
    assert not recovery.saved and "moved to" in recovery.message
    assert (store.data_dir / "damaged" / path.name).exists()


def test_a_journal_without_inputs_is_dropped(store):
    _start(store)
    [recovery] = recover_unfinished(RecordStore(store.data_dir))
    assert recovery.saved and "nothing to store" in recovery.message
    assert list((store.data_dir / JOURNAL_DIR).iterdir()) == []


def test_the_journal_is_flushed_to_the_os_on_every_input(store):
    sim, recorder, actions = _start(store)
    trainer.play(sim, actions[:10])
    lines = recorder._journal.path.read_text().splitlines()
    assert len(lines) == 1 + len(sim.inputs)
    assert json.loads(lines[1])[0] == sim.inputs[0].name


def test_recording_must_start_before_the_first_input(store):
    sim = trainer.Simulation(trainer.load_scenario("gel_phantom"))
    sim.step(0.1)
    with pytest.raises(trainer.TrainerError, match="before the first input"):
        AttemptRecorder.start(store, sim, AttemptContext())
