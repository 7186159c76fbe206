"""Platform care: atomic writes where os.fchmod does not exist (Windows before Python 3.13) and where a
reader holds the file open; logs in the platform's log folder, rotated, commands included."""

import logging
import os
import stat
import sys

import pytest

from trainer import logs
from trainer.cli import main
from trainer.records import paths
from trainer.records.paths import atomic_write_text


def test_atomic_writes_work_without_os_fchmod(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "fchmod")  # as on Windows before Python 3.13
    secret, public = tmp_path / "secret.json", tmp_path / "public.json"
    atomic_write_text(secret, "s", mode=0o600)
    atomic_write_text(public, "p")
    atomic_write_text(public, "p2")
    assert secret.read_text() == "s" and public.read_text() == "p2"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and stat.S_IMODE(public.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public.json", "secret.json"]  # no temporary files


def test_a_replace_refused_for_a_moment_is_retried_on_windows(tmp_path, monkeypatch):
    target = tmp_path / "settings.json"
    target.write_text("old")
    real_replace, refusals = os.replace, iter([PermissionError(13, "in use"), PermissionError(13, "in use")])

    def busy_replace(src, dst):  # what Windows does while a reader or a virus scanner has dst open
        refusal = next(refusals, None)
        if refusal is not None:
            raise refusal
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", busy_replace)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(paths, "REPLACE_WAIT_S", 0.0)
    monkeypatch.setattr(paths, "sync_folder", lambda folder: None)
    atomic_write_text(target, "new")
    assert target.read_text() == "new"


@pytest.fixture
def fresh_log(tmp_path, monkeypatch):
    """The trainer's log handler set up anew, in a temporary log folder."""
    logger = logging.getLogger("trainer")

    def drop():
        for h in [h for h in logger.handlers if h.get_name() == logs.HANDLER_NAME]:
            logger.removeHandler(h)
            h.close()

    drop()
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "logs"))
    yield tmp_path / "logs" / logs.LOG_NAME
    drop()


def test_commands_log_to_the_platform_log_folder_not_the_data_folder(fresh_log, tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "attempts"]) == 0
    assert main(["--data-dir", str(data), "report", "nobody", "--out", str(tmp_path)]) == 2
    capsys.readouterr()
    text = fresh_log.read_text(encoding="utf-8")
    assert "attempts started" in text and "attempts finished with exit code 0" in text
    assert "report: error: no trainee matches 'nobody'" in text
    assert not (data / "trainer.log").exists()


def test_the_log_rotates_and_keeps_a_bounded_number_of_files(fresh_log, monkeypatch):
    monkeypatch.setattr(logs, "MAX_LOG_BYTES", 2_000)
    assert logs.setup_logging() == fresh_log
    log = logging.getLogger("trainer.records")
    for n in range(400):
        log.warning("line %d of a busy day in the skills lab", n)
    files = sorted(fresh_log.parent.iterdir())
    assert [f.name for f in files] == ["trainer.log", "trainer.log.1", "trainer.log.2", "trainer.log.3"]
    assert all(f.stat().st_size <= 2_100 for f in files)
    assert "line 399" in fresh_log.read_text()
