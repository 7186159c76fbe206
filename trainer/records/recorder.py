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
take it from there. A write error while the attempt runs (a full disk, a share gone away) is caught
once and said once (`notify(callback)`), the attempt goes on in memory, and the journal is written
afresh as soon as it can be; the attempt is saved when it ends, or kept for Retry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
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
from trainer.records.journal_owner import claim, in_use, release
from trainer.records.paths import describe_os_error, set_aside
from trainer.records.salvage import DAMAGED_DIR
from trainer.records.store import RecordStore, SaveOutcome
from trainer.scenario import load_scenario
from trainer.simulation import Simulation

RESUME_AFTER_S = 10.0  # after a write error, how often to try writing the journal again
log = logging.getLogger("trainer.records")


class AttemptRecorder:
    """Journals one attempt's inputs and stores its record when it ends."""

    def __init__(self, store: RecordStore, sim: Simulation) -> None:
        self.store = store
        self.sim = sim
        self.warning = ""  # the last thing said about the journal; the attempt runs on regardless
        self._journal: AttemptJournal | None = None
        self._on_warning: Callable[[str], None] | None = None
        self._failed_at: float | None = None  # when writing the journal last failed (monotonic s)

    @classmethod
    def start(cls, store: RecordStore, sim: Simulation) -> AttemptRecorder:
        """Begin journaling `sim` (fresh, no inputs yet)."""
        if sim.inputs:
            raise TrainerError("start the recorder before the first input of the attempt")
        recorder = cls(store, sim)
        try:
            recorder._journal = AttemptJournal(recorder._path(), recorder._header())
        except OSError as exc:
            recorder._stopped(exc, "This attempt is not protected against a crash for now.")
        sim.observe(recorder._on_input)
        return recorder

    def notify(self, callback: Callable[[str], None]) -> None:
        """Call `callback(message)` for each thing the trainee should hear about the journal (once each),
        starting with anything already said."""
        self._on_warning = callback
        if self.warning:
            callback(self.warning)

    def _path(self) -> Path:
        return journal_path(self.store.data_dir, self.sim.info.attempt_id)

    def _header(self) -> JournalHeader:
        sc = self.sim.scenario
        return JournalHeader(self.sim.info, sc.id, sc.variant, self.sim.seed)

    def _say(self, message: str) -> None:
        self.warning = message
        log.warning(message)
        if self._on_warning is not None:
            self._on_warning(message)

    def _on_input(self, sim: Simulation, action: Action) -> None:
        journal = self._journal
        if journal is None:
            self._try_resume()
            return
        try:
            if journal.lost:
                raise FileNotFoundError(f"{journal.path} was taken over by another computer's recovery")
            journal.append(action)
        except OSError as exc:
            self._stopped(exc, "The attempt goes on and is kept in memory; it is saved when it ends.")

    def _stopped(self, exc: OSError, consequence: str) -> None:
        """Journaling failed: close what is left (never raising again), say so once, retry later."""
        self._close_journal(discard=False)
        self._failed_at = time.monotonic()
        self._say(f"{describe_os_error(exc, self.store.data_dir)} {consequence}")

    def _try_resume(self) -> None:
        """Now and then after a failure, write the journal afresh with every input so far."""
        if self._failed_at is None or time.monotonic() - self._failed_at < RESUME_AFTER_S:
            return
        self._failed_at = time.monotonic()
        try:
            self._journal = AttemptJournal(self._path(), self._header(), self.sim.inputs)
        except OSError:
            return  # still no room: stay quiet, the trainee was told once
        self._failed_at = None
        self._say("The attempt is protected against a crash again (its journal could be written).")

    def _close_journal(self, discard: bool) -> None:
        journal, self._journal = self._journal, None
        if journal is not None:
            journal.close(discard)

    def record(self) -> dict[str, Any]:
        """The attempt's record as it stands now."""
        return self.sim.finish().to_dict()

    def finish(self, record: dict[str, Any] | None = None) -> SaveOutcome:
        """Store the attempt (its `record()`, if the caller has it already); the journal is removed
        only once the record is safely committed, or kept aside as a conflicting copy."""
        outcome = self.store.save_attempt(self.record() if record is None else record)
        self._close_journal(discard=outcome.saved or outcome.kept_at is not None)
        return outcome

    def discard(self) -> None:
        """Drop the attempt unsaved (e.g. an abandoned practice attempt): its journal is removed, so
        start-up recovery does not store it, and later inputs are not journaled."""
        self._failed_at = None
        self._close_journal(discard=True)


@dataclass(frozen=True, slots=True)
class Recovery:
    """What start-up recovery did with one journal."""

    path: Path
    attempt_id: str
    saved: bool
    message: str
    in_progress: bool = False  # its writer is alive: left alone


def recover_unfinished(store: RecordStore, include_live: bool = False) -> list[Recovery]:
    """Turn the journals of attempts a crash interrupted into stored records (marked 'recovered').
    A journal whose writer is alive (here, or on another computer sharing the folder) is left alone;
    `include_live` lists those too, as not recovered."""
    folder = store.data_dir / JOURNAL_DIR
    paths = sorted(folder.glob(f"*{JOURNAL_SUFFIX}")) if folder.is_dir() else []
    found = []
    for path in paths:
        owner = in_use(path)
        if owner is None and claim(path):
            found.append(_recover(store, path))
        elif include_live:
            where = f"{owner.machine}, process {owner.pid}" if owner else "another recovery"
            found.append(Recovery(path, path.stem, False, f"still being written ({where}); left alone", True))
    return found


def _recover(store: RecordStore, path: Path) -> Recovery:
    try:
        return _recover_claimed(store, path)
    finally:
        release(path, keep_owner=path.exists())


def _recover_claimed(store: RecordStore, path: Path) -> Recovery:
    try:
        if not read_journal(path)[1]:  # the crash came before the first input: nothing to keep
            path.unlink(missing_ok=True)
            return Recovery(path, path.stem, True, "no inputs yet; nothing to store")
        record = rebuild_record(path)
    except TrainerError as exc:
        kept = set_aside(path, store.data_dir / DAMAGED_DIR)
        return Recovery(path, path.stem, False, f"{exc}; the file was moved to {kept}")
    # stored already (the process died before removing its journal), a shorter copy stored by another
    # laptop (replaced), or a different one (this copy kept in conflicts/): never lost either way
    outcome = store.save_attempt(record)
    if outcome.saved or outcome.kept_at is not None:
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
