"""Recording an attempt from start to store: journal while it runs, commit when it ends, recover crashes.

The UI's whole saving story:

    recorder = AttemptRecorder.start(store, sim, context)   # journals every input from now on
    ...                                                     # the game steps `sim`
    outcome = recorder.finish()                             # SaveOutcome: saved, or kept in memory
    store.retry_pending()                                   # the "Retry" button after a failed save
    recover_unfinished(store)                               # once at start-up: crashed attempts
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.actions import Action
from trainer.errors import TrainerError
from trainer.records.envelope import AttemptContext
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

    def __init__(self, store: RecordStore, sim: Simulation, context: AttemptContext) -> None:
        self.store = store
        self.sim = sim
        self.context = context
        self.warning = ""  # set when the journal cannot be written; the attempt still runs
        self._journal: AttemptJournal | None = None

    @classmethod
    def start(cls, store: RecordStore, sim: Simulation, context: AttemptContext) -> AttemptRecorder:
        """Begin journaling `sim` (fresh, no inputs yet) under `context`."""
        if sim.inputs:
            raise TrainerError("start the recorder before the first input of the attempt")
        recorder = cls(store, sim, context)
        sc = sim.scenario
        header = JournalHeader(context, sc.id, sc.variant, sim.seed)
        try:
            recorder._journal = AttemptJournal(journal_path(store.data_dir, context.attempt_id), header)
        except OSError as exc:
            recorder.warning = (f"{describe_os_error(exc, store.data_dir)} This attempt is not protected "
                                "against a crash.")
        sim.observe(recorder._on_input)
        return recorder

    def _on_input(self, sim: Simulation, action: Action) -> None:
        if self._journal is None:
            return
        try:
            self._journal.append(action)
        except OSError as exc:
            self.warning = f"{describe_os_error(exc, self.store.data_dir)} Journaling stopped."
            self._journal.close(discard=False)
            self._journal = None

    def record(self) -> dict[str, Any]:
        """The attempt's record as it stands now."""
        return self.context.stamp(self.sim.finish().to_dict())

    def finish(self) -> SaveOutcome:
        """Store the attempt; the journal is removed only once the record is safely committed."""
        outcome = self.store.save_attempt(self.record())
        if self._journal is not None:
            self._journal.close(discard=outcome.saved)
            self._journal = None
        return outcome

    def discard(self) -> None:
        """Drop an attempt the trainee abandoned in practice: nothing is stored, the journal goes."""
        if self._journal is not None:
            self._journal.close(discard=True)
            self._journal = None


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
    sim = Simulation(sc, seed=header.seed)
    try:
        for action in actions:
            action.apply(sim)
    except TypeError as exc:
        raise TrainerError(f"{path}: an input cannot be applied ({exc})") from None
    return {**header.context.stamp(sim.finish().to_dict()), "recovered": True}
