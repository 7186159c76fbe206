"""Scenario geometry on the 3D patient against shared/sonoanatomy.md: layer order, depths, margins and
hazards, read from the scenario's own anatomy (no hard-coded coordinates)."""

import pytest
import shapely

import trainer
from trainer.tissue import TissueKind

SPREAD = (0, 7, 19)  # canonical, an average and the most obese variant: enough to see the spread, fast


def top_at(geometry, x_mm: float) -> float:
    """Shallowest depth of a geometry along the vertical line at x."""
    cut = geometry.intersection(shapely.LineString([(x_mm, -1.0), (x_mm, 500.0)]))
    assert not cut.is_empty, f"nothing at x = {x_mm:.1f}"
    return cut.bounds[1]


def layer_names(plane) -> list[str]:
    return [s.name for s in plane.structures if s.is_layer]


def centre_x(geometry) -> float:
    return 0.5 * (geometry.bounds[0] + geometry.bounds[2])


@pytest.mark.parametrize("sid", ["esp_block", "medial_branch"])
def test_paramedian_layer_order_follows_the_reference(sid):
    names = layer_names(trainer.load_scenario(sid).primary)
    assert names[:5] == ["skin", "subcutaneous_fat", "trapezius", "rhomboid_major", "erector_spinae"]
    assert names[-2:] == ["pleura", "lung"]


def test_esp_tp_depth_on_the_canonical_patient_is_in_the_published_range():
    tp = trainer.load_scenario("esp_block").primary.structure("tp_t5_right").geometry
    assert 30.0 <= top_at(tp, centre_x(tp)) <= 40.0  # TP cortex 30-40 mm [E]


@pytest.mark.parametrize("variant", SPREAD)
def test_esp_pleura_lies_12_mm_below_the_tp_in_the_intertransverse_gap(variant):
    sc = trainer.load_scenario("esp_block", variant=variant)
    tp5, tp6 = (sc.primary.structure(f"tp_t{n}_right").geometry for n in (5, 6))
    gap_x = 0.5 * (tp5.bounds[2] + tp6.bounds[0])
    margin = top_at(sc.primary.structure("pleura").geometry, gap_x) - tp5.bounds[1]
    assert 12.0 - 2 * 2.7 <= margin <= 12.0 + 2 * 2.7  # pleura 12 +- 2.7 mm (SD) below the TP [P]
    assert not sc.target.intersects(sc.primary.structure("pleura").geometry)


def test_esp_fat_and_tp_depth_grow_from_lean_to_obese_variants():
    fat, tp_top = [], []
    for variant in SPREAD:
        plane = trainer.load_scenario("esp_block", variant=variant).primary
        layer = plane.structure("subcutaneous_fat").geometry
        fat.append(layer.bounds[3] - layer.bounds[1])
        tp_top.append(plane.structure("tp_t5_right").geometry.bounds[1])
    assert all(4.0 <= f <= 25.0 for f in fat), fat
    assert max(fat) - min(fat) > 10.0  # lean to obese
    assert max(tp_top) - min(tp_top) > 10.0  # the TP sinks with the fat


def test_variants_differ_from_the_canonical_anatomy():
    tops = {
        round(trainer.load_scenario("esp_block", v).primary.structure("tp_t5_right").geometry.bounds[1], 2)
        for v in SPREAD
    }
    assert len(tops) == len(SPREAD)


def test_esp_has_its_wrong_views_and_hazards():
    sc = trainer.load_scenario("esp_block")
    medial = sc.plane_at(next(p.y_mm for p in sc.planes if p.name == "lamina_view"))
    lateral = sc.plane_at(next(p.y_mm for p in sc.planes if p.name == "rib_view"))
    assert medial.name == "lamina_view" and lateral.name == "rib_view"
    assert sum(s.name.startswith("lamina_") for s in medial.structures) >= 2
    assert not any(s.name.startswith("tp_") for s in lateral.structures)
    ribs = [s.geometry for s in lateral.structures if s.name.startswith("rib_")]
    assert len(ribs) >= 3
    rib_5 = lateral.structure("rib_5_right").geometry
    assert 35.0 <= rib_5.bounds[1] <= 45.0  # round ribs, a little deeper than the TPs [E]
    rib_6 = lateral.structure("rib_6_right").geometry
    pleura_between = top_at(lateral.structure("pleura").geometry, 0.5 * (rib_5.bounds[2] + rib_6.bounds[0]))
    assert 2.0 <= pleura_between - rib_5.bounds[1] <= 10.0  # pleura about 5 mm below the rib tops
    arteries = sc.primary.of_kind(TissueKind.ARTERY)
    assert len(arteries) >= 2 and all(sc.is_critical_name(a.name) for a in arteries)
    tps = [s.geometry for s in sc.primary.structures if s.name.startswith("tp_")]
    for a in arteries:  # each intercostal artery runs in an intertransverse gap, deep to the TPs' tops
        if a.name.startswith("intercostal_artery"):
            assert not any(t.bounds[0] < a.geometry.centroid.x < t.bounds[2] for t in tps), a.name


@pytest.mark.parametrize("variant", SPREAD)
def test_facet_joint_depth_and_the_foramen_beneath(variant):
    sc = trainer.load_scenario("facet_joint", variant=variant)
    joint = sc.primary.structure("facet_t6_t7_right").geometry
    iap, sap = (sc.primary.structure(n).geometry for n in ("iap_t6_right", "sap_t7_right"))
    assert iap.distance(sap) <= 2.2  # the articular processes meet at a 1-2 mm cleft [E]
    if variant == 0:
        assert 25.0 <= joint.bounds[1] <= 40.0
    foramen = sc.primary.structure("foramen_t6_t7_right").geometry
    assert foramen.bounds[1] > joint.bounds[1] + 5.0  # the foramen lies deep to the joint
    assert sc.target.distance(joint) < 1.0
    assert sc.probe.kind == "curvilinear" and sc.approach.entry_side == "caudal"
    assert sc.approach.angle_range_deg == (45.0, 60.0)
    medial = sc.plane_at(next(p.y_mm for p in sc.planes if p.name == "interlaminar_view"))
    assert any(s.name.startswith("dural_sac") for s in medial.of_kind(TissueKind.NEURAXIS))


@pytest.mark.parametrize("variant", SPREAD)
def test_medial_branch_target_is_the_cranial_posterior_tp_corner(variant):
    sc = trainer.load_scenario("medial_branch", variant=variant)
    tp = sc.primary.structure("tp_t3_right").geometry
    corner = shapely.Point(tp.bounds[0], top_at(tp, tp.bounds[0] + 0.5))  # cranial (-x), posterior
    assert sc.target.distance(corner) < 1.0
    width = sc.target.bounds[2] - sc.target.bounds[0]
    height = sc.target.bounds[3] - sc.target.bounds[1]
    assert 2.5 <= width <= 4.0 + 1e-6 and 2.5 <= height <= 5.0  # about 3 x 3 mm [P Chua & Bogduk]
    nerve = [s for s in sc.primary.structures if s.name.split(".")[0] == "medial_branch_t3_right"]
    assert min(sc.target.distance(s.geometry) for s in nerve) < 2.0  # the nerve crosses the corner
    if variant == 0:
        assert 28.0 <= tp.bounds[1] <= 40.0


@pytest.mark.parametrize("variant", SPREAD)
def test_costotransverse_joint_between_tp_and_rib_with_intercostal_neighbours(variant):
    sc = trainer.load_scenario("costotransverse_joint", variant=variant)
    tp, rib = (sc.primary.structure(n).geometry for n in ("tp_t5_right", "rib_5_right"))
    joint = sc.primary.structure("costotransverse_t5_right").geometry
    assert tp.centroid.x < joint.centroid.x < rib.bounds[2]  # TP medial, the joint, the rib lateral
    assert rib.bounds[1] > tp.bounds[1] + 3.0  # the rib a little deeper than the TP's back
    assert sc.target.distance(joint) < 1.0
    for name in ("cranial_space", "caudal_space"):
        space = sc.plane_at(next(p.y_mm for p in sc.planes if p.name == name))
        assert not any(s.name.startswith("costotransverse_") for s in space.structures)
        assert any(s.name.startswith("intercostal_artery") for s in space.of_kind(TissueKind.ARTERY))
        pleura = top_at(space.structure("pleura").geometry, joint.centroid.x)
        if variant == 0:
            assert 40.0 <= pleura <= 50.0  # pleura at 40-45 mm in the intercostal space [E]
        assert 9.0 <= pleura - tp.bounds[1] <= 16.0  # and stays that far below the TP


@pytest.mark.parametrize("variant", SPREAD)
def test_costovertebral_target_depth_and_medial_hazards(variant):
    sc = trainer.load_scenario("costovertebral_joint", variant=variant)
    target_x, target_z = sc.goal.point
    if variant == 0:
        assert 50.0 <= target_z <= 70.0  # rib head at 50-70 mm [E]
    assert sc.target.distance(sc.primary.structure("costovertebral_t6_right").geometry) < 1.0
    foramen = sc.primary.structure("foramen_t5_t6_right").geometry
    assert foramen.distance(shapely.Point(sc.goal.point)) <= 10.0  # the foramen within 10 mm
    assert foramen.centroid.y < target_z  # and shallower: overshooting medially and up enters it
    sac = next(s.geometry for s in sc.primary.structures if s.name.startswith("dural_sac_"))
    assert sac.centroid.x < target_x - 5.0  # the neuraxis lies medial
    for hazard in ("pleura", "foramen", "epidural_space", "dural_sac", "aorta"):
        assert hazard in sc.critical
    assert sc.probe.kind == "curvilinear" and sc.probe.default_depth_mm == 80.0


def test_gel_phantom_is_uniform_gel_with_a_cyst_target_and_a_tube_to_avoid():
    sc = trainer.load_scenario("gel_phantom")
    layers = [s for s in sc.primary.structures if s.is_layer]
    assert [s.kind for s in layers] == [TissueKind.GEL]
    assert sc.primary.structure("cyst").kind == TissueKind.FLUID
    assert sc.target.within(sc.primary.structure("cyst").geometry.buffer(0.01))
    assert sc.critical == ("tube",)
    assert {s.kind for s in sc.primary.structures} == {TissueKind.GEL, TissueKind.FLUID, TissueKind.VEIN}
