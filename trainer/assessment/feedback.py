"""Feedback a resident understands: per finding, what happened and when, why it matters
clinically, and what to do next time; and a list of what went well."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trainer.assessment.facts import ScenarioFacts
from trainer.assessment.findings import OVER_ALLOWANCE, Finding
from trainer.assessment.gates import OVERDOSE_GATE_PCT, TEST_DOSE_SHARE
from trainer.tissue import TissueKind

# code -> (what happened, why it matters, what to do next time); fields come from `_context`.
TEMPLATES: dict[str, tuple[str, str, str]] = {
    "pleura_puncture": (
        "{At} the needle went through the pleura into the lung.",
        "In a patient this risks a pneumothorax, the most feared complication of thoracic blocks.",
        "Know the depth of the pleura before you start, keep the tip in view, and stop on the bone "
        "that shields it.",
    ),
    "arterial_puncture": (
        "{At} the needle punctured an artery ({about}).",
        "That risks a haematoma and, if you inject, local-anaesthetic toxicity or cord ischaemia.",
        "Check the path with colour Doppler before inserting and keep the tip in view past vessels.",
    ),
    "critical_vessel_puncture": (
        "{At} the needle punctured {about}, a vessel this procedure must avoid.",
        "Puncturing it causes bleeding and risks an intravascular injection.",
        "Keep the whole path in view and plan it clear of the vessel before inserting.",
    ),
    "intravascular_injection": (
        "{At} you injected into a blood vessel ({about}).",
        "Intravascular local anaesthetic can cause seizures and cardiac arrest within seconds.",
        "Inject only with the tip in view outside any vessel, and give a test dose first: no "
        "visible spread means stop.",
    ),
    "neuraxis_entry": (
        "{At} the needle entered the neuraxis ({about}).",
        "Epidural or intrathecal placement can cause a high block, a dural puncture or nerve injury.",
        "Know where the spinal canal lies in this view and never advance medially past the target's "
        "bony landmark.",
    ),
    "foramen_entry": (
        "{At} the needle entered the intervertebral foramen ({about}).",
        "The foramen holds the nerve root and the segmental artery: nerve injury and cord "
        "ischaemia are possible.",
        "Stop on the bony target, stay shallow and lateral to the foramen, and withdraw if you lose the tip.",
    ),
    "blind_advance": (
        "{From} on, you advanced the needle {amount:.0f} mm in all without seeing its tip.",
        "An unseen tip can be in the pleura or a vessel before you know it; a shaft cut off by the "
        "beam is easily mistaken for the tip.",
        "Advance only with the tip on screen; if you lose it, stop and find it by sliding or tilting "
        "the probe, not by pushing the needle.",
    ),
    "probe_drift": (
        "{From} the probe moved {amount:.1f} mm out of plane while the needle was in.",
        "When the probe drifts, the needle drops out of the image and you stop seeing where it goes.",
        "Brace the probe hand on the patient and move only the needle.",
    ),
    "steep_angle": (
        "{From} you advanced {amount:.0f} mm with the needle steeper than {steep:.0f} deg to the skin.",
        "A steep needle sends little echo back to the probe, so it fades from the image.",
        "Enter further from the probe to flatten the angle; aim for {lo:.0f}-{hi:.0f} deg here.",
    ),
    "wrong_view": (
        "{From} you advanced {amount:.0f} mm in a wrong view, the {about}.",
        "{view_risk}",
        "Find the correct view before inserting ({correct}), and keep the probe there.",
    ),
    "needle_out_of_plane": (
        "{From} you advanced {amount:.0f} mm with the probe in the right view but the needle off its slice.",
        "A needle off the beam's slice shows only where it crosses it, so a cut shaft passes for the tip.",
        "Keep the needle in line with the probe's long axis; if it fades, bring the needle back "
        "into the beam before advancing.",
    ),
    "intramuscular_injection": (
        "{At} you injected with the tip inside a muscle ({about}).",
        "Injectate in muscle bulges locally instead of spreading along the plane: the block fails.",
        "Before injecting, give 0.5-1 mL and look for spread along the plane; a bulge in the muscle "
        "means reposition.",
    ),
    "wrong_compartment": (
        "{At} you injected into the wrong compartment ({about}).",
        "Injectate there does not reach the target, so the block fails.",
        "Confirm the tip is on the target before injecting and watch the first 0.5 mL spread.",
    ),
    "wrong_target": (
        "{At} the needle entered the wrong joint ({about}).",
        "Ending in the wrong joint (such as the facet instead of the costovertebral joint) is a "
        "published cause of failed injections: the wrong joint gets treated.",
        "Identify the target joint by its landmarks, follow the bone to it, and confirm the level "
        "before advancing.",
    ),
    "maldistribution": (
        "{At} {spread}.",
        "Injectate beyond its target can block the wrong nerves or reach the neuraxis, and the "
        "intended block fails.",
        "Watch the spread as you inject and stop as soon as it is not what you expect.",
    ),
    "missed_target": (
        "{missed}",
        "The injection works only there; anywhere else it fails or treats the wrong structure.",
        "Confirm the tip on the target in the image before injecting.",
    ),
    "incomplete_volume": (
        "Only {amount:.0f} % of the planned {volume:g} mL went onto the target.",
        "Volume given off the target does not reach the structure the block is for.",
        "Hold the tip on the target for the whole injection and watch the spread.",
    ),
    "underdose": (
        "You injected {amount:.0f} % of the planned {volume:g} mL.",
        "Too little volume may not spread far enough for the block to work.",
        "Give the planned volume with the tip held on the target.",
    ),
    "near_miss": (
        "{At} the tip {near} {hazard}.",
        "A few millimetres more would have been a critical error.",
        "Keep at least {margin:.0f} mm from hazards: slow down near them, with the tip in view.",
    ),
    "vessel_puncture": (
        "{At} the needle punctured a vein ({about}).",
        "That causes bleeding and risks an intravascular injection.",
        "Check the path with colour Doppler; if you enter a vessel, withdraw and redirect.",
    ),
    "nerve_contact": (
        "{At} the needle touched a nerve ({about}).",
        "Needle-to-nerve contact hurts and can injure the nerve.",
        "Advance slowly near nerves with the tip in view.",
    ),
    "needle_lost_by_probe": (
        "{From} the probe moved off the needle and you advanced {amount:.0f} mm without finding it again.",
        "With the needle out of the image you cannot know where its tip goes.",
        "Brace the probe hand on the patient; when the needle vanishes, stop the needle and bring "
        "the probe back to it.",
    ),
    "poor_entry": (
        "{poor_entry}",
        "A needle the beam cannot show is a needle advanced blind.",
        "Puncture the skin just beyond the probe's end, in line with the beam, at {lo:.0f}-{hi:.0f} deg.",
    ),
    "overdose": (
        "You injected {amount:.0f} % of the planned {volume:g} mL.",
        "More local anaesthetic than planned adds toxicity risk and spreads beyond the target.",
        "Draw up the planned volume and stop when it is given.",
    ),
    "injected_through_maldistribution": (
        "{At} {spread}, and you injected {amount:.1f} mL more after it showed.",
        "Injectate that is already going the wrong way only goes further with more volume.",
        "Stop injecting at the first sign of a wrong spread, then reposition the tip.",
    ),
    "wrong_level": (
        "{At} you injected at {about}, not at {level}.",
        "The wrong level gets treated and the intended one is missed; counting levels often goes "
        "wrong (counting down from C7 is right only 57 % of the time, Heo 2017).",
        "Count the levels from a reliable landmark (up from the 12th rib) and confirm the level "
        "in the image before inserting.",
    ),
    "orientation_error": (
        "{orientation}",
        "Not matching the patient's side with the image side is a published resident error (Sites "
        "2007): the needle then moves the opposite way to where you expect it.",
        "Before inserting, slide the probe a little toward the patient's head and check which side of "
        "the image moves; report a mirrored image ({report_key}).",
    ),
    "redirections": (
        "You redirected the needle {amount:.0f} times, the first {at}.",
        "Each redirection at depth cuts more tissue and adds to bleeding and pain.",
        "Plan the angle before entering; to redirect, withdraw toward the skin first.",
    ),
    "extra_passes": (
        "You punctured the skin {amount:.0f} times.",
        "Each new pass adds pain, bleeding and infection risk.",
        "Plan the entry point and angle on the image before puncturing the skin.",
    ),
    "tissue_damage": (
        "Steering at depth swept {amount:.0f} mm2 of tissue with the shaft, the first {at}.",
        "A needle swung at depth cuts like a blade: bruising, pain and bleeding.",
        "Withdraw to just under the skin before changing direction.",
    ),
    "slow": (
        "The attempt took {amount:.0f} s, longer than the {limit:.0f} s expected.",
        "Long procedures tire patient and operator, and fatigue breeds errors.",
        "Plan the view and the path before inserting.",
    ),
    "long_path": (
        "The needle travelled {amount:.1f} times the straight path to the target.",
        "Extra travel means more tissue trauma and more chances to meet a hazard.",
        "Choose the entry point and angle so that one straight advance reaches the target.",
    ),
}
MISSED = {
    "injection": "You injected {amount:.1f} mm from the target ({target}).",
    "end": "The tip ended {amount:.1f} mm from the target ({target}), with nothing injected.",
    "closest": "The needle never reached the target ({target}): its tip came no closer than {amount:.1f} mm.",
}
ORIENTATION = {
    "missed": "{At} you punctured the skin without noticing that the image was shown mirrored.",
    "false_report": "{At} you reported a mirrored image, but it was shown the right way round.",
}
REPORT_KEY = "the Report mirrored key, M unless remapped"
POOR_ENTRY = {
    "unseen": "The needle stayed out of the image for its first {amount:.0f} mm from the skin.",
    "steep": "You advanced {amount:.0f} mm with the needle steeper than {steep:.0f} deg to the skin.",
}
# Why a gate keeps the attempt below competent, per finding code (fields from `_context`).
GATE_REASONS = {
    "blind_advance": "more than {gate_blind_advance_mm:.0f} mm advanced unseen, or less than "
    "{gate_tip_visible_pct:.0f} % of the travel seen once past the allowance",
    "needle_lost_by_probe": "more than {gate_lost_by_probe_mm:.0f} mm advanced after the probe lost "
    "the needle",
    "poor_entry": "the needle out of view for more than {gate_unseen_entry_mm:.0f} mm from the skin, "
    "or more than {gate_steep_advance_mm:.0f} mm advanced too steep",
    "intramuscular_injection": "more than a {test_dose:g} mL test dose injected in muscle",
    "wrong_compartment": "more than a {test_dose:g} mL test dose injected outside the target compartment",
    "tissue_damage": "more than {gate_tissue_damage_mm2:.0f} mm2 of tissue swept by redirecting at depth, "
    "or more than {limit:.0f} mm2 swept by swinging the shaft at depth more than {gate_tissue_drags:.0f} "
    "times without withdrawing",
    "maldistribution": "more than a {test_dose:g} mL test dose injected off the target",
    "injected_through_maldistribution": "injecting on after a maldistribution showed",
    "overdose": "more than {overdose_pct:.0f} % of the planned volume injected",
    "wrong_level": "the wrong level treated",
    "orientation_error": "a mirrored image not noticed before puncturing the skin",
}
GATE_NOTE = "This alone keeps the attempt below competent, whatever its score: {reason}."
HAZARD_NAMES = {"pleura": "the pleura", "vessel": "a vessel", "neuraxis": "the neuraxis or foramen"}
SPREAD = {
    "overflow": "the injectate overflowed the joint capsule",
    "epidural": "the injectate spread toward the epidural space",
    "foraminal": "the injectate spread into the foramen",
    "pleural": "the injectate reached the pleura",
    "misplaced": "you kept injecting ({amount:.1f} mL) although the injectate went elsewhere",
}


def clock(time_s: float | None) -> str:
    """Attempt time as m:ss."""
    t = round(time_s or 0.0)
    return f"{t // 60}:{t % 60:02d}"


def sentence(f: Finding, facts: ScenarioFacts, limits: Mapping[str, float]) -> str:
    """The feedback for one finding: what happened and when, why it matters, what to do.
    `limits`: the attempt's allowances and margins (thresholds.limits)."""
    what, why, next_time = TEMPLATES.get(f.code, ("{At} {code}.", "", ""))
    ctx = _context(f, facts, limits)
    gate = GATE_NOTE.format(reason=GATE_REASONS.get(f.code, f.code).format(**ctx)) if f.gate else ""
    return " ".join(part.format(**ctx) for part in (what, gate, why, next_time) if part)


def _context(f: Finding, facts: ScenarioFacts, limits: Mapping[str, float]) -> dict[str, Any]:
    sc = facts.scenario
    lo, hi = sc.approach.angle_range_deg
    wrong = next((p for p in sc.planes if p.name == f.about), None)
    ctx: dict[str, Any] = {
        "code": f.code,
        "about": f.about.replace("_", " "),
        "amount": f.amount,
        "At": f"At {clock(f.time_s)}",
        "From": f"From {clock(f.time_s)}",
        "at": f"at {clock(f.time_s)}",
        "lo": lo,
        "hi": hi,
        "steep": facts.steep_limit_deg,
        "target": _lower_first(sc.goal.description),
        "volume": sc.goal.volume_ml,
        "correct": _lower_first(sc.primary.description),
        "margin": limits.get(f"near_miss_{f.about}_mm", 0.0),
        "limit": limits.get(OVER_ALLOWANCE.get(f.code, ""), 0.0),
        "missed": MISSED.get(f.about, "").format(amount=f.amount, target=_lower_first(sc.goal.description)),
        "near": "touched" if f.amount < 0.05 else f"came within {f.amount:.1f} mm of",
        "hazard": HAZARD_NAMES.get(f.about, f.about),
        "level": sc.level,
        "test_dose": min(limits.get("misplaced_volume_ml", 0.0), TEST_DOSE_SHARE * sc.goal.volume_ml),
        "overdose_pct": OVERDOSE_GATE_PCT,
        **{name: value for name, value in limits.items() if name.startswith("gate_")},
        "view_risk": "This view puts the pleura under the needle, away from the bone that shields it."
        if wrong and wrong.of_kind(TissueKind.PLEURA)
        else "In this view the target is not under the needle, so it heads for the wrong structure.",
    }
    ctx["report_key"] = REPORT_KEY
    ctx["orientation"] = ORIENTATION.get(f.about, "").format(**ctx)
    ctx["poor_entry"] = POOR_ENTRY.get(f.about, "").format(**ctx)
    ctx["spread"] = SPREAD.get(f.about, "the injectate spread where it should not").format(**ctx)
    return ctx


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
