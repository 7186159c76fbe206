"""The 3D patient: published figures, continuous cuts, still frames, the level readout, clamped poses
and the mesh export. Built once per module on variant 0."""

import json

import numpy as np
import pytest

import trainer
from trainer.cli import main
from trainer.patient import patient_for
from trainer.patient.figures import FIGURES, measure
from trainer.scenario.model import Plane


@pytest.fixture(scope="module")
def esp() -> trainer.Scenario:
    return trainer.load_scenario("esp_block")


def areas(plane: Plane) -> dict[str, float]:
    return {s.name: s.geometry.area for s in plane.structures}


def test_anatomy_command_finds_every_figure_in_range_on_variant_0(capsys):
    assert main(["anatomy", "--variants", "1"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out.strip().splitlines()[-1]) == {"variants": 1, "out_of_range_on_variant_0": 0}
    figures = measure(patient_for(0))
    for f in FIGURES:
        assert f.low <= figures[f.name] <= f.high, (f.name, figures[f.name])


def _close(before: Plane, after: Plane) -> None:
    """Structures in both cuts keep their area to a few per cent (big ones) or 3 mm^2 (small ones, a
    nerve or vessel crossing the beam obliquely); the whole section by under 3 %; a structure may appear or vanish only while small
    (an edge or a thin joint plate entering the cut)."""
    a, b = areas(before), areas(after)
    both = a.keys() & b.keys()
    for name in both:  # a rib grazed along its lower border may change by up to about 10 %
        assert abs(a[name] - b[name]) <= max(0.12 * a[name], 3.0), (name, a[name], b[name])
    change = sum(abs(a[n] - b[n]) for n in both) / sum(a[n] for n in both)
    assert change < 0.03, change  # the section as a whole changes by a few per cent at most
    for name in a.keys() ^ b.keys():
        assert max(a.get(name, 0.0), b.get(name, 0.0)) < 10.0 or name.endswith(".2"), name


def test_sliding_half_a_millimetre_changes_the_section_only_a_little(esp):
    sim = trainer.Simulation(esp, seed=0)
    sim.move_probe(dy_mm=-sim.probe.y_mm)
    for dy, dx in ((0.5, 0.0), (-0.5, 0.0), (0.0, 0.5)):
        before = sim.plane
        sim.move_probe(dx_mm=dx, dy_mm=dy)
        if dx == 0.0:
            _close(before, sim.plane)
    assert sim.plane.name == "tp_view"


def test_rotating_half_a_degree_changes_the_section_only_a_little(esp):
    sim = trainer.Simulation(esp, seed=0)
    sim.move_probe(dy_mm=-sim.probe.y_mm)
    sim.rotate_probe(0.5)
    turned = sim.plane
    assert turned.name != "tp_view"  # a turned probe sees its own cut
    sim.rotate_probe(0.5)
    _close(turned, sim.plane)
    for name in ("tp_t5_right", "tp_t6_right"):
        assert turned.has(name)


def test_a_still_probe_gives_identical_frames_on_the_patient(esp):
    sim = trainer.Simulation(esp, seed=2)
    sim.rotate_probe(10.0)
    sim.tilt_probe(3.0)
    first = sim.render()
    assert np.array_equal(first, sim.render())
    again = trainer.Simulation(esp, seed=2)
    again.rotate_probe(10.0)
    again.tilt_probe(3.0)
    assert np.array_equal(first, again.render())


CLAMPED = pytest.mark.xfail(
    strict=True,
    reason="core: an aligned probe is clamped to the scenario's section x range (-60..60 mm around the "
    "planned view), so on the ESP scene place_probe cannot reach T7-T9 and the readout says T6",
)


@pytest.mark.parametrize(
    "level", [*(f"T{n}" for n in range(3, 7)), *(pytest.param(f"T{n}", marks=CLAMPED) for n in (7, 8, 9))]
)
def test_place_probe_reads_out_the_level_it_was_placed_over(esp, level):
    sim = trainer.Simulation(esp, seed=0)
    sim.place_probe(level, lateral_mm=28.0, side="right")
    assert sim.probe_level() == level
    _, lateral, side = esp.anatomy.readout(sim.pose)
    assert side == "right" and lateral == pytest.approx(28.0, abs=3.0)


def test_a_pose_off_the_back_is_clamped_not_a_crash(esp):
    sim = trainer.Simulation(esp, seed=0)
    sim.place_probe("T5", lateral_mm=500.0, side="right")
    y0, y1 = esp.y_range_mm
    assert y0 <= sim.probe.y_mm <= y1
    sim.move_probe(dx_mm=1000.0, dy_mm=1000.0)
    x0, x1 = esp.x_range_mm
    assert x0 <= sim.probe.x_mm <= x1 and y0 <= sim.probe.y_mm <= y1
    assert sim.render().size > 0
    with pytest.raises(ValueError, match="level"):
        sim.place_probe("T42")


def test_the_ply_export_has_vertices_and_faces(tmp_path):
    path = tmp_path / "patient.ply"
    assert main(["patient-export", "--variant", "0", "--out", str(path)]) == 0
    lines = path.read_text(encoding="ascii").splitlines()
    header = {ln.split()[1]: int(ln.split()[2]) for ln in lines if ln.startswith("element")}
    assert header["vertex"] > 1000 and header["face"] > 500
    body = lines[lines.index("end_header") + 1 :]
    assert len(body) == header["vertex"] + header["face"]
    last = body[-1].split()
    assert int(last[0]) == len(last) - 1 and max(map(int, last[1:])) < header["vertex"]
