"""Follows the needle tip through the anatomy and turns its path into events."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from trainer import physiology
from trainer.events import Event, EventKind
from trainer.scenario.model import Plane, RestFrame, Scenario, Structure
from trainer.tissue import VESSELS, TissueKind

PATH_STEP_MM = 0.2
VESSEL_CONTACT_MARGIN_MM = 0.3
VESSEL_RELEASE_MARGIN_MM = 0.8

_ENTRY_EVENTS: dict[TissueKind, EventKind] = {
    TissueKind.PLEURA: EventKind.PLEURA_CONTACT,
    TissueKind.LUNG: EventKind.PLEURA_PUNCTURE,
    TissueKind.ARTERY: EventKind.VESSEL_PUNCTURE,
    TissueKind.VEIN: EventKind.VESSEL_PUNCTURE,
    TissueKind.NERVE: EventKind.NERVE_CONTACT,
    TissueKind.NEURAXIS: EventKind.NEURAXIS_ENTRY,
    TissueKind.FORAMEN: EventKind.FORAMEN_ENTRY,
}
_ALWAYS_CRITICAL = {EventKind.PLEURA_PUNCTURE, EventKind.NEURAXIS_ENTRY, EventKind.FORAMEN_ENTRY}


@dataclass
class TipTracker:
    """Remembers what holds the tip, which vessels it touches, and whether it is in the target."""

    scenario: Scenario
    holder: str | None = None
    touching: set[str] = field(default_factory=set)
    in_target: bool = False

    def rest_frame(self, time_s: float) -> RestFrame:
        p = self.scenario.physiology
        return lambda s, x, z: physiology.to_rest_frame(s, p, time_s, x, z)

    def lookup(self, plane: Plane, time_s: float, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        return plane.index_at(x, z, self.rest_frame(time_s))

    def first_bone(self, plane: Plane, time_s: float, x: np.ndarray, z: np.ndarray) -> int | None:
        """Index of the first path sample inside bone, if any."""
        idx = self.lookup(plane, time_s, x, z)
        for i, j in enumerate(idx):
            if j >= 0 and plane.structures[j].kind == TissueKind.BONE:
                return i
        return None

    def follow(self, plane: Plane, time_s: float, x: np.ndarray, z: np.ndarray) -> list[Event]:
        """Events along a tip path sampled at (x, z); updates the remembered state."""
        events: list[Event] = []
        idx = self.lookup(plane, time_s, x, z)
        near = self._vessel_margins(plane, time_s, x, z)
        primary = self.scenario.in_target_slab(plane.y_mm)
        for i in range(len(x)):
            tip = (float(x[i]), float(z[i]))
            s = plane.structures[idx[i]] if idx[i] >= 0 else None
            events += self._holder_change(s, tip, time_s)
            events += self._vessel_contacts(near, i, tip, time_s)
            events += self._target_change(primary and self.scenario.in_target(*tip), tip, time_s)
        return events

    def leave(self, tip: tuple[float, float], time_s: float) -> list[Event]:
        """The needle left the body: exit whatever held it."""
        events = self._holder_change(None, tip, time_s)
        events += self._target_change(False, tip, time_s)
        self.touching.clear()
        return events

    def _holder_change(self, s: Structure | None, tip: tuple[float, float], t: float) -> list[Event]:
        name = s.name if s else None
        if name == self.holder:
            return []
        events = []
        if self.holder is not None:
            events.append(Event(t, EventKind.EXIT, self.holder, tip))
        self.holder = name
        if s is not None:
            events.append(Event(t, EventKind.ENTER, s.name, tip))
            special = _ENTRY_EVENTS.get(s.kind)
            if special == EventKind.NERVE_CONTACT and s.geometry.intersects(self.scenario.target):
                special = None  # the nerve a medial branch block aims for
            if special is not None:
                events.append(Event(t, special, s.name, tip, critical=self._critical(special, s)))
        return events

    def _critical(self, kind: EventKind, s: Structure) -> bool:
        if kind in _ALWAYS_CRITICAL:
            return True
        if kind == EventKind.VESSEL_PUNCTURE:
            return s.kind == TissueKind.ARTERY or self.scenario.is_critical_name(s.name)
        return False

    def _vessel_margins(
        self, plane: Plane, time_s: float, x: np.ndarray, z: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Distance from each path sample to each vessel wall (negative inside)."""
        out = {}
        for s in plane.of_kind(*VESSELS):
            xr, zr = physiology.to_rest_frame(s, self.scenario.physiology, time_s, x, z)
            pts = shapely.points(xr, zr)
            d = shapely.distance(s.geometry.exterior, pts)
            out[s.name] = np.where(shapely.contains(s.geometry, pts), -d, d)
        return out

    def _vessel_contacts(
        self, near: dict[str, np.ndarray], i: int, tip: tuple[float, float], t: float
    ) -> list[Event]:
        events = []
        for name, d in near.items():
            if d[i] <= VESSEL_CONTACT_MARGIN_MM and name not in self.touching:
                self.touching.add(name)
                events.append(Event(t, EventKind.VESSEL_CONTACT, name, tip))
            elif d[i] > VESSEL_RELEASE_MARGIN_MM:
                self.touching.discard(name)
        return events

    def _target_change(self, inside: bool, tip: tuple[float, float], t: float) -> list[Event]:
        if inside == self.in_target:
            return []
        self.in_target = inside
        kind = EventKind.TARGET_ENTRY if inside else EventKind.TARGET_EXIT
        return [Event(t, kind, "target", tip)]
