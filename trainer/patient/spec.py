"""The patient data file (trainer/data/patient/anatomy.toml), validated with messages that name the field."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from trainer.data_files import read_toml, validation_error
from trainer.errors import ScenarioError
from trainer.resources import data_path

Range = tuple[float, float]
LEVEL_NAMES = ("C7", *(f"T{n}" for n in range(1, 13)), "L1")  # the patient's levels, cranial first


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class LevelSpec(Strict):
    name: str
    body_mm: float = Field(gt=5, lt=40)
    disc_mm: float = Field(gt=1, lt=15)
    spinous_deg: float = Field(ge=0, le=80)
    tp_tip_mm: float = Field(gt=10, lt=60)
    tp_rise_mm: float = Field(ge=-15, le=15)
    kyphosis_deg: float = Field(ge=-10, le=15)
    es_mm: float = Field(gt=2, lt=60)


class BoneSpec(Strict):
    tp_half_height_mm: float = Field(gt=1, lt=15)
    tp_half_thickness_mm: float = Field(gt=1, lt=15)
    tp_base_mm: float = Field(gt=3, lt=30)
    lamina_half_thickness_mm: float = Field(gt=1, lt=10)
    lamina_inner_mm: float = Field(gt=0, lt=15)
    lamina_outer_mm: float = Field(gt=5, lt=30)
    lamina_above_tp_mm: float = Field(ge=-10, le=10)
    facet_column_mm: float = Field(gt=5, lt=30)
    facet_incline_deg: float = Field(ge=0, le=60)
    spinous_length_mm: float = Field(gt=10, lt=60)
    spinous_tip_width_mm: float = Field(gt=1, lt=15)
    canal_radius_mm: float = Field(gt=4, lt=15)
    body_half_width_mm: float = Field(gt=8, lt=30)
    body_half_depth_mm: float = Field(gt=8, lt=30)
    rib_half_height_mm: float = Field(gt=2, lt=12)
    rib_half_thickness_mm: float = Field(gt=1, lt=8)
    rib_slope_deg: float = Field(ge=0, le=60)
    rib_angle_mm: float = Field(gt=30, lt=90)
    tp_to_pleura_mm: float = Field(gt=4, lt=30)
    pleura_lateral_drop_mm: float = Field(ge=0, lt=30)


class SoftSpec(Strict):
    skin_mm: float = Field(gt=0.5, lt=5)
    fat_mm: float = Field(gt=1, lt=40)
    trapezius_mm: float = Field(gt=0.5, lt=15)
    rhomboid_mm: float = Field(gt=0.5, lt=15)
    rhomboid_lowest: str
    back_radius_mm: float = Field(gt=80, lt=1000)
    groove_mm: float = Field(ge=0, lt=15)
    intercostal_mm: float = Field(gt=0.5, lt=10)


class VesselSpec(Strict):
    artery_radius_mm: float = Field(gt=0.2, lt=4)
    exposed_to_mm: float = Field(gt=15, lt=90)
    groove_from_mm: float = Field(gt=20, lt=120)
    aorta_radius_mm: float = Field(gt=5, lt=20)
    nerve_radius_mm: float = Field(gt=0.3, lt=4)
    medial_branch_radius_mm: float = Field(gt=0.2, lt=3)
    dura_to_cord_mm: float = Field(gt=1, lt=10)


class LandmarkSpec(Strict):
    scapula_inferior_angle: str
    scapula_spine_root: str
    scapula_medial_border_mm: float = Field(gt=20, lt=120)


class VariationSpec(Strict):
    fat_mm: Range
    muscle_scale: Range
    kyphosis_scale: Range
    size_scale: Range
    tp_to_pleura_mm: Range
    artery_exposed_mm: Range
    adamkiewicz_left: float = Field(ge=0, le=1)
    female_share: float = Field(ge=0, le=1)

    @field_validator(
        "fat_mm", "muscle_scale", "kyphosis_scale", "size_scale", "tp_to_pleura_mm", "artery_exposed_mm"
    )
    @classmethod
    def _ordered(cls, value: Range) -> Range:
        if not value[0] <= value[1]:
            raise ValueError("a range is [low, high] with low <= high")
        return value


class AnatomySpec(Strict):
    levels: list[LevelSpec] = Field(min_length=3)
    bone: BoneSpec
    soft: SoftSpec
    vessels: VesselSpec
    landmarks: LandmarkSpec
    variation: VariationSpec

    def level_names(self) -> list[str]:
        return [lv.name for lv in self.levels]


def anatomy_path() -> Path:
    return data_path("patient", "anatomy.toml")


@cache
def load_anatomy(path: str = "") -> AnatomySpec:
    """The anatomy data file; a ScenarioError names the file, the field and the problem."""
    source = path or str(anatomy_path())
    try:
        spec = AnatomySpec.model_validate(read_toml(source))
    except ValidationError as exc:
        raise validation_error(source, exc) from None
    names = spec.level_names()
    if tuple(names) != LEVEL_NAMES:
        raise ScenarioError(
            source,
            "levels",
            f"the levels must be {', '.join(LEVEL_NAMES)} in that order, not {', '.join(names)}",
        )
    for field, name in (
        ("soft.rhomboid_lowest", spec.soft.rhomboid_lowest),
        ("landmarks.scapula_inferior_angle", spec.landmarks.scapula_inferior_angle),
        ("landmarks.scapula_spine_root", spec.landmarks.scapula_spine_root),
    ):
        if name not in names:
            raise ScenarioError(source, field, f"'{name}' is not one of the levels {names}")
    return spec
