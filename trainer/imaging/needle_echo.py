"""The needle's echo (sonoanatomy section 4): a specular shaft whose brightness in dB falls linearly
as the beam meets it less squarely (Nichols 2003: 60-76 units square-on, 5-9 at 15 deg insonation,
roughly linear in angle, Schafhalter-Zoppoth 2004; on a curvilinear probe the angle is taken from
each point's own scan line), shown only where it lies inside the elevational slice, with one bright
tip, a faint shadow and a reverberation tail: sound rings inside the lumen, so a fading series of
echoes follows each shaft point down its scan line, so closely spaced that it reads as one tail.
The tail fades with the tissue's own transmission, so none appears in bone or its shadow.

`trace` is redone when the needle or the tissue pass changes; `draw` adds it to a frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from trainer.imaging.geometry import ImageGeometry
from trainer.imaging.psf import aperture_mm, axial_sigma_px, gaussian_kernel, lateral_sigma_mm
from trainer.imaging.tissue_frame import TissueFrame
from trainer.needle import Needle
from trainer.probe import Probe

SHAFT_GAIN = 60.0  # a shaft square to the beam, relative to unit speckle (below a bone cortex)
SHAFT_DB_PER_DEG = 0.41  # loss per degree away from square-on: in the gel phantom the grey contrast
# at each insonation angle follows Nichols' figures interpolated (tests/imaging/test_needle.py)
TIP_GAIN = 40.0  # the bevel scatters in every direction: visible at any angle while in the slice
TIP_MM = 0.8
REVERB_LEVEL = 0.2  # the tail's first echo relative to the shaft's
REVERB_DECAY_MM = 0.5  # the tail fades by 1/e over this depth
REVERB_TAIL_MM = 1.5  # three decay lengths: the rest is lost in the speckle
SHADOW = 0.35  # share of the echo the shaft hides from the tissue below it
SLICE_EDGE = 0.4  # the beam's elevational profile falls to zero over this share of the half width


@dataclass(frozen=True)
class NeedleEcho:
    """The shaft's echo in a beam-space rectangle and the shadow it casts below."""

    rows: slice
    cols: slice
    echo: np.ndarray  # float32 (rows, cols)
    shadow_lines: np.ndarray  # int line indices
    shadow_from: np.ndarray  # first shadowed sample in each of those lines
    shadow_keep: np.ndarray  # float32 share of the tissue echo kept below the shaft


def slice_weight(probe: Probe, needle: Needle, s_mm: np.ndarray) -> np.ndarray:
    """How much of the beam's elevational profile each shaft point sits in (0 outside the slice)."""
    _, z, y = needle.point_at(s_mm)
    edge = probe.slice_half_width_mm(z) + needle.diameter_mm / 2.0
    return np.clip((edge - np.abs(y - probe.y_mm)) / (SLICE_EDGE * edge), 0.0, 1.0)


def squareness(geo: ImageGeometry, needle: Needle, x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Degrees by which the beam misses meeting the shaft at right angles (0 = needle flat)."""
    dx, dz, _ = needle.direction
    if geo.curvilinear:
        bx, bz = x - geo.probe_x_mm, z + geo.radius_mm
        norm = np.hypot(bx, bz)
        cos_beam = np.abs(bx * dx + bz * dz) / norm
    else:
        cos_beam = np.full(x.shape, abs(dz))
    return np.degrees(np.arcsin(np.clip(cos_beam, 0.0, 1.0)))


def trace(needle: Needle, probe: Probe, geo: ImageGeometry, tissue: TissueFrame) -> NeedleEcho | None:
    """The echo of the inserted shaft for this probe pose (None when no part of it is shown)."""
    if not needle.inserted or needle.depth_mm <= 0.0:
        return None
    step = 0.7 * min(geo.sample_mm, float(geo.line_spacing_mm(0.0)))
    s = np.arange(step / 2.0, needle.depth_mm, step)
    x, z, _ = needle.point_at(s)
    i, j = geo.world_to_beam(x, z)
    w = slice_weight(probe, needle, s)
    inside = (w > 0) & (i >= 0) & (i <= geo.n_samples - 1) & (j >= 0) & (j <= geo.n_lines - 1)
    if not inside.any():
        return None
    s, x, z, i, j, w = (a[inside] for a in (s, x, z, i, j, w))
    trans = tissue.transmission[np.round(i).astype(int), np.round(j).astype(int)]
    shaft = SHAFT_GAIN * 10.0 ** (-SHAFT_DB_PER_DEG * squareness(geo, needle, x, z) / 20.0)
    tip = TIP_GAIN * (s > needle.depth_mm - TIP_MM)
    amplitude = (shaft + tip) * w * trans * _pixels_per_point(i, j)
    return _splat(geo, probe, tissue, i, j, amplitude.astype(np.float32), w)


def _pixels_per_point(i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """How far each point advances along the line's dominant pixel axis: weighting by it draws a
    line of the same brightness whatever its slope (a 1-pixel-wide track of the shaft)."""
    if i.size < 2:
        return np.ones_like(i)
    step = np.maximum(np.abs(np.gradient(i)), np.abs(np.gradient(j)))
    return step.astype(np.float32)


def _splat(
    geo: ImageGeometry,
    probe: Probe,
    tissue: TissueFrame,
    i: np.ndarray,
    j: np.ndarray,
    amplitude: np.ndarray,
    w: np.ndarray,
) -> NeedleEcho:
    f = probe.frequency_mhz
    axial = gaussian_kernel(axial_sigma_px(geo, f))
    r_mid = float(np.median(i)) * geo.sample_mm
    sigma_mm = lateral_sigma_mm(r_mid, probe.focus_mm, f, aperture_mm(geo.footprint_mm))
    lateral = gaussian_kernel(float(sigma_mm / geo.line_spacing_mm(r_mid)))
    tail_px = max(1, round(REVERB_TAIL_MM / geo.sample_mm))
    pad_r, pad_c = len(axial), len(lateral)
    rows = slice(
        max(0, math.floor(i.min()) - pad_r), min(geo.n_samples, math.ceil(i.max()) + tail_px + pad_r)
    )
    cols = slice(max(0, math.floor(j.min()) - pad_c), min(geo.n_lines, math.ceil(j.max()) + pad_c))
    shape = (rows.stop - rows.start, cols.stop - cols.start)
    ok = i - rows.start < shape[0] - 1
    ii, jj = i[ok] - rows.start, j[ok] - cols.start
    reach = _tail_reach(tissue.transmission, i[ok], j[ok], tail_px)
    shaft, source = _bilinear(shape, ii, jj, [amplitude[ok], amplitude[ok] * reach])
    echo = shaft + _tail(source, tail_px, geo.sample_mm)
    lines, first = _shadow_start(i, j)
    echo = cv2.sepFilter2D(echo, -1, lateral / lateral.sum(), axial / axial.sum())
    keep = (1.0 - SHADOW * w[first]).astype(np.float32)
    return NeedleEcho(rows, cols, echo, lines, np.ceil(i[first]).astype(int) + 1, keep)


def _tail(source: np.ndarray, tail_px: int, sample_mm: float) -> np.ndarray:
    """The reverberation tail below each source echo: a one-sided exponential along the scan line."""
    d = np.arange(tail_px, -1, -1, dtype=np.float32) * np.float32(sample_mm)
    kernel = (REVERB_LEVEL * np.exp(-d / REVERB_DECAY_MM)).astype(np.float32).reshape(-1, 1)
    kernel[-1] = 0.0  # the shaft itself is not repeated
    return cv2.filter2D(source, -1, kernel, anchor=(0, tail_px), borderType=cv2.BORDER_CONSTANT)


def _tail_reach(transmission: np.ndarray, i: np.ndarray, j: np.ndarray, tail_px: int) -> np.ndarray:
    """Per shaft point, how much of its transmission is left a tail's length below it (at most 1):
    near 0 where the tail would run into bone, so no reverberation is drawn inside it."""
    rows, cols = np.round(i).astype(int), np.round(j).astype(int)
    below = np.minimum(rows + tail_px, transmission.shape[0] - 1)
    here = transmission[rows, cols]
    return np.minimum(transmission[below, cols] / np.maximum(here, 1e-30), 1.0)


def _bilinear(
    shape: tuple[int, int], i: np.ndarray, j: np.ndarray, amplitudes: list[np.ndarray]
) -> list[np.ndarray]:
    """Accumulate each set of amplitudes at fractional (row, col) positions into an image,
    bilinearly (the corner indices and weights are shared between the sets)."""
    i0, j0 = np.floor(i).astype(int), np.floor(j).astype(int)
    fi, fj = i - i0, j - j0
    j1 = np.minimum(j0 + 1, shape[1] - 1)
    w = shape[1]
    index = np.concatenate([i0 * w + j0, (i0 + 1) * w + j0, i0 * w + j1, (i0 + 1) * w + j1])
    weight = np.concatenate([(1 - fi) * (1 - fj), fi * (1 - fj), (1 - fi) * fj, fi * fj])
    size = shape[0] * shape[1]
    return [
        np.bincount(index, weights=np.tile(a, 4) * weight, minlength=size).reshape(shape).astype(np.float32)
        for a in amplitudes
    ]


def _shadow_start(i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each line the shaft crosses, the index of its shallowest point there."""
    line = np.round(j).astype(int)
    order = np.lexsort((i, line))
    lines, first = np.unique(line[order], return_index=True)
    return lines, order[first]


def draw(envelope: np.ndarray, echo: NeedleEcho | None) -> list[tuple[slice, slice]]:
    """Shade the tissue below the shaft and add the shaft's echo; returns the rectangles changed."""
    if echo is None:
        return []
    shade = (
        slice(int(echo.shadow_from.min()), envelope.shape[0]),
        slice(int(echo.shadow_lines.min()), int(echo.shadow_lines.max()) + 1),
    )
    keep = np.ones((1, shade[1].stop - shade[1].start), dtype=np.float32)
    start = np.full(keep.shape, envelope.shape[0])
    keep[0, echo.shadow_lines - shade[1].start] = echo.shadow_keep
    start[0, echo.shadow_lines - shade[1].start] = echo.shadow_from
    rows = np.arange(shade[0].start, shade[0].stop).reshape(-1, 1)
    envelope[shade] *= np.where(rows >= start, keep, np.float32(1.0))
    envelope[echo.rows, echo.cols] += echo.echo
    return [(echo.rows, echo.cols), shade]
