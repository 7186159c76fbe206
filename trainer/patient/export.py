"""The patient's solids as a PLY mesh with a colour per tissue, for any 3D viewer."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from trainer.patient.body import Patient
from trainer.patient.solids import RING_POINTS
from trainer.tissue import TissueKind

COLOURS: dict[TissueKind, tuple[int, int, int]] = {
    TissueKind.BONE: (235, 225, 200),
    TissueKind.CARTILAGE: (120, 170, 230),
    TissueKind.ARTERY: (210, 40, 40),
    TissueKind.VEIN: (60, 70, 200),
    TissueKind.NERVE: (240, 220, 60),
    TissueKind.NEURAXIS: (170, 120, 200),
    TissueKind.FORAMEN: (90, 200, 170),
}
_BOX_FACES = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]


def _piece_faces(k: int) -> list[tuple[int, ...]]:
    """Faces of a piece: a box's six, or a tube piece's side quads and two end caps."""
    if k == 8:
        return list(_BOX_FACES)
    n = RING_POINTS
    sides = [(i, (i + 1) % n, n + (i + 1) % n, n + i) for i in range(n)]
    return [*sides, tuple(range(n - 1, -1, -1)), tuple(range(n, 2 * n))]


def write_ply(patient: Patient, path: Path) -> tuple[int, int]:
    """Write every solid; returns (vertices, faces)."""
    vertices: list[str] = []
    faces: list[str] = []
    for solid in patient.solids:
        colour = "{} {} {}".format(*COLOURS.get(solid.kind, (200, 200, 200)))
        for piece in solid.pieces:
            base = len(vertices)
            vertices += [f"{x:.2f} {y:.2f} {z:.2f} {colour}" for x, y, z in np.asarray(piece)]
            faces += [f"{len(f)} " + " ".join(str(base + i) for i in f) for f in _piece_faces(len(piece))]
    header = [
        "ply",
        "format ascii 1.0",
        f"comment thoracic trainer patient, variant {patient.variant}; mm, X right, Y caudal, Z inward",
        f"element vertex {len(vertices)}",
        "property float x",
        "property float y",
        "property float z",
        "property uchar red",
        "property uchar green",
        "property uchar blue",
        f"element face {len(faces)}",
        "property list uchar int vertex_indices",
        "end_header",
    ]
    path.write_text("\n".join([*header, *vertices, *faces]) + "\n", encoding="ascii")
    return len(vertices), len(faces)
