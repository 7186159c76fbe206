"""The simulation: probe, needle, injectate and time for one attempt, driven only by its methods."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from trainer.actions import Action, finite_inputs
from trainer.assessment.engine import Assessment
from trainer.assessment.report import report
from trainer.attempt import AttemptInfo, Trainee
from trainer.compartment import Compartment, compartment_at
from trainer.events import Event, EventKind
from trainer.imaging import Renderer, View
from trainer.injectate import Injectate
from trainer.needle import Needle
from trainer.patient.scene import Pose
from trainer.pneumothorax import Pneumothorax
from trainer.probe import Probe
from trainer.result import AttemptResult
from trainer.scenario.model import Plane, Scenario, Structure
from trainer.tracking import PATH_STEP_MM, TipTracker
from trainer.visibility import tip_visible

SKIN_ENTRY_DEPTH_MM = 0.5
BONE_STANDOFF_MM = 0.05
DRAG_DEPTH_MM = 15.0
DRAG_RESET_DEPTH_MM = 10.0
DRAG_EVENT_DEG = 10.0

Observer = Callable[["Simulation", Action], None]


@finite_inputs
class Simulation:
    """One attempt at a scenario. Deterministic: same scenario, seed and calls give the same state.

    The keyword arguments are the attempt's record metadata: mode (practice, exam, demo),
    difficulty (guided, standard, exam: how strictly the assessment judges), trainee (a Trainee or
    {"id", "name"}), session_id, and attempt_id and started_at (new ones unless given).
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int = 0,
        *,
        mode: str = "practice",
        difficulty: str = "standard",
        trainee: Trainee | Mapping[str, Any] | None = None,
        session_id: str | None = None,
        attempt_id: str | None = None,
        started_at: str | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.info = AttemptInfo.new(mode, difficulty, trainee, session_id, attempt_id, started_at)
        self.time_s = 0.0
        self.probe = Probe.from_kit(scenario.probe)
        self.needle = Needle(scenario.needle.length_mm, scenario.needle.diameter_mm)
        self.injectate = Injectate()
        self.pneumothorax: Pneumothorax | None = None  # air let in through the pleura, once punctured
        self.events: list[Event] = []
        self.inputs: list[Action] = []
        self.rejection = ""
        self._tracker = TipTracker(scenario)
        self._bone_touch: str | None = None
        self._drag_deg = 0.0
        self._observers: list[Observer] = []
        self._renderer: Renderer | None = None
        self.image_mirrored = False  # an orientation test: the image shown left-right mirrored
        self.assessment = Assessment(self)

    # ------------------------------------------------------------------ what the trainee sees
    @property
    def plane(self) -> Plane:
        """The anatomy under the probe: the scene plane at its offset, or on the 3D patient, the cut
        of a rotated or tilted probe's own beam."""
        anatomy = self.scenario.anatomy
        if anatomy is None:
            return self.scenario.plane_at(self.probe.y_mm)
        return anatomy.pose_plane(self.pose)

    @property
    def pose(self) -> Pose:
        p = self.probe
        return Pose(p.x_mm, p.y_mm, p.rotation_deg, p.tilt_deg, p.rock_deg)

    @property
    def shown_needle(self) -> Needle:
        """The needle in the image's coordinates (differs from `needle` under a rotated probe)."""
        anatomy = self.scenario.anatomy
        return self.needle if anatomy is None else anatomy.needle_in_pose(self.needle, self.pose)

    def section(self) -> tuple[Structure, ...]:
        """The anatomy in the current beam plane (x along the image, z depth below the skin)."""
        return self.plane.structures

    def probe_level(self) -> str:
        """The vertebral level under the probe centre ('' off the 3D patient)."""
        anatomy = self.scenario.anatomy
        return anatomy.readout(self.pose)[0] if anatomy is not None else ""

    @property
    def needle_plane(self) -> Plane:
        """The anatomy around the needle tip."""
        x, _ = self.needle.tip_mm
        return self.scenario.plane_at(self.needle.tip_y_mm, x)

    @property
    def tip_visible(self) -> bool:
        return tip_visible(self.probe, self.shown_needle)

    @property
    def tip_holder(self) -> str | None:
        """Name of the structure that holds the tip now, if any."""
        return self._tracker.holder if self.needle.inserted else None

    # ------------------------------------------------------------------ the image
    def view(self, width_px: int = 640, height_px: int = 480) -> View:
        """What the scanner shows now, for the imaging package."""
        return View(
            self.plane,
            self.probe,
            self.shown_needle,
            self.injectate,
            self.time_s,
            width_px,
            height_px,
            self.pneumothorax,
        )

    @property
    def renderer(self) -> Renderer:
        """The B-mode renderer with its caches (built on first use)."""
        if self._renderer is None:
            self._renderer = Renderer(self.scenario, self.seed)
        return self._renderer

    def render(self, width_px: int = 640, height_px: int = 480) -> np.ndarray:
        """The B-mode image as displayed: uint8 (height, width), mirrored in an orientation test."""
        image = self.renderer.render(self.view(width_px, height_px))
        return image[:, ::-1] if self.image_mirrored else image

    def render_envelope(self, width_px: int = 640, height_px: int = 480) -> np.ndarray:
        """Linear echo amplitude before log compression: float32, same geometry as `render`."""
        envelope = self.renderer.render_envelope(self.view(width_px, height_px))
        return envelope[:, ::-1] if self.image_mirrored else envelope

    def world_to_pixel(
        self, x_mm: float, z_mm: float, width_px: int = 640, height_px: int = 480
    ) -> tuple[float, float]:
        """(row, col) of a world point in the rendered image."""
        row, col = self.view(width_px, height_px).geometry.world_to_pixel(x_mm, z_mm)
        return float(row), float(width_px - 1 - col if self.image_mirrored else col)

    def pixel_to_world(
        self, row: float, col: float, width_px: int = 640, height_px: int = 480
    ) -> tuple[float, float]:
        """(x_mm, z_mm) under an image pixel: the inverse of `world_to_pixel`."""
        col = width_px - 1 - col if self.image_mirrored else col
        x, z = self.view(width_px, height_px).geometry.pixel_to_world(row, col)
        return float(x), float(z)

    def observe(self, observer: Observer) -> None:
        """Call `observer(sim, action)` after every input (after the live assessment)."""
        self._observers.append(observer)

    def snapshot(self) -> Simulation:
        """An independent copy of the attempt so far, without observers (the scenario and the
        immutable parts are shared, not copied)."""
        twin = copy.copy(self)
        twin.events, twin.inputs, twin._observers = list(self.events), list(self.inputs), []
        twin._tracker = replace(self._tracker, touching=set(self._tracker.touching))
        twin.assessment = self.assessment.snapshot()
        return twin

    # ------------------------------------------------------------------ inputs
    def move_probe(self, dx_mm: float = 0.0, dy_mm: float = 0.0) -> None:
        """Slide in the probe's own frame: dx along its image, dy across it (out of plane); the
        needle stays where it is."""
        sx, sy = dx_mm, dy_mm
        anatomy = self.scenario.anatomy
        if anatomy is not None and not anatomy.aligned(self.pose):
            (ux, uy), (vx, vy) = anatomy.in_plane_axes(self.pose)
            sx, sy = dx_mm * ux + dy_mm * vx, dx_mm * uy + dy_mm * vy
        self.probe = self.probe.moved(sx, sy, self.scenario.reach_x_mm, self.scenario.y_range_mm)
        self._done("move_probe", dx_mm=dx_mm, dy_mm=dy_mm)

    def rotate_probe(self, delta_deg: float) -> None:
        """Turn the probe about the skin normal (positive: clockwise seen from behind the patient
        on the right side, toward transverse with the marker lateral)."""
        p = self.probe
        self.probe = p.turned(p.rotation_deg + delta_deg, p.tilt_deg, p.rock_deg)
        self._done("rotate_probe", delta_deg=delta_deg)

    def tilt_probe(self, delta_deg: float) -> None:
        """Fan the beam across its plane (the image sweeps out of plane)."""
        p = self.probe
        self.probe = p.turned(p.rotation_deg, p.tilt_deg + delta_deg, p.rock_deg)
        self._done("tilt_probe", delta_deg=delta_deg)

    def rock_probe(self, delta_deg: float) -> None:
        """Rock the probe heel to toe along its image."""
        p = self.probe
        self.probe = p.turned(p.rotation_deg, p.tilt_deg, p.rock_deg + delta_deg)
        self._done("rock_probe", delta_deg=delta_deg)

    def place_probe(
        self,
        level: str = "T5",
        lateral_mm: float = 30.0,
        side: str = "right",
        rotation_deg: float = 0.0,
        tilt_deg: float = 0.0,
    ) -> None:
        """Put the probe centre over `level`'s TP row, `lateral_mm` from the midline (on the 3D
        patient; a pose off the back is clamped). Rotation 0 is parasagittal, marker cranial."""
        anatomy = self.scenario.anatomy
        if anatomy is not None:
            x, y = anatomy.place(level, lateral_mm, side, rotation_deg)
            moved = replace(self.probe, x_mm=0.0, y_mm=0.0).moved(
                x, y, self.scenario.reach_x_mm, self.scenario.y_range_mm
            )
            self.probe = moved.turned(rotation_deg, tilt_deg, 0.0)
        self._done(
            "place_probe",
            level=level,
            lateral_mm=lateral_mm,
            side=side,
            rotation_deg=rotation_deg,
            tilt_deg=tilt_deg,
        )

    def set_imaging(self, **settings: Any) -> None:
        """Depth, gain, focus, dynamic range, near/far TGC, frequency, Doppler (None keeps)."""
        self.probe = self.probe.with_settings(**settings)
        self._done("set_imaging", **{k: v for k, v in settings.items() if v is not None})

    def insert(self, entry_x_mm: float, angle_deg: float) -> bool:
        """Puncture the skin at `entry_x_mm` in the probe's plane (image x), shaft at `angle_deg`.
        Under a rotated probe the needle's plane turns with it; a fanned or rocked probe's needle
        still enters square to the skin along the probe's long axis."""
        ok = self._check_insert(entry_x_mm, angle_deg)
        if ok:
            x, y, heading = float(entry_x_mm), self.probe.y_mm, 0.0
            anatomy = self.scenario.anatomy
            if anatomy is not None and not anatomy.aligned(self.pose):
                (ux, uy), _ = anatomy.in_plane_axes(self.pose)
                off = x - self.probe.x_mm
                x, y = self.probe.x_mm + off * ux, self.probe.y_mm + off * uy
                heading = math.degrees(math.atan2(uy, ux))
            self.needle = replace(
                self.needle,
                inserted=True,
                entry_x_mm=x,
                entry_y_mm=y,
                angle_deg=float(angle_deg),
                tilt_deg=0.0,
                heading_deg=heading,
                depth_mm=0.0,
            )
            tip = self.needle.tip_mm
            self.events.append(Event(self.time_s, EventKind.SKIN_PUNCTURE, "skin", tip))
            self._move_to_depth(SKIN_ENTRY_DEPTH_MM)
        self._done("insert", entry_x_mm=entry_x_mm, angle_deg=angle_deg)
        return ok

    def advance(self, mm: float) -> float:
        """Push the needle in (negative: withdraw). Bone stops it. Returns the distance moved."""
        moved = 0.0
        if self.needle.inserted and mm != 0.0:
            before = self.needle.depth_mm
            self._move_to_depth(before + mm)
            moved = self.needle.depth_mm - before if self.needle.inserted else -before
        self._done("advance", mm=mm)
        return moved

    def steer(self, delta_deg: float) -> None:
        """Redirect in plane, pivoting at the skin; swinging a deep shaft drags tissue."""
        if self.needle.inserted and delta_deg:
            self._pivot(self.needle.steered(delta_deg))
            if self.needle.depth_mm > DRAG_DEPTH_MM:
                self._drag_deg += abs(delta_deg)
                if self._drag_deg >= DRAG_EVENT_DEG:
                    self._drag_deg = 0.0
                    self.events.append(
                        Event(
                            self.time_s, EventKind.TISSUE_DRAG, self._tracker.holder or "", self.needle.tip_mm
                        )
                    )
        self._done("steer", delta_deg=delta_deg)

    def tilt_needle(self, delta_deg: float) -> None:
        """Tilt out of plane, pivoting at the skin: the distal shaft leaves the beam slice first."""
        if self.needle.inserted and delta_deg:
            self._pivot(self.needle.tilted(delta_deg))
        self._done("tilt_needle", delta_deg=delta_deg)

    def inject(self, ml: float) -> bool:
        """Inject at the tip; the fluid goes where the tip's compartment lets it."""
        ok = self.needle.inserted and ml > 0
        if ok:
            self._deposit(float(ml))
        self._done("inject", ml=ml)
        return ok

    def step(self, dt_s: float) -> None:
        """Let time pass: breathing and pulsation may bring structures to the tip."""
        if dt_s < 0:
            raise ValueError(f"step: dt_s must not be negative, not {dt_s!r} (time only runs forward)")
        self.time_s += float(dt_s)
        if self.needle.inserted:
            x, z = self.needle.tip_mm
            self._follow(np.array([x]), np.array([z]))
        self._done("step", dt_s=dt_s)

    def mirror_image(self, mirrored: bool = True) -> None:
        """Test the trainee's orientation: show the image left-right mirrored (as a probe held the
        wrong way round would), recorded as an input so a replay shows the same."""
        self.image_mirrored = bool(mirrored)
        self._done("mirror_image", mirrored=self.image_mirrored)

    def report_orientation(self, mirrored: bool) -> None:
        """The trainee reports whether the image is mirrored; the assessment judges the report."""
        self._done("report_orientation", mirrored=bool(mirrored))

    def finish(self) -> AttemptResult:
        """The attempt's outcome so far, assessed (the simulation can go on afterwards)."""
        sc = self.scenario
        return AttemptResult(
            scenario_id=sc.id,
            scenario_version=sc.version,
            variant=sc.variant,
            seed=self.seed,
            info=self.info,
            duration_s=self.time_s,
            events=tuple(self.events),
            inputs=tuple(self.inputs),
            report=report(self.assessment, self.events, self.info.difficulty),
        )

    # ------------------------------------------------------------------ mechanics
    def _check_insert(self, entry_x_mm: float, angle_deg: float) -> bool:
        x0, x1 = self.scenario.reach_x_mm
        if self.needle.inserted:
            self.rejection = "The needle is already in; withdraw it fully to re-enter."
        elif not x0 <= entry_x_mm <= x1:
            self.rejection = "That entry point is off the scanned region."
        elif not 5.0 <= angle_deg <= 175.0:
            self.rejection = "The needle must point into the body."
        elif self.probe.covers_skin(entry_x_mm):
            self.rejection = "The probe covers that skin; enter beside the probe's end."
        else:
            self.rejection = ""
        return not self.rejection

    def _move_to_depth(self, depth_mm: float) -> None:
        old = self.needle
        target = float(np.clip(depth_mm, 0.0, old.length_mm))
        if target <= 0.0:
            self._withdraw_fully()
            return
        n = max(1, math.ceil(abs(target - old.depth_mm) / PATH_STEP_MM))
        depths = old.depth_mm + (target - old.depth_mm) * np.arange(1, n + 1) / n
        xs, zs, _ = old.point_at(depths)
        plane = self.scenario.plane_at(float(old.at_depth(target).tip_y_mm), _middle(xs))
        hit = self._tracker.first_bone(plane, self.time_s, xs, zs) if target > old.depth_mm else None
        if hit is not None:
            prev = old.depth_mm if hit == 0 else float(depths[hit - 1])
            target = self._bone_surface(plane, prev, float(depths[hit])) - BONE_STANDOFF_MM
            target = max(target, old.depth_mm)
            keep = depths < target
            xs, zs, depths = xs[keep], zs[keep], depths[keep]
        self.needle = old.at_depth(target)
        if len(xs) or target != old.depth_mm:
            tip = self.needle.tip_mm
            self._follow(np.append(xs, tip[0]), np.append(zs, tip[1]))
        self._touch_bone(plane, hit is not None)
        if self.needle.depth_mm < DRAG_RESET_DEPTH_MM:
            self._drag_deg = 0.0

    def _bone_surface(self, plane: Plane, safe_mm: float, inside_mm: float) -> float:
        """Depth along the shaft where bone begins, by bisection between two depths."""
        for _ in range(12):
            mid = 0.5 * (safe_mm + inside_mm)
            x, z, _ = self.needle.point_at(mid)
            probe_at = self._tracker.first_bone(plane, self.time_s, np.atleast_1d(x), np.atleast_1d(z))
            safe_mm, inside_mm = (safe_mm, mid) if probe_at is not None else (mid, inside_mm)
        return safe_mm

    def _touch_bone(self, plane: Plane, blocked: bool) -> None:
        if not blocked:
            self._bone_touch = None
            return
        x, z = self.needle.tip_mm
        dx, dz, _ = self.needle.direction
        ahead = plane.structure_at(x + dx * 0.2, z + dz * 0.2)
        name = ahead.name if ahead else "bone"
        if self._bone_touch != name:
            self._bone_touch = name
            self.events.append(Event(self.time_s, EventKind.BONE_CONTACT, name, (x, z)))

    def _pivot(self, turned: Needle) -> None:
        """Swing the shaft about the skin entry; a shaft that would cut through bone stays put."""
        n = max(
            2,
            math.ceil(
                turned.depth_mm
                * math.radians(
                    abs(turned.angle_deg - self.needle.angle_deg)
                    + abs(turned.tilt_deg - self.needle.tilt_deg)
                )
                / PATH_STEP_MM
            )
            + 1,
        )
        s = np.linspace(0.0, turned.depth_mm, n)
        xs, zs, ys = turned.point_at(s)
        plane = self.scenario.plane_at(float(ys[-1]), _middle(xs))
        if self._tracker.first_bone(plane, self.time_s, xs, zs) is not None:
            self._touch_bone(plane, True)
            return
        start = self.needle.tip_mm
        self.needle = turned
        end = turned.tip_mm
        m = max(1, math.ceil(math.hypot(end[0] - start[0], end[1] - start[1]) / PATH_STEP_MM))
        t = np.arange(1, m + 1) / m
        self._follow(start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1]))
        self._bone_touch = None

    def _withdraw_fully(self) -> None:
        tip = self.needle.tip_mm
        self.events += self._tracker.leave(tip, self.time_s)
        self.events.append(Event(self.time_s, EventKind.NEEDLE_OUT, "skin", tip))
        self.needle = replace(self.needle, inserted=False, depth_mm=0.0, tilt_deg=0.0, heading_deg=0.0)
        self._bone_touch = None
        self._drag_deg = 0.0

    def _follow(self, xs: np.ndarray, zs: np.ndarray) -> None:
        new = self._tracker.follow(self.needle_plane, self.time_s, xs, zs)
        self.events += new
        hole = next((e for e in new if e.kind == EventKind.PLEURA_PUNCTURE), None)
        if self.pneumothorax is None and hole is not None:
            self.pneumothorax = Pneumothorax(hole.time_s, hole.tip_mm[0], self.needle.tip_y_mm)

    def _deposit(self, ml: float) -> None:
        plane, tip = self.needle_plane, self.needle.tip_mm
        existing = self.injectate.bolus_at(*tip)
        holder = plane.structure(self._tracker.holder) if self._tracker.holder else None
        if existing is not None:
            compartment = self.injectate.boluses[existing].compartment
        else:
            compartment, holder = compartment_at(plane, *tip, holder=holder)
        self.injectate = self.injectate.injected(plane, tip, compartment, holder, ml)
        last = self.events[-1] if self.events else None
        if (
            last is not None
            and last.kind == EventKind.INJECTION
            and last.tip_mm == tip
            and last.compartment == compartment.value
        ):
            self.events[-1] = replace(last, volume_ml=last.volume_ml + ml)
            return
        self.events.append(
            Event(
                self.time_s,
                EventKind.INJECTION,
                holder.name if holder else "",
                tip,
                critical=compartment == Compartment.INTRAVASCULAR,
                compartment=compartment.value,
                volume_ml=ml,
            )
        )

    def _done(self, name: str, **args: Any) -> None:
        action = Action.of(name, **args)
        self.inputs.append(action)
        self.assessment(self, action)
        for observer in self._observers:
            observer(self, action)


def _middle(xs: np.ndarray) -> float:
    """The middle of a run of image x positions: the centre of the plane window that holds it."""
    return 0.5 * (float(xs.min()) + float(xs.max()))
