"""The frame loop with its caches: each stage is redone only when its inputs change.

Stages and what invalidates them:
  world maps and scatterer slabs (per plane) ..... never (built on first use, slabs kept LRU)
  injectate displacement map ...................... the injectate
  beam sampling ................................... probe pose, depth, plane, injectate
  tissue pass ..................................... the above, out-of-plane offset, focus, frequency
  grey base image ................................. the above, gain, TGC, dynamic range
  needle echo ..................................... the tissue pass, the needle
  lung, pulsation, needle composition, grey tail .. every frame, but only inside their rectangles
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from trainer.imaging import lung, needle_echo, pulsation
from trainer.imaging.displacement import displacement_map, map_window, section
from trainer.imaging.display import row_gain_db, scan_convert, to_grey
from trainer.imaging.geometry import ImageGeometry
from trainer.imaging.scene import GRID_MM, PlaneMaps, TextureAtlas, build_plane_maps, period_px
from trainer.imaging.speckle import ScattererField
from trainer.imaging.tenting import Tent, find_tent
from trainer.imaging.tissue_frame import TissueFrame, beam_sampling, render_tissue
from trainer.injectate import Injectate
from trainer.needle import Needle
from trainer.patient.scene import Pose
from trainer.pneumothorax import Pneumothorax
from trainer.probe import Probe, field_of_view
from trainer.scenario.model import Plane, Scenario

T = TypeVar("T")
Rect = tuple[slice, slice]


@dataclass(frozen=True)
class View:
    """What one frame shows: the state the simulation hands to the renderer."""

    plane: Plane
    probe: Probe
    needle: Needle
    injectate: Injectate
    time_s: float
    width_px: int = 640
    height_px: int = 480
    pneumothorax: Pneumothorax | None = None

    @property
    def geometry(self) -> ImageGeometry:
        return ImageGeometry.of(self.probe, self.width_px, self.height_px)


CACHED_PLANES = 6


class Renderer:
    """B-mode frames of one scenario and seed, at any image size."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario = scenario
        self.seed = seed
        height, period = round(scenario.depth_mm / GRID_MM), period_px(scenario)
        self.scatterers = ScattererField((height, period), seed)
        self.atlas = TextureAtlas(height, period, seed)
        self._maps: OrderedDict[str, PlaneMaps] = OrderedDict()
        self._last: dict[str, tuple[Hashable, Any]] = {}

    def plane_maps(self, plane: Plane) -> PlaneMaps:
        """The plane's maps; the most recent CACHED_PLANES are kept (a sliding probe makes many)."""
        maps = self._maps.get(plane.key)
        if maps is None:
            maps = build_plane_maps(self.scenario, plane, self.atlas)
            self._maps[plane.key] = maps
            if len(self._maps) > CACHED_PLANES:
                self._maps.popitem(last=False)
        else:
            self._maps.move_to_end(plane.key)
        return maps

    def render(self, view: View) -> np.ndarray:
        """The grey B-mode image as displayed (uint8, height x width)."""
        geo, tissue, envelope, dirty = self._compose(view)
        gain = self._gain(view, geo)
        key = (self._tissue_key(view, geo), gain.tobytes(), view.probe.dynamic_range_db)
        base = self._cached("grey", key, lambda: to_grey(tissue.envelope, gain, view.probe.dynamic_range_db))
        grey = base.copy()
        for rows, cols in dirty:
            grey[rows, cols] = to_grey(envelope[rows, cols], gain[rows], view.probe.dynamic_range_db)
        return scan_convert(grey, geo)

    def render_envelope(self, view: View) -> np.ndarray:
        """The linear echo amplitude before log compression (float32, same geometry as `render`)."""
        return scan_convert(self._compose(view)[2], view.geometry)

    # ------------------------------------------------------------------ stages
    def _tissue_key(self, view: View, geo: ImageGeometry) -> Hashable:
        p = view.probe
        return geo, view.plane.key, view.injectate, self._tent(view), p.y_mm, p.focus_mm, p.frequency_mhz

    def _tent(self, view: View) -> Tent | None:
        """The sheet the tip is stretching, if any (the tissue pass is redone only while it does)."""
        p = view.probe
        maps = self.plane_maps(view.plane)
        return self._cached(
            "tent",
            (view.needle, view.plane.key, p.y_mm, p.slice_thickness_mm),
            lambda: find_tent(view.needle, p, view.plane, maps, maps.grid),
        )

    def tissue(self, view: View) -> TissueFrame:
        """The tissue pass for this view (cached while the probe and its settings stay put)."""
        geo = view.geometry
        maps = self.plane_maps(view.plane)
        window = map_window(maps.grid, field_of_view(view.probe).bounds)
        fluid = section(view.injectate, view.probe.y_mm)
        displacement = self._cached(
            "injectate",
            (fluid, window, maps.grid),
            lambda: displacement_map(fluid, maps.grid, window) if fluid.boluses else None,
        )
        tent = self._tent(view)
        sampling = self._cached(
            "sampling",
            (geo, view.plane.key, fluid, tent),
            lambda: beam_sampling(geo, maps.grid, displacement, tent),
        )
        p = view.probe
        return self._cached(
            "tissue",
            self._tissue_key(view, geo),
            lambda: render_tissue(
                maps, self.scatterers, view.plane.key, sampling, geo, p.y_mm, p.focus_mm, p.frequency_mhz
            ),
        )

    def _gain(self, view: View, geo: ImageGeometry) -> np.ndarray:
        return row_gain_db(geo, view.probe, self.plane_maps(view.plane).soft_attenuation)

    def _compose(self, view: View) -> tuple[ImageGeometry, TissueFrame, np.ndarray, list[Rect]]:
        """Tissue envelope with the moving layers drawn in, and the rectangles they touched."""
        geo = view.geometry
        tissue = self.tissue(view)
        maps = self.plane_maps(view.plane)
        envelope = tissue.envelope.copy()
        physiology = self.scenario.physiology
        pleura = self._cached(
            "pleura", self._tissue_key(view, geo), lambda: lung.pleura_rows(tissue, maps, geo)
        )
        dirty = lung.draw(
            envelope,
            tissue,
            pleura,
            maps,
            geo,
            physiology,
            view.time_s,
            view.probe.frequency_mhz,
            self._air(view),
        )
        dirty += pulsation.draw(envelope, view.plane, geo, physiology, view.time_s)
        echo = self._cached(
            "needle",
            (self._tissue_key(view, geo), view.needle),
            lambda: needle_echo.trace(view.needle, view.probe, geo, tissue),
        )
        dirty += needle_echo.draw(envelope, echo)
        return geo, tissue, envelope, dirty

    def _air(self, view: View) -> Callable[[np.ndarray], np.ndarray] | None:
        """Which image x (mm, at the pleura) have air between the pleurae, if there is a pneumothorax."""
        air, anatomy = view.pneumothorax, self.scenario.anatomy
        if air is None:
            return None
        p = view.probe
        if anatomy is None or view.plane.view:
            (ux, uy) = (1.0, 0.0)  # an aligned probe: image x is scene x
        else:
            (ux, uy), _ = anatomy.in_plane_axes(Pose(p.x_mm, p.y_mm, p.rotation_deg, p.tilt_deg, p.rock_deg))
        physiology, t = self.scenario.physiology, view.time_s

        def at(x_mm: np.ndarray) -> np.ndarray:
            along = x_mm - p.x_mm
            return air.has_air(p.x_mm + along * ux, p.y_mm + along * uy, physiology, t)

        return at

    def _cached(self, stage: str, key: Hashable, make: Callable[[], T]) -> T:
        last = self._last.get(stage)
        if last is not None and last[0] == key:
            return last[1]
        value = make()
        self._last[stage] = (key, value)
        return value
