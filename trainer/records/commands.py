"""Command-line subcommands for records: exports, reports, imports, recovery, and the LRS queue."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from trainer.errors import TrainerError
from trainer.records.envelope import scenario_of, score_of, trainee_of
from trainer.records.exports import EXPORT_FORMATS, export_records, provenance
from trainer.records.lrs_commands import add_lrs_commands
from trainer.records.paths import resolve_data_dir
from trainer.records.recorder import recover_unfinished
from trainer.records.session_commands import add_pin_options, add_session_commands, pin_from
from trainer.records.sessions import delete_attempt
from trainer.records.store import RecordStore
from trainer.records.trainees import one_of
from trainer.records.transfer import import_records


def open_store(args: argparse.Namespace) -> RecordStore:
    store = RecordStore(resolve_data_dir(args.data_dir))
    store.connection()
    for notice in store.notices:
        print(f"note: {notice}", file=sys.stderr)
    return store


def read_secret(prompt: str, from_stdin: bool) -> str:
    """A PIN or password from standard input's first line, or typed without echo."""
    return sys.stdin.readline().rstrip("\r\n") if from_stdin else getpass.getpass(prompt)


def find_trainee(store: RecordStore, who: str, programme_id: str = "") -> str:
    """A trainee id from an id, a name (and programme id, when two share the name) or a programme id."""
    return one_of(store.trainees(), who, programme_id).id


def _selected(store: RecordStore, args: argparse.Namespace) -> list[dict[str, Any]]:
    trainee_id = find_trainee(store, args.trainee, args.programme_id or "") if args.trainee else None
    return store.attempts(trainee_id=trainee_id, session_id=args.session, scenario_id=args.scenario)


def _export(args: argparse.Namespace) -> int:
    store = open_store(args)
    records = _selected(store, args)
    path = export_records(store, records, Path(args.out), args.format, args.name)
    print(f"exported {len(records)} attempt(s) to {path}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from trainer.records.reports import export_trainee_report  # matplotlib: only when needed

    store = open_store(args)
    who = find_trainee(store, args.trainee, args.programme_id or "")
    path = export_trainee_report(store, who, Path(args.out), args.name)
    print(f"wrote {path}")
    return 0


def _cohort(args: argparse.Namespace) -> int:
    from trainer.records.reports import export_cohort

    store = open_store(args)
    print(f"wrote {export_cohort(store, Path(args.out), args.format, args.session, args.name)}")
    return 0


def _import(args: argparse.Namespace) -> int:
    store = open_store(args)
    rejected = 0
    for path in args.files:
        report = import_records(store, Path(path), keep_unverified=args.unverified)
        print(report.summary())
        rejected += len(report.rejected) + len(report.conflicts)
    return 1 if rejected else 0


def _attempts(args: argparse.Namespace) -> int:
    store = open_store(args)
    for r in _selected(store, args):
        scenario_id, variant = scenario_of(r)
        score = score_of(r)
        note = provenance(r)
        print(
            f"{r['attempt_id']}  {r['started_at'][:19]}  {trainee_of(r)['name'] or '-':20.20}  "
            f"{scenario_id}/{variant}  {r.get('mode', '-'):8} {'-' if score is None else f'{score:5.1f}'}  "
            f"{'pass' if r.get('passed') else 'fail'}{f'  ({note})' if note else ''}"
        )
    return 0


def _recover(args: argparse.Namespace) -> int:
    recoveries = recover_unfinished(open_store(args))
    for item in recoveries:
        print(f"{item.attempt_id}: {'recovered' if item.saved else 'NOT recovered'} ({item.message})")
    if not recoveries:
        print("no interrupted attempts")
    return 0 if all(r.saved for r in recoveries) else 1


def _delete(args: argparse.Namespace) -> int:
    store = open_store(args)
    if not delete_attempt(store, args.attempt_id, pin_from(args, read_secret)):
        raise TrainerError(f"no attempt '{args.attempt_id}'")
    print(f"deleted {args.attempt_id}")
    return 0


def add_record_commands(sub: Any) -> None:
    """Register the records subcommands on the main parser's subparsers."""
    p = sub.add_parser("export", help="export attempts as csv, json (replayable) or xapi statements")
    p.add_argument("format", choices=list(EXPORT_FORMATS))
    _add_output(p)
    _add_selection(p)
    p.set_defaults(run=_export)

    p = sub.add_parser("report", help="a trainee's printable PDF report with learning curves")
    p.add_argument("trainee", help="trainee id, name or programme id")
    p.add_argument("--programme-id", help="the programme id, when two trainees share the name")
    _add_output(p)
    p.set_defaults(run=_report)

    p = sub.add_parser("cohort", help="instructor summary per trainee and scenario (csv or pdf)")
    p.add_argument("--format", choices=("csv", "pdf"), default="csv")
    p.add_argument("--session", help="only this session's attempts")
    _add_output(p)
    p.set_defaults(run=_cohort)

    p = sub.add_parser("import", help="merge exported attempts (e.g. a lab laptop's session results)")
    p.add_argument("files", nargs="+")
    p.add_argument(
        "--unverified",
        action="store_true",
        help="also keep records without a seal (not from a session), marked unverified",
    )
    p.set_defaults(run=_import)

    p = sub.add_parser("attempts", help="list stored attempts")
    _add_selection(p)
    p.set_defaults(run=_attempts)

    p = sub.add_parser("recover", help="store attempts interrupted by a crash (the game does this too)")
    p.set_defaults(run=_recover)

    p = sub.add_parser("delete", help="delete an attempt (a protected session's needs the PIN)")
    p.add_argument("attempt_id")
    add_pin_options(p, "the instructor PIN")
    p.set_defaults(run=_delete)

    add_lrs_commands(sub, open_store, read_secret)
    add_session_commands(sub, open_store, read_secret)


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default=".", help="folder to write into (default: the current folder)")
    p.add_argument("--name", help="file name inside that folder (default: a dated name)")


def _add_selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--trainee", help="trainee id, name or programme id")
    p.add_argument("--programme-id", help="the programme id, when two trainees share the name")
    p.add_argument("--session", help="session id")
    p.add_argument("--scenario", help="scenario id")
