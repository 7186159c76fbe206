"""The solids of the 3D patient: vertebrae, ribs, joints, neuraxis, vessels, nerves and the scapula.

Figures come from the data file (trainer/data/patient/anatomy.toml, each with its source); the shapes
between them (where a rib's neck runs, how an artery leaves the aorta) are estimates [E] that join
those anchors smoothly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from trainer.patient.solids import Solid, box, tube
from trainer.patient.spec import AnatomySpec
from trainer.tissue import TissueKind

if TYPE_CHECKING:
    from trainer.patient.body import Habitus, Level

SkinFn = Callable[[np.ndarray, np.ndarray], np.ndarray]
SIDES = (("right", 1.0), ("left", -1.0))
B = TissueKind.BONE


def build_solids(
    spec: AnatomySpec, hab: Habitus, levels: list[Level], skin: SkinFn, slope: Callable[[float], float]
) -> list[Solid]:
    """Every solid; each vertebra with its ribs and contents pitched to follow the kyphosis."""
    groups: dict[str, list[Solid]] = {lv.name: [] for lv in levels}
    for i, lv in enumerate(levels):
        below = levels[i + 1] if i + 1 < len(levels) else None
        own = groups[lv.name]
        own += _midline(spec, hab, lv, below)
        for side, sign in SIDES:
            own += _posterior_arch(spec, lv, below, side, sign)
            if lv.name.startswith("T"):
                own += _rib(spec, hab, lv, side, sign)
            if below is not None and lv.name.startswith("T"):
                space, medial_branch = _space_contents(spec, hab, lv, below, side, sign)
                own += space
                groups[below.name].append(medial_branch)
    solids = [
        _pitched(s, lv.tp_y_mm, lv.tp_z_mm, slope(lv.tp_y_mm)) for lv in levels for s in groups[lv.name]
    ]
    solids.append(_aorta(spec, levels))
    solids += _adamkiewicz(spec, hab, levels)
    for side, sign in SIDES:
        solids.append(_scapula(spec, levels, skin, side, sign))
    return solids


def _pitched(solid: Solid, y_mm: float, z_mm: float, slope: float) -> Solid:
    """The solid turned about the X axis through (y, z) so that +Y follows a spine line of `slope`."""
    a = math.atan(slope)
    c, s = math.cos(a), math.sin(a)
    p = solid.pieces
    dy, dz = p[..., 1] - y_mm, p[..., 2] - z_mm
    turned = np.stack([p[..., 0], y_mm + c * dy - s * dz, z_mm + s * dy + c * dz], axis=-1)
    return Solid(solid.name, solid.kind, turned, solid.fibre_deg, solid.note)


def _suffix(lv: Level) -> str:
    return lv.name.lower()


def canal_centre_z(spec: AnatomySpec, lv: Level) -> float:
    """Depth of the canal's centre: under the laminae's anterior surface."""
    b = spec.bone
    return lv.tp_z_mm - b.lamina_above_tp_mm + 2 * b.lamina_half_thickness_mm + b.canal_radius_mm


def _midline(spec: AnatomySpec, hab: Habitus, lv: Level, below: Level | None) -> list[Solid]:
    b, s = spec.bone, hab.size_scale
    n = _suffix(lv)
    canal = canal_centre_z(spec, lv)
    body_z = canal + b.canal_radius_mm + b.body_half_depth_mm * s
    y0, y1 = lv.body_y_mm - lv.body_mm / 2.0, lv.body_y_mm + lv.body_mm / 2.0
    out = [
        Solid(
            f"vertebral_body_{n}",
            B,
            tube(
                np.array([[0, y0, body_z], [0, y1, body_z]]),
                b.body_half_width_mm * s,
                b.body_half_depth_mm * s,
            ),
        )
    ]
    # spinous process: from the laminae's junction down and back to a 5 mm tip [P Egwu 2019]
    base = np.array([0.0, lv.tp_y_mm + 4.0, lv.tp_z_mm - b.lamina_above_tp_mm + 2.0])
    a = math.radians(lv.spinous_deg)
    tip = base + b.spinous_length_mm * s * np.array([0.0, math.sin(a), -math.cos(a)])
    mid = 0.5 * (base + tip)
    out.append(
        Solid(
            f"spinous_{n}",
            B,
            tube(np.stack([base, mid, tip]), [3.0, 2.6, b.spinous_tip_width_mm / 2], [6.0, 5.0, 3.5], 2.5),
            note="spinous process, downward angle per level [P Kaur 2016]",
        )
    )
    yb = y1 + (below.body_y_mm - below.body_mm / 2.0 - y1 if below else lv.disc_mm)
    if below is not None:
        out.append(
            Solid(
                f"disc_{n}_{_suffix(below)}",
                TissueKind.CARTILAGE,
                tube(
                    np.array([[0, y1, body_z], [0, yb, body_z]]),
                    b.body_half_width_mm * s,
                    b.body_half_depth_mm * s,
                ),
            )
        )
    ya, yz = y0 - 1.0, yb
    canal_line = np.array([[0, ya, canal], [0, yz, canal]])
    r = b.canal_radius_mm
    cord_z = canal - r + 1.5 + spec.vessels.dura_to_cord_mm + 4.0
    out += [
        Solid(f"epidural_space_{n}", TissueKind.NEURAXIS, tube(canal_line, r, r)),
        Solid(f"dural_sac_{n}", TissueKind.NEURAXIS, tube(canal_line, r - 1.5, r - 1.5)),
        Solid(
            f"spinal_cord_{n}",
            TissueKind.NEURAXIS,
            tube(canal_line + np.array([0.0, 0.0, cord_z - canal]), 4.5, 4.0),
        ),
    ]
    return out


def _posterior_arch(spec: AnatomySpec, lv: Level, below: Level | None, side: str, sign: float) -> list[Solid]:
    b = spec.bone
    n, sfx = _suffix(lv), side
    top = lv.tp_z_mm - b.lamina_above_tp_mm  # the laminae's posterior surface
    half_t = b.lamina_half_thickness_mm
    x_mid = sign * (b.lamina_inner_mm + b.lamina_outer_mm) / 2.0
    half_w = (b.lamina_outer_mm - b.lamina_inner_mm) / 2.0
    y_top = lv.tp_y_mm - 6.0
    y_bottom = (below.tp_y_mm - 6.0 - 3.0) if below else lv.tp_y_mm + 14.0  # 3 mm interlaminar gap [E]
    lamina = tube(
        np.array([[x_mid, y_top, top + half_t + 2.5], [x_mid, y_bottom, top + half_t]]), half_w, half_t, 5.0
    )
    # transverse process: base deeper than the tip, which points back and out [E]
    tp_half = b.tp_half_thickness_mm
    tp = tube(
        np.array(
            [
                [sign * b.tp_base_mm, lv.tp_y_mm, lv.tp_z_mm + tp_half + 4.0],
                [sign * (lv.tp_tip_mm - 2.5), lv.tp_y_mm, lv.tp_z_mm + tp_half],
                [sign * lv.tp_tip_mm, lv.tp_y_mm, lv.tp_z_mm + tp_half + 0.5],
            ]
        ),
        [b.tp_half_height_mm + 1.0, b.tp_half_height_mm, b.tp_half_height_mm - 1.5],
        [tp_half + 1.0, tp_half, tp_half - 2.0],
        6.0,
    )
    canal = canal_centre_z(spec, lv)
    pedicle = tube(
        np.array([[sign * 11.0, lv.tp_y_mm + 2.0, canal + 4.0], [sign * 13.0, lv.tp_y_mm + 1.0, top + 4.0]]),
        3.0,
        4.0,
    )
    out = [
        Solid(f"lamina_{n}_{sfx}", B, lamina, note="lamina 6.6-7.3 mm thick [P Egwu 2019]"),
        Solid(f"tp_{n}_{sfx}", B, tp, note="transverse process [P Jones 2024 tip offset and thickness]"),
        Solid(f"pedicle_{n}_{sfx}", B, pedicle),
    ]
    if below is not None:
        out += _facet(spec, lv, below, side, sign, top, y_bottom)
        out.append(_foramen(spec, lv, below, side, sign))
    return out


def _facet(
    spec: AnatomySpec, lv: Level, below: Level, side: str, sign: float, top: float, y_joint: float
) -> list[Solid]:
    """The zygapophyseal joint: the upper vertebra's inferior process behind the lower one's superior
    process, the cleft inclined from the frontal plane [P Masharawi 2004]."""
    b = spec.bone
    inc = math.radians(b.facet_incline_deg)
    d = np.array([0.0, math.cos(inc), -math.sin(inc)])  # along the cleft, caudally and backward
    nrm = np.array([0.0, math.sin(inc), math.cos(inc)])  # across it, into the body
    x_axis = np.array([1.0, 0.0, 0.0])
    centre = np.array([sign * b.facet_column_mm, y_joint - 3.0, top + 2.5])
    axes = np.stack([d, x_axis, nrm])
    pair = f"{_suffix(lv)}_{_suffix(below)}"

    def part(d0: float, d1: float, n0: float, n1: float, half_x: float) -> np.ndarray:
        return box(
            centre + 0.5 * (d0 + d1) * d + 0.5 * (n0 + n1) * nrm,
            axes,
            (0.5 * (d1 - d0), half_x, 0.5 * (n1 - n0)),
        )

    return [
        Solid(f"iap_{_suffix(lv)}_{side}", B, part(-8.0, 3.0, -4.5, -0.6, 4.5)),
        Solid(f"sap_{_suffix(below)}_{side}", B, part(-4.0, 8.0, 0.6, 7.0, 4.5)),
        Solid(
            f"facet_{pair}_{side}",
            TissueKind.CARTILAGE,
            np.concatenate([part(-5.5, 6.0, -0.6, 0.6, 4.0), part(2.5, 6.5, -2.0, 0.6, 3.5)]),
            note="facet joint cleft with its inferior recess beyond the inferior process's tip [P]",
        ),
    ]


def _foramen(spec: AnatomySpec, lv: Level, below: Level, side: str, sign: float) -> Solid:
    canal = canal_centre_z(spec, lv)
    y = lv.body_y_mm + lv.body_mm / 2.0 + lv.disc_mm / 2.0 - 3.0
    line = np.array([[sign * 12.0, y, canal], [sign * 17.0, y, canal]])
    return Solid(f"foramen_{_suffix(lv)}_{_suffix(below)}_{side}", TissueKind.FORAMEN, tube(line, 4.0, 6.0))


def _rib(spec: AnatomySpec, hab: Habitus, lv: Level, side: str, sign: float) -> list[Solid]:
    """Rib n: head on the bodies at the disc above (single facet on 1, 10-12), neck deep to the TP,
    tubercle on the TP tip (the costotransverse joint), then the shaft sloping down and out."""
    b = spec.bone
    n = int(lv.name[1:])
    canal = canal_centre_z(spec, lv)
    body_z = canal + b.canal_radius_mm + b.body_half_depth_mm * hab.size_scale
    single = n in (1, 10, 11, 12)
    head_y = lv.body_y_mm - lv.body_mm / 2.0 + (4.0 if single else -lv.disc_mm / 2.0 * 0 - 1.0)
    head = np.array([sign * (b.body_half_width_mm + 2.5), head_y, body_z - 6.0])
    tp_back = lv.tp_z_mm + 2.0 * b.tp_half_thickness_mm - 3.0  # the tip is thinner than the base [E]
    tub_x = lv.tp_tip_mm - 3.0
    tubercle = np.array([sign * tub_x, lv.tp_y_mm + 1.5, tp_back + b.rib_half_thickness_mm + 0.8])
    pts = [head, 0.5 * (head + tubercle) + np.array([0.0, 0.0, 2.0]), tubercle]
    slope = math.tan(math.radians(b.rib_slope_deg + (n - 5) * 1.5))
    reach = 130.0 if n < 11 else 90.0 - (n - 11) * 20.0
    x, y = tub_x, tubercle[1]
    while x < reach:
        step = 8.0
        x_next = x + step
        y += step * slope * min(1.0, (x_next - tub_x) / 30.0)
        z_next = tubercle[2] + 1.5 * min(1.0, (x_next - tub_x) / 25.0)
        if x_next > b.rib_angle_mm:
            z_next += (x_next - b.rib_angle_mm) ** 2 / 90.0
        pts.append(np.array([sign * x_next, y, z_next]))
        x = x_next
    line = np.stack(pts)
    m = len(line)
    ha = np.full(m, b.rib_half_height_mm)
    hb = np.full(m, b.rib_half_thickness_mm)
    ha[:2], hb[:2] = 4.5, 4.5  # head and neck are rounder and smaller [E]
    lip = np.array([sign * (lv.tp_tip_mm + 1.5), tubercle[1], tubercle[2] - b.rib_half_thickness_mm - 0.3])
    joints = [
        Solid(
            f"costotransverse_{lv.name.lower()}_{side}",
            TissueKind.CARTILAGE,
            tube(np.stack([lip - np.array([sign * 6.0, 0.0, 0.0]), lip]), 3.0, 0.9),
            note="costotransverse joint: tubercle on the TP tip, open at its lateral lip [P textbook]",
        ),
        Solid(
            f"costovertebral_{lv.name.lower()}_{side}",
            TissueKind.CARTILAGE,
            tube(
                np.stack([head - np.array([sign * 5.2, 0, 0]), head - np.array([sign * 3.0, 0, 0])]), 5.5, 5.5
            ),
            note="costovertebral joint: rib head on the bodies [P textbook]",
        ),
    ]
    return [
        Solid(f"rib_{n}_{side}", B, tube(line, ha, hb), note="posterior rib 12-15 x 6-10 mm [E]"),
        *joints,
    ]


def _space_contents(
    spec: AnatomySpec, hab: Habitus, lv: Level, below: Level, side: str, sign: float
) -> tuple[list[Solid], Solid]:
    """Intercostal vessels and nerve of the space below rib n [P Helm 2013 course], the dorsal branch
    between the TPs, and the medial branch over the TP of the level below [P Chua & Bogduk 1995]."""
    v, b = spec.vessels, spec.bone
    pair = f"{_suffix(lv)}_{_suffix(below)}"
    canal = canal_centre_z(spec, lv)
    body_z = canal + b.canal_radius_mm + b.body_half_depth_mm * hab.size_scale
    mid_y = 0.5 * (lv.tp_y_mm + below.tp_y_mm) + 1.0  # mid-space paravertebrally [E, P DIR 2012]
    pleura = lv.tp_z_mm + hab.tp_to_pleura_mm
    exposed = hab.artery_exposed_mm
    slope = math.tan(math.radians(b.rib_slope_deg))
    rib_low = lv.tp_y_mm + 1.5 + b.rib_half_height_mm
    wiggle = hab.tortuosity_mm * math.sin(lv.body_y_mm * 0.37)
    xs = [b.body_half_width_mm + 3.0, 22.0, 30.0, exposed, v.groove_from_mm, 95.0]
    ys = [
        lv.body_y_mm,  # crosses the body at its waist [E]
        mid_y,
        mid_y + wiggle,
        mid_y + (exposed - 30.0) * slope * 0.4 - wiggle,
        rib_low + (v.groove_from_mm - lv.tp_tip_mm) * slope * 0.75 - 1.0,
        rib_low + (95.0 - lv.tp_tip_mm) * slope * 0.9 - 1.0,
    ]
    zs = [body_z - 4.0, pleura + 6.0, pleura - 1.6, pleura + 1.0, pleura + 5.0, pleura + 14.0]
    path = np.stack([np.array(xs) * sign, ys, zs], axis=1)
    artery = Solid(
        f"intercostal_artery_{pair}_{side}",
        TissueKind.ARTERY,
        tube(path, v.artery_radius_mm, v.artery_radius_mm),
    )
    vein = Solid(
        f"intercostal_vein_{pair}_{side}",
        TissueKind.VEIN,
        tube(path + np.array([0.0, -2.4, 0.0]), v.artery_radius_mm * 1.3, v.artery_radius_mm),
    )
    foramen_y = lv.body_y_mm + lv.body_mm / 2.0 + lv.disc_mm / 2.0 - 3.0
    nerve_path = np.vstack([[sign * 14.0, foramen_y, canal], path[1:] + np.array([0.0, 2.4, 0.0])])
    nerve = Solid(
        f"intercostal_nerve_{pair}_{side}",
        TissueKind.NERVE,
        tube(nerve_path, v.nerve_radius_mm, v.nerve_radius_mm),
    )
    gap_y = 0.5 * (lv.tp_y_mm + below.tp_y_mm)
    dorsal = np.array(
        [
            [sign * 22.0, mid_y, pleura + 6.0],
            [sign * 24.0, gap_y, lv.tp_z_mm + 6.0],
            [sign * 25.0, gap_y, lv.tp_z_mm - 3.0],
        ]
    )
    corner = [sign * (below.tp_tip_mm - 4.0), below.tp_y_mm - b.tp_half_height_mm - 0.6, below.tp_z_mm - 0.6]
    medial = np.array(
        [
            [sign * 15.0, foramen_y, canal + 2.0],
            [sign * (below.tp_tip_mm - 6.0), gap_y, below.tp_z_mm + 4.0],
            corner,
            [sign * (below.tp_tip_mm - 10.0), below.tp_y_mm, below.tp_z_mm - 0.6],
            [sign * 15.0, below.tp_y_mm + 6.0, below.tp_z_mm - b.lamina_above_tp_mm - 1.0],
        ]
    )
    dorsal_artery = Solid(
        f"dorsal_artery_{pair}_{side}", TissueKind.ARTERY, tube(dorsal, 0.7, 0.7), note="[E]"
    )
    medial_branch = Solid(
        f"medial_branch_{_suffix(below)}_{side}",
        TissueKind.NERVE,
        tube(medial, v.medial_branch_radius_mm, v.medial_branch_radius_mm),
        note="crosses the TP's superolateral corner [P Chua & Bogduk 1995]",
    )
    return [artery, vein, nerve, dorsal_artery], medial_branch


def _aorta(spec: AnatomySpec, levels: list[Level]) -> Solid:
    first, last = levels[1], levels[-1]
    z = [
        canal_centre_z(spec, lv) + spec.bone.canal_radius_mm + 2 * spec.bone.body_half_depth_mm + 2.0
        for lv in (first, last)
    ]
    line = np.array([[-20.0, first.body_y_mm, z[0]], [-18.0, last.body_y_mm, z[1]]])
    r = spec.vessels.aorta_radius_mm
    return Solid("aorta", TissueKind.ARTERY, tube(line, r, r))


def _adamkiewicz(spec: AnatomySpec, hab: Habitus, levels: list[Level]) -> list[Solid]:
    lv = next(x for x in levels if x.name == hab.adamkiewicz_level)
    sign = 1.0 if hab.adamkiewicz_side == "right" else -1.0
    canal = canal_centre_z(spec, lv)
    y = lv.body_y_mm + lv.body_mm / 2.0 + lv.disc_mm / 2.0 - 3.0
    line = np.array(
        [[sign * 24.0, y + 2.0, canal + 8.0], [sign * 15.0, y, canal], [sign * 3.0, y - 8.0, canal - 2.0]]
    )
    return [
        Solid(
            "artery_of_adamkiewicz",
            TissueKind.ARTERY,
            tube(line, 0.6, 0.6),
            note="left in 77 % [P Taterra 2019]",
        )
    ]


def _scapula(spec: AnatomySpec, levels: list[Level], skin: SkinFn, side: str, sign: float) -> Solid:
    lm = spec.landmarks
    by = {lv.name: lv for lv in levels}
    root, angle = by[lm.scapula_spine_root], by[lm.scapula_inferior_angle]
    upper = by["T2"]
    corners = [
        (lm.scapula_medial_border_mm, root.tp_y_mm - 10.0),
        (lm.scapula_medial_border_mm + 8.0, angle.tp_y_mm + 12.0),
        (125.0, upper.tp_y_mm - 15.0),
        (120.0, angle.tp_y_mm - 35.0),
    ]
    pts = []
    for x, y in corners:
        z = float(skin(np.array(x), np.array(y))) + 14.0
        pts += [[sign * x, y, z], [sign * x, y, z + 4.0]]
    return Solid(f"scapula_{side}", B, np.array(pts)[None], note="inferior angle at T8 [P meta-analysis]")
