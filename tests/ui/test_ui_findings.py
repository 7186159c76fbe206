"""The smaller findings: one caret, the exam's time limit stated, keys asked before they move, the
gel phantom first for a new trainee, oriented briefing diagrams, learning curves per procedure."""

import pygame
import pytest
from harness import Harness

import trainer
from helpers import expert_run
from trainer.ui import audit, widgets
from trainer.ui.briefing_diagram import draw_briefing
from trainer.ui.external_view import PROBE
from trainer.ui.learning_curves import cusum_figure, score_figure
from trainer.ui.screens.briefing import BriefingScreen
from trainer.ui.screens.menu import MenuScreen
from trainer.ui.screens.overlays import ConfirmOverlay
from trainer.ui.screens.settings_screen import SettingsScreen
from trainer.ui.screens.start import SignInScreen


def test_only_the_focused_field_has_a_caret(tmp_path, monkeypatch):
    monkeypatch.setattr(widgets, "caret_on", lambda: True)
    h = Harness(tmp_path)
    screen = h.show(SignInScreen(h.app))
    assert isinstance(screen, SignInScreen)
    drawn = []
    real = widgets.TextField.draw
    monkeypatch.setattr(widgets.TextField, "draw", lambda self, *a: drawn.append(a[-1]) or real(self, *a))
    h.frames(1)
    assert drawn == [True, False]  # name focused, the ID not
    h.key(pygame.K_TAB)
    assert drawn[-2:] == [False, True]
    field = widgets.TextField("Ola", rect=pygame.Rect(10, 10, 300, 40))
    with_caret, without = pygame.Surface((320, 60)), pygame.Surface((320, 60))
    font = h.app.fonts.regular(16)
    field.draw(with_caret, font, "", True)
    field.draw(without, font, "", False)
    caret_x = 10 + 40 // 4 + font.size("Ola")[0] + 1
    assert with_caret.get_at((caret_x, 30)) != without.get_at((caret_x, 30))


def test_the_exam_briefing_states_its_time_limit(tmp_path):
    h = Harness(tmp_path)
    h.app.settings.difficulty = "exam"
    for limit_s, words in ((300.0, "5 minutes"), (120.0, "2 minutes")):
        h.app.settings.exam_time_limit_s = limit_s
        briefing = h.show(BriefingScreen(h.app, "esp_block"))
        assert isinstance(briefing, BriefingScreen)
        assert any(words in b.left for b in briefing.blocks())


def test_remapping_asks_before_it_moves_a_key_in_use(tmp_path):
    h = Harness(tmp_path)
    settings = h.show(SettingsScreen(h.app))
    assert isinstance(settings, SettingsScreen)
    keys = h.app.bindings
    settings.listen("advance")
    h.key(pygame.K_d)  # D slides the probe
    assert isinstance(h.screen, ConfirmOverlay) and "D" in h.screen.words
    assert keys.key_name("advance") == "UP" and keys.key_name("probe_right") == "D"
    h.key(pygame.K_ESCAPE)  # no: nothing moves
    assert h.screen is settings and keys.key_name("advance") == "UP"
    settings.listen("advance")
    h.key(pygame.K_d)
    h.key(pygame.K_RETURN)  # yes: the two swap
    assert keys.key_name("advance") == "D" and keys.key_name("probe_right") == "UP"
    settings.listen("hint")
    h.key(pygame.K_j)  # a free key: no question
    assert h.screen is settings and keys.key_name("hint") == "J"


def test_a_new_trainee_sees_the_gel_phantom_first(tmp_path):
    h = Harness(tmp_path)
    trainee = h.app.records.sign_in("Ola", "", "")
    h.app.settings.trainee_name, h.app.settings.trainee_id = trainee.name, trainee.id
    menu = MenuScreen(h.app)
    assert menu.scenarios[0].id == "gel_phantom"
    menu.close()
    sim = trainer.Simulation(trainer.load_scenario("esp_block"), seed=0, trainee=trainee)
    recorder = h.app.records.start(sim)
    trainer.play(sim, trainer.expert_attempt(sim.scenario))
    h.app.records.save(recorder)
    menu = MenuScreen(h.app)
    assert [sc.id for sc in menu.scenarios] == trainer.list_scenarios()
    menu.close()


@pytest.mark.parametrize("sid", ["esp_block", "costovertebral_joint"])
def test_briefing_diagrams_show_a_scale_the_sides_and_the_probe(tmp_path, sid):
    h = Harness(tmp_path)
    briefing = h.show(BriefingScreen(h.app, sid))
    assert isinstance(briefing, BriefingScreen)
    surface = pygame.Surface(h.app.window.get_size())
    with audit.recording() as placed:
        draw_briefing(
            surface, briefing.diagram, briefing.sc, h.app.fonts, briefing.plan, ("medial", "lateral")
        )
    words = [p.label for p in placed if p.kind == "text"]
    assert any(w.endswith(" mm") for w in words) and "◀ medial" in words and "lateral ▶" in words
    band = pygame.Rect(briefing.diagram.left, briefing.diagram.top, briefing.diagram.width, 40)
    colours = {
        tuple(surface.get_at((x, y)))[:3]
        for x in range(band.left, band.right, 2)
        for y in range(band.top, band.bottom, 2)
    }
    assert PROBE in colours


def test_learning_curves_are_per_procedure_and_name_the_level():
    records = [expert_run(sid).finish().to_dict() for sid in ("esp_block", "facet_joint", "esp_block")]
    mixed = score_figure(records, (6.0, 3.0)).axes[0]
    labels = sorted(line.get_label() for line in mixed.get_lines())
    assert labels == ["ESP block · T5", "Facet · T6-T7"]
    esp = next(line for line in mixed.get_lines() if line.get_label() == "ESP block · T5")
    assert list(esp.get_xdata()) == [1, 2]  # counted within the procedure
    one = cusum_figure(records[:1], (6.0, 3.0)).axes[0]
    assert one.get_title().startswith("ESP block · T5")
