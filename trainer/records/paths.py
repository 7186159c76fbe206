"""Where the trainer keeps its data, and writing files there safely on Windows, macOS and Linux."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
import time
from pathlib import Path

import platformdirs

from trainer.errors import TrainerError

DATA_DIR_ENV = "THORACIC_TRAINER_DATA"
APP_NAME = "thoracic-us-trainer"
MAX_STEM_CHARS = 60  # file names made from names: short enough for every file system
REPLACE_TRIES = 20  # Windows refuses to replace a file another program has open for a moment
REPLACE_WAIT_S = 0.05


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--data-dir` if given, else $THORACIC_TRAINER_DATA, else the user's data folder."""
    chosen = explicit or os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir(APP_NAME, False)
    return Path(chosen).expanduser().resolve()


def contained_path(folder: str | os.PathLike[str], name: str) -> Path:
    """`folder/name`, refusing names that would land outside `folder` (.., absolute, links)."""
    base = Path(folder).expanduser().resolve()
    if not name or Path(name).is_absolute() or "\x00" in name:
        raise TrainerError(f"'{name}' is not a plain file name inside {base}")
    target = (base / name).resolve()
    if target == base or base not in target.parents:
        raise TrainerError(f"'{name}' would be written outside the chosen folder {base}")
    return target


def unused_path(path: Path) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext`, ... if it is taken (default names never overwrite)."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.name.split('.')[0]}-{n}{''.join(path.suffixes)}")
        n += 1
    return candidate


def safe_file_stem(text: str, fallback: str) -> str:
    """A file name stem from a name in any script: letters and digits kept, the rest dashes, cut short."""
    stem = "".join(c if c.isalnum() else "-" for c in text.strip())
    stem = "-".join(part for part in stem.split("-") if part)[:MAX_STEM_CHARS].strip("-")
    return stem or fallback


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `path` so that readers see the old file or the whole new one, never a part.

    The file is created owner-only (mkstemp) and widened to `mode` before any data is written, so a
    secret is never readable by others, not even for a moment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            set_mode(f.fileno(), Path(tmp), mode)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        replace_file(Path(tmp), path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def set_mode(fd: int, path: Path, mode: int) -> None:
    """chmod an open file: os.fchmod where it exists (not on Windows before Python 3.13), else by
    path (on Windows only the read-only flag means anything, and the file stays writable)."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None and sys.platform != "win32":
        fchmod(fd, mode)
    else:
        os.chmod(path, mode | 0o200)


def replace_file(source: Path, target: Path) -> None:
    """os.replace, retried for a moment on Windows, where a reader (or a virus scanner) holding the
    target open makes it fail with PermissionError."""
    for attempt in range(REPLACE_TRIES):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if sys.platform != "win32" or attempt == REPLACE_TRIES - 1:
                raise
            time.sleep(REPLACE_WAIT_S)


def atomic_write_text(path: Path, text: str, mode: int = 0o644) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def sync_folder(folder: Path) -> None:
    """Make a rename or a new file in `folder` survive a power loss (a no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def set_aside(path: Path, damaged_dir: Path) -> Path:
    """Move a file that cannot be read into `damaged_dir` (never delete it) and return where it went."""
    damaged_dir.mkdir(parents=True, exist_ok=True)
    target = damaged_dir / path.name
    n = 1
    while target.exists():
        target = damaged_dir / f"{path.stem}.{n}{path.suffix}"
        n += 1
    replace_file(path, target)
    return target


def describe_os_error(exc: Exception, folder: Path) -> str:
    """One sentence a user can act on for a failed write in `folder`."""
    text = str(exc).lower()
    if isinstance(exc, PermissionError) or "readonly" in text or not _writable(folder):
        why = "the folder is read-only or belongs to another user"
    elif getattr(exc, "errno", None) == errno.ENOSPC or "full" in text or "no space" in text:
        why = "the disk is full"
    else:
        why = f"the system said: {exc}"
    return f"Cannot save in {folder}: {why}."


def _writable(folder: Path) -> bool:
    """Whether the folder (or, if it does not exist yet, its nearest existing parent) can be written."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), folder)
    return os.access(existing, os.W_OK)
