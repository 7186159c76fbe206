"""The trainer's log: one file in the platform's log folder (never the data folder, which a lab may
share), rotated so it never grows without bound, written by the game and every command alike.

Linux: ~/.local/state/thoracic-us-trainer/log; macOS: ~/Library/Logs/thoracic-us-trainer; Windows:
%LOCALAPPDATA%\\thoracic-us-trainer\\Logs. $THORACIC_TRAINER_LOG_DIR chooses another folder.
"""

from __future__ import annotations

import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from trainer.records.paths import APP_NAME

LOG_DIR_ENV = "THORACIC_TRAINER_LOG_DIR"
LOG_NAME = "trainer.log"
MAX_LOG_BYTES = 1_000_000
KEPT_LOGS = 3  # trainer.log.1 ... .3: at most about 4 MB in all
HANDLER_NAME = "trainer-log"
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


def log_file() -> Path:
    folder = os.environ.get(LOG_DIR_ENV) or platformdirs.user_log_dir(APP_NAME, False)
    return Path(folder).expanduser() / LOG_NAME


def setup_logging() -> Path | None:
    """Send the trainer's log records to the rotated log file (once per process); returns the file,
    or None if it cannot be written (then only errors go to standard error)."""
    logger = logging.getLogger("trainer")
    logger.setLevel(logging.INFO)
    path = log_file()
    if any(h.get_name() == HANDLER_NAME for h in logger.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            path, maxBytes=MAX_LOG_BYTES, backupCount=KEPT_LOGS, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.ERROR)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.set_name(HANDLER_NAME)
    logger.addHandler(handler)
    return path if isinstance(handler, RotatingFileHandler) else None
