"""The cheap tail of every frame: TGC and gain, log compression, grey map, scan conversion."""

from __future__ import annotations

import math

import cv2
import numpy as np

from trainer.imaging.geometry import ImageGeometry
from trainer.probe import Probe

WHITE_DB = 39.0  # echo level (dB re unit speckle amplitude) shown as white at 0 dB gain
PRESET_TGC_MAX_DB = 100.0  # the receiver's TGC range: deeper than this, attenuation wins (penetration)
GREY_GAMMA = 1.4  # darker mid-tones for soft tissue, without crushing the speckle's dark tail
GREY_MAP = np.clip(255.0 * (np.arange(256) / 255.0) ** GREY_GAMMA + 0.5, 0, 255).astype(np.uint8)
_LN_TO_DB = 20.0 / math.log(10.0)


def row_gain_db(geo: ImageGeometry, probe: Probe, soft_attenuation_db_cm_mhz: float) -> np.ndarray:
    """Gain per sample row: overall gain, the preset TGC that undoes the average soft-tissue
    attenuation, and the user's near/far TGC as a straight ramp from the top to the bottom."""
    r_mm = geo.sample_ranges_mm
    preset = np.minimum(
        2.0 * soft_attenuation_db_cm_mhz * probe.frequency_mhz * r_mm / 10.0, PRESET_TGC_MAX_DB
    )
    ramp = probe.tgc_near_db + (probe.tgc_far_db - probe.tgc_near_db) * r_mm / geo.depth_mm
    return (probe.gain_db + preset + ramp).astype(np.float32)


def to_grey(envelope: np.ndarray, gain_db: np.ndarray, dynamic_range_db: float) -> np.ndarray:
    """Log-compress an envelope (rows matching `gain_db`) over the dynamic range to uint8."""
    scale = np.float32(255.0 / dynamic_range_db)
    offset = ((gain_db - WHITE_DB + dynamic_range_db) * scale).reshape(-1, 1)
    grey = cv2.log(np.maximum(envelope, np.float32(1e-30))) * np.float32(_LN_TO_DB) * scale + offset
    return cv2.LUT(np.clip(grey, 0.0, 255.0).astype(np.uint8), GREY_MAP)


def scan_convert(beam: np.ndarray, geo: ImageGeometry) -> np.ndarray:
    """Beam-space image (samples x lines) to the display (height x width); black outside the field."""
    out = np.zeros((geo.height_px, geo.width_px), dtype=beam.dtype)
    rows, cols = geo.field_rows, geo.field_cols
    if geo.curvilinear:
        for band in geo.scan_conversion_bands:
            out[band.rows, band.cols] = cv2.remap(
                beam, band.line, band.sample, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0
            )
        return out
    px_per_line = geo.footprint_mm / geo.n_lines / geo.mm_per_px
    px_per_sample = geo.sample_mm / geo.mm_per_px
    image = cv2.resize(beam, None, fx=px_per_line, fy=px_per_sample, interpolation=cv2.INTER_LINEAR)
    h, w = min(image.shape[0], rows.stop - rows.start), min(image.shape[1], cols.stop - cols.start)
    out[rows.start : rows.start + h, cols.start : cols.start + w] = image[:h, :w]
    return out
