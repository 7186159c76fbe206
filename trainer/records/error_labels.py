"""Short labels for the assessment's error codes, for tables and charts (the feedback has the sentences).

The codes are those of `trainer.assessment.findings` (docs/scoring.md, "The errors the trainer detects");
a test keeps this table and the feedback templates naming the same codes.
"""

from __future__ import annotations

ERROR_LABELS: dict[str, str] = {
    "pleura_puncture": "pleura punctured",
    "arterial_puncture": "artery punctured",
    "critical_vessel_puncture": "vessel to avoid punctured",
    "intravascular_injection": "intravascular injection",
    "neuraxis_entry": "needle in the neuraxis",
    "foramen_entry": "needle in the foramen",
    "blind_advance": "advanced without seeing the tip",
    "probe_drift": "probe drifted out of plane",
    "steep_angle": "needle too steep to see",
    "wrong_view": "advanced in a wrong view",
    "needle_out_of_plane": "needle off the beam's slice",
    "intramuscular_injection": "injected into muscle",
    "wrong_compartment": "injected into the wrong compartment",
    "wrong_target": "entered the wrong joint",
    "maldistribution": "injectate spread where it should not",
    "missed_target": "missed the target",
    "incomplete_volume": "too little volume on target",
    "near_miss": "near miss of a hazard",
    "vessel_puncture": "vein punctured",
    "nerve_contact": "nerve touched",
    "redirections": "too many redirections",
    "extra_passes": "too many skin punctures",
    "tissue_damage": "tissue swept at depth",
    "slow": "too slow",
    "long_path": "needle path too long",
    "needle_lost_by_probe": "probe lost the needle while advancing",
    "poor_entry": "entry site or angle hid the needle",
    "overdose": "more than the planned volume",
    "underdose": "less than the planned volume",
    "orientation_error": "image orientation not recognised",
    "injected_through_maldistribution": "went on injecting through a wrong spread",
    "wrong_level": "wrong vertebral level",
}


def error_label(code: str) -> str:
    """The label for an error code; a code this version does not know reads as its words."""
    return ERROR_LABELS.get(code, code.replace("_", " "))
