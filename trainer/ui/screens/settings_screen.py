"""Settings: interface scale (automatic from the window, or chosen), exam time limit, frame-rate
display, and key remapping (asking before a key that is in use moves)."""

from __future__ import annotations

from functools import partial

import pygame

from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.bindings import INTENTS, Bindings, intent_label
from trainer.ui.screen import Screen
from trainer.ui.settings import UI_SCALES, auto_scale, largest_scale
from trainer.ui.side_panel import Row, SidePanel, heading
from trainer.ui.widgets import Button, paragraph, paragraph_height, text

TIME_LIMITS_S = (120.0, 180.0, 300.0, 420.0, 600.0)
KEYS_HEADING = "Keys (click, then press the new key; Esc cancels)"


def flow(buttons: list[Button], left: int, top: int, width: int, size: tuple[int, int], gap: int) -> int:
    """Buttons left to right, wrapping onto new lines within `width`; returns the bottom."""
    bw, row = size
    x, y = left, top
    for b in buttons:
        if x > left and x + bw > left + width:
            x, y = left, y + row + gap
        b.rect = pygame.Rect(x, y, bw, row)
        x += bw + gap
    return y + row


class SettingsScreen(Screen):
    title = "Settings"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.waiting_for: str | None = None
        self.keys = SidePanel()
        self.notes: dict[str, int] = {}
        self.note_box = pygame.Rect(0, 0, 0, 0)
        self.buttons = [
            Button("scale_auto", "Automatic", partial(self.set_scale, None)),
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
        self.button("scale_auto").selected = s.ui_scale_auto
        for scale in UI_SCALES:
            self.button(f"scale_{scale}").selected = not s.ui_scale_auto and scale == s.ui_scale
        for t in TIME_LIMITS_S:
            self.button(f"limit_{int(t)}").selected = t == s.exam_time_limit_s
        self.button("fps").selected = s.show_fps
        for i in INTENTS:
            b = self.button(f"key_{i.name}")
            b.label = "press a key…" if self.waiting_for == i.name else self.app.bindings.key_name(i.name)
            b.selected = self.waiting_for == i.name
        self.app.redraw = True

    def set_scale(self, scale: float | None) -> None:
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
        if self.keys.scroll.handle(event):
            self.layout(self.app.window.get_size())
        elif event.type != pygame.KEYDOWN:
            return
        elif self.waiting_for is not None:
            intent, self.waiting_for = self.waiting_for, None
            if event.key != pygame.K_ESCAPE:
                self.bind(intent, event.key)
            self.refresh()
        elif event.key == pygame.K_ESCAPE:
            self.back()

    def bind(self, intent: str, key: int) -> None:
        """Give `intent` the key; when another action has it, ask before the two swap."""
        bindings = self.app.bindings
        other = bindings.intent_for(key)
        if other is None or other == intent:
            bindings.remap(intent, key)
            return
        from trainer.ui.screens.overlays import ConfirmOverlay

        name, old = pygame.key.name(key).upper(), bindings.key_name(intent)
        words = (
            f"{name} is the key for '{intent_label(other)}'. Swap them: '{intent_label(intent)}' "
            f"takes {name}, and '{intent_label(other)}' takes {old}?"
        )
        self.app.push(
            ConfirmOverlay(
                self.app, "Move a key in use?", words, ("Swap keys", partial(self.swap, intent, key))
            )
        )

    def swap(self, intent: str, key: int) -> None:
        self.app.bindings.remap(intent, key)
        self.refresh()

    # ------------------------------------------------------------------ layout
    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        pad, row, gap = self.pad, self.row_height(), round(6 * self.fonts.scale)
        two_columns = w >= round(1000 * self.fonts.scale)
        left_w = (w - 3 * pad) // 2 if two_columns else w - 2 * pad
        head = self.fonts.bold(17).get_linesize() + round(8 * self.fonts.scale)
        bw = round(96 * self.fonts.scale)
        y = pad + self.fonts.bold(28).get_linesize() + pad + head
        self.notes["scale"] = y - head
        scales = [self.button("scale_auto"), *[self.button(f"scale_{s}") for s in UI_SCALES]]
        y = flow(scales, pad, y, left_w, (bw, row), gap)
        self.note_box = pygame.Rect(pad, y + 4, left_w, self._note_height(left_w))
        y = self.note_box.bottom + pad + head
        self.notes["limit"] = y - head
        y = flow([self.button(f"limit_{int(t)}") for t in TIME_LIMITS_S], pad, y, left_w, (bw, row), gap)
        self.button("fps").rect = pygame.Rect(pad, y + pad, round(200 * self.fonts.scale), row)
        footer = h - pad - row
        for i, name in enumerate(("back", "reset_keys")):
            fw = round(180 * self.fonts.scale)
            self.button(name).rect = pygame.Rect(w - pad - (i + 1) * fw - i * pad, footer, fw, row)
        top = (
            pad + self.fonts.bold(28).get_linesize() + pad
            if two_columns
            else self.button("fps").rect.bottom + pad
        )
        left = 2 * pad + left_w if two_columns else pad
        self.keys.layout(pygame.Rect(left, top, w - left - pad, footer - pad - top), self.fonts)
        self._arrange_keys()

    def _note_height(self, width: int) -> int:
        return paragraph_height(self.fonts.regular(14), self._scale_note(), width) + 4

    def _scale_note(self) -> str:
        size = self.app.window.get_size()
        auto, most = auto_scale(size), largest_scale(size)
        return (
            f"Automatic picks {round(auto * 100)} % for this window and changes with its size. "
            f"This window holds at most {round(most * 100)} %: a larger choice is used as that."
        )

    def _arrange_keys(self) -> None:
        rows = (heading(KEYS_HEADING), *[Row("keyed", i.label, buttons=(f"key_{i.name}",)) for i in INTENTS])
        self.keys.arrange(rows, {b.name: b for b in self.buttons}, self.fonts)

    # ------------------------------------------------------------------ drawing
    def draw_body(self, surface: pygame.Surface) -> None:
        head, small = self.fonts.bold(17), self.fonts.regular(14)
        text(surface, head, "Interface scale", (self.pad, self.notes["scale"]), theme.ACCENT)
        paragraph(surface, small, self._scale_note(), self.note_box, theme.MUTED)
        text(surface, head, "Exam time limit", (self.pad, self.notes["limit"]), theme.ACCENT)
        self.keys.draw(surface, {b.name: b for b in self.buttons}, self.fonts, with_buttons=False)
