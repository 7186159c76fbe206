"""What the procedure's side panel shows, as rows: the needle (depth inserted, angle to the skin,
tilt, fine control, syringe, time) in every mode, the hint, the imaging controls, and in guided mode
the live metrics the score will use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.events import EventKind
from trainer.ui import theme
from trainer.ui.side_panel import Row, heading, line
from trainer.ui.syringe import EMPTY_ML
from trainer.ui.tip_status import tip_status

if TYPE_CHECKING:
    from trainer.ui.screens.procedure import ProcedureScreen

STEPPERS: tuple[tuple[str, str, str, float, str], ...] = (
    # name, label, probe attribute, step, unit shown
    ("depth", "Depth", "depth_mm", 5.0, "cm"),
    ("gain", "Gain", "gain_db", 2.0, "dB"),
    ("focus", "Focus", "focus_mm", 2.0, "cm"),
    ("dynamic_range", "Dynamic range", "dynamic_range_db", 5.0, "dB"),
    ("tgc_near", "TGC near", "tgc_near_db", 2.0, "dB"),
    ("tgc_far", "TGC far", "tgc_far_db", 2.0, "dB"),
)
PRESETS = (("pen", "Pen", 0.7), ("gen", "Gen", 1.0), ("res", "Res", 1.3))
LIVE_METRICS = (  # (metric, label, unit) shown in guided mode
    ("tip_visible_pct", "Tip seen while advancing", "%"),
    ("blind_advance_mm", "Blind advance", "mm"),
    ("closest_pleura_mm", "Closest to pleura", "mm"),
    ("redirections", "Redirections", ""),
    ("tissue_damage_mm2", "Tissue swept", "mm²"),
)


def rows(screen: ProcedureScreen) -> tuple[Row, ...]:
    return (*needle_rows(screen), *hint_rows(screen), *imaging_rows(screen), *live_rows(screen))


def needle_rows(screen: ProcedureScreen) -> list[Row]:
    n, names = screen.sim.needle, screen.names
    rows = [heading("Needle")]
    if n.inserted:
        rows.append(line("Inserted", f"{n.depth_mm:.1f} of {n.length_mm:.0f} mm"))
        rows.append(line("Angle to skin", f"{n.skin_angle_deg:.1f}°"))
    else:
        m = screen.controls.marker
        rows.append(line("Inserted", f"not yet (of {n.length_mm:.0f} mm)"))
        rows.append(line("Angle to skin", f"{m.skin_angle_deg:.0f}° planned"))
    tilt = n.tilt_deg
    side = names[3] if tilt > 0 else names[2]
    rows.append(line("Tilt", f"{abs(tilt):.1f}° {side}" if abs(tilt) >= 0.05 else "0° (in plane)"))
    if screen.guided and n.inserted:
        rows.append(line("Tip in", (screen.sim.tip_holder or "-").replace("_", " ")))
    fine = screen.controls.fine_held
    key = screen.app.bindings.key_name("fine")
    rows.append(line(f"Fine control ({key})", "ON" if fine else "off", theme.WARN if fine else theme.TEXT))
    injected = screen.sim.injectate.total_ml + sum(
        e.volume_ml for e in screen.sim.events if e.kind == EventKind.INJECTION and e.critical
    )
    goal, syringe = screen.sc.goal.volume_ml, screen.controls.syringe
    if syringe.empty:
        refill = screen.app.bindings.key_name("refill")
        rows.append(line("Syringe", f"empty ({refill} refills)", theme.WARN))
    else:
        rows.append(line("Syringe", f"{syringe.content_ml:.1f} of {syringe.capacity_ml:g} mL"))
    over = injected > goal + EMPTY_ML  # more than planned: the assessment counts it (scoring.md)
    rows.append(line("Given", f"{injected:.1f} / {goal:g} mL", theme.WARN if over else theme.TEXT))
    rows.append(Row("bar", share=injected / goal))
    clock = f"{screen.sim.time_s:5.1f} s"
    if screen.exam:
        clock += f" of {screen.app.settings.exam_time_limit_s:.0f}"
    rows.append(line("Time", clock))
    return rows


def hint_rows(screen: ProcedureScreen) -> list[Row]:
    if screen.exam:
        return []
    rows = [heading("Hint")]
    if screen.hint_text:
        rows.append(Row("text", value=screen.hint_text, colour=theme.NEEDLE_PATH))
    return [*rows, Row("buttons", buttons=("hint",))]


def imaging_rows(screen: ProcedureScreen) -> list[Row]:
    p = screen.sim.probe
    rows = [heading("Imaging")]
    for name, label, attr, _, unit in STEPPERS:
        value = getattr(p, attr)
        signed = attr.startswith(("gain", "tgc"))
        shown = f"{value / 10:.1f} {unit}" if unit == "cm" else f"{value:{'+' if signed else ''}.0f} {unit}"
        rows.append(Row("stepper", label, shown, buttons=(f"{name}_less", f"{name}_more")))
    for key, _, factor in PRESETS:
        chosen = abs(p.frequency_mhz - screen.sc.probe.frequency_mhz * factor) < 1e-6
        screen.button(f"preset_{key}").selected = chosen
    screen.button("doppler").selected = p.doppler
    rows.append(Row("buttons", buttons=tuple(f"preset_{key}" for key, *_ in PRESETS)))
    rows.append(Row("buttons", buttons=("doppler",)))
    return rows


def live_rows(screen: ProcedureScreen) -> list[Row]:
    """Guided mode: the metrics the score will use, as they stand now."""
    if not screen.guided:
        return []
    values = screen.sim.assessment.values()
    status, colour = tip_status(screen.sim)
    rows = [heading("Live"), Row("text", value=f"Tip: {status}", colour=colour)]
    for name, label, unit in LIVE_METRICS:
        value = values.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            rows.append(line(label, f"{value:.0f} {unit}".strip()))
    return rows
