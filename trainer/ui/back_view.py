"""The patient's back seen from behind, head to the left: where the probe and the needle are on the
3D patient.

The static back (skin outline, scapulae, spinous process tips, in guided mode the ribs and the target
level) is drawn once per patient, size and difficulty onto a cached surface; each frame adds only the
level labels, the probe footprint at its real pose (marker end dotted), the beam's trace and the
needle's entry and shaft. Screen right is caudal, screen up is the patient's right (seen from behind).
Dragging on the view slides the probe after the mouse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame
import shapely

from trainer.patient.body import Patient
from trainer.patient.frame import Frame
from trainer.scenario.model import Scenario
from trainer.simulation import Simulation
from trainer.ui import theme
from trainer.ui.diagram import draw_dashed
from trainer.ui.external_view import PROBE, SKIN
from trainer.ui.widgets import text

LATERAL_MM = 110.0  # the view spans this far either side of the midline
NECK_MM = 40.0  # shown cranial of C7's TP row
TAIL_MM = 25.0  # shown caudal of the last level's TP row
PROBE_WIDTH_MM = 10.0  # the footprint across the beam (a linear probe's lens)
SOFT_MM = 30.0  # skin outside the ribs' lateral-most point
NECK_HALF_MM = 55.0
SHOULDER_MM = 35.0  # from the neck's width to the trunk's, cranio-caudally
SHOWN_LABELS = {"guided": None, "standard": ("C7", "T12"), "exam": ()}  # None: every level
BACK = (60, 44, 40)
BONE = (222, 214, 196)
RIB = (150, 130, 112)
SCAPULA = (112, 92, 80)


@dataclass(frozen=True)
class BackShape:
    """What the view draws of one patient, in world mm (X lateral, Y caudal)."""

    outline: tuple[tuple[float, float], ...]  # (y, half width) of the skin along the back
    tips: tuple[tuple[str, float, float], ...]  # (level, x, y) of each spinous process tip
    scapulae: tuple[np.ndarray, ...]  # (m, 2) outlines (x, y)
    ribs: tuple[np.ndarray, ...]  # (m, 2) centrelines (x, y)


def _xy(pieces: np.ndarray) -> np.ndarray:
    return pieces.reshape(-1, 3)[:, :2]


def back_shape(patient: Patient) -> BackShape:
    """The back's landmarks from the patient's solids (built once per patient)."""
    tips, scapulae, ribs = [], [], []
    for s in patient.solids:
        if s.name.startswith("spinous_"):
            v = s.pieces.reshape(-1, 3)
            tip = v[int(np.argmin(v[:, 2]))]  # the most posterior point: what a finger feels
            tips.append((s.name.removeprefix("spinous_").upper(), float(tip[0]), float(tip[1])))
        elif s.name.startswith("scapula"):
            hull = shapely.MultiPoint(_xy(s.pieces)).convex_hull
            scapulae.append(np.asarray(hull.exterior.coords))
        elif s.name.startswith("rib_"):
            ribs.append(s.pieces.mean(axis=1)[:, :2])
    return BackShape(_outline(patient, ribs), tuple(tips), tuple(scapulae), tuple(ribs))


def _outline(patient: Patient, ribs: list[np.ndarray]) -> tuple[tuple[float, float], ...]:
    """The skin's half width along the back: the neck above C7 widening smoothly into the shoulders
    and the trunk, as wide as the ribs reach plus the soft tissue over them."""
    first, last = patient.levels[0].tp_y_mm, patient.levels[-1].tp_y_mm
    reach = max((float(np.abs(r[:, 0]).max()) for r in ribs), default=LATERAL_MM) + SOFT_MM
    out = []
    for y in np.linspace(first - NECK_MM, last + TAIL_MM, 60):
        t = float(np.clip((y - (first - 20.0)) / SHOULDER_MM, 0.0, 1.0))
        out.append((float(y), NECK_HALF_MM + (reach - NECK_HALF_MM) * t * t * (3.0 - 2.0 * t)))
    return tuple(out)


class BackView:
    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.scale = 1.0  # px per mm
        self._y0_mm = 0.0
        self._shapes: dict[int, BackShape] = {}
        self._static: tuple[tuple[object, ...], pygame.Surface] | None = None
        self._dragging = False

    def layout(self, rect: pygame.Rect, sc: Scenario) -> None:
        self.rect = rect
        self._static = None
        if sc.anatomy is None:
            return
        levels = sc.anatomy.patient.levels
        y0, y1 = levels[0].tp_y_mm - NECK_MM, levels[-1].tp_y_mm + TAIL_MM
        self.scale = min(rect.width / (y1 - y0), rect.height / (2 * LATERAL_MM))
        self._y0_mm = y0 - (rect.width / self.scale - (y1 - y0)) / 2.0  # centred

    def point(self, x_mm: float, y_mm: float) -> tuple[int, int]:
        """Screen point of world (x lateral, y caudal) mm: caudal to the right, the patient's right up."""
        return (
            round(self.rect.left + (y_mm - self._y0_mm) * self.scale),
            round(self.rect.centery - x_mm * self.scale),
        )

    def drag(self, event: pygame.event.Event, sim: Simulation) -> bool:
        """Slide the probe with the mouse held on the view; True for the events it used."""
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            self._dragging = sim.scenario.anatomy is not None
            return self._dragging
        if event.type == pygame.MOUSEBUTTONUP and self._dragging:
            self._dragging = False
            return True
        if event.type != pygame.MOUSEMOTION or not self._dragging:
            return False
        assert sim.scenario.anatomy is not None
        f = sim.scenario.anatomy.pose_frame(sim.pose)
        dx_px, dy_px = event.rel
        along = np.array([-dy_px, dx_px]) / self.scale  # world (x, y) mm: up is right, right caudal
        sim.move_probe(dx_mm=float(along @ f.u[:2]), dy_mm=float(along @ f.v[:2]))
        return True

    def shape(self, patient: Patient) -> BackShape:
        key = id(patient)
        if key not in self._shapes:
            self._shapes = {key: back_shape(patient)}
        return self._shapes[key]

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface, sim: Simulation, detail: str, fonts: theme.Fonts) -> None:
        """`detail`: the difficulty ("guided", "standard" or "exam"), which decides the labels."""
        anatomy = sim.scenario.anatomy
        if anatomy is None:
            pygame.draw.rect(surface, (24, 28, 34), self.rect, border_radius=6)
            text(surface, fonts.regular(14), "Gel phantom", self.rect.center, theme.MUTED, "center")
            return
        shape = self.shape(anatomy.patient)
        clip = surface.get_clip()
        surface.set_clip(self.rect.clip(clip) if clip else self.rect)
        surface.blit(self._static_surface(sim.scenario, shape, detail), self.rect)
        frame = anatomy.pose_frame(sim.pose)
        away = -1 if frame.origin[0] < 0 else 1  # labels on the spine's other side from the probe
        self._labels(surface, shape, detail, fonts.regular(14), away)
        self._probe(surface, sim, frame)
        self._needle(surface, sim)
        surface.set_clip(clip)

    def _static_surface(self, sc: Scenario, shape: BackShape, detail: str) -> pygame.Surface:
        key = (self.rect.size, id(shape), detail, sc.level, self.scale, self._y0_mm)
        if self._static is None or self._static[0] != key:
            self._static = key, self._paint_static(sc, shape, detail == "guided")
        return self._static[1]

    def _paint_static(self, sc: Scenario, shape: BackShape, guided: bool) -> pygame.Surface:
        back = pygame.Surface(self.rect.size)
        back.fill((24, 28, 34))
        at = self._on_static
        upper = [at(half, y) for y, half in shape.outline]
        lower = [at(-half, y) for y, half in reversed(shape.outline)]
        pygame.draw.polygon(back, BACK, upper + lower)
        pygame.draw.lines(back, SKIN, False, upper, 2)
        pygame.draw.lines(back, SKIN, False, lower, 2)
        if guided:
            self._target_band(back, sc)
            for rib in shape.ribs:
                pygame.draw.lines(back, RIB, False, [at(x, y) for x, y in rib], 1)
        for outline in shape.scapulae:
            pygame.draw.polygon(back, SCAPULA, [at(x, y) for x, y in outline], 0)
            pygame.draw.polygon(back, BONE, [at(x, y) for x, y in outline], 2)
        pygame.draw.lines(back, BONE, False, [at(x, y) for _, x, y in shape.tips], 1)
        for _, x, y in shape.tips:
            pygame.draw.circle(back, BONE, at(x, y), max(2, round(3 * self.scale)))
        return back

    def _on_static(self, x_mm: float, y_mm: float) -> tuple[int, int]:
        """A point on the cached back's own surface."""
        x, y = self.point(x_mm, y_mm)
        return x - self.rect.left, y - self.rect.top

    def _target_band(self, back: pygame.Surface, sc: Scenario) -> None:
        """The procedure's level (or levels, 'T6-T7'): a band across the back over their TP rows; the
        planned pose's level when the procedure names none of the patient's."""
        assert sc.anatomy is not None
        patient = sc.anatomy.patient
        names = {lv.name for lv in patient.levels}
        named = [n for n in sc.level.split("-") if n in names]
        rows = [
            patient.level(n).tp_y_mm for n in named or [patient.level_at(float(sc.anatomy.frame.origin[1]))]
        ]
        left, _ = self._on_static(0.0, min(rows) - 10.0)
        right, _ = self._on_static(0.0, max(rows) + 10.0)
        band = pygame.Surface((max(1, right - left), back.get_height()), pygame.SRCALPHA)
        band.fill((*theme.TARGET, 90))
        back.blit(band, (left, 0))

    def _labels(
        self, surface: pygame.Surface, shape: BackShape, detail: str, font: pygame.font.Font, away: int
    ) -> None:
        """Level names beside the spinous tips, each in the first row where it touches no earlier
        label, starting on the spine's side `away` (+1 down, -1 up on screen) from the probe."""
        wanted = SHOWN_LABELS.get(detail, ())
        inside = self.rect.inflate(-4, -4)
        placed = [  # the patient's sides, seen from behind: right up, left down
            text(surface, font, "R", inside.topleft, theme.MUTED),
            text(surface, font, "L", inside.bottomleft, theme.MUTED, "bottomleft"),
        ]
        line = font.get_linesize()
        for name, x, y in shape.tips:
            if wanted is not None and name not in wanted:
                continue
            cx, cy = self.point(x, y)
            for offset in (away * line, -away * line, 2 * away * line, -2 * away * line):
                box = pygame.Rect((0, 0), font.size(name))
                box.center = (cx, cy + offset)
                box.clamp_ip(inside)
                if box.collidelist(placed) < 0:
                    break
            placed.append(text(surface, font, name, box.topleft, theme.TEXT))

    def _probe(self, surface: pygame.Surface, sim: Simulation, f: Frame) -> None:
        """The footprint at its pose, the marker end dotted, the beam's trace across the back."""
        half_len, half_w = sim.probe.footprint_mm / 2.0, PROBE_WIDTH_MM / 2.0
        o, u, v = f.origin, f.u, f.v
        reach = 2.0 * (LATERAL_MM + NECK_MM + TAIL_MM)
        draw_dashed(surface, theme.ACCENT, self._at(o - reach * u), self._at(o + reach * u), width=1)
        deep = o + sim.probe.depth_mm * f.w
        pygame.draw.line(surface, theme.ACCENT, self._at(o), self._at(deep), 2)  # the beam's lean
        corners = [o + a * half_len * u + b * half_w * v for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
        pygame.draw.polygon(surface, PROBE, [self._at(c) for c in corners])
        pygame.draw.polygon(surface, (40, 44, 52), [self._at(c) for c in corners], 1)
        marker = self._at(o - 0.8 * half_len * u)  # the orientation marker's end
        pygame.draw.circle(surface, theme.ACCENT, marker, max(3, round(self.scale * 3)))

    def _needle(self, surface: pygame.Surface, sim: Simulation) -> None:
        """The skin entry, the shaft under the skin (solid) and the part outside it (thin)."""
        n, anatomy = sim.needle, sim.scenario.anatomy
        if not n.inserted or anatomy is None:
            return
        entry = anatomy.scene_point(n.entry_x_mm, n.entry_y_mm, 0.0)
        dx, dz, dy = n.direction
        d = dx * anatomy.frame.u + dy * anatomy.frame.v + dz * anatomy.frame.w
        tip, hub = entry + n.depth_mm * d, entry - (n.length_mm - n.depth_mm) * d
        pygame.draw.line(surface, theme.MUTED, self._at(entry), self._at(hub), 1)
        pygame.draw.line(surface, theme.TEXT, self._at(entry), self._at(tip), 2)
        pygame.draw.circle(surface, theme.NEEDLE_PATH, self._at(entry), 3)

    def _at(self, world: np.ndarray) -> tuple[int, int]:
        return self.point(float(world[0]), float(world[1]))
