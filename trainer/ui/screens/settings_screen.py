"""Settings: UI scale for high-DPI screens, key remapping, exam time limit, frame-rate display."""

from __future__ import annotations

from functools import partial

import pygame

from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.bindings import INTENTS, Bindings
from trainer.ui.screen import Screen
from trainer.ui.settings import UI_SCALES
from trainer.ui.widgets import Button, text

TIME_LIMITS_S = (120.0, 180.0, 300.0, 420.0, 600.0)


class SettingsScreen(Screen):
    title = "Settings"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.waiting_for: str | None = None
        self.buttons = [
            *[Button(f"scale_{s}", f"{round(s * 100)} %", partial(self.set_scale, s)) for s in UI_SCALES],
            *[
                Button(f"limit_{int(t)}", f"{t / 60:g} min", partial(self.set_limit, t))
                for t in TIME_LIMITS_S
            ],
            Button("fps", "Show frame rate", self.toggle_fps),
            Button("reset_keys", "Reset keys", self.reset_keys),
            Button("back", "Save and back", self.back),
            *[Button(f"key_{i.name}", "", partial(self.listen, i.name)) for i in INTENTS],
        ]
        self.refresh()

    def refresh(self) -> None:
        s = self.app.settings
        for scale in UI_SCALES:
            self.button(f"scale_{scale}").selected = scale == s.ui_scale
        for t in TIME_LIMITS_S:
            self.button(f"limit_{int(t)}").selected = t == s.exam_time_limit_s
        self.button("fps").selected = s.show_fps
        for i in INTENTS:
            b = self.button(f"key_{i.name}")
            b.label = "press a key…" if self.waiting_for == i.name else self.app.bindings.key_name(i.name)
            b.selected = self.waiting_for == i.name

    def set_scale(self, scale: float) -> None:
        self.app.set_ui_scale(scale)
        self.refresh()

    def set_limit(self, seconds: float) -> None:
        self.app.settings.exam_time_limit_s = seconds
        self.refresh()

    def toggle_fps(self) -> None:
        self.app.settings.show_fps = not self.app.settings.show_fps
        self.refresh()

    def reset_keys(self) -> None:
        self.app.bindings = Bindings()
        self.waiting_for = None
        self.refresh()

    def listen(self, intent: str) -> None:
        self.waiting_for = intent
        self.refresh()

    def back(self) -> None:
        from trainer.ui.screens.menu import MenuScreen

        self.app.save_settings()
        self.app.show(MenuScreen(self.app))

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type != pygame.KEYDOWN:
            return
        if self.waiting_for is not None:
            if event.key != pygame.K_ESCAPE:
                self.app.bindings.remap(self.waiting_for, event.key)
            self.waiting_for = None
            self.refresh()
        elif event.key == pygame.K_ESCAPE:
            self.back()

    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        pad, row = self.pad, self.row_height()
        x, y = pad, pad + round(80 * self.fonts.scale)
        bw = round(84 * self.fonts.scale)
        for i, s in enumerate(UI_SCALES):
            self.button(f"scale_{s}").rect = pygame.Rect(x + i * (bw + 6), y, bw, row)
        y += row + round(50 * self.fonts.scale)
        for i, t in enumerate(TIME_LIMITS_S):
            self.button(f"limit_{int(t)}").rect = pygame.Rect(x + i * (bw + 6), y, bw, row)
        y += row + round(30 * self.fonts.scale)
        self.button("fps").rect = pygame.Rect(x, y, 3 * bw, row)
        self.button("back").rect = pygame.Rect(w - pad - 3 * bw, h - pad - row, 3 * bw, row)
        self.button("reset_keys").rect = pygame.Rect(w - 2 * pad - 6 * bw, h - pad - row, 3 * bw, row)
        col_x = w // 2
        key_w = round(130 * self.fonts.scale)
        small = round(30 * self.fonts.scale)
        ky = pad + round(80 * self.fonts.scale)
        per_col = max(1, (h - ky - 2 * pad - row) // (small + 2))
        for n, intent in enumerate(INTENTS):
            cx = col_x + (n // per_col) * (w - col_x - pad) // 2
            self.button(f"key_{intent.name}").rect = pygame.Rect(
                cx, ky + (n % per_col) * (small + 2), key_w, small
            )

    def draw_body(self, surface: pygame.Surface) -> None:
        head, small = self.fonts.bold(17), self.fonts.regular(14)
        first = self.button(f"scale_{UI_SCALES[0]}").rect
        text(
            surface,
            head,
            "Interface scale (high-DPI screens)",
            (first.left, first.top - 8),
            theme.ACCENT,
            "bottomleft",
        )
        limit = self.button(f"limit_{int(TIME_LIMITS_S[0])}").rect
        text(surface, head, "Exam time limit", (limit.left, limit.top - 8), theme.ACCENT, "bottomleft")
        key0 = self.button(f"key_{INTENTS[0].name}").rect
        text(
            surface,
            head,
            "Keys (click, then press the new key; Esc cancels)",
            (key0.left, key0.top - 8),
            theme.ACCENT,
            "bottomleft",
        )
        for i in INTENTS:
            r = self.button(f"key_{i.name}").rect
            label = i.label if len(i.label) < 34 else i.label[:32] + "…"
            text(surface, small, label, (r.right + 8, r.centery), theme.MUTED, "midleft")
