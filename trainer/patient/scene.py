"""One attempt's view of the 3D patient: the scene frame at the planned pose, and every plane in it.

The scene frame is the probe's frame at the procedure's planned pose. Scene coordinates (x, y, z) are
x along that image, y out of its plane, z depth below the skin: the coordinates the needle, the events,
the target zone and the assessment use. Any probe pose is a point (x, y) of that frame plus a rotation,
a fan tilt and a rock; an aligned probe (planned rotation, no tilt or rock) sees the scene plane at its
y, any other pose sees its own cut, with its image x measured from the probe centre.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from trainer.needle import Needle
from trainer.patient.body import Patient
from trainer.patient.frame import Frame, oriented_frame
from trainer.patient.section import section, skin_depth_along
from trainer.scenario.model import Plane, Structure

PLANE_STEP_MM = 1.0  # scene planes are cut this far apart out of plane: within the 1.5-2 mm slice
WINDOW_STEP_MM = 16.0  # scene planes are cut over windows centred this far apart along the image
CACHED_PLANES = 48
ALIGNED_DEG = 0.01


@dataclass(frozen=True, slots=True)
class NamedView:
    name: str
    y_mm: float
    description: str


@dataclass(frozen=True, slots=True)
class Pose:
    """A probe pose in the scene: centre (x, y) and its orientation, absolute rotation in degrees."""

    x_mm: float
    y_mm: float
    rotation_deg: float
    tilt_deg: float = 0.0
    rock_deg: float = 0.0


@dataclass(eq=False)
class SceneAnatomy:
    """The patient seen from one procedure's planned pose."""

    patient: Patient
    frame: Frame
    side: str
    rotation_deg: float
    floor_mm: float
    views: tuple[NamedView, ...]
    window_half_mm: float  # a scene plane covers this far either side of its centre (image or needle)
    image_half_mm: float  # a turned probe's own cut covers this far either side: the image and a margin
    reach_x_mm: tuple[float, float]  # where the probe centre can go on the back, in scene x ...
    reach_y_mm: tuple[float, float]  # ... and y
    _planes: OrderedDict[tuple[float, ...], Plane] = field(default_factory=OrderedDict, repr=False)

    @property
    def side_sign(self) -> float:
        return 1.0 if self.side == "right" else -1.0

    # ------------------------------------------------------------------ planes
    def plane_at(self, y_mm: float, x_mm: float = 0.0) -> Plane:
        """The scene plane at out-of-plane offset y, over the window that holds everything within
        `window_half_mm - WINDOW_STEP_MM / 2` of x (cut every PLANE_STEP_MM and WINDOW_STEP_MM,
        recent ones cached)."""
        y = round(round(y_mm / PLANE_STEP_MM) * PLANE_STEP_MM, 4)
        k = round(x_mm / WINDOW_STEP_MM)
        view = self.view_at(y)
        name = view.name if abs(view.y_mm - y) < 1e-6 else f"{view.name}@{y:+.1f}"
        x_range = self._window(k * WINDOW_STEP_MM)
        return self._cached(
            (y, k),
            lambda: Plane(
                name,
                y,
                view.description,
                self._cut(self.frame, y, x_range),
                view.name,
                x_range,
                orientation_deg=(self.rotation_deg, 0.0, 0.0),
            ),
        )

    def pose_plane(self, pose: Pose) -> Plane:
        """What a probe at `pose` sees: the scene plane when aligned, else the cut of its own frame."""
        if self.aligned(pose):
            return self.plane_at(pose.y_mm, pose.x_mm)
        q = quantized(pose)
        frame = self.pose_frame(q)
        key = (q.x_mm, q.y_mm, q.rotation_deg, q.tilt_deg, q.rock_deg)
        name = f"pose{key}"
        x_range = self._window(q.x_mm, self.image_half_mm)
        turn = (q.rotation_deg, q.tilt_deg, q.rock_deg)
        return self._cached(
            key,
            lambda: Plane(
                name,
                q.y_mm,
                "",
                self._cut(frame, 0.0, x_range, q.x_mm),
                "",
                x_range,
                orientation_deg=turn,
            ),
        )

    def _window(self, centre_mm: float, half_mm: float | None = None) -> tuple[float, float]:
        half = self.window_half_mm if half_mm is None else half_mm
        return centre_mm - half, centre_mm + half

    def view_at(self, y_mm: float) -> NamedView:
        return min(self.views, key=lambda v: (abs(v.y_mm - y_mm), v.y_mm))

    def aligned(self, pose: Pose) -> bool:
        return (
            abs(pose.rotation_deg - self.rotation_deg) < ALIGNED_DEG
            and abs(pose.tilt_deg) < ALIGNED_DEG
            and abs(pose.rock_deg) < ALIGNED_DEG
        )

    def _cut(
        self, frame: Frame, y_mm: float, x_range_mm: tuple[float, float], x_shift_mm: float = 0.0
    ) -> tuple[Structure, ...]:
        return section(self.patient, frame, y_mm, x_range_mm, self.floor_mm, x_shift_mm)

    def _cached(self, key: tuple[float, ...], make: Callable[[], Plane]) -> Plane:
        plane = self._planes.get(key)
        if plane is None:
            plane = make()
            self._planes[key] = plane
            if len(self._planes) > CACHED_PLANES:
                self._planes.popitem(last=False)
        else:
            self._planes.move_to_end(key)
        return plane

    # ------------------------------------------------------------------ poses
    def skin_point(self, x_mm: float, y_mm: float) -> np.ndarray:
        """The world skin point under scene point (x, y)."""
        p = self.frame.to_world(np.array([x_mm]), y_mm, np.array([0.0]))[0]
        return self.patient.skin_point(float(p[0]), float(p[1]))

    def pose_frame(self, pose: Pose) -> Frame:
        contact = self.skin_point(pose.x_mm, pose.y_mm)
        normal = self.patient.skin_normal(float(contact[0]), float(contact[1]))
        return oriented_frame(
            contact, normal, self.side_sign, pose.rotation_deg, pose.tilt_deg, pose.rock_deg
        )

    def scene_xy(self, world: np.ndarray) -> tuple[float, float]:
        """Scene (x, y) of a world point (its projection on the scene frame's plane)."""
        local = self.frame.to_local(world)
        return float(local[0]), float(local[1])

    def in_plane_axes(self, pose: Pose) -> tuple[tuple[float, float], tuple[float, float]]:
        """The probe's image x and out-of-plane axes as scene (x, y) directions."""
        f = self.pose_frame(pose)
        u = np.array([f.u @ self.frame.u, f.u @ self.frame.v])
        v = np.array([f.v @ self.frame.u, f.v @ self.frame.v])
        u /= max(float(np.linalg.norm(u)), 1e-9)
        v /= max(float(np.linalg.norm(v)), 1e-9)
        return (float(u[0]), float(u[1])), (float(v[0]), float(v[1]))

    def place(self, level: str, lateral_mm: float, side: str, rotation_deg: float) -> tuple[float, float]:
        """Scene (x, y) of the probe centre over `level`'s TP row, `lateral_mm` from the midline."""
        names = [lv.name for lv in self.patient.levels]
        if level not in names:
            raise ValueError(f"level must be one of {', '.join(names)}, not {level!r}")
        if side not in ("right", "left"):
            raise ValueError(f"side must be 'right' or 'left', not {side!r}")
        lateral = min(max(float(lateral_mm), 0.0), 120.0)
        frame = plan_pose_frame(self.patient, level, lateral, side, rotation_deg)
        return self.scene_xy(frame.origin)

    def readout(self, pose: Pose) -> tuple[str, float, str]:
        """Level under the probe centre, mm from the midline, and the side."""
        frame = self.pose_frame(pose)
        x = float(frame.origin[0])
        side = "right" if x >= 0 else "left"
        return self.patient.level_on_beam(frame.origin, frame.w), abs(x), side

    # ------------------------------------------------------------------ the needle
    def needle_in_pose(self, needle: Needle, pose: Pose) -> Needle:
        """The needle in a probe pose's image coordinates (x from the probe centre plus pose.x)."""
        if self.aligned(pose):
            return needle
        f = self.pose_frame(pose)
        entry = self.scene_point(needle.entry_x_mm, needle.entry_y_mm, 0.0)
        dx, dz, dy = needle.direction
        d_world = dx * self.frame.u + dy * self.frame.v + dz * self.frame.w
        local = f.to_local(entry)
        du, dv, dw = float(d_world @ f.u), float(d_world @ f.v), float(d_world @ f.w)
        tilt = math.degrees(math.asin(max(-1.0, min(1.0, dv))))
        angle = math.degrees(math.atan2(dw, du))
        return replace(
            needle,
            entry_x_mm=pose.x_mm + float(local[0]),
            entry_y_mm=pose.y_mm + float(local[1]),
            angle_deg=angle,
            tilt_deg=tilt,
            heading_deg=0.0,
        )

    def scene_point(self, x_mm: float, y_mm: float, z_mm: float) -> np.ndarray:
        """World point of scene coordinates (depth measured below the skin along W)."""
        t0 = skin_depth_along(self.patient, self.frame, np.array([x_mm]), y_mm)[0]
        return self.frame.to_world(np.array([x_mm]), y_mm, np.array([t0 + z_mm]))[0]


POSE_STEP_MM = 0.5  # a turned probe's cut is made at its pose rounded to these steps: within the
POSE_STEP_DEG = 0.5  # 1.5-2 mm slice, and a turning probe reuses a cut every other frame or so


def quantized(pose: Pose) -> Pose:
    """The pose whose cut a turned probe shows."""

    def snap(value: float, step: float) -> float:
        return round(round(value / step) * step, 4)

    return Pose(
        snap(pose.x_mm, POSE_STEP_MM),
        snap(pose.y_mm, POSE_STEP_MM),
        snap(pose.rotation_deg, POSE_STEP_DEG),
        snap(pose.tilt_deg, POSE_STEP_DEG),
        snap(pose.rock_deg, POSE_STEP_DEG),
    )


def plan_pose_frame(
    patient: Patient, level: str, lateral_mm: float, side: str, rotation_deg: float, caudal_mm: float = 0.0
) -> Frame:
    """The frame centred `lateral_mm` from the midline whose beam meets `level`'s TP row: on the
    sloping (kyphotic) back the probe sits a little cranial or caudal of the TP so that its beam,
    square to the skin, reaches it."""
    sign = 1.0 if side == "right" else -1.0
    lv = patient.level(level)
    row = lv.tp_y_mm + caudal_mm
    x, y = sign * lateral_mm, row
    for _ in range(4):
        frame = oriented_frame(patient.skin_point(x, y), patient.skin_normal(x, y), sign, rotation_deg)
        depth = lv.tp_z_mm + 5.0 - float(frame.origin[2])
        y += row - float(frame.origin[1] + depth * frame.w[1] / max(frame.w[2], 0.5))
    return oriented_frame(patient.skin_point(x, y), patient.skin_normal(x, y), sign, rotation_deg)
