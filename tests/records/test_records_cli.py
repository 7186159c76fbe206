"""The records subcommands, end to end on a data folder: what an instructor would type."""

import io
import json

import pytest

from trainer.actions import play
from trainer.autopilot import expert_attempt
from trainer.cli import main
from trainer.records.recorder import AttemptRecorder
from trainer.records.sessions import list_sessions
from trainer.records.store import RecordStore


def run(capsys, data, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--data-dir", str(data), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_skills_lab_from_the_command_line(tmp_path, capsys, monkeypatch):
    instructor, laptop, usb = tmp_path / "instructor", tmp_path / "laptop", tmp_path / "usb"
    code, out, _ = run(
        capsys,
        instructor,
        "session",
        "create",
        "--name",
        "March lab",
        "--scenario",
        "gel_phantom",
        "--trainee",
        "Ann Example",
        "--trainee",
        "=cmd|calc",
        "--variant",
        "2",
        "--out",
        str(usb),
        "--pin-stdin",
        stdin="1357\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0 and "PIN-protected" in out
    session_file = next(usb.glob("*.session.json"))
    assert run(capsys, laptop, "session", "install", str(session_file))[0] == 0

    store = RecordStore(laptop)
    [session] = list_sessions(store)
    for who in ("Ann Example", "=cmd|calc"):
        sim = session.simulation("gel_phantom", session.sign_in(who))
        recorder = AttemptRecorder.start(store, sim)
        play(sim, expert_attempt(sim.scenario))
        assert recorder.finish().saved
    store.close()

    code, out, _ = run(capsys, laptop, "session", "export", session.id, "--out", str(usb))
    results = usb / out.split()[1]
    assert code == 0 and results.exists()
    code, out, _ = run(capsys, instructor, "import", str(results))
    assert (
        code == 0 and "2 added, 0 already here, 0 replaced a shorter copy, 0 in conflict, 0 rejected" in out
    )
    code, out, _ = run(capsys, instructor, "import", str(results))
    assert "0 added, 2 already here" in out

    assert run(capsys, instructor, "export", "csv", "--out", str(usb), "--name", "all.csv")[0] == 0
    assert "'=cmd|calc" in (usb / "all.csv").read_text(encoding="utf-8-sig")
    assert run(capsys, instructor, "export", "xapi", "--out", str(usb), "--name", "all.xapi.json")[0] == 0
    assert len(json.loads((usb / "all.xapi.json").read_text())) == 4
    assert run(capsys, instructor, "export", "json", "--out", str(tmp_path), "--name", "../x.json")[0] == 2
    assert run(capsys, instructor, "report", "Ann Example", "--out", str(usb))[0] == 0
    cohort = ("cohort", "--format", "pdf", "--session", session.id, "--out", str(usb))
    assert run(capsys, instructor, *cohort)[0] == 0

    _, listing, _ = run(capsys, instructor, "attempts", "--trainee", "Ann Example")
    attempt_id = listing.split()[0]
    code, _, err = run(capsys, instructor, "delete", attempt_id)
    assert code == 2 and "PIN is required" in err
    assert (
        run(capsys, instructor, "delete", attempt_id, "--pin-stdin", stdin="1357\n", monkeypatch=monkeypatch)[
            0
        ]
        == 0
    )


def test_recover_and_sync_without_an_lrs_say_so(tmp_path, capsys):
    assert run(capsys, tmp_path, "recover")[1] == "no interrupted attempts\n"
    code, _, err = run(capsys, tmp_path, "lrs-sync")
    assert code == 2 and "no LRS is set up" in err
    assert run(capsys, tmp_path, "lrs-config")[1] == "no LRS is set up\n"


@pytest.mark.parametrize("bad", ["ftp://lrs", "https://user:pw@lrs.example.org/xAPI"])
def test_lrs_endpoints_must_be_plain_http_urls(tmp_path, capsys, monkeypatch, bad):
    code, _, err = run(
        capsys,
        tmp_path,
        "lrs-config",
        "--endpoint",
        bad,
        "--username",
        "u",
        "--password-stdin",
        stdin="pw\n",
        monkeypatch=monkeypatch,
    )
    assert code == 2 and "pw" not in err
