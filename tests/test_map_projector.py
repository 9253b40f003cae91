"""The map scene reads on a projector and its hint line never covers the legend (issue 17, item 6)."""

from __future__ import annotations

import pygame
import pytest

from conftest import REPO
from game.story.loader import load_story
from game.ui.app import App
from game.ui.scenes.map import MapScene
from game.ui.scenes.story import StoryScene
from game.ui.settings import Settings, save_settings

SIZES = [((1280, 720), "medium"), ((1024, 600), "x-large"), ((1920, 1080), "medium"), ((1280, 720), "x-large")]


@pytest.fixture(scope="module")
def story():
    return load_story(REPO / "story")


def open_map(story, size: tuple[int, int], text_size: str) -> App:  # noqa: ANN001
    """A window of ``size`` on the Thai bank (a way ahead to draw), with the map open over the story."""
    save_settings(Settings(reduced_motion=True).changed(text_size=text_size))
    pygame.init()
    app = App(story, seed=7, size=size, skip_title=True, start="mekong_midriver")
    app.engine.choose(app.state, 0)
    app.stack.replace_all(StoryScene(app))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_m, mod=0, unicode="m", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_m, mod=0, unicode="m", scancode=0))
    for _ in range(40):
        app.step()
        if app.stack.top.name == "map":
            break
    for _ in range(5):
        app.step(events=[])
    return app


@pytest.mark.parametrize(("size", "text_size"), SIZES)
def test_legend_and_hint_never_overlap_and_stay_inside(story, size, text_size):
    app = open_map(story, size, text_size)
    try:
        scene = app.stack.top
        assert isinstance(scene, MapScene)
        window = app.screen.get_rect()
        legend = app.map_view.legend_rect.move(scene.rect.topleft)
        assert not legend.colliderect(scene.hint_rect)
        for rect in (legend, scene.hint_rect, app.map_view.caption_rect, scene.rect):
            assert window.contains(rect), (rect, window)
        assert scene.hint_rect.top >= scene.rect.bottom  # the hint has a strip of its own, under the map
    finally:
        app.close()
        pygame.quit()


def legend_type(app: App) -> int:
    view = app.map_view
    lay, _ = view.layout(app.stack.top.rect)
    return view._legend_layout(lay, True)[1]


def test_labels_and_legend_are_projector_sized_and_follow_the_text_setting(story):
    sizes = {}
    for size, text_size in SIZES:
        app = open_map(story, size, text_size)
        try:
            sizes[size, text_size] = legend_type(app)
            if (size, text_size) == ((1280, 720), "medium"):  # the label of the place she is at
                lay, _ = app.map_view.layout(app.stack.top.rect)
                assert app.map_view._type(lay, 26, 20) >= 20
        finally:
            app.close()
            pygame.quit()
    assert sizes[(1280, 720), "medium"] >= 17  # was 11 px: unreadable from the back of a classroom
    assert sizes[(1920, 1080), "medium"] >= 20
    assert sizes[(1280, 720), "x-large"] > sizes[(1280, 720), "medium"]


def test_a_screenshot_of_each_size_shows_the_legend_rows(story, tmp_path):
    """Every legend row is drawn inside the legend's rect (pixels differ from the panel's background)."""
    app = open_map(story, (1280, 720), "medium")
    try:
        legend = app.map_view.legend_rect
        shot = app.screen.subsurface(legend.inflate(0, -4)).copy()
        background = shot.get_at((shot.get_width() - 2, shot.get_height() - 2))
        lit = sum(1 for x in range(0, shot.get_width(), 3) for y in range(0, shot.get_height(), 3)
                  if shot.get_at((x, y)) != background)
        assert lit > 100
        assert app.map_view.legend == ["travelled", "the way ahead", "you are here", "a place on the way"]
    finally:
        app.close()
        pygame.quit()


@pytest.mark.parametrize(("size", "text_size"), SIZES)
def test_every_place_note_wraps_inside_the_panel(story, size, text_size):
    """Wrapping is measured in the font, so no note runs from the panel onto the map."""
    app = open_map(story, size, text_size)
    try:
        view = app.map_view
        lay, _ = view.layout(app.stack.top.rect)
        note = view._type(lay, 20, 16)
        for loc in view.route.locations.values():
            for line in view._wrap(loc.note, "sans", note, lay.panel.w):
                assert " " not in line or view._font("sans", note).size(line)[0] <= lay.panel.w, line
    finally:
        app.close()
        pygame.quit()
