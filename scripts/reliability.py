"""The reliability campaigns of issue 14 as one command, printing one table.

    python scripts/reliability.py            # full size (about 40 minutes on two cores)
    python scripts/reliability.py --quick    # a few minutes, for CI
    python scripts/reliability.py --only lrs,kills

Fault campaigns (SIGKILLs during attempts, LRS and sender kills against a real Ralph LRS on 127.0.0.1,
LRS server faults, read-only, full and shared folders) and bad-input campaigns (the shipped data files
fuzzed through the public loading API, attempt records mutated field by field, tampered, cut-off,
repeated and oversized imports, CSV injection), and memory over a long scripted game session. Every
count marked "must be 0" is a loss or a crash; the command exits 1 if any is not 0. Everything runs in
a temporary folder (credentials, logs and keyring included), never the user's own.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from campaigns import folders, fuzz_files, fuzz_records, imports, kills, lrs, memory
from campaigns.common import FULL, QUICK, ROOT, Row, Size

Campaign = Callable[[Path, Size], list[Row]]
CAMPAIGNS: dict[str, Campaign] = {
    "files": lambda w, s: fuzz_files.campaign(w, s.fuzz_files),
    "records": lambda w, s: fuzz_records.campaign(w, s.record_mutants),
    "imports": lambda w, s: [
        *imports.tampering(w, truncations=5 * s.lab_rounds),
        *imports.bombs(w),
        *imports.csv_injection(w),
    ],
    "kills": lambda w, s: kills.campaign(w, s.kills),
    "lrs": lambda w, s: [*lrs.kills(w, s.lrs_rounds), *lrs.faults(w)],
    "folders": lambda w, s: [
        *folders.read_only(w, s.lab_rounds),
        *folders.full_disk(w, s.lab_rounds),
        *folders.two_laptops(w, 2 * s.lab_rounds),
    ],
    "memory": lambda w, s: memory.campaign(w, s.session_game_s),
    "core-memory": lambda w, s: memory.core(w, s.core_attempts),
}


def private_environment(work: Path) -> None:
    """Credentials, logs and keyring of the campaigns stay inside `work`."""
    os.environ["THORACIC_TRAINER_CONFIG"] = str(work / "config")
    os.environ["THORACIC_TRAINER_LOG_DIR"] = str(work / "logs")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    os.environ.setdefault("RALPH_BIN", str(ROOT / ".venv-ralph" / "bin" / "ralph"))
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("MPLBACKEND", "Agg")


def table(rows: list[Row]) -> str:
    lines = ["| campaign | cases | measure | count | must be 0 |", "|---|---:|---|---:|:---:|"]
    for r in rows:
        mark = ("**FAILED**" if r.failed else "yes") if r.must_be_zero else ""
        lines.append(f"| {r.campaign} | {r.cases:,} | {r.measure} | {r.count:,} | {mark} |")
    return "\n".join(lines)


def run_campaign(name: str, folder: Path, size: Size) -> list[Row]:
    """The campaign's rows; a campaign that crashes is one failed row, and the others still run."""
    try:
        return CAMPAIGNS[name](folder, size)
    except Exception as exc:
        traceback.print_exc()
        return [Row(name, 1, f"campaign crashed ({type(exc).__name__}: {exc})", 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few minutes (CI)")
    parser.add_argument("--only", help=f"comma-separated campaigns of: {', '.join(CAMPAIGNS)}")
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else list(CAMPAIGNS)
    unknown = set(chosen) - set(CAMPAIGNS)
    if unknown:
        parser.error(f"unknown campaign(s): {', '.join(sorted(unknown))}")
    size = QUICK if args.quick else FULL
    work = Path(tempfile.mkdtemp(prefix="trainer-reliability-"))
    work.chmod(0o755)  # the read-only campaign's child runs as 'nobody'
    private_environment(work)
    rows: list[Row] = []
    started = time.monotonic()
    for name in chosen:
        began = time.monotonic()
        folder = work / name
        folder.mkdir()
        folder.chmod(0o755)
        rows += run_campaign(name, folder, size)
        print(f"{name}: {time.monotonic() - began:.0f} s", file=sys.stderr, flush=True)
    print(table(rows))
    minutes = (time.monotonic() - started) / 60
    print(f"\n{'quick' if args.quick else 'full'} size, {minutes:.1f} min; work in {work}")
    return 1 if any(r.failed for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
