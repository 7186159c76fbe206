#!/usr/bin/env bash
# Install everything the tests need into local virtual environments, then run them headless.
# The LRS tests talk to a real Ralph LRS, installed in its own venv (its server dependencies stay out
# of ours). The tests run on two processes (pytest-xdist; TEST_WORKERS=0 runs them in this one); the
# tests of a module that share one costly fixture stay on one worker, and the 25 slowest are listed to
# keep CI fast. Extra arguments go to pytest, e.g. `bash scripts/test.sh -k replay`.
set -euo pipefail
cd "$(dirname "$0")/.."
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy MPLBACKEND=Agg
python3 -m venv .venv-ralph && .venv-ralph/bin/pip install -q "ralph-malph[cli,lrs]==5.1.0" requests
export RALPH_BIN="$PWD/.venv-ralph/bin/ralph"
python3 -m venv .venv && .venv/bin/pip install -q -c constraints.txt -e ".[test]"
.venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" --dist loadgroup --durations=25 "$@"
