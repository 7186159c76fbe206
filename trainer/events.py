"""What happens to the needle during an attempt, as timed events."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    SKIN_PUNCTURE = "skin_puncture"
    NEEDLE_OUT = "needle_out"
    ENTER = "enter"
    EXIT = "exit"
    BONE_CONTACT = "bone_contact"
    PLEURA_CONTACT = "pleura_contact"
    PLEURA_PUNCTURE = "pleura_puncture"
    VESSEL_CONTACT = "vessel_contact"
    VESSEL_PUNCTURE = "vessel_puncture"
    NERVE_CONTACT = "nerve_contact"
    NEURAXIS_ENTRY = "neuraxis_entry"
    FORAMEN_ENTRY = "foramen_entry"
    TARGET_ENTRY = "target_entry"
    TARGET_EXIT = "target_exit"
    TISSUE_DRAG = "tissue_drag"
    INJECTION = "injection"


@dataclass(frozen=True, slots=True)
class Event:
    """One event: when, what, which structure, where the tip was, and whether it fails the attempt."""

    time_s: float
    kind: EventKind
    structure: str
    tip_mm: tuple[float, float]
    critical: bool = False
    compartment: str = ""
    volume_ml: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "time_s": round(self.time_s, 4),
            "kind": self.kind.value,
            "structure": self.structure,
            "tip_mm": [round(self.tip_mm[0], 3), round(self.tip_mm[1], 3)],
            "critical": self.critical,
        }
        if self.kind == EventKind.INJECTION:
            d["compartment"] = self.compartment
            d["volume_ml"] = round(self.volume_ml, 4)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            time_s=float(d["time_s"]),
            kind=EventKind(d["kind"]),
            structure=str(d["structure"]),
            tip_mm=(float(d["tip_mm"][0]), float(d["tip_mm"][1])),
            critical=bool(d["critical"]),
            compartment=str(d.get("compartment", "")),
            volume_ml=float(d.get("volume_ml", 0.0)),
        )
