"""Settings the game remembers between sessions (a small JSON file in the data folder)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from trainer.records.paths import atomic_write_text

UI_SCALES = (0.85, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
COMFORTABLE_PX = (1600, 1000)  # a window this size reads best at scale 1.0
SMALLEST_PX = (1200, 750)  # every screen is laid out to fit a window this size at scale 1.0
DIFFICULTIES = ("guided", "standard", "exam")
MODES = ("practice", "exam")


@dataclass
class Settings:
    trainee_name: str = ""
    trainee_id: str = ""
    mode: str = "practice"
    difficulty: str = "guided"
    ui_scale: float = 1.0
    ui_scale_auto: bool = True
    bindings: dict[str, str] = field(default_factory=dict)
    exam_time_limit_s: float = 300.0
    show_fps: bool = False

    @classmethod
    def load(cls, path: Path) -> tuple[Settings, str]:
        """Settings from `path`, or defaults with a message saying why the file was not used."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(), ""
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            return cls(), f"Settings could not be read ({exc}); defaults are used."
        if not isinstance(raw, dict):
            return cls(), "The settings file is damaged; defaults are used."
        return cls._from_dict(raw), ""

    @classmethod
    def _from_dict(cls, raw: dict[str, Any]) -> Settings:
        s = cls()
        for f in fields(cls):
            value = raw.get(f.name)
            if isinstance(value, type(getattr(s, f.name))) or (
                f.name == "ui_scale" and isinstance(value, int | float)
            ):
                setattr(s, f.name, value)
        s.mode = s.mode if s.mode in MODES else "practice"
        s.difficulty = s.difficulty if s.difficulty in DIFFICULTIES else "guided"
        s.ui_scale = min(UI_SCALES, key=lambda u: abs(u - float(s.ui_scale)))
        if "ui_scale" in raw and "ui_scale_auto" not in raw:  # chosen before the automatic scale existed
            s.ui_scale_auto = False
        s.bindings = {str(k): str(v) for k, v in s.bindings.items()}
        return s

    def save(self, path: Path) -> str:
        """Write atomically; returns an error message, or '' when saved."""
        try:
            atomic_write_text(path, json.dumps(asdict(self), indent=2))
        except OSError as exc:
            return f"Settings could not be saved ({exc.strerror or exc})."
        return ""


def auto_scale(window: tuple[int, int]) -> float:
    """The scale that reads comfortably in a window this size (the nearest of UI_SCALES)."""
    wanted = min(window[0] / COMFORTABLE_PX[0], window[1] / COMFORTABLE_PX[1])
    return min(UI_SCALES, key=lambda u: abs(u - wanted))


def largest_scale(window: tuple[int, int]) -> float:
    """The largest of UI_SCALES at which every screen still fits the window."""
    room = min(window[0] / SMALLEST_PX[0], window[1] / SMALLEST_PX[1])
    return max([u for u in UI_SCALES if u <= room + 1e-9], default=UI_SCALES[0])


def scale_for(window: tuple[int, int], settings: Settings) -> float:
    """The scale used: automatic from the window size, or the trainee's choice, never more than
    the window can hold."""
    wanted = auto_scale(window) if settings.ui_scale_auto else settings.ui_scale
    return min(wanted, largest_scale(window))
