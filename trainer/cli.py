"""Command line: `python main.py` starts the game; subcommands do headless work."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import trainer
from trainer.assessment.expert_reference import REFERENCE_VARIANTS, build_reference, write_reference
from trainer.assessment.reference import REFERENCE_NAME
from trainer.assessment.thresholds import DIFFICULTIES
from trainer.errors import TrainerError
from trainer.logs import setup_logging
from trainer.record import read_record_file
from trainer.records.commands import add_record_commands
from trainer.replay import check_replay
from trainer.resources import writable_data_file
from trainer.versions import version_differences

log = logging.getLogger("trainer")
REPRODUCED_PARTS = ("events", "passed", "score", "metrics")  # the headline parts, reported one by one


def _demo(args: argparse.Namespace) -> int:
    sc = trainer.load_scenario(args.scenario, variant=args.variant)
    if not args.headless:
        from trainer.ui.launch import run_game

        return run_game(data_dir=args.data_dir, start=("demo", sc.id, args.variant))
    sim = trainer.Simulation(sc, seed=args.seed, mode="demo", difficulty=args.difficulty)
    trainer.play(sim, trainer.expert_attempt(sc))
    result = sim.finish().to_dict()
    if not args.inputs:
        result.pop("inputs")
    print(json.dumps(result, indent=2 if args.pretty else None))
    return 0


def _scenarios(args: argparse.Namespace) -> int:
    for sid in trainer.list_scenarios():
        sc = trainer.load_scenario(sid)
        print(f"{sid:24} {sc.level:7} {sc.difficulty:13} {sc.title}")
    return 0


CHECKED_VARIANTS = (0, 1, 2)  # the canonical anatomy and two seeded variants


def _check(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        problem = check_file(Path(path))
        if problem is None:
            print(f"{path}: ok")
        else:
            print(problem, file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def check_file(path: Path) -> str | None:
    """The first problem with a scenario file, or None: it loads, and the expert autopilot can plan
    it, for the canonical anatomy and the first seeded variants (a file that loads but cannot be
    played is refused here, not in front of a trainee)."""
    from trainer.autopilot import plan

    for variant in CHECKED_VARIANTS:
        try:
            sc = trainer.load_scenario(path, variant=variant)
        except TrainerError as exc:
            return str(exc)
        except Exception as exc:  # a check that crashed still names the file and the variant
            return f"{path}: variant {variant} cannot be built ({type(exc).__name__}: {exc})"
        try:
            plan(sc)
        except Exception as exc:
            return f"{path}: the expert autopilot cannot plan it ({exc})"
    return None


def _replay(args: argparse.Namespace) -> int:
    record = read_record_file(args.record)
    check = check_replay(record)
    result = check.result.to_dict()
    result.pop("inputs")
    matches = {k: k not in check.differences for k in REPRODUCED_PARTS}
    versions = version_differences(record)
    if versions:
        print(
            "note: this record was made with other versions: "
            f"{'; '.join(versions)}. An exact replay is not guaranteed; parts that differ: "
            f"{', '.join(check.differences) or 'none'}",
            file=sys.stderr,
        )
    report = {
        "reproduced": check.reproduced,
        "differences": list(check.differences),
        "matches": matches,
        "versions_differ": versions,
        "result": result,
    }
    print(json.dumps(report))
    return 0 if check.reproduced else 1


def _bench(args: argparse.Namespace) -> int:
    from trainer import bench

    sizes = [bench.parse_size(size) for size in args.sizes]
    print(bench.TABLE_HEADER)
    for row in bench.run(args.scenario or trainer.list_scenarios(), args.frames, sizes):
        print(bench.format_row(row), flush=True)
    print(f"peak resident memory: {bench.peak_rss_mb():.0f} MB")
    return 0


def _screenshot(args: argparse.Namespace) -> int:
    import cv2

    from trainer.bench import expert_simulation

    sim = expert_simulation(args.scenario, seed=args.seed)
    cv2.imwrite(args.out, sim.render(args.width, args.height))
    print(
        f"{args.out}: {sim.scenario.title}, probe at x {sim.probe.x_mm:.1f} mm, "
        f"tip at ({sim.needle.tip_mm[0]:.1f}, {sim.needle.tip_mm[1]:.1f}) mm"
    )
    return 0


def _reference(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else writable_data_file(REFERENCE_NAME)
    if out is None:
        raise TrainerError(
            "this is an installed trainer, whose bundled expert reference does not change; "
            "give --out FILE to write a rebuilt one elsewhere"
        )
    data = build_reference(
        args.scenarios or None, args.variants, progress=lambda line: print(line, file=sys.stderr)
    )
    write_reference(data, out)
    print(f"wrote {out}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from trainer.assessment import validation
    from trainer.profiles import PROFILES, profile

    variants = validation.QUICK_VARIANTS if args.quick else args.variants
    profiles = [profile(name) for name in args.profile] if args.profile else PROFILES
    runs = validation.run_battery(
        args.scenario or None,
        variants,
        profiles,
        jobs=args.jobs,
        progress=lambda line: print(line, file=sys.stderr),
    )
    summaries = validation.summarise(runs, profiles)
    scenarios = ", ".join(args.scenario or trainer.list_scenarios())
    print(f"trainee profiles on {scenarios}, {variants} variants each")
    print(validation.TABLE_HEADER)
    for s in summaries:
        print(validation.format_row(s))
    right, lines = validation.verdict(summaries, runs)
    for line in lines:
        print(line)
    if args.json:
        print(json.dumps([s.to_dict() for s in summaries]))
    return 0 if right else 1


def _bench_ui(args: argparse.Namespace) -> int:
    from trainer.ui import frame_bench

    width, height = (int(v) for v in args.size.lower().split("x"))
    if args.memory:
        peak = frame_bench.session_peak_mb((width, height))
        print(
            f"peak resident memory over a session (menu, five attempts with results and replay, "
            f"history): {peak:.0f} MB"
        )
        return 0
    if args.startup:
        from trainer.ui import startup_bench

        print(json.dumps(startup_bench.measure((width, height))))
        return 0
    print(f"whole game frames at {width}x{height}, guided (budget {frame_bench.FRAME_BUDGET_MS:.1f} ms), ms")
    print(frame_bench.TABLE_HEADER)
    runs = frame_bench.run(args.scenario or ["esp_block"], (width, height), args.slow_ms)
    for r in runs:
        print(frame_bench.format_row(r.times()), flush=True)
    print(frame_bench.format_row(frame_bench.together(runs)))
    print(json.dumps(frame_bench.summary(runs, (width, height), args.slow_ms)))
    return 0


def _play(args: argparse.Namespace) -> int:
    from trainer.ui.launch import run_game

    return run_game(data_dir=args.data_dir)


def command_name(argv0: str | None = None) -> str:
    """How the trainer was started, for help and messages: `thoracic-trainer`, `python main.py`..."""
    name = Path(sys.argv[0] if argv0 is None else argv0).name
    if name == "__main__.py":
        return "python -m trainer"
    if name.endswith(".py"):
        return f"python {name}"
    return name.removesuffix(".exe") or "thoracic-trainer"


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog or command_name(),
        description="Ultrasound-guided thoracic spine injection trainer. Without a subcommand, "
        "starts the game.",
    )
    parser.add_argument(
        "--data-dir",
        help="where trainees, attempts and settings are kept "
        "(default: the user data folder, or $THORACIC_TRAINER_DATA)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {trainer.__version__}")
    parser.set_defaults(run=_play)
    sub = parser.add_subparsers(title="subcommands", metavar="COMMAND")

    p = sub.add_parser("play", help="start the game (the default)")
    p.set_defaults(run=_play)

    p = sub.add_parser("demo", help="the expert autopilot performs a scenario")
    p.add_argument("scenario", help="scenario id (see 'scenarios') or path to a .toml file")
    p.add_argument("--headless", action="store_true", help="no window: print the result as JSON")
    p.add_argument("--variant", type=int, default=0, help="anatomical variant (0 = canonical)")
    p.add_argument("--seed", type=int, default=0, help="seed for speckle and other randomness")
    p.add_argument(
        "--difficulty", choices=DIFFICULTIES, default="standard", help="how strictly the attempt is scored"
    )
    p.add_argument("--inputs", action="store_true", help="include every input in the JSON")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.set_defaults(run=_demo)

    p = sub.add_parser("scenarios", help="list the available scenarios")
    p.set_defaults(run=_scenarios)

    p = sub.add_parser("check", help="validate scenario files and report the first problem in each")
    p.add_argument("files", nargs="+")
    p.set_defaults(run=_check)

    p = sub.add_parser("replay", help="replay an attempt record (JSON) and check it reproduces")
    p.add_argument("record")
    p.set_defaults(run=_replay)

    p = sub.add_parser("bench", help="time the B-mode renderer per scenario and probe (one core)")
    p.add_argument("--scenario", action="append", help="scenario id (repeatable; default: all)")
    p.add_argument("--frames", type=int, default=120, help="timed frames per case")
    p.add_argument("--sizes", nargs="+", default=["640x480", "1280x960"], help="image sizes WxH")
    p.set_defaults(run=_bench)

    p = sub.add_parser("screenshot", help="save the B-mode image of the expert's finished attempt")
    p.add_argument("scenario")
    p.add_argument("out", help="PNG file to write")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--width", type=int, default=640)
    p.add_argument("--height", type=int, default=480)
    p.set_defaults(run=_screenshot)

    p = sub.add_parser(
        "bench-ui",
        help="time whole game frames on the procedure screen in the real-time loop (a real window when "
        "DISPLAY is set, else headless); the last line is one JSON object",
    )
    p.add_argument("--scenario", action="append", help="scenario id (repeatable; default: esp_block)")
    p.add_argument("--size", default="1600x1000", help="window size WxH")
    p.add_argument(
        "--slow-ms", type=float, default=0.0, help="add this much delay to every frame (a slow machine)"
    )
    p.add_argument("--memory", action="store_true", help="measure peak memory over a whole session instead")
    p.add_argument(
        "--startup",
        action="store_true",
        help="measure launch-to-first-screen and briefing-to-procedure instead",
    )
    p.set_defaults(run=_bench_ui)

    add_record_commands(sub)

    p = sub.add_parser(
        "validate",
        help="grade scripted trainee profiles (expert, novice, blind advancer, ...) on every procedure "
        "and many variants, and check each is graded as an instructor would; exit 1 if any is not",
    )
    p.add_argument("--variants", type=int, default=20, help="anatomical variants per procedure")
    p.add_argument("--quick", action="store_true", help="two variants per procedure")
    p.add_argument("--scenario", action="append", help="scenario id (repeatable; default: all)")
    p.add_argument("--profile", action="append", help="trainee profile (repeatable; default: all)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes to run in")
    p.add_argument(
        "--json", action="store_true", help="end with one JSON list of profile, median_score, band, pass_rate"
    )
    p.set_defaults(run=_validate)

    p = sub.add_parser(
        "reference",
        help="rebuild the expert reference (autopilot runs over many "
        "anatomical variants) that attempts are ranked against",
    )
    p.add_argument("scenarios", nargs="*", help="scenario ids (default: all)")
    p.add_argument("--variants", type=int, default=REFERENCE_VARIANTS, help="variants per scenario")
    p.add_argument(
        "--out", help="where to write the JSON (default: the bundled file, in a source checkout only)"
    )
    p.set_defaults(run=_reference)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging()
    name = getattr(args.run, "__name__", "command").strip("_")
    log.info("%s started (%s)", name, " ".join(sys.argv[1:] if argv is None else argv)[:300])
    try:
        code = int(args.run(args))
    except TrainerError as exc:
        log.warning("%s: error: %s", name, exc)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:
        log.exception("%s failed", name)
        raise
    log.info("%s finished with exit code %d", name, code)
    return code
