"""Fuzzing the data files the trainer ships, through its public loading API only.

Every TOML file inside the installed `trainer` package is a seed, whatever it describes (procedures,
the archived 2D scenarios, the patient), so the fuzzer keeps working when the formats change. A
procedure mutant is loaded with `trainer.load_scenario(path)`, and a sample also through the `check`
command. A patient mutant stands in for the shipped patient file while a procedure is loaded on it, as
when a clinician edits that file. The outcome is counted as loaded, refused with a clear message,
refused with an unclear message, a traceback, or a hang.

    cd scripts && python -m campaigns.fuzz_files --count 2000 --seed 14 --current   # v2 files, patient
"""

from __future__ import annotations

import io
import json
import math
import random
import signal
import sys
import tomllib
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from importlib import resources
from pathlib import Path
from typing import Any

from campaigns.common import Row

HANG_S = 10.0
CHECK_EVERY = 10  # one mutant in ten also goes through `python main.py check`
WRONG_VALUES: tuple[Any, ...] = (
    "text",
    "",
    [],
    {},
    True,
    0,
    -1,
    2**70,
    1e308,
    math.inf,
    -math.inf,
    math.nan,
    "x" * 100_000,
    [[]],
    [1, "a", {}],
    "ünïcödé ✓ 王",
)


TRACEBACKS: dict[str, str] = {}  # one example of each kind of traceback, for whoever fixes them


class Hang(Exception):
    """A load that did not return within HANG_S."""


class Deep:
    """An array nested `levels` deep, written as text (too deep for a recursive writer)."""

    def __init__(self, levels: int) -> None:
        self.levels = levels


def shipped_toml() -> list[Path]:
    """Every TOML file in the installed package (scenarios, procedures, patients...)."""
    root = resources.files("trainer")
    return sorted(Path(str(p)) for p in _walk(root) if str(p).endswith(".toml"))


def current_toml() -> list[Path]:
    """The files the game plays today: the procedures and the patient, not the archived 2D ones."""
    return [p for p in shipped_toml() if "archive" not in p.parts]


def is_patient_file(path: Path) -> bool:
    return path.parent.name == "patient"


def _walk(node: Any) -> Iterator[Any]:
    for child in node.iterdir():
        if child.is_dir():
            yield from _walk(child)
        else:
            yield child


# ------------------------------------------------------------------ writing TOML back
def dump(doc: dict[str, Any]) -> str:
    """A TOML document of `key = value` lines with inline tables (valid TOML 1.0 for any value)."""
    return "".join(f"{_key(k)} = {_value(v)}\n" for k, v in doc.items())


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() else json.dumps(key)


def _value(value: Any) -> str:
    if isinstance(value, Deep):
        return "[" * value.levels + "1" + "]" * value.levels
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value))


# ------------------------------------------------------------------ mutations
def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        yield from _paths(child, (*prefix, key))


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


def _structural(doc: dict[str, Any], rng: random.Random) -> tuple[str, dict[str, Any]]:
    """One change to one field: a wrong value, a deletion, deep nesting, many copies, a swapped
    reference."""
    path = rng.choice([p for p in _paths(doc) if p])
    parent, key = _parent(doc, path), path[-1]
    how = rng.choice(("wrong", "wrong", "wrong", "delete", "deep", "many", "swap"))
    if how == "wrong":
        parent[key] = rng.choice(WRONG_VALUES)
    elif how == "delete":
        del parent[key]
    elif how == "deep":
        parent[key] = Deep(rng.choice((50, 300, 2000)))
    elif how == "many" and isinstance(parent[key], list) and parent[key]:
        parent[key] = parent[key] * rng.choice((10, 200, 2000))
    else:
        strings = [v for p in _paths(doc) if p and isinstance(v := _parent(doc, p)[p[-1]], str)]
        parent[key] = rng.choice(strings) if strings else "nothing"
    return f"{how} {'.'.join(map(str, path))}", doc


def _bytes(text: str, rng: random.Random) -> tuple[str, bytes]:
    data = bytearray(text.encode("utf-8"))
    at = rng.randrange(len(data))
    how = rng.choice(("truncate", "flip", "insert", "drop line", "double line"))
    if how == "truncate":
        return how, bytes(data[:at])
    if how == "flip":
        data[at] ^= 1 << rng.randrange(8)
        return how, bytes(data)
    if how == "insert":
        return how, bytes(data[:at] + rng.randbytes(rng.randrange(1, 16)) + data[at:])
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    lines[i : i + 1] = [] if how == "drop line" else [lines[i], lines[i]]
    return how, "\n".join(lines).encode("utf-8")


def mutant(seed_text: str, rng: random.Random) -> tuple[str, bytes]:
    """(what was changed, the mutated file's bytes)."""
    if rng.random() < 0.3:
        return _bytes(seed_text, rng)
    label, doc = _structural(tomllib.loads(seed_text), rng)
    return label, dump(doc).encode("utf-8")


# ------------------------------------------------------------------ running
def _on_alarm(signum: int, frame: Any) -> None:
    raise Hang()


def classify(path: Path, load: Callable[[Path], Any]) -> str:
    """'loaded', 'clear', 'unclear', 'traceback' or 'hang' for one mutant."""
    from trainer.errors import TrainerError

    signal.signal(signal.SIGALRM, _on_alarm)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, HANG_S)
            load(path)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except Hang:
        return "hang"
    except TrainerError as exc:
        return "clear" if clear_message(str(exc), path) else "unclear"
    except BaseException as exc:  # a traceback is what is being counted
        TRACEBACKS.setdefault(type(exc).__name__, f"{path.name}: {str(exc)[:160]}")
        return "traceback"
    return "loaded"


def clear_message(message: str, path: Path) -> bool:
    """One sentence that names the file, short enough to read, no Python internals."""
    return (
        path.name in message and len(message) < 600 and "\n" not in message and "object at 0x" not in message
    )


def _check_command(path: Path) -> None:
    from trainer.cli import main

    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        main(["check", str(path)])


def load_procedure(path: Path) -> None:
    import trainer

    trainer.load_scenario(path)


@contextmanager
def patient_file(path: Path) -> Iterator[None]:
    """The trainer reads `path` as its patient file (every cache of the shipped one set aside)."""
    from trainer.patient import body, spec
    from trainer.scenario import loader

    def forget() -> None:
        spec.load_anatomy.cache_clear()
        body.patient_for.cache_clear()
        loader._load_cached.cache_clear()

    shipped = spec.anatomy_path
    spec.anatomy_path = lambda: path
    forget()
    try:
        yield
    finally:
        spec.anatomy_path = shipped
        forget()


def load_on_patient(path: Path) -> None:
    """A procedure on the patient that `path` describes."""
    with patient_file(path):
        from trainer.scenario.loader import scenario_path

        load_procedure(scenario_path("esp_block"))


def campaign(
    work: Path, count: int, seed: int = 14, seeds: list[Path] | None = None, check_every: int = CHECK_EVERY
) -> list[Row]:
    warnings.simplefilter("ignore", RuntimeWarning)  # GEOS on NaN coordinates: the outcome is what counts
    seeds = seeds or shipped_toml()
    rng = random.Random(seed)
    tally: dict[str, int] = {}
    for n in range(count):
        source = rng.choice(seeds)
        _, data = mutant(source.read_text(encoding="utf-8"), rng)
        path = work / f"mutant-{n}-{source.name}"  # a new name each time: no cached load is reused
        path.write_bytes(data)
        on_patient = is_patient_file(source)
        outcome = classify(path, load_on_patient if on_patient else load_procedure)
        tally[outcome] = tally.get(outcome, 0) + 1
        if check_every and n % check_every == 0 and not on_patient:
            via_cli = classify(path, _check_command)
            key = f"check {via_cli}"
            tally[key] = tally.get(key, 0) + 1
        path.unlink()
    for kind, example in sorted(TRACEBACKS.items()):
        print(f"  traceback {kind}: {example}", file=sys.stderr)
    name = f"shipped data files fuzzed ({len(seeds)} seeds)"
    checked = sum(v for k, v in tally.items() if k.startswith("check "))
    return [
        Row(name, count, "loaded", tally.get("loaded", 0), False),
        Row(name, count, "refused with a clear message", tally.get("clear", 0), False),
        Row(name, count, "refused with an unclear message", tally.get("unclear", 0)),
        Row(name, count, "tracebacks", tally.get("traceback", 0)),
        Row(name, count, f"hangs (> {HANG_S:.0f} s)", tally.get("hang", 0)),
        Row(
            name,
            checked,
            "tracebacks or hangs in the check command",
            tally.get("check traceback", 0) + tally.get("check hang", 0),
        ),
    ]


def main() -> None:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description="Fuzz the shipped data files; print the counts.")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--current", action="store_true", help="the procedures and the patient only")
    parser.add_argument("--check-every", type=int, default=0, help="also run `check` on one in N")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        seeds = current_toml() if args.current else shipped_toml()
        for row in campaign(Path(work), args.count, args.seed, seeds, args.check_every):
            print(f"{row.measure}: {row.count} of {row.cases}")


if __name__ == "__main__":
    main()
