"""Command-line subcommands for the learning record store: set it up (checked), send, and see how
delivery stands."""

from __future__ import annotations

import argparse
from typing import Any

from trainer.errors import TrainerError
from trainer.records.lrs_check import connection_problem
from trainer.records.lrs_client import sync_outbox
from trainer.records.lrs_sender import delivery_status
from trainer.records.lrs_settings import LrsSettings, load_settings, remove_settings, save_settings
from trainer.records.outbox import requeue_dead
from trainer.records.paths import resolve_data_dir
from trainer.records.session_commands import OpenStore, ReadSecret
from trainer.records.xapi import XapiIdentity


def add_lrs_commands(sub: Any, open_store: OpenStore, read_secret: ReadSecret) -> None:
    """`lrs-config`, `lrs-sync` and `lrs-status`."""

    def config(args: argparse.Namespace) -> int:
        data_dir = resolve_data_dir(args.data_dir)
        if args.remove:
            print("LRS settings removed" if remove_settings(data_dir) else "no LRS was set up")
            return 0
        if args.endpoint:
            return _configure(args, data_dir, read_secret)
        settings = load_settings(data_dir)
        if settings is None:
            print("no LRS is set up")
            return 0
        print(_describe(settings))
        print(delivery_status(open_store(args)))
        return 0

    def sync(args: argparse.Namespace) -> int:
        store = open_store(args)
        if args.retry:
            with store.transaction() as conn:
                print(f"{requeue_dead(conn)} refused statement(s) queued again")
        if args.requeue_all:
            print(f"queued {store.queue_for_lrs(store.attempts())} statement(s) of stored attempts")
        report = sync_outbox(store)
        print(report.summary())
        for statement_id in report.sent:
            print(f"  sent {statement_id}")
        print(delivery_status(store))
        return 1 if report.error or report.remaining or report.dead else 0

    def status(args: argparse.Namespace) -> int:
        line = delivery_status(open_store(args))
        print(line or "no LRS is set up and nothing is queued")
        return 0

    p = sub.add_parser("lrs-config", help="set (and test), show or remove the learning record store (LRS)")
    p.add_argument("--endpoint", help="xAPI endpoint, e.g. https://lrs.example.org/xAPI/")
    p.add_argument("--username", default="")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.add_argument("--iri-base", help="base URL for activity and extension IRIs (your institution's)")
    p.add_argument("--home-page", help="account homePage identifying trainees (your institution's)")
    p.add_argument("--no-check", action="store_true", help="keep the settings without testing the connection")
    p.add_argument("--remove", action="store_true")
    p.set_defaults(run=config)

    p = sub.add_parser("lrs-sync", help="send queued xAPI statements to the LRS now and report them")
    p.add_argument("--requeue-all", action="store_true", help="queue every stored attempt first")
    p.add_argument("--retry", action="store_true", help="send the statements the LRS refused again")
    p.set_defaults(run=sync)

    p = sub.add_parser("lrs-status", help="statements waiting, refused and delivered, and the last problem")
    p.set_defaults(run=status)


def _configure(args: argparse.Namespace, data_dir: Any, read_secret: ReadSecret) -> int:
    """Check the values, test the connection (unless --no-check), and keep them only if all is well."""
    identity = XapiIdentity(
        **{k: v.strip() for k, v in (("iri_base", args.iri_base), ("home_page", args.home_page)) if v}
    )
    endpoint, username = args.endpoint.strip(), args.username.strip()
    LrsSettings(endpoint, username, "", identity)  # refuses a bad address before asking for the password
    password = read_secret(f"Password for {username} at the LRS: ", args.password_stdin)
    settings = LrsSettings(endpoint, username, password, identity)
    problem = "" if args.no_check else connection_problem(settings)
    if problem:
        raise TrainerError(f"the settings were not kept: {problem}")
    where = save_settings(data_dir, settings)
    print(_describe(settings) + f"; password kept in {where}")
    print("connection not tested (--no-check)" if args.no_check else "connection tested: the LRS answered")
    return 0


def _describe(settings: LrsSettings) -> str:
    password = "password kept on this computer" if settings.password else "NO password on this computer"
    return (
        f"LRS {settings.endpoint} as '{settings.username}' ({password}); activities under "
        f"{settings.identity.iri_base}, accounts at {settings.identity.home_page}"
    )
