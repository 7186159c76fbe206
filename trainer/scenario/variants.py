"""Seeded anatomical variants: thicker or thinner soft tissue, deeper or shallower bone, moved vessels.

A variant rescales layer thicknesses (fat from lean to obese, each muscle with its own jitter) and
carries everything below with a depth warp, so layer order and contacts are kept. Variant 0 is the
canonical anatomy. Soft-tissue depth grows with body weight, but not predictably from it
(Lai 2005: about 3.9 mm per 10 kg), hence independent jitter per layer.
"""

from __future__ import annotations

import copy
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from trainer.scenario.geometry import boundary_depth, boundary_xs
from trainer.tissue import VESSELS, TissueKind

MUSCLE_SCALE_LIMITS = (0.6, 1.6)
FAT_LIMITS_MM = (2.0, 40.0)


@dataclass(frozen=True, slots=True)
class Draw:
    """The random choices of one variant."""

    fat_mm: float
    muscle_scale: float
    layer_jitter: dict[str, float]
    vessel_shift_mm: dict[str, tuple[float, float]]


def rng_for(scenario_id: str, variant: int) -> np.random.Generator:
    return np.random.default_rng([variant, zlib.crc32(scenario_id.encode())])


def draw(data: dict[str, Any], variant: int) -> Draw:
    """Body habitus around the canonical anatomy: fat log-normal, muscle loosely tied to it."""
    rng = rng_for(data["id"], variant)
    var = data["variation"]
    body = float(rng.standard_normal())
    fat_mm = canonical_fat_mm(data) * float(np.exp(0.45 * body))
    muscle = 1.0 + 0.06 * body + 0.07 * float(rng.standard_normal())
    names = sorted({layer["name"] for p in data["planes"] for layer in p["layers"]})
    jitter = {n: float(rng.uniform(0.92, 1.08)) for n in names}
    shift_mm = float(var["vessel_jitter_mm"])
    vessels = sorted(
        {
            s["name"]
            for p in data["planes"]
            for s in p["structures"]
            if s["kind"] in {k.value for k in VESSELS}
        }
    )
    shifts = {
        n: (float(rng.uniform(-shift_mm, shift_mm)), float(rng.uniform(-shift_mm, shift_mm) / 2))
        for n in vessels
    }
    return Draw(
        float(np.clip(fat_mm, *var["fat_mm"])), float(np.clip(muscle, *var["muscle_scale"])), jitter, shifts
    )


def canonical_fat_mm(data: dict[str, Any]) -> float:
    """Summed fat thickness above the target in the canonical primary plane."""
    primary = next(p for p in data["planes"] if p["y_mm"] == 0.0)
    tops = DepthWarp(primary, data["section"]["depth_mm"], {}).tops(float(data["target"]["point"][0]))
    return float(
        sum(
            t
            for layer, t in zip(primary["layers"], np.diff(tops), strict=False)
            if layer["kind"] == TissueKind.FAT
        )
    )


class DepthWarp:
    """Maps canonical (x, z) to the variant's depth, layer by layer, for one plane."""

    def __init__(self, plane: dict[str, Any], floor_mm: float, scales: dict[str, float]) -> None:
        self._bottoms = [layer["bottom_mm"] for layer in plane["layers"][:-1]]
        self._floor = floor_mm
        self._scales = [scales.get(layer["name"], 1.0) for layer in plane["layers"][:-1]]

    def tops(self, x_mm: float) -> np.ndarray:
        xs = np.array([x_mm])
        return np.array([0.0] + [float(boundary_depth(b, xs, self._floor)[0]) for b in self._bottoms])

    def __call__(self, x_mm: float, z_mm: float) -> float:
        tops = self.tops(x_mm)
        new_tops = np.concatenate([[0.0], np.cumsum(np.diff(tops) * self._scales)])
        k = int(np.searchsorted(tops, z_mm, side="right") - 1)
        k = max(k, 0)
        if k >= len(self._scales):
            return float(z_mm + new_tops[-1] - tops[-1])
        return float(new_tops[k] + (z_mm - tops[k]) * self._scales[k])


def layer_scales(data: dict[str, Any], d: Draw, muscle_scale: float, fat_mm: float) -> dict[str, float]:
    primary = next(p for p in data["planes"] if p["y_mm"] == 0.0)
    warp = DepthWarp(primary, data["section"]["depth_mm"], {})
    x0 = float(data["target"]["point"][0])
    tops = warp.tops(x0)
    scales: dict[str, float] = {}
    for layer, thickness in zip(primary["layers"], np.diff(tops), strict=False):
        if layer["kind"] == TissueKind.FAT and thickness > 0:
            scales[layer["name"]] = fat_mm / float(thickness)
    for plane in data["planes"]:
        for layer in plane["layers"]:
            if layer["kind"] == TissueKind.MUSCLE:
                scales[layer["name"]] = muscle_scale * d.layer_jitter[layer["name"]]
    return scales


def fit_anchor(data: dict[str, Any], d: Draw) -> tuple[float, float]:
    """Muscle scale and fat thickness that keep the anchor's depth within its published range."""
    var = data["variation"]
    m, fat = d.muscle_scale, d.fat_mm
    if var.get("anchor") is None:
        return m, fat
    primary = next(p for p in data["planes"] if p["y_mm"] == 0.0)
    ax, az = _anchor_top(primary, var["anchor"])
    lo, hi = var["anchor_depth_mm"]

    def depth(m_: float, fat_: float) -> float:
        return DepthWarp(primary, data["section"]["depth_mm"], layer_scales(data, d, m_, fat_))(ax, az)

    for _ in range(2):  # depth is linear in each; solve for muscle first, then fat
        z = depth(m, fat)
        if lo <= z <= hi:
            break
        goal = float(np.clip(z, lo, hi))
        slope = depth(m + 0.1, fat) - z
        if abs(slope) > 1e-6:
            m = float(np.clip(m + 0.1 * (goal - z) / slope, *MUSCLE_SCALE_LIMITS))
        z = depth(m, fat)
        slope = depth(m, fat + 1.0) - z
        if not lo <= z <= hi and abs(slope) > 1e-6:
            fat = float(np.clip(fat + (float(np.clip(z, lo, hi)) - z) / slope, *FAT_LIMITS_MM))
    return m, fat


def _anchor_top(plane: dict[str, Any], name: str) -> tuple[float, float]:
    s = next(s for s in plane["structures"] if s["name"] == name)
    if s.get("circle"):
        cx, cz, r = s["circle"]
        return cx, cz - r
    if s.get("ellipse"):
        cx, cz, _, b, _ = s["ellipse"]
        return cx, cz - b
    pts = s.get("polygon") or s.get("polyline") or []
    x, z = min(pts, key=lambda p: p[1])
    return float(x), float(z)


def apply(data: dict[str, Any], variant: int, shift_scale: float = 1.0) -> dict[str, Any]:
    """A copy of the scenario data with the variant's anatomy (variant 0 returns it unchanged)."""
    if variant == 0:
        return data
    d = draw(data, variant)
    m, fat = fit_anchor(data, d)
    scales = layer_scales(data, d, m, fat)
    out = copy.deepcopy(data)
    floor = data["section"]["depth_mm"]
    for plane_in, plane_out in zip(data["planes"], out["planes"], strict=True):
        warp = DepthWarp(plane_in, floor, scales)
        xs = boundary_xs([layer["bottom_mm"] for layer in plane_in["layers"]], data["section"]["x_mm"])
        for layer in plane_out["layers"][:-1]:
            b = layer["bottom_mm"]
            depths = boundary_depth(b, xs, floor)
            layer["bottom_mm"] = [
                [float(x), warp(float(x), float(z))] for x, z in zip(xs, depths, strict=True)
            ]
        for s in plane_out["structures"]:
            dx, dz = (v * shift_scale for v in d.vessel_shift_mm.get(s["name"], (0.0, 0.0)))
            _warp_shape(s, warp, dx, dz)
        if plane_in["y_mm"] == 0.0:
            t = out["target"]
            t["zone"] = [[x, warp(x, z)] for x, z in t["zone"]]
            t["point"] = [t["point"][0], warp(*t["point"])]
    return out


def _warp_shape(s: dict[str, Any], warp: DepthWarp, dx: float, dz: float) -> None:
    for key in ("polygon", "polyline"):
        if s.get(key):
            s[key] = [[x + dx, warp(x, z) + dz] for x, z in s[key]]
    for key in ("circle", "ellipse"):
        if s.get(key):
            v = list(s[key])
            v[0], v[1] = v[0] + dx, warp(v[0], v[1]) + dz
            s[key] = v
