"""Recording an attempt from start to store: journal while it runs, commit when it ends, recover crashes.

The UI's whole saving story:

    sim = Simulation(sc, seed, mode=..., difficulty=..., trainee=...)   # or session.simulation(...)
    recorder = AttemptRecorder.start(store, sim)            # journals every input from now on
    ...                                                     # the game steps `sim`
    outcome = recorder.finish()                             # SaveOutcome: saved, or kept in memory
    recorder.discard()                                      # instead of finish(): an abandoned attempt
    store.retry_pending()                                   # the "Retry" button after a failed save
    recover_unfinished(store)                               # once at start-up: crashed attempts

Who, when, in which mode and session is the simulation's own `sim.info`: the record and the journal
take it from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.actions import Action
from trainer.errors import TrainerError
from trainer.records.journal import (
    JOURNAL_DIR,
    JOURNAL_SUFFIX,
    AttemptJournal,
    JournalHeader,
    journal_path,
    read_journal,
)
from trainer.records.paths import describe_os_error, set_aside
from trainer.records.salvage import DAMAGED_DIR
from trainer.records.store import RecordStore, SaveOutcome, StoreUnavailable
from trainer.scenario import load_scenario
from trainer.simulation import Simulation


class AttemptRecorder:
    """Journals one attempt's inputs and stores its record when it ends."""

    def __init__(self, store: RecordStore, sim: Simulation) -> None:
        self.store = store
        self.sim = sim
        self.warning = ""  # set when the journal cannot be written; the attempt still runs
        self._journal: AttemptJournal | None = None

    @classmethod
    def start(cls, store: RecordStore, sim: Simulation) -> AttemptRecorder:
        """Begin journaling `sim` (fresh, no inputs yet)."""
        if sim.inputs:
            raise TrainerError("start the recorder before the first input of the attempt")
        recorder = cls(store, sim)
        sc = sim.scenario
        header = JournalHeader(sim.info, sc.id, sc.variant, sim.seed)
        try:
            recorder._journal = AttemptJournal(journal_path(store.data_dir, sim.info.attempt_id), header)
        except OSError as exc:
            recorder.warning = (
                f"{describe_os_error(exc, store.data_dir)} This attempt is not protected against a crash."
            )
        sim.observe(recorder._on_input)
        return recorder

    def _on_input(self, sim: Simulation, action: Action) -> None:
        if self._journal is None:
            return
        try:
            self._journal.append(action)
        except OSError as exc:
            self.warning = f"{describe_os_error(exc, self.store.data_dir)} Journaling stopped."
            self._close_journal(discard=False)

    def _close_journal(self, discard: bool) -> None:
        if self._journal is not None:
            self._journal.close(discard)
            self._journal = None

    def record(self) -> dict[str, Any]:
        """The attempt's record as it stands now."""
        return self.sim.finish().to_dict()

    def finish(self, record: dict[str, Any] | None = None) -> SaveOutcome:
        """Store the attempt (its `record()`, if the caller has it already); the journal is removed
        only once the record is safely committed."""
        outcome = self.store.save_attempt(self.record() if record is None else record)
        self._close_journal(discard=outcome.saved)
        return outcome

    def discard(self) -> None:
        """Drop the attempt unsaved (e.g. an abandoned practice attempt): its journal is removed, so
        start-up recovery does not store it, and later inputs are not journaled."""
        self._close_journal(discard=True)


@dataclass(frozen=True, slots=True)
class Recovery:
    """What start-up recovery did with one journal."""

    path: Path
    attempt_id: str
    saved: bool
    message: str


def recover_unfinished(store: RecordStore) -> list[Recovery]:
    """Turn the journals of attempts a crash interrupted into stored records (marked 'recovered')."""
    folder = store.data_dir / JOURNAL_DIR
    paths = sorted(folder.glob(f"*{JOURNAL_SUFFIX}")) if folder.is_dir() else []
    return [_recover(store, path) for path in paths]


def _recover(store: RecordStore, path: Path) -> Recovery:
    try:
        if not read_journal(path)[1]:  # the crash came before the first input: nothing to keep
            path.unlink(missing_ok=True)
            return Recovery(path, path.stem, True, "no inputs yet; nothing to store")
        record = rebuild_record(path)
    except TrainerError as exc:
        kept = set_aside(path, store.data_dir / DAMAGED_DIR)
        return Recovery(path, path.stem, False, f"{exc}; the file was moved to {kept}")
    try:
        stored = store.attempt(record["attempt_id"]) is not None
    except StoreUnavailable as exc:
        return Recovery(path, record["attempt_id"], False, str(exc))
    if stored:  # committed, but the process died before removing the journal
        path.unlink(missing_ok=True)
        return Recovery(path, record["attempt_id"], True, "already stored")
    outcome = store.save_attempt(record)
    if outcome.saved:
        path.unlink(missing_ok=True)
    return Recovery(path, record["attempt_id"], outcome.saved, outcome.message)


def rebuild_record(path: Path) -> dict[str, Any]:
    """Replay a journal into the record of the attempt it describes."""
    header, actions = read_journal(path)
    sc = load_scenario(header.scenario_id, variant=header.variant)
    sim = Simulation(sc, seed=header.seed, **header.info.to_dict())
    try:
        for action in actions:
            action.apply(sim)
    except TypeError as exc:
        raise TrainerError(f"{path}: an input cannot be applied ({exc})") from None
    return {**sim.finish().to_dict(), "recovered": True}
