"""The scenario file format as pydantic models: types, ranges and unknown keys are checked here."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from trainer.tissue import GAUGE_OUTER_DIAMETER_MM, TissueKind

Point = tuple[Annotated[float, Field(ge=-500, le=500)], Annotated[float, Field(ge=-5, le=300)]]
Range = tuple[float, float]
MAX_VIEWS = 16  # named views (or drawn planes) of one procedure; each costs a cut of the patient


class Strict(BaseModel):
    """Base model: unknown keys are errors, values are never coerced from strings, and every number
    is finite (inf and nan are refused where they are written)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


def _check_range(value: Range, low: float, high: float, what: str) -> Range:
    if not low <= value[0] <= value[1] <= high:
        raise ValueError(f"{what} must be [low, high] with {low} <= low <= high <= {high}")
    return value


class ProbeSpec(Strict):
    kind: Literal["linear", "curvilinear"]
    frequency_mhz: float = Field(ge=1.0, le=20.0)
    footprint_mm: float = Field(ge=10.0, le=100.0)
    default_depth_mm: float = Field(ge=20.0, le=200.0)
    start_x_mm: float = 0.0
    start_y_mm: float = 0.0
    slice_thickness_mm: float = Field(default=1.5, ge=0.5, le=5.0)
    elevation_focus_mm: float = Field(default=25.0, ge=5.0, le=150.0)
    radius_mm: float = Field(default=50.0, ge=10.0, le=120.0)


class NeedleSpec(Strict):
    gauge: int
    length_mm: float = Field(ge=25.0, le=200.0)

    @model_validator(mode="after")
    def _known_gauge(self) -> NeedleSpec:
        if self.gauge not in GAUGE_OUTER_DIAMETER_MM:
            known = ", ".join(str(g) for g in GAUGE_OUTER_DIAMETER_MM)
            raise ValueError(f"gauge {self.gauge} is not one of {known}")
        return self


class ApproachSpec(Strict):
    entry_side: Literal["cranial", "caudal", "medial", "lateral"]
    angle_deg: Range

    @model_validator(mode="after")
    def _angles(self) -> ApproachSpec:
        _check_range(self.angle_deg, 5.0, 85.0, "angle_deg")
        return self


class TargetSpec(Strict):
    zone: list[Point] = Field(min_length=4)
    point: Point
    compartments: list[str] = Field(min_length=1)
    volume_ml: float = Field(gt=0.0, le=40.0)
    description: str = ""


class PhysiologySpec(Strict):
    breathing_per_min: float = Field(default=14.0, ge=0.0, le=40.0)
    heart_rate_per_min: float = Field(default=72.0, ge=30.0, le=180.0)
    pleura_excursion_mm: float = Field(default=0.8, ge=0.0, le=5.0)
    lung_slide_mm: float = Field(default=2.0, ge=0.0, le=10.0)
    artery_pulse_fraction: float = Field(default=0.12, ge=0.0, le=0.4)


class SectionSpec(Strict):
    x_mm: Range
    depth_mm: float = Field(ge=30.0, le=250.0)

    @model_validator(mode="after")
    def _width(self) -> SectionSpec:
        _check_range(self.x_mm, -500.0, 500.0, "x_mm")
        if self.x_mm[1] - self.x_mm[0] < 40.0:
            raise ValueError("the section must be at least 40 mm wide")
        return self


class VariationSpec(Strict):
    fat_mm: Range = (4.0, 20.0)
    muscle_scale: Range = (0.85, 1.2)
    anchor: str | None = None
    anchor_depth_mm: Range | None = None
    vessel_jitter_mm: float = Field(default=1.5, ge=0.0, le=5.0)

    @model_validator(mode="after")
    def _ranges(self) -> VariationSpec:
        _check_range(self.fat_mm, 0.5, 60.0, "fat_mm")
        _check_range(self.muscle_scale, 0.5, 2.0, "muscle_scale")
        if (self.anchor is None) != (self.anchor_depth_mm is None):
            raise ValueError("anchor and anchor_depth_mm go together")
        if self.anchor_depth_mm is not None:
            _check_range(self.anchor_depth_mm, 1.0, 200.0, "anchor_depth_mm")
        return self


class LayerSpec(Strict):
    """A band of tissue under the previous layer; `bottom_mm` is a depth or a polyline of [x, z]."""

    name: str = Field(min_length=1)
    kind: TissueKind
    bottom_mm: float | list[Point] | None = None
    fibre_deg: float | None = None
    note: str = ""

    @field_validator("bottom_mm", mode="before")
    @classmethod
    def _two_points(cls, value: object) -> object:
        if isinstance(value, list) and len(value) < 2:
            raise ValueError("give one depth in mm or a polyline of at least 2 [x, z] points")
        return value


class StructureSpec(Strict):
    """One structure drawn over the layers; exactly one shape field is given."""

    name: str = Field(min_length=1)
    kind: TissueKind
    polygon: list[Point] | None = None
    polyline: list[Point] | None = None
    thickness_mm: float | None = Field(default=None, gt=0.0, le=20.0)
    circle: tuple[float, float, float] | None = None
    ellipse: tuple[float, float, float, float, float] | None = None
    within: str | None = None
    fibre_deg: float | None = None
    note: str = ""

    @model_validator(mode="after")
    def _one_shape(self) -> StructureSpec:
        shapes = [s for s in ("polygon", "polyline", "circle", "ellipse") if getattr(self, s)]
        if len(shapes) != 1:
            raise ValueError("give exactly one of polygon, polyline, circle, ellipse")
        if (self.polyline is None) != (self.thickness_mm is None):
            raise ValueError("a polyline needs thickness_mm, and only a polyline has one")
        return self


class PlaneSpec(Strict):
    name: str = Field(min_length=1)
    y_mm: float = Field(ge=-60.0, le=60.0)
    description: str = ""
    layers: list[LayerSpec] = Field(min_length=1)
    structures: list[StructureSpec] = []


class PoseSpec(Strict):
    """A probe pose on the 3D patient: over `level`'s TP row, `lateral_mm` from the midline."""

    level: str = Field(pattern=r"^(C7|T([1-9]|1[0-2])|L1)$")
    side: Literal["right", "left"] = "right"
    lateral_mm: float = Field(ge=0.0, le=120.0)
    rotation_deg: float = Field(default=0.0, ge=-180.0, le=180.0)
    caudal_mm: float = Field(default=0.0, ge=-30.0, le=30.0)  # from the TP row along the spine


class PatientSpec(Strict):
    """Where the procedure happens on the 3D patient: the planned view and the structure the target
    zone is drawn from (zone and point are then relative to the anchor's top centre)."""

    plan: PoseSpec
    start: PoseSpec | None = None
    anchor: str = Field(min_length=1)
    target_half_thickness_mm: float = Field(default=3.0, gt=0.0, le=10.0)


class ViewSpec(Strict):
    """A named view of the 3D patient: the scene plane at `y_mm` from the planned one."""

    name: str = Field(min_length=1)
    y_mm: float = Field(ge=-60.0, le=60.0)
    description: str = ""


class ScenarioSpec(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    level: str
    difficulty: Literal["warm-up", "beginner", "intermediate", "advanced"]
    region: Literal["thoracic", "phantom"]
    orientation: Literal["parasagittal", "oblique", "transverse"]
    summary: str = Field(min_length=1)
    sources: list[str] = []
    probe: ProbeSpec
    needle: NeedleSpec
    approach: ApproachSpec
    target: TargetSpec
    critical: list[str] = []
    physiology: PhysiologySpec = PhysiologySpec()
    section: SectionSpec
    variation: VariationSpec = VariationSpec()
    planes: list[PlaneSpec] = Field(default=[], max_length=MAX_VIEWS)
    patient: PatientSpec | None = None
    views: list[ViewSpec] = Field(default=[], max_length=MAX_VIEWS)

    @model_validator(mode="after")
    def _planes_or_patient(self) -> ScenarioSpec:
        if self.patient is None and not self.planes:
            raise ValueError("give either drawn [[planes]] or a [patient] with [[views]]")
        if self.patient is not None and (self.planes or not self.views):
            raise ValueError("a scenario on the 3D patient has [[views]] and no drawn [[planes]]")
        return self
