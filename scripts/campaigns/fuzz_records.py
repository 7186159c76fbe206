"""Single-field mutations of a real attempt record, imported (with an LRS set up, so statements are built
too) and then put through everything an instructor runs: attempts, exports, cohort, report, replay.
A mutant may be refused; it must never crash the import, and an accepted one must never break a
command for the rest of the store."""

from __future__ import annotations

import io
import math
import random
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from campaigns.common import Row, fresh_record, write_json

VALUES: tuple[Any, ...] = (
    7,
    -1,
    2**64,
    1e308,
    math.inf,
    "text",
    "",
    None,
    True,
    [],
    {},
    [1, 2],
    {"a": [1]},
    "x" * 5000,
    "=HYPERLINK(1)",
)
OUT = "--out"  # the commands below that write files get a folder after it
COMMANDS = (
    ("attempts",),
    ("export", "csv", OUT),
    ("export", "json", OUT),
    ("export", "xapi", OUT),
    ("cohort", "--format", "csv", OUT),
    ("report", "Fuzz", OUT),
)


def field_paths(record: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every top-level key, and one level into the dicts and the first item of the lists."""
    paths: list[tuple[Any, ...]] = []
    for key, value in record.items():
        paths.append((key,))
        if isinstance(value, dict):
            paths += [(key, k) for k in list(value)[:6]]
        elif isinstance(value, list) and value and key != "inputs":
            paths.append((key, 0))
            if isinstance(value[0], dict):
                paths += [(key, 0, k) for k in value[0]]
    return paths


def _set(record: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    import copy

    mutated = copy.deepcopy(record)
    node = mutated
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return mutated


def _main(*argv: str) -> str:
    """Run a command in this process; 'crash' if it raised, else ''."""
    from trainer.cli import main

    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            main(list(argv))
    except SystemExit:
        return ""
    except Exception:
        return "crash"
    return ""


def campaign(work: Path, count: int, seed: int = 14) -> list[Row]:
    from trainer.records.lrs_settings import LrsSettings, save_settings

    rng = random.Random(seed)
    base = fresh_record(trainee={"id": "t-fuzz", "name": "Fuzz", "programme_id": ""})
    mutants = [(p, v) for p in field_paths(base) for v in VALUES]
    rng.shuffle(mutants)
    mutants = mutants[:count]
    data = work / "instructor"
    save_settings(data, LrsSettings("http://127.0.0.1:9/xAPI/", "lab", "pw"))
    import_crashes = accepted = broke = replay_crashes = 0
    for n, (path, value) in enumerate(mutants):
        mutated = _set(fresh_record(trainee=base["trainee"]), path, value)
        file = write_json(work / f"mutant-{n}.json", mutated)
        if _main("--data-dir", str(data), "import", "--unverified", str(file)) == "crash":
            import_crashes += 1
        if _main("replay", str(file)) == "crash":
            replay_crashes += 1
        stored = _stored(data, mutated)
        accepted += stored
        if stored or n % 10 == 0:
            broke += any(_main("--data-dir", str(data), *_with_out(c, work)) for c in COMMANDS)
        file.unlink()
    name = "attempt records mutated field by field"
    return [
        Row(name, len(mutants), "crashed the import", import_crashes),
        Row(name, len(mutants), "crashed replay", replay_crashes),
        Row(name, len(mutants), "accepted (well-typed changes, kept marked unverified)", accepted, False),
        Row(name, len(mutants), "broke a command for the whole store afterwards", broke),
    ]


def _with_out(command: tuple[str, ...], work: Path) -> list[str]:
    return [*command, str(work / "out")] if command[-1] == OUT else list(command)


def _stored(data: Path, record: dict[str, Any]) -> int:
    from trainer.records.store import RecordStore

    store = RecordStore(data)
    try:
        return int(
            isinstance(record.get("attempt_id"), str) and store.attempt(record["attempt_id"]) is not None
        )
    except Exception:
        return 0
    finally:
        store.close()
