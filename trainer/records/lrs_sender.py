"""Background delivery: a thread sends the LRS queue so that a slow or absent LRS never blocks the game.

A pass that fails in an unexpected way is reported (`last_error`, the log) and the thread carries on;
a thread that died anyway is started again at the next `notify()` or status check, and says so.
`delivery_status(store, sender)` is the one line the menu and the instructor commands show.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from trainer.errors import TrainerError
from trainer.records.lrs_client import SyncReport, sync_outbox
from trainer.records.lrs_settings import load_settings
from trainer.records.store import RecordStore

FIRST_RETRY_S = 5.0
LONGEST_WAIT_S = 300.0
log = logging.getLogger("trainer.records")


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
        self.restarts = 0
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = self._new_thread()

    def _new_thread(self) -> threading.Thread:
        return threading.Thread(target=self._run, name="lrs-sender", daemon=True)

    def start(self) -> LrsSender:
        self._thread.start()
        return self

    def notify(self) -> None:
        """Send soon: call after an attempt was saved."""
        self.ensure_running()
        self._wake.set()

    def ensure_running(self) -> bool:
        """Start the thread again if it died; True if it had to."""
        if self._stopping.is_set() or self._thread.is_alive() or self._thread.ident is None:
            return False
        self.restarts += 1
        self.last_error = (
            f"the LRS sender had stopped ({self.last_error or 'no reason given'}); it was restarted"
        )
        log.warning(self.last_error)
        self._thread = self._new_thread()
        self._thread.start()
        return True

    def stop(self, timeout_s: float = 1.0) -> None:
        """Ask the thread to end (it is a daemon: a request in flight never holds up the game's exit);
        whatever is still queued stays on disk for next time."""
        self._stopping.set()
        self._wake.set()
        if self._thread.ident is not None:
            self._thread.join(timeout_s)

    def _run(self) -> None:
        wait_s = 0.0
        store = RecordStore(self.data_dir)
        try:
            while not self._stopping.is_set():
                self._wake.wait(wait_s)
                self._wake.clear()
                if not self._stopping.is_set():
                    wait_s = self._guarded_pass(store, wait_s)
        except BaseException as exc:  # the thread is dying: leave word of why
            self.last_error = f"the LRS sender stopped ({type(exc).__name__}: {exc})"
            raise
        finally:
            store.close()

    def _guarded_pass(self, store: RecordStore, wait_s: float) -> float:
        """One pass; an unexpected failure is reported and the thread goes on after a back-off."""
        try:
            return self._send_once(store, wait_s)
        except Exception as exc:
            self.last_error = f"the LRS sender failed ({type(exc).__name__}: {exc}); it will try again"
            log.exception("LRS sender pass failed")
            store.close()
            return self._back_off(wait_s)

    def _send_once(self, store: RecordStore, wait_s: float) -> float:
        """One pass over the queue; returns how long to wait before the next one."""
        try:
            settings = load_settings(self.data_dir)
            if settings is None:
                return self.longest_wait_s
            report = sync_outbox(store, settings)
        except (TrainerError, sqlite3.Error) as exc:  # e.g. a data folder that cannot be opened
            self.last_error = str(exc)
            return self._back_off(wait_s)
        self.last_report = report
        self.last_error = report.error
        if report.error:
            log.warning("LRS delivery stopped: %s", report.error)
            return self._back_off(wait_s)
        return self.longest_wait_s

    def _back_off(self, wait_s: float) -> float:
        return min(max(wait_s * 2, self.first_retry_s), self.longest_wait_s)


def delivery_status(store: RecordStore, sender: LrsSender | None = None) -> str:
    """One line on LRS delivery for the menu and the instructor commands: what is waiting, what was
    refused, the last problem; '' when no LRS is set up and nothing is queued. Reads only."""
    try:
        configured = load_settings(store.data_dir) is not None
        status = store.lrs_status()
    except (TrainerError, sqlite3.Error) as exc:
        return f"LRS: {exc}"
    if sender is not None:
        sender.ensure_running()
    if not configured and not (status.queued or status.dead):
        return ""
    return status.line(sender.last_error if sender is not None else "")
