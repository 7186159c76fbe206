"""Command-line subcommands for skills-lab sessions: create, install, list, export results."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from trainer.attempt import DIFFICULTIES
from trainer.errors import TrainerError
from trainer.records.exports import export_session_results
from trainer.records.roster import read_roster_csv, roster_from_names
from trainer.records.sessions import create_session, install_session_file, list_sessions, write_session_file
from trainer.records.store import RecordStore

OpenStore = Callable[[argparse.Namespace], RecordStore]
ReadSecret = Callable[[str, bool], str]


def add_session_commands(sub: Any, open_store: OpenStore, read_secret: ReadSecret) -> None:
    """`session create|install|list|export`: the instructor's and the lab laptops' side of a session."""
    session = sub.add_parser("session", help="skills-lab sessions: create, install, list, export results")
    verbs = session.add_subparsers(title="session commands", metavar="ACTION", required=True)

    def pin_of(args: argparse.Namespace) -> str | None:
        return pin_from(args, read_secret)

    def create(args: argparse.Namespace) -> int:
        if bool(args.roster) == bool(args.trainee):
            raise TrainerError("give the roster either as --roster FILE.csv or as --trainee NAME (repeated)")
        roster = read_roster_csv(Path(args.roster)) if args.roster else roster_from_names(args.trainee)
        created = create_session(
            open_store(args),
            args.name,
            args.scenario,
            roster,
            args.variant,
            args.seed,
            args.difficulty,
            pin_of(args),
        )
        path = write_session_file(created, Path(args.out))
        print(
            f"session {created.id} '{created.name}': {len(roster)} trainee(s), scenarios "
            f"{', '.join(created.scenarios)}, variant {created.variant}, "
            f"{'PIN-protected' if created.pin else 'no PIN'}\nsession file: {path} "
            "(copy it to each lab laptop and run 'session install' there)"
        )
        return 0

    def install(args: argparse.Namespace) -> int:
        installed = install_session_file(open_store(args), Path(args.file), pin_of(args))
        print(f"installed session {installed.id} '{installed.name}' ({len(installed.roster)} trainees)")
        return 0

    def listing(args: argparse.Namespace) -> int:
        store = open_store(args)
        for s in list_sessions(store):
            print(
                f"{s.id}  {s.created_at[:10]}  {s.name}  ({len(s.roster)} trainees, "
                f"{len(store.attempts(session_id=s.id))} attempts here)"
            )
        return 0

    def export(args: argparse.Namespace) -> int:
        path = export_session_results(open_store(args), args.session_id, Path(args.out))
        print(f"wrote {path} (give this file to the instructor)")
        return 0

    p = verbs.add_parser("create", help="create a session and write its session file")
    p.add_argument("--name", required=True)
    p.add_argument("--scenario", action="append", required=True, help="scenario id (repeat for more)")
    p.add_argument("--roster", help="CSV with a 'name' column (optional 'id'), or one name per line")
    p.add_argument("--trainee", action="append", default=[], help="trainee name (repeat for more)")
    p.add_argument("--variant", type=int, default=0, help="the anatomical variant everyone gets")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--difficulty", default="exam", choices=DIFFICULTIES)
    p.add_argument("--out", default=".", help="folder for the session file")
    add_pin_options(p, "protect the session with an instructor PIN")
    p.set_defaults(run=create)

    p = verbs.add_parser("install", help="install a session file on this laptop")
    p.add_argument("file")
    add_pin_options(p, "the PIN, to replace a protected session's settings")
    p.set_defaults(run=install)

    p = verbs.add_parser("list", help="sessions installed here")
    p.set_defaults(run=listing)

    p = verbs.add_parser("export", help="this laptop's sealed results of a session, for the instructor")
    p.add_argument("session_id")
    p.add_argument("--out", default=".")
    p.set_defaults(run=export)


def pin_from(args: argparse.Namespace, read_secret: ReadSecret) -> str | None:
    """The instructor PIN if the command was asked to take one (--pin or --pin-stdin)."""
    return read_secret("Instructor PIN: ", args.pin_stdin) if args.pin or args.pin_stdin else None


def add_pin_options(p: argparse.ArgumentParser, text: str) -> None:
    p.add_argument("--pin", action="store_true", help=f"{text} (asked without echo)")
    p.add_argument("--pin-stdin", action="store_true", help=f"{text} (read from standard input)")
