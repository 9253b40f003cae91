"""Hooks for ``tools/bench.py``: startup time to the first frame, and frame times per scene.

``ESCAPE_ROUTE_BENCH_FIRST_FRAME=1 escape-route play`` prints ``first-frame <seconds>``
after drawing the first frame and exits. The seconds count from the start of the
process where the OS says when that was (Linux ``/proc``), measured against a
``time.perf_counter`` mark taken when this module is imported; elsewhere, from that
mark alone (which then leaves out interpreter start-up and story loading).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_MARK = time.perf_counter()


def _process_age() -> float:
    """Seconds since this process started, from /proc (0.0 where that is unavailable)."""
    try:
        stat = Path("/proc/self/stat").read_text()
        fields = stat[stat.rindex(")") + 2:].split()
        start_ticks = int(fields[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


_AGE_AT_MARK = _process_age()


def first_frame_seconds() -> float:
    return _AGE_AT_MARK + (time.perf_counter() - _MARK)


def frame_times(scene: str = "story", size: tuple[int, int] = (1920, 1080), frames: int = 300,
                story_root: Path | None = None) -> list[float]:
    """Seconds per frame (draw + flip) for ``scene`` ('story', 'map', 'journal', 'title', 'ending').

    Builds the app headless (SDL dummy driver unless one is set) at ``size`` with the
    shipped story (or ``story_root``), reaches the scene, lets the text reveal finish,
    then times ``frames`` frames.
    """
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    import pygame

    from game.paths import story_dir
    from game.story.loader import load_story
    from game.ui import commands as c
    from game.ui.app import App

    story = load_story(story_root or story_dir())
    pygame.init()
    app = App(story, seed=1, size=size, skip_title=scene != "title")
    try:
        if scene == "map":
            app.post(c.OpenMap())
        elif scene == "journal":
            app.post(c.OpenJournal())
        elif scene == "ending":
            from game.ui.autoplay import play_to_end
            play_to_end(app)
        for _ in range(5):
            app.step(events=[], dt=0.5)
        if scene == "map" and app.map_view is not None:
            # Point at the current place so every frame also draws a tooltip (the worst case).
            top = app.stack.top
            pos = app.map_view.screen_pos(top.rect, top.current) if top.current else (size[0] // 2, size[1] // 2)
            app.post(c.Hover((round(pos[0]), round(pos[1]))))
            app.step(events=[], dt=0.0)
        times = []
        for _ in range(frames):
            t0 = time.perf_counter()
            app.draw()
            pygame.display.flip()
            times.append(time.perf_counter() - t0)
        return times
    finally:
        app.close()
        pygame.quit()
