"""Background delivery: a thread sends the LRS queue so that a slow or absent LRS never blocks the game."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from trainer.errors import TrainerError
from trainer.records.lrs_client import SyncReport, sync_outbox
from trainer.records.lrs_settings import load_settings
from trainer.records.store import RecordStore

FIRST_RETRY_S = 5.0
LONGEST_WAIT_S = 300.0


class LrsSender:
    """Sends queued statements now and then: at once when notified, after failures with back-off."""

    def __init__(
        self, data_dir: Path, first_retry_s: float = FIRST_RETRY_S, longest_wait_s: float = LONGEST_WAIT_S
    ) -> None:
        self.data_dir = Path(data_dir)
        self.first_retry_s = first_retry_s
        self.longest_wait_s = longest_wait_s
        self.last_report: SyncReport | None = None
        self.last_error = ""
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lrs-sender", daemon=True)

    def start(self) -> LrsSender:
        self._thread.start()
        return self

    def notify(self) -> None:
        """Send soon: call after an attempt was saved."""
        self._wake.set()

    def stop(self, timeout_s: float = 1.0) -> None:
        """Ask the thread to end (it is a daemon: a request in flight never holds up the game's exit);
        whatever is still queued stays on disk for next time."""
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout_s)

    def _run(self) -> None:
        wait_s = 0.0
        store = RecordStore(self.data_dir)
        try:
            while not self._stopping.is_set():
                self._wake.wait(wait_s)
                self._wake.clear()
                if not self._stopping.is_set():
                    wait_s = self._send_once(store, wait_s)
        finally:
            store.close()

    def _send_once(self, store: RecordStore, wait_s: float) -> float:
        """One pass over the queue; returns how long to wait before the next one."""
        try:
            settings = load_settings(self.data_dir)
            if settings is None:
                return self.longest_wait_s
            report = sync_outbox(store, settings)
        except (TrainerError, sqlite3.Error) as exc:  # e.g. a data folder that cannot be opened
            self.last_error = str(exc)
            return min(max(wait_s * 2, self.first_retry_s), self.longest_wait_s)
        self.last_report = report
        self.last_error = report.error
        if report.error:
            return min(max(wait_s * 2, self.first_retry_s), self.longest_wait_s)
        return self.longest_wait_s
