"""Scenario geometry against shared/sonoanatomy.md: layer order, depths, margins and hazards."""

import pytest
import shapely

import trainer
from trainer.tissue import TissueKind

VARIANTS = range(20)


def top_at(geometry, x_mm: float) -> float:
    """Shallowest depth of a geometry along the vertical line at x."""
    cut = geometry.intersection(shapely.LineString([(x_mm, -1.0), (x_mm, 500.0)]))
    return cut.bounds[1]


def layer_names(plane) -> list[str]:
    return [s.name for s in plane.structures if s.is_layer]


@pytest.mark.parametrize("sid", ["esp_block", "medial_branch"])
def test_paramedian_layer_order_follows_the_reference(sid):
    names = layer_names(trainer.load_scenario(sid).primary)
    assert names[:5] == [
        "skin",
        "subcutaneous_fat",
        "trapezius",
        "rhomboid_major" if sid == "esp_block" else "rhomboid",
        "erector_spinae",
    ]
    assert names[-2:] == ["pleura", "lung"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_esp_tp_depth_and_pleural_margin_stay_in_the_published_ranges(variant):
    sc = trainer.load_scenario("esp_block", variant=variant)
    tp = sc.primary.structure("tp_t5").geometry
    tp_top = tp.bounds[1]
    assert 30.0 - 1e-6 <= tp_top <= 40.0 + 1e-6  # TP cortex 30-40 mm [E]
    tip_x = tp.bounds[2] + 1.0  # just caudal to the TP tip, in the intertransverse gap
    margin = top_at(sc.primary.structure("pleura").geometry, tip_x) - tp_top
    assert 12.0 - 2.7 <= margin <= 12.0 + 2.7  # pleura 12 +- 2.7 mm below the TP [P]


@pytest.mark.parametrize("variant", VARIANTS)
def test_esp_subcutaneous_fat_spans_lean_to_obese(variant):
    sc = trainer.load_scenario("esp_block", variant=variant)
    fat = sc.primary.structure("subcutaneous_fat").geometry
    thickness = fat.bounds[3] - fat.bounds[1]
    assert 4.0 - 1e-6 <= thickness <= 20.0 + 1e-6


def test_variants_differ_from_the_canonical_anatomy_and_from_each_other():
    tops = {
        round(trainer.load_scenario("esp_block", v).primary.structure("tp_t5").geometry.bounds[1], 2)
        for v in VARIANTS
    }
    assert len(tops) >= 10
    canonical = trainer.load_scenario("esp_block", 0)
    assert canonical.primary.structure("tp_t5").geometry.bounds[1] == 32.0


def test_esp_has_its_wrong_views_and_hazards():
    sc = trainer.load_scenario("esp_block")
    medial, lateral = sc.plane_at(-15.0), sc.plane_at(15.0)
    assert medial.name == "lamina_view" and not medial.of_kind(TissueKind.PLEURA)
    assert len(medial.of_kind(TissueKind.BONE)) >= 3
    assert lateral.name == "rib_view"
    rib_top = min(s.geometry.bounds[1] for s in lateral.of_kind(TissueKind.BONE))
    assert 35.0 <= rib_top <= 40.0  # round ribs at 35-40 mm [E]
    pleura_between = top_at(lateral.structure("pleura").geometry, 11.5)
    assert pleura_between - rib_top == pytest.approx(5.0, abs=1.0)  # pleura ~5 mm below the ribs
    arteries = sc.primary.of_kind(TissueKind.ARTERY)
    assert len(arteries) >= 2 and all(a.name in sc.critical for a in arteries)
    for a in arteries:  # each artery sits in an intertransverse gap, not over a TP
        assert not any(
            a.geometry.centroid.x > t.geometry.bounds[0] and a.geometry.centroid.x < t.geometry.bounds[2]
            for t in sc.primary.of_kind(TissueKind.BONE)
        )
    assert not sc.target.intersects(sc.primary.structure("pleura").geometry)


@pytest.mark.parametrize("variant", VARIANTS)
def test_facet_joint_gap_depth_and_hazard_beneath(variant):
    sc = trainer.load_scenario("facet_joint", variant=variant)
    joint = sc.primary.structure("t6_t7_joint").geometry
    pillars = sc.primary.structure("pillar_t6").geometry, sc.primary.structure("pillar_t7").geometry
    gap = pillars[0].distance(pillars[1])
    assert 1.0 <= gap <= 2.2  # 1-2 mm hypoechoic gap [E]
    assert joint.bounds[1] >= 30.0 and joint.bounds[3] <= 40.0 + 8.0
    foramen = sc.primary.structure("foramen_t6_t7").geometry
    assert foramen.bounds[1] > joint.bounds[3]  # the foramen lies deep to the joint
    assert sc.probe.kind == "curvilinear" and sc.approach.entry_side == "caudal"
    assert sc.approach.angle_range_deg == (45.0, 60.0)
    assert sc.plane_at(-10.0).of_kind(TissueKind.NEURAXIS)  # medial: dura in the interlaminar gap


@pytest.mark.parametrize("variant", VARIANTS)
def test_medial_branch_target_is_the_cranial_posterior_tp_corner(variant):
    sc = trainer.load_scenario("medial_branch", variant=variant)
    tp = sc.primary.structure("tp_t3").geometry
    corner = shapely.Point(tp.bounds[0], tp.bounds[1])  # cranial (-x), posterior (shallow)
    assert sc.target.distance(corner) < 1.0
    width = sc.target.bounds[2] - sc.target.bounds[0]
    height = sc.target.bounds[3] - sc.target.bounds[1]
    assert 2.5 <= width <= 4.0 and 2.5 <= height <= 5.0  # about 3 x 3 mm [P Chua & Bogduk]
    assert 28.0 - 1e-6 <= tp.bounds[1] <= 40.0 + 1e-6
    margin = top_at(sc.primary.structure("pleura").geometry, tp.bounds[0] - 1.0) - tp.bounds[1]
    assert 12.0 - 2.7 <= margin <= 12.0 + 2.7


@pytest.mark.parametrize("variant", VARIANTS)
def test_costotransverse_gap_between_tp_tip_and_rib_with_intercostal_neighbours(variant):
    sc = trainer.load_scenario("costotransverse_joint", variant=variant)
    tp, rib = sc.primary.structure("tp_t5").geometry, sc.primary.structure("rib_5").geometry
    joint = sc.primary.structure("ct_joint").geometry
    assert tp.bounds[2] < joint.centroid.x < rib.bounds[0]  # TP medial, joint, rib lateral
    assert 1.0 <= tp.distance(rib) <= 3.0  # 1-3 mm gap [E]
    assert top_at(rib, rib.bounds[0] + 0.5) > top_at(tp, tp.bounds[2] - 0.5)  # rib a little deeper
    for y in (-9.0, 9.0):
        space = sc.plane_at(y)
        assert not any(s.name.startswith("rib") for s in space.of_kind(TissueKind.BONE))
        assert space.of_kind(TissueKind.ARTERY)
        pleura = top_at(space.structure("pleura").geometry, 0.0)
        if variant == 0:
            assert 40.0 <= pleura <= 45.0  # pleura at 40-45 mm in the intercostal space [E]
        assert 9.0 <= pleura - tp.bounds[1] <= 16.0  # and stays that far below the TP tip


@pytest.mark.parametrize("variant", VARIANTS)
def test_costovertebral_target_depth_and_medial_hazards(variant):
    sc = trainer.load_scenario("costovertebral_joint", variant=variant)
    target_x, target_z = sc.goal.point
    assert 50.0 <= target_z <= 70.0  # rib head at 50-70 mm [E]
    foramen = sc.primary.structure("foramen_t6").geometry
    gap = target_x - foramen.bounds[2]
    assert 0.0 < gap <= 10.0  # foramen 5-10 mm medial (its near edge within 10 mm)
    assert 5.0 <= target_x - foramen.centroid.x <= 10.0
    facet = sc.primary.structure("facet_t6_t7").geometry
    assert facet.centroid.x < target_x and facet.centroid.y < target_z  # more medial, shallower
    assert sc.primary.structure("segmental_artery").within == "foramen_t6"
    assert {"pleura", "foramen_t6", "segmental_artery", "epidural_space"} <= set(sc.critical)
    assert sc.probe.kind == "curvilinear" and sc.probe.default_depth_mm == 80.0


def test_gel_phantom_is_uniform_gel_with_a_cyst_target_and_a_tube_to_avoid():
    sc = trainer.load_scenario("gel_phantom")
    layers = [s for s in sc.primary.structures if s.is_layer]
    assert [s.kind for s in layers] == [TissueKind.GEL]
    assert sc.primary.structure("cyst").kind == TissueKind.FLUID
    assert sc.target.within(sc.primary.structure("cyst").geometry.buffer(0.01))
    assert sc.critical == ("tube",)
    assert {s.kind for s in sc.primary.structures} == {TissueKind.GEL, TissueKind.FLUID, TissueKind.VEIN}
