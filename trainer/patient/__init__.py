"""The 3D patient: a parametric prone thoracic spine (C7-L1, both sides) that any probe pose slices."""

from trainer.patient.body import Patient, build_patient, patient_for
from trainer.patient.frame import Frame

__all__ = ["Frame", "Patient", "build_patient", "patient_for"]
