"""Captions for the expert demo: what the autopilot is doing now, and why."""

from __future__ import annotations

from trainer.actions import TimedAction
from trainer.orientation import axis_names
from trainer.scenario.model import Scenario


def narrate(sc: Scenario, script: list[TimedAction], next_index: int, done: bool) -> str:
    """The caption for the step the demo has reached (`next_index` actions applied so far)."""
    if done:
        return (
            f"Done. The injectate went where it should ({', '.join(sc.goal.compartments)}). "
            "Now try it yourself."
        )
    current = script[next_index - 1].action.name if next_index > 0 else "move_probe"
    left, right, minus_y, plus_y = axis_names(sc)
    low, high = sc.approach.angle_range_deg
    side = left if sc.approach.direction > 0 else right
    captions = {
        "move_probe": (
            f"Scanning. The probe slides out of plane ({minus_y}/{plus_y}) until the "
            f"correct view appears: {sc.primary.description.lower()}. Wrong views are part "
            "of the lesson: look at what changes."
        ),
        "set_imaging": (
            "Depth set so the target sits in the middle of the image, focus at the target "
            "depth for the sharpest picture."
        ),
        "insert": (
            f"Puncture just beyond the {side} end of the probe, in line with the beam, "
            f"{low:.0f}-{high:.0f} deg to the skin."
        ),
        "advance": (
            "Advancing slowly in plane. The whole shaft and the tip stay in view; if the tip "
            "disappears, stop and find it with the probe before going on."
        ),
        "step": "Tip at the target. A moment to confirm the position before injecting.",
        "inject": (f"Injecting {sc.goal.volume_ml:g} mL. Watch the spread: {sc.goal.description.lower()}."),
    }
    return captions.get(current, captions["advance"])
