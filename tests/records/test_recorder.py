import json
import uuid

import pytest

import trainer
from trainer.record_migrations import legacy_trainee
from trainer.records.journal import JOURNAL_DIR, read_journal
from trainer.records.recorder import AttemptRecorder, recover_unfinished
from trainer.records.roster import roster_from_names
from trainer.records.sessions import create_session
from trainer.records.store import RecordStore


def _start(store, scenario="esp_block", seed=3):
    sc = trainer.load_scenario(scenario)
    sim = trainer.Simulation(
        sc, seed=seed, trainee=trainer.Trainee("t-bo", "Bo"), mode="practice", difficulty="guided"
    )
    return sim, AttemptRecorder.start(store, sim), trainer.expert_attempt(sc)


def _journals(store):
    return list((store.data_dir / JOURNAL_DIR).iterdir())


def test_a_finished_attempt_is_stored_with_the_simulations_metadata_and_its_journal_removed(store):
    sim, recorder, actions = _start(store)
    trainer.play(sim, actions)
    outcome = recorder.finish()
    assert outcome.saved and recorder.warning == "" and outcome.attempt_id == sim.info.attempt_id
    record = store.attempt(outcome.attempt_id)
    assert record["trainee"] == {"id": "t-bo", "name": "Bo", "programme_id": ""}
    assert record["difficulty"] == "guided"
    assert record["passed"] and trainer.replay(record).to_dict() == record
    assert _journals(store) == []


def test_an_abandoned_attempt_is_recovered_from_its_journal_on_the_next_start(store):
    sim, _, actions = _start(store)
    trainer.play(sim, actions[: len(actions) // 2])
    expected = sim.finish().to_dict()  # the process "dies" here: finish() is never called on the recorder
    later = RecordStore(store.data_dir)
    [recovery] = recover_unfinished(later)
    assert recovery.saved and recovery.attempt_id == sim.info.attempt_id
    assert later.attempt(recovery.attempt_id) == {**expected, "recovered": True}
    assert recover_unfinished(later) == []  # the journal is gone once stored


def test_a_journal_from_before_attempt_info_and_opaque_trainee_ids_is_still_recovered(store):
    context = {
        "attempt_id": "5c1d7c55-1b0e-4b7a-9d0b-2f7f3c2a8e01",
        "trainee": {"id": "t-bo", "name": "Bo"},
        "session_id": None,
        "mode": "practice",
        "difficulty": "guided",
        "started_at": "2026-03-01T09:00:00.000Z",
    }  # the header AttemptContext.to_dict() wrote
    header = {"context": context, "scenario_id": "gel_phantom", "variant": 0, "seed": 0}
    inputs = [["move_probe", {"dx_mm": 1.0, "dy_mm": 0.0}], ["step", {"dt_s": 0.5}]]
    folder = store.data_dir / JOURNAL_DIR
    folder.mkdir(parents=True)
    (folder / f"{context['attempt_id']}.journal").write_text("\n".join(map(json.dumps, [header, *inputs])))
    [recovery] = recover_unfinished(store)
    record = store.attempt(context["attempt_id"])
    assert recovery.saved and record["recovered"] and record["input_count"] == 2
    # the old trainee id becomes the opaque id its migrated records have, and stays as programme id
    assert record["trainee"] == legacy_trainee(context["trainee"]) != context["trainee"]
    assert record["trainee"]["programme_id"] == "t-bo" and uuid.UUID(record["trainee"]["id"])
    assert {k: record[k] for k in context if k != "trainee"} == {
        k: v for k, v in context.items() if k != "trainee"
    }


def test_a_discarded_attempt_is_neither_stored_nor_recovered(store):
    sim, recorder, actions = _start(store)
    trainer.play(sim, actions[:40])
    recorder.discard()
    trainer.play(sim, actions[40:80])  # the game may still be drawing it: nothing more is journaled
    assert _journals(store) == []
    assert recover_unfinished(RecordStore(store.data_dir)) == [] and store.attempts() == []


def test_a_session_attempt_is_recorded_as_the_sessions_exam(store):
    session = create_session(
        store,
        "Lab",
        ["facet_joint"],
        roster_from_names(["Ann Example"]),
        variant=2,
        seed=5,
        difficulty="standard",
    )
    sim = session.simulation("facet_joint", session.sign_in("ann example"))
    recorder = AttemptRecorder.start(store, sim)
    trainer.play(sim, trainer.expert_attempt(sim.scenario))
    record = store.attempt(recorder.finish().attempt_id)
    assert (record["mode"], record["difficulty"], record["session_id"]) == ("exam", "standard", session.id)
    assert record["trainee"]["name"] == "Ann Example" and record["trainee"] == session.roster[0].to_dict()
    assert (record["scenario"]["variant"], record["seed"]) == (2, 5)
    with pytest.raises(trainer.TrainerError, match="not one of this session's scenarios"):
        session.simulation("esp_block", session.roster[0])
    with pytest.raises(trainer.TrainerError, match="not on the roster"):
        session.simulation("facet_joint", trainer.Trainee("x", "Mallory"))


def test_a_torn_last_line_is_ignored_and_a_damaged_journal_is_set_aside(store):
    sim, recorder, actions = _start(store)
    trainer.play(sim, actions[:50])
    path = recorder._journal.path
    with open(path, "a", encoding="utf-8") as f:
        f.write('["advance", {"mm"')  # the crash cut the last write
    header, inputs = read_journal(path)
    assert len(inputs) == len(sim.inputs) and header.seed == 3 and header.info == sim.info
    path.write_text("not json\n")
    [recovery] = recover_unfinished(RecordStore(store.data_dir))
    assert not recovery.saved and "moved to" in recovery.message
    assert (store.data_dir / "damaged" / path.name).exists()


def test_a_journal_without_inputs_is_dropped(store):
    _start(store)
    [recovery] = recover_unfinished(RecordStore(store.data_dir))
    assert recovery.saved and "nothing to store" in recovery.message
    assert _journals(store) == []


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
        AttemptRecorder.start(store, sim)
