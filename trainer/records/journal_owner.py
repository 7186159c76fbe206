"""Who writes an attempt's journal: an owner file naming the computer and process, and a heartbeat.

A lab may keep one data folder on a share for several laptops. Start-up recovery on one laptop must
never take the journal of an attempt still running on another. The writer keeps its journal's
modification time fresh (every input, and a heartbeat every few seconds while the game waits); a
journal is abandoned when its writer's process is gone (same computer) or its heartbeat is older than
STALE_AFTER_S (another computer: asleep, crashed or switched off). A recovery claims a journal with a
claim file created exclusively, so two laptops never recover the same one.
"""

from __future__ import annotations

import ctypes
import json
import os
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

HEARTBEAT_S = 5.0
STALE_AFTER_S = 120.0  # well above a heartbeat; above the clock skew of computers that keep time
OWNER_SUFFIX = ".owner"
CLAIM_SUFFIX = ".claim"


MACHINE_ENV = "THORACIC_TRAINER_MACHINE"  # names this computer where name and card are not unique (VMs)


def this_machine() -> str:
    """This computer: its name and network card address (imaged lab laptops share a name, not a card),
    or $THORACIC_TRAINER_MACHINE."""
    return os.environ.get(MACHINE_ENV) or f"{socket.gethostname()}/{uuid.getnode():012x}"


@dataclass(frozen=True, slots=True)
class Owner:
    machine: str
    pid: int

    @classmethod
    def me(cls) -> Owner:
        return cls(this_machine(), os.getpid())

    def text(self) -> str:
        return json.dumps({"machine": self.machine, "pid": self.pid})

    @classmethod
    def read(cls, path: Path) -> Owner | None:
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            return cls(str(body["machine"]), int(body["pid"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def alive(self) -> bool:
        """Whether this owner's process still runs (only knowable on its own computer)."""
        return self.machine == this_machine() and process_alive(self.pid)


def process_alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process on Windows
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _windows_process_alive(pid: int) -> bool:
    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    code = ctypes.c_ulong()
    try:
        return (
            bool(kernel.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259
        )  # STILL_ACTIVE
    finally:
        kernel.CloseHandle(handle)


def owner_path(journal: Path) -> Path:
    return journal.with_name(journal.name + OWNER_SUFFIX)


def claim_path(journal: Path) -> Path:
    return journal.with_name(journal.name + CLAIM_SUFFIX)


def in_use(journal: Path, now: float | None = None) -> Owner | None:
    """The live writer of a journal, or None if it is abandoned (and may be recovered)."""
    owner = Owner.read(owner_path(journal)) or Owner("unknown", -1)
    if owner.alive():
        return owner
    if owner.machine == this_machine():
        return None  # our own computer, and the process is gone: a crash, recover at once
    return owner if _fresh(journal, now) else None


def _fresh(path: Path, now: float | None) -> bool:
    try:
        age_s = (time.time() if now is None else now) - path.stat().st_mtime
    except OSError:
        return False
    return age_s < STALE_AFTER_S


def claim(journal: Path) -> bool:
    """Take a journal for recovery: True if this process now holds it (no one else can)."""
    path = claim_path(journal)
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _claim_held(path):
                return False
            path.unlink(missing_ok=True)  # an abandoned claim: its recovery died
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(Owner.me().text())
        return True
    return False


def _claim_held(path: Path) -> bool:
    holder = Owner.read(path)
    if holder is not None and holder.machine == this_machine():
        return holder.alive()
    return _fresh(path, None)


def release(journal: Path, keep_owner: bool = False) -> None:
    """Remove the claim file of a journal, and its owner file unless `keep_owner`."""
    claim_path(journal).unlink(missing_ok=True)
    if not keep_owner:
        owner_path(journal).unlink(missing_ok=True)


class Heartbeat:
    """Touches a journal every HEARTBEAT_S seconds while its attempt runs, and says (once) if the
    journal disappeared: another computer recovered it while this one was asleep."""

    def __init__(self, journal: Path, every_s: float = HEARTBEAT_S) -> None:
        self.journal = journal
        self.every_s = every_s
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="journal-heartbeat", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                os.utime(self.journal)
            except FileNotFoundError:
                self.lost.set()
                return
            except OSError:
                continue  # a share that blinked: try again at the next beat

    def stop(self) -> None:
        self._stop.set()
