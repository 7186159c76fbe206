"""Find, read and validate scenario files; every failure becomes one ScenarioError sentence."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pydantic

from trainer.data_files import read_toml, validation_error
from trainer.errors import ScenarioError
from trainer.resources import data_path
from trainer.scenario import variants
from trainer.scenario.build import build_scenario
from trainer.scenario.model import Scenario
from trainer.scenario.schema import ScenarioSpec
from trainer.scenario.validate import validate

SCENARIO_DIR = data_path("scenarios")
BUILT_IN_ORDER = (
    "esp_block",
    "facet_joint",
    "medial_branch",
    "costotransverse_joint",
    "costovertebral_joint",
    "gel_phantom",
)


def list_scenarios(directory: Path = SCENARIO_DIR) -> list[str]:
    """Scenario ids: the five procedures and the warm-up first, then any others by name."""
    found = {p.stem for p in directory.glob("*.toml")}
    first = [s for s in BUILT_IN_ORDER if s in found]
    return first + sorted(found - set(first))


def scenario_path(id_or_path: str | Path) -> Path:
    candidate = Path(id_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        return candidate
    return SCENARIO_DIR / f"{id_or_path}.toml"


def load_scenario(id_or_path: str | Path, variant: int = 0) -> Scenario:
    """Load a scenario by id or file path; `variant` 0 is the canonical anatomy."""
    if not isinstance(variant, int) or variant < 0:
        raise ScenarioError(str(id_or_path), "variant", "must be a whole number of 0 or more")
    path = scenario_path(id_or_path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        known = ", ".join(list_scenarios())
        raise ScenarioError(
            str(id_or_path), "(file)", f"no such scenario file; built-in scenarios are: {known}"
        ) from None
    return _load_cached(str(path), variant, stamp)


@lru_cache(maxsize=256)
def _load_cached(path: str, variant: int, _stamp: int) -> Scenario:
    spec = read_spec(path)
    canonical = _build(spec, path, 0)  # errors in the file itself are reported as such
    if variant == 0:
        return canonical
    if spec.patient is not None:  # the 3D patient draws its own variants
        return _build(spec, path, variant)
    data = spec.model_dump(mode="json")
    last: ScenarioError | None = None
    for shift_scale in (1.0, 0.5, 0.25, 0.0):  # smaller vessel moves if a big one collides
        try:
            return _build(spec_from_dict(variants.apply(data, variant, shift_scale), path), path, variant)
        except ScenarioError as exc:
            last = exc
    raise ScenarioError(path, f"variant {variant}", f"cannot be built ({last})")


def read_spec(path: str) -> ScenarioSpec:
    """Parse and type-check a scenario file (no geometry yet)."""
    return spec_from_dict(read_toml(path), path)


def spec_from_dict(raw: dict[str, Any], path: str) -> ScenarioSpec:
    try:
        return ScenarioSpec.model_validate_json(json.dumps(raw, default=str))
    except pydantic.ValidationError as exc:
        raise validation_error(path, exc) from None


def _build(spec: ScenarioSpec, path: str, variant: int) -> Scenario:
    sc = build_scenario(spec, path, variant)
    validate(sc, spec.variation.anchor)
    return sc
