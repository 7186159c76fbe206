"""Colour Doppler as a separate RGBA layer the UI draws over the grey image (never baked into it).

Inside a colour box the scanner estimates, per pixel, the flow velocity along the beam: v cos(angle)
between the flow and that pixel's own scan line (so on a curvilinear probe one vessel can change
colour across the fan). Vessels here cross the image nearly at right angles (their sections are
round); each is tilted a little from the plane's normal in its own fixed direction, which gives
the along-beam component. Flow is laminar (parabolic across the lumen), pulsatile in arteries,
steady in veins. The estimate wraps around above the velocity scale (aliasing: the fastest
systolic core turns the opposite colour), a wall filter drops the slowest flow, colour gain makes
the colour bloom past the wall and lights sparse noise in the box, and nothing is coloured where
the beam does not reach (shadows). Toward the probe is red to yellow, away is blue to cyan.

Flash: a moving probe moves all the tissue relative to the beam; its strong, slow echo then gets
past the wall filter and paints swathes of one colour over tissue with no flow (Pozniak et al.,
RadioGraphics 1992, "flash artifact"). It fades as soon as the probe is held still.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import cv2
import numpy as np

from trainer.imaging.geometry import ImageGeometry
from trainer.physiology import artery_scale, pulse
from trainer.probe import Probe
from trainer.scenario.model import Structure
from trainer.tissue import VESSELS, TissueKind

if TYPE_CHECKING:
    from trainer.imaging.renderer import Renderer, View

ARTERY_PEAK_CM_S = 50.0  # systolic centreline velocity of a small thoracic artery [E]
DIASTOLIC_SHARE = 0.25  # arterial velocity between beats, as a share of the systolic peak [E]
VEIN_CM_S = 8.0  # steady venous centreline velocity [E]
TILT_DEG = (15.0, 30.0)  # how far each vessel's axis leans from the plane's normal [E]
WALL_FILTER_SHARE = 0.08  # slower flow than this share of the scale is not shown
BLOOM_MM_PER_DB = 0.05  # colour spreads past the wall by this much per dB of colour gain
NOISE_PER_DB = 0.0004  # share of the box's pixels lit by noise per dB of colour gain
FLASH_START_MM_S = 5.0  # a probe sliding slower than this is steady enough [E]
FLASH_FULL_MM_S = 40.0  # and at this speed the flash covers the echogenic tissue in the box [E]
FLASH_SHARE_OF_SCALE = 0.5  # the flash's apparent velocity, as a share of the scale [E]
MIN_RELATIVE_TRANSMISSION = 0.01  # no colour in a shadow (40 dB below what soft tissue would leave)
BOX_OUTLINE = (220, 220, 220, 255)


@dataclass(frozen=True, slots=True)
class ColourBox:
    """Where colour is estimated, as shares of the field (lines across, depth down), the velocity
    scale (the Nyquist limit, +- cm/s) and the colour gain (dB)."""

    left: float = 0.25
    right: float = 0.75
    top: float = 0.35
    bottom: float = 0.9
    scale_cm_s: float = 20.0
    gain_db: float = 10.0

    def moved(self, across: float, down: float) -> ColourBox:
        """Shifted by shares of the field, kept inside it."""
        dx = min(max(across, -self.left), 1.0 - self.right)
        dy = min(max(down, -self.top), 1.0 - self.bottom)
        return replace(
            self, left=self.left + dx, right=self.right + dx, top=self.top + dy, bottom=self.bottom + dy
        )

    def resized(self, wider: float, deeper: float) -> ColourBox:
        """Grown (or shrunk) about its centre by shares of the field, between MIN_BOX and the field."""
        cx, cy = (self.left + self.right) / 2.0, (self.top + self.bottom) / 2.0
        w = min(max(self.right - self.left + wider, MIN_BOX), 1.0)
        h = min(max(self.bottom - self.top + deeper, MIN_BOX), 1.0)
        cx, cy = min(max(cx, w / 2.0), 1.0 - w / 2.0), min(max(cy, h / 2.0), 1.0 - h / 2.0)
        return replace(self, left=cx - w / 2.0, right=cx + w / 2.0, top=cy - h / 2.0, bottom=cy + h / 2.0)

    def with_scale(self, scale_cm_s: float) -> ColourBox:
        return replace(self, scale_cm_s=min(max(scale_cm_s, SCALE_LIMITS_CM_S[0]), SCALE_LIMITS_CM_S[1]))


MIN_BOX = 0.1  # the smallest box, as a share of the field each way
SCALE_LIMITS_CM_S = (5.0, 80.0)


def probe_speed_mm_s(before: Probe, after: Probe, dt_s: float) -> float:
    """How fast the probe moved between two frames: its slide, plus its turn, fan and rock as the
    speed they give the face's far end (what the flash answers to)."""
    if dt_s <= 0.0:
        return 0.0
    slide = math.hypot(after.x_mm - before.x_mm, after.y_mm - before.y_mm)
    turns = (
        after.rotation_deg - before.rotation_deg,
        after.tilt_deg - before.tilt_deg,
        after.rock_deg - before.rock_deg,
    )
    sweep = math.radians(sum(abs(t) for t in turns)) * after.footprint_mm / 2.0
    return (slide + sweep) / dt_s


def flow_direction(vessel: Structure) -> tuple[float, float]:
    """The in-plane (x, z) part of the vessel's unit flow direction: fixed per vessel name."""
    rng = np.random.default_rng(zlib.crc32(vessel.name.encode()))
    tilt = math.radians(rng.uniform(*TILT_DEG))
    heading = rng.uniform(0.0, 2.0 * math.pi)
    return math.sin(tilt) * math.cos(heading), math.sin(tilt) * math.sin(heading)


def _centreline_cm_s(vessel: Structure, renderer: Renderer, view: View) -> float:
    physiology = renderer.scenario.physiology
    if vessel.kind != TissueKind.ARTERY:
        return VEIN_CM_S
    return ARTERY_PEAK_CM_S * (DIASTOLIC_SHARE + (1.0 - DIASTOLIC_SHARE) * pulse(physiology, view.time_s))


def _grid(view: View) -> tuple[np.ndarray, np.ndarray, slice, slice]:
    geo = view.geometry
    rows, cols = geo.field_rows, geo.field_cols
    r, c = np.meshgrid(np.arange(rows.start, rows.stop), np.arange(cols.start, cols.stop), indexing="ij")
    x, z = geo.pixel_to_world(r, c)
    return x, z, rows, cols


def _beam_direction(view: View, x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit vector along each pixel's scan line, pointing away from the probe."""
    geo = view.geometry
    if not geo.curvilinear:
        return np.zeros_like(x), np.ones_like(z)
    bx, bz = x - geo.probe_x_mm, z + geo.radius_mm
    norm = np.hypot(bx, bz)
    return bx / norm, bz / norm


def velocity(renderer: Renderer, view: View, bloom_mm: float = 0.0) -> np.ndarray:
    """True flow velocity toward the probe along each pixel's scan line, cm/s, float32 (height,
    width); `bloom_mm` carries the slowest lumen flow that far past the wall (colour gain)."""
    geo = view.geometry
    out = np.zeros((geo.height_px, geo.width_px), dtype=np.float32)
    x, z, rows, cols = _grid(view)
    bx, bz = _beam_direction(view, x, z)
    field = out[rows, cols]
    in_view = view.probe.in_view(x, z)
    for s in view.plane.structures:
        if s.kind not in VESSELS:
            continue
        centre = s.geometry.centroid
        swell = (
            artery_scale(renderer.scenario.physiology, view.time_s) if s.kind == TissueKind.ARTERY else 1.0
        )
        radius = math.sqrt(s.geometry.area / math.pi) * swell
        rho = np.hypot(x - centre.x, z - centre.y) / radius
        inside = (rho < 1.0 + bloom_mm / radius) & in_view
        profile = np.maximum(1.0 - rho[inside] ** 2, 0.1)
        ux, uz = flow_direction(s)
        toward = -(ux * bx[inside] + uz * bz[inside])
        field[inside] = _centreline_cm_s(s, renderer, view) * profile * toward
    field[_shadowed(renderer, view, x, z)] = 0.0
    return out


def _shadowed(renderer: Renderer, view: View, x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Points the beam barely reaches: far less transmission than soft tissue alone would leave."""
    geo = view.geometry
    i, j = geo.world_to_beam(x, z)
    i = np.clip(np.round(i), 0, geo.n_samples - 1).astype(int)
    j = np.clip(np.round(j), 0, geo.n_lines - 1).astype(int)
    soft = renderer.plane_maps(view.plane).soft_attenuation
    expected_db = 2.0 * soft * view.probe.frequency_mhz * geo.sample_ranges_mm[i] / 10.0
    floor = MIN_RELATIVE_TRANSMISSION * 10.0 ** (-expected_db / 20.0)
    return renderer.tissue(view).transmission[i, j] < floor


def box_mask(view: View, box: ColourBox) -> np.ndarray:
    """Display pixels inside the colour box (a sector section on a curvilinear probe)."""
    return _box_mask(view.geometry, box)


@lru_cache(maxsize=4)
def _box_mask(geo: ImageGeometry, box: ColourBox) -> np.ndarray:
    rows, cols = np.indices((geo.height_px, geo.width_px))
    sample, line = geo.world_to_beam(*geo.pixel_to_world(rows, cols))
    across, down = (line + 0.5) / geo.n_lines, (sample + 0.5) / geo.n_samples
    return (across >= box.left) & (across <= box.right) & (down >= box.top) & (down <= box.bottom)


def measured_velocity(
    renderer: Renderer, view: View, box: ColourBox, probe_speed_mm_s: float = 0.0
) -> np.ndarray:
    """What the scanner shows, cm/s: aliased into +- the scale, wall-filtered, with colour noise
    and the flash of a moving probe, zero outside the box."""
    v = velocity(renderer, view, BLOOM_MM_PER_DB * box.gain_db)
    s = box.scale_cm_s
    aliased = np.mod(v + s, 2.0 * s) - s
    shown = np.where(np.abs(v) > WALL_FILTER_SHARE * s, aliased, 0.0).astype(np.float32)
    inside = box_mask(view, box)
    shown[~inside] = 0.0
    flash = _flash(renderer, view, box, probe_speed_mm_s)
    if flash is not None:
        over = inside & (shown == 0.0)
        shown[over] = flash[over]
    noise = _noise(shown.shape, view, box)
    lit = inside & (shown == 0.0) & (noise != 0.0)
    shown[lit] = noise[lit]
    return shown


def _flash(renderer: Renderer, view: View, box: ColourBox, probe_speed_mm_s: float) -> np.ndarray | None:
    """The tissue's apparent flow while the probe moves: over the brighter echoes, more of them the
    faster it moves; one colour, from a fixed side of the probe's motion."""
    share = (probe_speed_mm_s - FLASH_START_MM_S) / (FLASH_FULL_MM_S - FLASH_START_MM_S)
    if share <= 0.0:
        return None
    grey = renderer.render(view).astype(np.float32)
    rank = cv2.GaussianBlur(grey, (0, 0), 3.0) / 255.0  # swathes, not pixels
    lit = rank > 0.08 + 0.4 * (1.0 - min(share, 1.0))  # brightest first, then all but lumens
    return np.where(lit, FLASH_SHARE_OF_SCALE * box.scale_cm_s * rank, 0.0).astype(np.float32)


def _noise(shape: tuple[int, int], view: View, box: ColourBox) -> np.ndarray:
    """Sparse colour noise, a new pattern each frame (it flickers on a scanner too)."""
    rng = np.random.default_rng([round(view.time_s * 1000.0), 7919])
    hits = rng.random(shape) < NOISE_PER_DB * max(box.gain_db, 0.0)
    return np.where(hits, rng.uniform(-1.0, 1.0, shape) * box.scale_cm_s, 0.0).astype(np.float32)


def colour(v: np.ndarray, scale_cm_s: float) -> np.ndarray:
    """RGBA of measured velocities: red to yellow toward the probe, blue to cyan away."""
    rgba = np.zeros((*v.shape, 4), dtype=np.uint8)
    speed = np.clip(np.abs(v) / scale_cm_s, 0.0, 1.0)
    base = (110 + 145 * np.clip(speed / 0.6, 0.0, 1.0)).astype(np.uint8)
    bright = (255 * np.clip((speed - 0.6) / 0.4, 0.0, 1.0)).astype(np.uint8)
    toward, away = v > 0.0, v < 0.0
    rgba[toward, 0], rgba[toward, 1] = base[toward], bright[toward]
    rgba[away, 2], rgba[away, 1] = base[away], bright[away]
    rgba[toward | away, 3] = 255
    return rgba


def doppler_rgba(
    renderer: Renderer, view: View, box: ColourBox | None = None, probe_speed_mm_s: float = 0.0
) -> np.ndarray:
    """The colour flow layer with its box outline: uint8 (height, width, 4), transparent elsewhere.
    `probe_speed_mm_s` is how fast the probe slides now (flash artifact above a few mm/s)."""
    box = box or ColourBox()
    rgba = colour(measured_velocity(renderer, view, box, probe_speed_mm_s), box.scale_cm_s)
    edge = box_mask(view, box).astype(np.uint8)
    outline = edge - cv2.erode(edge, np.ones((3, 3), dtype=np.uint8))
    rgba[outline.astype(bool)] = BOX_OUTLINE
    return rgba
