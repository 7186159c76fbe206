"""The game's link to the trainee's records: saving attempts, best scores, history, LRS sending."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from trainer.attempt import Trainee
from trainer.errors import TrainerError
from trainer.records import trainees
from trainer.records.envelope import score_of
from trainer.records.lrs_sender import LrsSender
from trainer.records.recorder import AttemptRecorder, recover_unfinished
from trainer.records.sessions import SkillsLabSession, list_sessions
from trainer.records.store import RecordStore, SaveOutcome
from trainer.simulation import Simulation

log = logging.getLogger("trainer")
FADE_PER_PASS = 0.15
MIN_GUIDE_ALPHA = 0.3


class Portfolio:
    """Opens the store once, recovers crashed attempts, and answers what the screens ask."""

    def __init__(self, data_dir: Path) -> None:
        self.store = RecordStore(data_dir)
        self.notices: list[str] = []
        self.session: SkillsLabSession | None = None
        try:
            self.store.connection()  # open (or salvage) the database now, so its notices show at once
        except TrainerError as exc:
            self.notices.append(str(exc))
        for r in self._recover():
            if r.message != "no inputs yet; nothing to store":
                self.notices.append(f"An attempt interrupted by a crash was recovered ({r.message}).")
        self.lrs = LrsSender(data_dir).start()
        self._cache: dict[str, list[dict[str, Any]]] = {}

    def _recover(self) -> list[Any]:
        try:
            return recover_unfinished(self.store)
        except TrainerError as exc:
            self.notices.append(str(exc))
            return []

    def pop_notices(self) -> list[str]:
        found = [*self.notices, *self.store.notices]
        self.notices.clear()
        self.store.notices.clear()
        return found

    def attempts(self, trainee_id: str) -> list[dict[str, Any]]:
        """The trainee's stored attempts, oldest first (cached until the next save)."""
        if trainee_id not in self._cache:
            try:
                self._cache[trainee_id] = self.store.attempts(trainee_id=trainee_id)
            except TrainerError as exc:
                self.notices.append(str(exc))
                return []
        return self._cache[trainee_id]

    def best_score(self, trainee_id: str, scenario_id: str) -> float | None:
        scores = [score_of(r) for r in self.attempts(trainee_id) if r["scenario"]["id"] == scenario_id]
        known = [s for s in scores if s is not None]
        return max(known) if known else None

    def guide_alpha(self, trainee_id: str, scenario_id: str) -> float:
        """Guided overlays fade as the trainee passes more guided attempts on the scenario."""
        passes = sum(
            1
            for r in self.attempts(trainee_id)
            if r["scenario"]["id"] == scenario_id and r.get("difficulty") == "guided" and r.get("passed")
        )
        return max(MIN_GUIDE_ALPHA, 1.0 - FADE_PER_PASS * passes)

    def start(self, sim: Simulation) -> AttemptRecorder:
        """Journal an attempt from its first input; who and how come from `sim.info`."""
        return AttemptRecorder.start(self.store, sim)

    def save(self, recorder: AttemptRecorder, record: dict[str, Any] | None = None) -> SaveOutcome:
        outcome = recorder.finish(record)
        self._cache.clear()
        if outcome.saved:
            self.lrs.notify()
        else:
            log.warning("attempt kept in memory: %s", outcome.message)
        return outcome

    def retry(self) -> list[SaveOutcome]:
        outcomes = self.store.retry_pending()
        self._cache.clear()
        if any(o.saved for o in outcomes):
            self.lrs.notify()
        return outcomes

    def sign_in(self, name: str, programme_id: str, picked_id: str) -> Trainee:
        """The trainee signing in (TrainerError says why not); see trainer.records.trainees."""
        return trainees.sign_in_here(self.store, self.session, name, programme_id, picked_id, self.notices)

    def trainee(self, trainee_id: str, name: str) -> Trainee:
        """The trainee the settings remember (an id from an older version brought up to date)."""
        try:
            return trainees.remembered(self.store, trainee_id, name)
        except TrainerError:
            return Trainee(trainee_id, name)

    def trainees(self) -> list[Trainee]:
        """Everyone who has trained on this computer (none if the store cannot be read)."""
        try:
            return self.store.trainees()
        except TrainerError as exc:
            self.notices.append(str(exc))
            return []

    def sessions(self) -> list[SkillsLabSession]:
        try:
            return list_sessions(self.store)
        except TrainerError as exc:
            self.notices.append(str(exc))
            return []

    def close(self) -> None:
        self.lrs.stop()
        self.store.close()
