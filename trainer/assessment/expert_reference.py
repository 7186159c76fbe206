"""Build the expert reference: the autopilot's metrics over many anatomical variants."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from trainer.actions import play
from trainer.assessment.reference import REFERENCE_FORMAT, load_reference
from trainer.autopilot import expert_attempt
from trainer.scenario import list_scenarios, load_scenario
from trainer.simulation import Simulation

REFERENCE_VARIANTS = 30
REFERENCE_SEED = 0


def expert_metrics(scenario_id: str, variant: int) -> dict[str, Any] | None:
    """The autopilot's reported metrics on one variant (those with a better direction); None when
    the autopilot finds no clear path on that variant's anatomy."""
    sc = load_scenario(scenario_id, variant=variant)
    sim = Simulation(sc, seed=REFERENCE_SEED, mode="demo")
    try:
        actions = expert_attempt(sc)
    except ValueError:
        return None
    play(sim, actions)
    ordered = {m.name for m in sim.assessment.metrics if m.better is not None}
    return {k: v for k, v in sim.assessment.values().items() if k in ordered}


def build_reference(
    scenario_ids: Iterable[str] | None = None,
    variants: int = REFERENCE_VARIANTS,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the autopilot on variants 0..variants-1 of each scenario, on two processes; metrics
    stored as columns. Variants the autopilot cannot plan are left out and counted."""
    scenarios: dict[str, Any] = {}
    with ProcessPoolExecutor(max_workers=2) as pool:
        for sid in scenario_ids or list_scenarios():
            columns: dict[str, list[Any]] = {}
            runs = list(pool.map(expert_metrics, [sid] * variants, range(variants)))
            for metrics in runs:
                for name, value in (metrics or {}).items():
                    columns.setdefault(name, []).append(value)
            skipped = sum(m is None for m in runs)
            planned = [v for v, m in enumerate(runs) if m is not None]
            scenarios[sid] = {"version": load_scenario(sid).version, "variants": planned, "metrics": columns}
            if progress:
                progress(
                    f"{sid}: {variants - skipped} variants" + (f" ({skipped} unplannable)" if skipped else "")
                )
    return {"format": REFERENCE_FORMAT, "seed": REFERENCE_SEED, "variants": variants, "scenarios": scenarios}


def write_reference(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    load_reference.cache_clear()
