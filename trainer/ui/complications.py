"""What a critical event would do to a patient, and what the clinician must do: the complication
card shown when it happens and repeated in the debrief.

The wording follows the usual teaching for regional anaesthesia; sources: the ASRA checklist for
local anaesthetic systemic toxicity (Neal et al., Reg Anesth Pain Med 2018; 2020 update), the BTS
guideline for pleural disease (Roberts et al., Thorax 2023) and NYSORA's thoracic paravertebral and
ESP block chapters. It is a reminder for practice, not a protocol: local protocols come first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Complication:
    title: str
    course: str  # what happens to the patient
    actions: tuple[str, ...]  # what the clinician must do, in order

    def text(self) -> str:
        return f"{self.title}. {self.course} What to do: {' '.join(self.actions)}"


COMPLICATIONS: dict[str, Complication] = {
    "pleura_puncture": Complication(
        "Pneumothorax",
        "Air leaks from the punctured lung into the pleural space. Over minutes to hours the patient "
        "may develop pleuritic chest pain, cough, breathlessness and falling oxygen saturation; on "
        "ultrasound lung sliding disappears below the puncture. Rarely it becomes a tension "
        "pneumothorax: hypotension, distended neck veins, tracheal shift.",
        (
            "Stop and withdraw the needle.",
            "Tell the patient and the team; give oxygen and monitor saturation, breathing and blood "
            "pressure.",
            "Look for lung sliding with the probe and arrange a chest X-ray.",
            "A small pneumothorax in a stable patient is observed; a large or symptomatic one needs "
            "aspiration or a chest drain, and a tension pneumothorax immediate decompression.",
        ),
    ),
    "arterial_puncture": Complication(
        "Arterial puncture",
        "Bleeding around the artery; deep in the paravertebral region it cannot be compressed, and a "
        "haematoma can spread or, near the foramen, press on the cord. Injecting now would go straight "
        "into the circulation.",
        (
            "Do not inject. Withdraw the needle and apply pressure where the site can be compressed.",
            "Watch for a growing haematoma, pain and new weakness or numbness in the legs; check the "
            "patient's anticoagulants.",
            "Check the path with colour Doppler before any new pass.",
        ),
    ),
    "critical_vessel_puncture": Complication(
        "Vessel to avoid punctured",
        "In a patient this is bleeding from a named vessel, and any injection would be intravascular.",
        (
            "Do not inject. Withdraw, and apply pressure where you can.",
            "Map the vessel with colour Doppler and plan a path that keeps clear of it.",
        ),
    ),
    "intravascular_injection": Complication(
        "Intravascular injection",
        "Local anaesthetic systemic toxicity (LAST) threatens: local anaesthetic in a vessel reaches "
        "the brain and heart within seconds to minutes: metallic "
        "taste, tinnitus, perioral numbness and agitation, then seizures, arrhythmia and cardiovascular "
        "collapse. Into a segmental or radicular artery it can also injure the spinal cord.",
        (
            "Stop injecting at once and call for help.",
            "Airway and 100 % oxygen; treat seizures with a benzodiazepine.",
            "Give 20 % lipid emulsion early, as the ASRA LAST checklist sets out (bolus then infusion).",
            "If the heart arrests, start CPR with small adrenaline doses and continue it for long; "
            "call for cardiopulmonary bypass where available.",
        ),
    ),
    "neuraxis_entry": Complication(
        "Neuraxial entry",
        "The tip is in the epidural or intrathecal space. Injecting there can give a high or total "
        "spinal block: low blood pressure, slow heart rate, weak breathing, loss of consciousness. A "
        "dural puncture can leave a post-dural puncture headache; the cord itself can be injured.",
        (
            "Do not inject. Withdraw the needle and look for CSF.",
            "Monitor blood pressure, heart rate, breathing and sensory level.",
            "If a block spreads high: airway support and ventilation, fluids and vasopressors; tell the "
            "patient about a possible headache later.",
        ),
    ),
    "foramen_entry": Complication(
        "Foramen entry",
        "The spinal nerve root and the radicular arteries run here. The needle can injure the nerve, "
        "and an injection can spread into the epidural space or reach the cord's blood supply.",
        (
            "Do not inject. Withdraw to the bone you were aiming for.",
            "Ask about pain shooting along a rib (nerve contact) and watch for epidural spread and new "
            "weakness.",
        ),
    ),
}


def complications(codes: Iterable[str]) -> list[Complication]:
    """The cards for these error codes (trainer/assessment/findings.py), each once, in order; codes
    without a card (not complications) are left out."""
    return [COMPLICATIONS[c] for c in dict.fromkeys(codes) if c in COMPLICATIONS]


def record_complications(record: Mapping[str, Any]) -> list[Complication]:
    """The complications of a stored attempt: its critical errors that have a card."""
    return complications(str(e.get("code")) for e in record.get("errors") or [] if e.get("critical"))
