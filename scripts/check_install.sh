#!/usr/bin/env bash
# Install the trainer as a user would: build the wheel, install it (with constraints.txt) into a fresh
# venv outside the checkout, and run it from a folder with no repository around it.
# Usage: bash scripts/check_install.sh [WORK_DIR]   (default: a new temporary folder, removed after)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
[ $# -ge 1 ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/dist" "$work/run"
# Build from a copy of the tracked files only: nothing untracked or left over in build/ gets in.
git -C "$repo" ls-files -z | (cd "$repo" && xargs -0 cp --parents -t "$work/src")
python3 -m pip wheel -q --no-deps -w "$work/dist" "$work/src"
wheel="$(ls "$work"/dist/thoracic_us_trainer-*.whl)"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q -c "$repo/constraints.txt" "$wheel"
cd "$work/run"  # no repository here: everything must come from the installed package
export THORACIC_TRAINER_DATA="$work/run/data" SDL_VIDEODRIVER=dummy MPLBACKEND=Agg
bin="$work/venv/bin/thoracic-trainer"
echo "installed $(basename "$wheel") ($(du -k "$wheel" | cut -f1) kB): $("$bin" --version)"
"$bin" --help | head -1 | grep -q "usage: thoracic-trainer" || { echo "help does not name thoracic-trainer"; exit 1; }
"$bin" scenarios | tee "$work/scenarios.txt"
[ "$(wc -l <"$work/scenarios.txt")" -ge 6 ] || { echo "the installed trainer lists too few scenarios"; exit 1; }
"$bin" demo esp_block --headless >"$work/demo.json"
"$work/venv/bin/python" - "$work/demo.json" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
assert result["passed"] and result["standing"], "the installed expert did not pass with a standing"
assert result["versions"]["trainer"], "the record does not store its versions"
print(f"installed demo esp_block: score {result['score']}, band {result['band']}, "
      f"{len(result['standing'])} metrics ranked against the bundled expert reference")
PY
