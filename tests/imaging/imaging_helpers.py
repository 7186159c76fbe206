"""Shared set-ups for the imaging tests: the gel phantom is the homogeneous reference."""

from __future__ import annotations

import numpy as np

import trainer


def box(
    sim: trainer.Simulation, image: np.ndarray, x_mm: tuple[float, float], z_mm: tuple[float, float]
) -> np.ndarray:
    """The pixels of `image` whose world point lies inside the box (linear probe)."""
    r0, c0 = sim.world_to_pixel(x_mm[0], z_mm[0], image.shape[1], image.shape[0])
    r1, c1 = sim.world_to_pixel(x_mm[1], z_mm[1], image.shape[1], image.shape[0])
    return image[round(r0) : round(r1) + 1, round(c0) : round(c1) + 1]


def beam_box(sim: trainer.Simulation, x_mm: tuple[float, float], z_mm: tuple[float, float]) -> np.ndarray:
    """The beam-space tissue envelope (before scan conversion) inside a world box (linear probe)."""
    geo = sim.view().geometry
    (i0, i1), (j0, j1) = (np.round(v).astype(int) for v in geo.world_to_beam(list(x_mm), list(z_mm)))
    return sim.renderer.tissue(sim.view()).envelope[i0:i1, j0:j1]


def shaft_pixels(sim: trainer.Simulation, image: np.ndarray, s_mm: np.ndarray) -> np.ndarray:
    """The brightest pixel within 2 px of each shaft point (the needle line is a few pixels thick)."""
    x, z, _ = sim.needle.point_at(s_mm)
    out = []
    for xi, zi in zip(x, z, strict=True):
        r, c = (round(v) for v in sim.world_to_pixel(float(xi), float(zi), image.shape[1], image.shape[0]))
        out.append(image[max(r - 2, 0) : r + 3, max(c - 2, 0) : c + 3].max())
    return np.array(out, dtype=float)


def phantom() -> trainer.Simulation:
    return trainer.Simulation(trainer.load_scenario("gel_phantom"), seed=3)


def esp_tp_view(seed: int = 1) -> trainer.Simulation:
    """ESP block, probe centred over the T5 transverse process in the correct plane, no needle."""
    sim = trainer.Simulation(trainer.load_scenario("esp_block"), seed=seed)
    sim.move_probe(dx_mm=-sim.probe.x_mm, dy_mm=-sim.probe.y_mm)
    assert sim.plane.name == "tp_view"
    return sim


def bounds(sim: trainer.Simulation, name: str) -> tuple[float, float, float, float]:
    """(x0, z0, x1, z1) of a structure in the plane under the probe."""
    x0, z0, x1, z1 = sim.plane.structure(name).geometry.bounds
    return x0, z0, x1, z1


def correlation_half_width_px(envelope: np.ndarray, axis: int) -> float:
    """Lag (pixels) at which the intensity autocovariance along `axis` falls to half: 1.18 sigma
    of a Gaussian amplitude PSF for fully developed speckle."""
    intensity = envelope.astype(float) ** 2
    intensity -= intensity.mean()
    n = intensity.shape[axis]
    zero = float(np.mean(intensity * intensity))
    previous = 1.0
    for lag in range(1, n // 2):
        a = np.take(intensity, range(0, n - lag), axis=axis)
        b = np.take(intensity, range(lag, n), axis=axis)
        c = float(np.mean(a * b)) / zero
        if c < 0.5:
            return lag - 1 + (previous - 0.5) / (previous - c)
        previous = c
    raise AssertionError("no decorrelation within half the region")
