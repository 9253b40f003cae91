"""The sounds are what tools/make_audio.py makes, and they meet an audio engineer's measures.

Each sound is rendered from its recipe with the fixed seed and measured: loudness per EBU R128
(pyloudnorm), true peak on a 4× oversampled signal, the jump at the loop point, its length and,
for all but the intended tones, no steady tone. One loop is regenerated, encoded and decoded,
and compared with the shipped file (Ogg files differ byte for byte between encodings, so the
decoded samples are compared). The story's ambiences and the files match one to one.
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("scipy")
pytest.importorskip("soundfile")
pytest.importorskip("pyloudnorm")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import make_audio as ma  # noqa: E402

from game.story.ambience import resolve_all  # noqa: E402
from game.story.loader import load_story  # noqa: E402

AUDIO = REPO / "assets" / "audio"


def _render_and_measure(name: str) -> ma.Measure:
    return ma.measure(name, ma.render(name))


@pytest.fixture(scope="module")
def measured() -> dict[str, ma.Measure]:
    """Every sound rendered once, on two processes (the machines have two cores)."""
    with ProcessPoolExecutor(max_workers=2) as pool:
        return dict(zip(ma.RECIPES, pool.map(_render_and_measure, ma.RECIPES), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("name", list(ma.RECIPES))
def test_each_sound_meets_the_measures(measured, name):
    recipe, m = ma.RECIPES[name], measured[name]
    assert m.seconds == pytest.approx(recipe.seconds, abs=1 / ma.SR)
    assert abs(m.lufs - ma.TARGET_LUFS[recipe.kind]) <= ma.LUFS_TOLERANCE, m
    assert m.true_peak < ma.TRUE_PEAK_LIMIT, m
    if recipe.loops:
        assert m.jump < 3.0, f"{name}: the loop point jumps {m.jump:.1f}× a typical step"
    if not recipe.tonal:
        assert m.tone_db < ma.TONE_LIMIT_DB, f"{name}: a steady tone at {m.tone_hz:.0f} Hz"
    assert m.problems(recipe) == []


def test_the_measures_catch_a_click_a_tone_and_clipping():
    """The meters themselves: a loop cut mid-cycle clicks, a sine is a tone, a full-scale square peaks over."""
    t = np.arange(ma.SR * 4) / ma.SR
    rng = np.random.default_rng(1)
    noise = rng.standard_normal(len(t)) * 0.01
    ramp = noise + np.linspace(-0.3, 0.3, len(t))
    assert ma.loop_jump(ramp) > 10
    tone_db, tone_hz = ma.tone_peak_db(noise + 0.01 * np.sin(2 * np.pi * 1000 * t))
    assert tone_db > ma.TONE_LIMIT_DB and tone_hz == pytest.approx(1000, abs=5)
    assert ma.tone_peak_db(noise)[0] < ma.TONE_LIMIT_DB
    # Samples under full scale whose band-limited waveform rises above it between samples (inter-sample peaks).
    square = np.sign(np.sin(2 * np.pi * 11025 / 4 * t + 0.3)) * 0.99
    assert ma.true_peak_db(square) > 0.0


def test_shipped_files_are_the_generators_and_fit_the_budget():
    names = {p.stem for p in AUDIO.glob("*.ogg")}
    assert names == set(ma.RECIPES), "run python tools/make_audio.py"
    total = sum(p.stat().st_size for p in AUDIO.glob("*.ogg"))
    assert total <= 10_000_000, f"{total / 1e6:.1f} MB of Ogg files; the budget is 10 MB"
    licence = (AUDIO / "LICENCE.md").read_text(encoding="utf-8")
    assert "own work" in licence and "tools/make_audio.py" in licence
    for name, recipe in ma.RECIPES.items():
        decoded = ma.read_ogg(AUDIO / f"{name}.ogg")
        assert decoded.ndim == 1 and len(decoded) == round(recipe.seconds * ma.SR), name
        if recipe.loops:  # Vorbis must not have put a click where the loop closes
            assert ma.loop_jump(decoded) < 3.0, name
        else:  # a sound played once dies away: it is never cut off
            assert np.sqrt(np.mean(decoded[-ma.SR // 100:] ** 2)) < 1e-3, name


def test_one_loop_regenerated_matches_the_shipped_file(tmp_path):
    """hiding_room (the shortest loop), rendered, encoded and decoded, against the decoded shipped file."""
    name = "hiding_room"
    fresh = ma.render(name)
    ma.write_ogg(tmp_path / f"{name}.ogg", fresh, ma.RECIPES[name].kind)
    ours, shipped = ma.read_ogg(tmp_path / f"{name}.ogg"), ma.read_ogg(AUDIO / f"{name}.ogg")
    assert len(ours) == len(shipped)
    difference = np.sqrt(np.mean((ours - shipped) ** 2)) / np.sqrt(np.mean(shipped ** 2))
    assert difference < 0.05, f"the shipped {name}.ogg is not what the generator makes ({difference:.1%} apart)"
    # And the encoding kept the sound: the decoded file is close to the render in level.
    assert np.sqrt(np.mean(shipped ** 2)) == pytest.approx(np.sqrt(np.mean(fresh ** 2)), rel=0.15)


def test_every_node_resolves_to_one_ambience_with_a_file():
    story = load_story(REPO / "story")
    assert set(story.ambiences) <= {p.stem for p in AUDIO.glob("*.ogg")}
    assert {n for n, r in ma.RECIPES.items() if r.kind == "ambience"} == set(story.ambiences)
    found = resolve_all(story)
    for node_id in story.nodes:
        heard = found.heard(node_id)
        assert len(heard) == 1 and heard[0], f"{node_id} sounds like {heard}"


def test_each_sound_has_its_spectrogram_and_words():
    page = (REPO / "docs" / "audio" / "README.md").read_text(encoding="utf-8")
    for name, recipe in ma.RECIPES.items():
        png = REPO / "docs" / "audio" / f"{name}.png"
        assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert f"({name}.png)" in page and recipe.hear in page, name
