"""Synthesise the game's sounds from physical recipes and render them to Ogg Vorbis.

There is no sound library to draw on, and nobody here can listen, so every sound is
made from a recipe that an audio engineer would recognise (filtered noise for wind,
rain and water; grains for crowds, steps and traffic; resonant bodies for trains,
engines, bells and ice) and judged with the engineer's meters rather than by ear:

- integrated loudness per EBU R128 (``pyloudnorm``): ambiences at −30 LUFS, cues at
  −23 LUFS, music at −27 LUFS, interface sounds at −30 LUFS;
- true peak below −1 dBTP, measured on a 4× oversampled signal (``resample_poly``),
  since pyloudnorm has no true-peak meter;
- no click at the loop point: the jump from the last sample to the first is compared
  with the signal's own sample-to-sample steps;
- no stationary tone a listener would take for a test tone: the long-term spectrum's
  highest narrow peak above its smoothed envelope (engines are allowed theirs);
- a spectrogram of each sound, written to ``docs/audio/`` beside a sentence on what it
  should sound like, for a person to look at.

Loops are built *on a circle*: noise is filtered in the frequency domain over exactly one
loop, slow modulators have a whole number of cycles per loop, grains that run past the
end wrap round to the start, and reverberation is a circular convolution. The last
sample therefore leads into the first as any sample leads into the next. Layers made
with time-domain filters (engines whose pitch wanders) are rendered a little longer and
crossfaded over their loop point.

Everything comes from one seed, so the same NumPy gives the same samples; the Ogg files
differ byte for byte between encoder runs, so tests compare decoded samples.

    python tools/make_audio.py                  # render every sound, spectrograms, report
    python tools/make_audio.py --only river_ice # one sound
    python tools/make_audio.py --report         # measure only, write nothing
"""

from __future__ import annotations

import argparse
import functools
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.random import Generator
from scipy import signal

SR = 32000  # samples per second: ambience has little above 16 kHz, and it keeps the files small
SEED = 2026
REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "assets" / "audio"
DOCS = REPO / "docs" / "audio"

TARGET_LUFS = {"ambience": -30.0, "cue": -23.0, "music": -27.0, "interface": -30.0}
LUFS_TOLERANCE = 1.0
TRUE_PEAK_LIMIT = -1.0  # dBTP
TONE_LIMIT_DB = 12.0  # a narrow long-term peak this far above its surroundings would be heard as a tone
VORBIS_QUALITY = {"ambience": 0.35, "cue": 0.5, "music": 0.45, "interface": 0.5}


# ---------------------------------------------------------------------------- building blocks
def freqs(n: int) -> np.ndarray:
    return np.fft.rfftfreq(n, 1 / SR)


def circ_filter(x: np.ndarray, response: np.ndarray | Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Filter one loop of ``x`` in the frequency domain: the result is exactly periodic."""
    spectrum = np.fft.rfft(x)
    gain = response(freqs(len(x))) if callable(response) else response
    return np.fft.irfft(spectrum * gain, len(x))


def band(lo: float, hi: float, order: int = 2) -> Callable[[np.ndarray], np.ndarray]:
    """A Butterworth-like band's magnitude (lo=0: low-pass; hi=0: high-pass)."""
    def response(f: np.ndarray) -> np.ndarray:
        g = np.ones_like(f)
        if hi:
            g /= np.sqrt(1 + (f / hi) ** (2 * order))
        if lo:
            with np.errstate(divide="ignore"):
                g /= np.sqrt(1 + (lo / np.maximum(f, 1e-6)) ** (2 * order))
        return g
    return response


def tilt(power: float) -> Callable[[np.ndarray], np.ndarray]:
    """Spectral slope: power 0.5 is pink noise (−3 dB/octave), 1.0 brown (−6 dB/octave)."""
    return lambda f: 1 / np.maximum(f, 20.0) ** power


def coloured(rng: Generator, n: int, *responses: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Gaussian noise through the given responses, normalised to RMS 1, periodic in n."""
    f = freqs(n)
    gain = np.ones_like(f)
    for r in responses:
        gain = gain * r(f)
    y = circ_filter(rng.standard_normal(n), gain)
    return y / (np.sqrt(np.mean(y ** 2)) + 1e-12)


def slow(rng: Generator, n: int, max_hz: float, floor: float = 0.0) -> np.ndarray:
    """A smooth random modulator between ``floor`` and 1 with a whole number of cycles per loop.

    Built on a coarse circle (a few hundred points) and interpolated: it has nothing fast in it.
    """
    seconds = n / SR
    top = max(1, int(max_hz * seconds))
    points = max(64, 16 * top)
    spectrum = np.zeros(points // 2 + 1, complex)
    k = np.arange(1, top + 1)
    spectrum[1:top + 1] = (rng.standard_normal(top) + 1j * rng.standard_normal(top)) / np.sqrt(k)
    coarse = np.fft.irfft(spectrum, points)
    m = np.interp(np.arange(n) * points / n, np.arange(points + 1), np.append(coarse, coarse[0]))
    m = (m - m.min()) / (m.max() - m.min() + 1e-12)
    return floor + (1 - floor) * m


def scatter(n: int, times: np.ndarray, grains: list[np.ndarray]) -> np.ndarray:
    """Add each grain at its time; a grain that runs past the end wraps round to the start."""
    out = np.zeros(n)
    for t, g in zip(times, grains, strict=True):
        start = int(t * SR) % n
        g = g[:n]
        first = min(len(g), n - start)
        out[start:start + first] += g[:first]
        if first < len(g):
            out[:len(g) - first] += g[first:]
    return out


def poisson_times(rng: Generator, n: int, per_second: float) -> np.ndarray:
    count = rng.poisson(per_second * n / SR)
    return np.sort(rng.uniform(0, n / SR, count))


def env(length: float, attack: float, decay: float) -> np.ndarray:
    """An attack-then-exponential-decay envelope, ``length`` seconds long."""
    t = np.arange(int(length * SR)) / SR
    a = np.minimum(1.0, t / max(attack, 1e-4))
    return a * np.exp(-np.maximum(0.0, t - attack) / max(decay, 1e-4))


def modal(rng: Generator, modes: list[tuple[float, float, float]], length: float, strike: float = 0.002) -> np.ndarray:
    """A struck resonant body: (frequency Hz, decay s, amplitude) modes excited by a short noise tap."""
    t = np.arange(int(length * SR)) / SR
    y = np.zeros_like(t)
    for f, decay, amp in modes:
        y += amp * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) * np.exp(-t / decay)
    tap = rng.standard_normal(len(t)) * np.exp(-t / strike) * 0.3
    return (y + tap) * np.minimum(1.0, t / 0.0008)


@functools.lru_cache(maxsize=512)
def _bandpass(lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    return signal.butter(2, [lo, min(hi, SR // 2 - 100)], btype="band", fs=SR)


def burst(rng: Generator, length: float, lo: float, hi: float, attack: float, decay: float) -> np.ndarray:
    """A short band of noise with an envelope: a footstep, a thud, a drop."""
    e = env(length, attack, decay)
    b, a = _bandpass(int(lo // 10 * 10), int(hi // 10 * 10))  # a handful of designs, cached
    return signal.lfilter(b, a, rng.standard_normal(len(e))) * e


def bubble(rng: Generator, f0: float, life: float, rise: float) -> np.ndarray:
    """A bubble in water: a damped sine whose pitch rises as it nears the surface (van den Doel)."""
    t = np.arange(int(life * 3 * SR)) / SR
    f = f0 * (1 + rise * t / life)
    phase = 2 * np.pi * np.cumsum(f) / SR
    return np.sin(phase) * np.exp(-t / life) * np.minimum(1.0, t / 0.001)


def reverb(rng: Generator, x: np.ndarray, rt60: float, wet: float, bright: float = 4000.0) -> np.ndarray:
    """A room: circular convolution with decaying noise whose high frequencies die first."""
    n = len(x)
    length = min(n, int(rt60 * SR * 1.2))
    t = np.arange(length) / SR
    ir = rng.standard_normal(length) * np.exp(-6.9 * t / rt60)
    b, a = signal.butter(1, bright, fs=SR)
    ir = signal.lfilter(b, a, ir)
    ir[: int(0.01 * SR)] *= np.linspace(0, 1, int(0.01 * SR))
    ir /= np.sqrt(np.sum(ir ** 2)) + 1e-12
    padded = np.zeros(n)
    padded[:length] = ir
    tail = np.fft.irfft(np.fft.rfft(x) * np.fft.rfft(padded), n)
    return (1 - wet) * x + wet * tail


def loop_crossfade(x: np.ndarray, n: int) -> np.ndarray:
    """Close a layer rendered past its loop (``len(x) > n``) with an equal-power crossfade."""
    fade = len(x) - n
    out = x[:n].copy()
    ramp = np.linspace(0, np.pi / 2, fade)
    out[:fade] = x[:fade] * np.sin(ramp) + x[n:n + fade] * np.cos(ramp)
    return out


# ---------------------------------------------------------------------------- sources
def babble(rng: Generator, n: int, voices: int, distance: float) -> np.ndarray:
    """A crowd: voices as glottal pulse trains shaped by vowel formants, syllable by syllable.

    ``distance`` (0 near … 1 far) lowers the top of the band, as air and walls do.
    """
    vowels = [(730, 1090), (270, 2290), (300, 870), (530, 1840), (570, 840), (660, 1720), (440, 1020)]
    full, n = n, n // 4  # speech lives below 4 kHz: made at a quarter of the rate, then brought up
    rate = SR / 4
    out = np.zeros(n)
    f = np.fft.rfftfreq(n, 1 / rate)
    formants: dict[tuple[int, float], np.ndarray] = {}  # each vowel's filter, computed once
    for _ in range(voices):
        f0 = rng.uniform(95, 150) if rng.random() < 0.5 else rng.uniform(170, 260)
        # pitch wanders with intonation; the pulse train is built from its running phase
        contour = f0 * (1 + 0.12 * (slow(rng, n, 0.8 * 4) - 0.5))
        phase = np.cumsum(contour) / rate
        pulses = np.diff(np.floor(phase), prepend=0.0)
        pulses = pulses * (1 + 0.3 * rng.standard_normal(n)) + 0.08 * rng.standard_normal(n)
        spectrum = np.fft.rfft(pulses)
        talking = (slow(rng, n, 0.25 * 4) > rng.uniform(0.35, 0.6)).astype(float)  # turns in a conversation
        syllables = np.maximum(0, np.sin(2 * np.pi * np.cumsum(rng.uniform(3, 5.5) * (1 + 0.3 * slow(rng, n, 4))) / rate))
        shaped = np.zeros(n)
        picks = rng.choice(len(vowels), 3, replace=False)
        gates = [slow(rng, n, 2.5 * 4) for _ in picks]  # n counts quarter-rate samples
        total = sum(gates) + 1e-9
        scale = 1.0 if f0 < 160 else 1.15
        for p, gate in zip(picks, gates, strict=True):
            key = (p, scale)
            if key not in formants:
                f1, f2 = vowels[p]
                formants[key] = (1 / (1 + ((f - f1 * scale) / 90) ** 2) + 0.6 / (1 + ((f - f2 * scale) / 140) ** 2)) * band(80, 0)(f)
            shaped += np.fft.irfft(spectrum * formants[key], n) * gate / total
        voice = shaped * talking * syllables ** 1.5
        out += voice * rng.uniform(0.5, 1.0) / (np.sqrt(np.mean(voice ** 2)) + 1e-9)
    top = 3800 - 2600 * distance
    spectrum = np.fft.rfft(out) * band(0, top, 2)(f)
    out = np.fft.irfft(np.concatenate([spectrum, np.zeros(full // 2 + 1 - len(spectrum))]), full)
    return out / (np.sqrt(np.mean(out ** 2)) + 1e-12)


def steps(rng: Generator, n: int, per_second: float, hard: bool = False, walkers: int = 1) -> np.ndarray:
    """Footsteps: each walker a regular pace with small irregularities; heel thud and a scuff."""
    out = np.zeros(n)
    for _ in range(walkers):
        pace = rng.uniform(0.48, 0.62)
        start = rng.uniform(0, n / SR)
        length = rng.uniform(3, 9) if per_second < 5 else n / SR
        count = int(length / pace)
        times = start + np.arange(count) * pace + rng.normal(0, 0.012, count)
        grains = []
        for _ in range(count):
            thud = burst(rng, 0.09, 70, 400 if not hard else 900, 0.003, 0.02)
            scuff = burst(rng, 0.09, 1500, 5000, 0.01, 0.025) * (0.12 if hard else 0.2)
            grains.append((thud + scuff) * rng.uniform(0.6, 1.0))
        walker = scatter(n, times, grains)
        swell = np.interp(np.arange(n) / SR, [start, start + length / 2, start + length], [0.2, 1, 0.2])
        out += walker * (swell if per_second < 5 else 1.0)
    return out


def wind(rng: Generator, n: int, gusty: float = 1.0, brightness: float = 1.0) -> np.ndarray:
    """Wind: noise in three bands, each swelling with its own gusts (no steady whistle)."""
    low = coloured(rng, n, tilt(1.0), band(40, 500)) * slow(rng, n, 0.12, 1 - 0.8 * gusty)
    mid = coloured(rng, n, band(250, 1200 * brightness, 2)) * slow(rng, n, 0.25, 1 - 0.9 * gusty) ** 2
    high = coloured(rng, n, band(1800, 6000 * brightness, 2)) * slow(rng, n, 0.5, 0.1) ** 3
    return low + 0.45 * mid + 0.12 * high


def water(rng: Generator, n: int, flow: float, bubbles_per_s: float) -> np.ndarray:
    """Running water: a low rush, a babbling mid band, and many small rising bubbles."""
    rush = coloured(rng, n, tilt(0.8), band(60, 900)) * slow(rng, n, 0.2, 0.6)
    babbling = coloured(rng, n, band(400, 2800)) * (0.5 + 0.5 * slow(rng, n, 6.0)) ** 2
    times = poisson_times(rng, n, bubbles_per_s)
    grains = [bubble(rng, np.exp(rng.uniform(np.log(500), np.log(2400))), rng.uniform(0.008, 0.03), rng.uniform(0.2, 0.8))
              * rng.uniform(0.1, 1.0) for _ in times]
    bubbles = scatter(n, times, grains)
    bubbles /= np.sqrt(np.mean(bubbles ** 2)) + 1e-9
    return flow * rush + 0.35 * babbling + 0.5 * bubbles


def traffic(rng: Generator, n: int, cars_per_s: float, distance: float) -> np.ndarray:
    """Traffic: each passing car a swell of tyre noise and engine growl, over a distant rumble."""
    rumble = coloured(rng, n, tilt(1.0), band(30, 250)) * slow(rng, n, 0.1, 0.5)
    times = poisson_times(rng, n, cars_per_s)
    grains = []
    for _ in times:
        length = rng.uniform(3, 7)
        t = np.arange(int(length * SR)) / SR
        shape = np.exp(-((t - length / 2) / (length / 5)) ** 2)
        tyre = burst(rng, length, 250, 2500 - 1500 * distance, 0.001, 1e3) * shape
        growl = burst(rng, length, 50, 180, 0.001, 1e3) * shape * 0.8
        grains.append((tyre + growl) * rng.uniform(0.3, 1.0))
    passes = scatter(n, times, grains)
    passes /= np.sqrt(np.mean(passes ** 2)) + 1e-9
    return rumble * (0.6 + 0.6 * distance) + passes


def rain(rng: Generator, n: int, heavy: float) -> np.ndarray:
    """Rain on leaves: a hiss, thousands of tiny drop clicks, and fat drips from the canopy."""
    intensity = slow(rng, n, 0.08, 0.6)
    hiss = coloured(rng, n, band(1500, 9000, 2)) * intensity
    drops = np.zeros(n)
    click = env(0.006, 0.0003, 0.0015)
    for lo in (1500, 2500, 4000):  # three sizes of drop, each layer filtered once
        times = poisson_times(rng, n, 170 * heavy)
        layer = scatter(n, times, [click * rng.standard_normal(len(click)) * rng.uniform(0.1, 1) for _ in times])
        drops += circ_filter(layer, band(lo, 11000, 2))
    drops /= np.sqrt(np.mean(drops ** 2)) + 1e-9
    times = poisson_times(rng, n, 4)
    drips = scatter(n, times, [bubble(rng, rng.uniform(900, 2600), rng.uniform(0.01, 0.03), 0.6) * rng.uniform(0.2, 1)
                               for _ in times])
    drips /= np.sqrt(np.mean(drips ** 2)) + 1e-9
    return 0.8 * hiss + 0.6 * drops * intensity + 0.35 * drips


def engine(rng: Generator, n: int, hz: float, wander: float, body: tuple[float, float]) -> np.ndarray:
    """A combustion engine: firing pulses whose rate wanders, through a resonant body; crossfaded loop."""
    fade = 2 * SR
    total = n + fade
    rate = hz * (1 + wander * (slow(rng, total, 0.3) - 0.5))
    phase = np.cumsum(rate) / SR
    pulses = np.diff(np.floor(phase), prepend=0.0) * (1 + 0.25 * rng.standard_normal(total))
    b, a = signal.butter(2, body, btype="band", fs=SR)
    y = signal.lfilter(b, a, pulses + 0.05 * rng.standard_normal(total))
    y = loop_crossfade(y, n)
    return y / (np.sqrt(np.mean(y ** 2)) + 1e-12)


def norm(x: np.ndarray) -> np.ndarray:
    return x / (np.sqrt(np.mean(x ** 2)) + 1e-12)


# ---------------------------------------------------------------------------- ambiences
def market_dawn(rng: Generator, n: int) -> np.ndarray:
    crowd = babble(rng, n, 12, 0.45)
    walk = norm(steps(rng, n, 1, walkers=10))
    times = poisson_times(rng, n, 0.25)
    pots = scatter(n, times, [modal(rng, [(rng.uniform(600, 900), 0.25, 1), (rng.uniform(1500, 2100), 0.15, 0.6),
                                          (rng.uniform(2900, 3600), 0.08, 0.4)], 0.8) * rng.uniform(0.3, 1) for _ in times])
    times = poisson_times(rng, n, 0.6)
    birds = scatter(n, times, [_chirp(rng) for _ in times])
    mix = crowd + 0.2 * walk + 0.25 * norm(pots) + 0.3 * norm(birds) + 0.3 * wind(rng, n, 0.5, 0.7)
    return reverb(rng, mix, 0.5, 0.15)


def _chirp(rng: Generator) -> np.ndarray:
    """A small bird's call: two to four quick downward sweeps high in the spectrum."""
    out = []
    for _ in range(rng.integers(2, 5)):
        length = rng.uniform(0.04, 0.09)
        t = np.arange(int(length * SR)) / SR
        f = rng.uniform(3500, 5500) - rng.uniform(800, 2000) * t / length
        out.append(np.sin(2 * np.pi * np.cumsum(f) / SR) * np.sin(np.pi * t / length) ** 2)
        out.append(np.zeros(int(rng.uniform(0.03, 0.08) * SR)))
    return np.concatenate(out) * rng.uniform(0.2, 1)


def blackout_street(rng: Generator, n: int) -> np.ndarray:
    air = wind(rng, n, 0.6, 0.5)
    walk = circ_filter(norm(steps(rng, n, 0.3, walkers=2)), band(0, 1200))  # far off: the air takes the scuff
    times = rng.uniform(0, n / SR, 2)
    voices = scatter(n, times, [babble(rng, int(2.5 * SR), 1, 0.9) * np.hanning(int(2.5 * SR)) for _ in times])
    rustle = coloured(rng, n, band(2000, 7000)) * slow(rng, n, 1.5, 0.0) ** 4
    return air + 0.25 * walk + 0.15 * norm(voices) + 0.15 * rustle


def hill_wind(rng: Generator, n: int) -> np.ndarray:
    gusts = wind(rng, n, 1.0, 1.2)
    grass = coloured(rng, n, band(2500, 8000)) * slow(rng, n, 2.0, 0.0) ** 3 * slow(rng, n, 0.12, 0.2)
    return gusts + 0.25 * grass


def river_night(rng: Generator, n: int) -> np.ndarray:
    flow = water(rng, n, 0.8, 30)
    lap = coloured(rng, n, band(150, 900)) * np.maximum(0, np.sin(2 * np.pi * np.arange(n) / SR * (round(0.4 * n / SR) / (n / SR)))) ** 6
    return flow + 0.4 * lap + 0.2 * wind(rng, n, 0.5, 0.5)


def river_ice(rng: Generator, n: int) -> np.ndarray:
    flow = water(rng, n, 0.7, 22)
    times = poisson_times(rng, n, 0.3)
    cracks = []
    for _ in times:
        snap = modal(rng, [(rng.uniform(600, 2000), 0.025, 1), (rng.uniform(2300, 3600), 0.015, 0.7),
                           (rng.uniform(4000, 6000), 0.01, 0.5)], 0.4, strike=0.006)
        # ice sings: a dispersive chirp running down after the snap
        length = rng.uniform(0.25, 0.5)
        t = np.arange(int(length * SR)) / SR
        pew = np.sin(2 * np.pi * np.cumsum(2200 * np.exp(-t * 6) + 250) / SR) * np.exp(-t / (length / 3)) * 0.4
        grain = np.zeros(max(len(snap), len(pew)))
        grain[:len(snap)] += snap
        grain[:len(pew)] += pew
        cracks.append(grain * rng.uniform(0.4, 1))
    ice = scatter(n, times, cracks)
    times = poisson_times(rng, n, 0.2)
    creaks = []
    for _ in times:
        length = rng.uniform(0.4, 0.9)
        count = int(length * rng.uniform(25, 50))
        pulses = np.zeros(int(length * SR))
        pulses[np.sort(rng.integers(0, len(pulses), count))] = rng.uniform(0.3, 1, count)
        b, a = signal.butter(2, [300, 1400], btype="band", fs=SR)
        creaks.append(signal.lfilter(b, a, pulses) * np.hanning(len(pulses)))
    creak = scatter(n, times, creaks)
    return flow + 0.5 * norm(ice) + 0.25 * norm(creak) + 0.15 * wind(rng, n, 0.4, 0.5)


def hiding_room(rng: Generator, n: int) -> np.ndarray:
    room = coloured(rng, n, tilt(1.0), band(30, 250))
    street = circ_filter(traffic(rng, n, 0.25, 1.0), band(0, 350, 2))
    ticks = []
    times = np.arange(int(n / SR)) + 0.25
    for i in range(len(times)):
        ticks.append(modal(rng, [(3100 if i % 2 else 3600, 0.012, 1), (5200, 0.006, 0.5), (1300, 0.02, 0.4)], 0.06, 0.0005))
    clock = scatter(n, times, ticks)
    above = norm(steps(rng, n, 0.2, walkers=1))
    above = circ_filter(above, band(0, 300))
    mix = 0.5 * room + 0.6 * norm(street) + 0.35 * norm(clock) + 0.3 * norm(above)
    return reverb(rng, mix, 0.4, 0.2, 3000)


def train(rng: Generator, n: int) -> np.ndarray:
    body = coloured(rng, n, tilt(1.0), band(25, 500))
    hum = coloured(rng, n, lambda f: 1 / (1 + ((f - 62) / 6) ** 2) + 0.7 / (1 + ((f - 118) / 10) ** 2) + 0.001)
    period = 1.5  # rail joints pass every 1.5 s at about 60 km/h on 25 m rails; 24 s is 16 of them
    times, grains = [], []
    for k in range(int(n / SR / period)):
        for offset in (0.0, 0.16, 0.52, 0.68):  # two axles of one bogie, then two of the next car's
            times.append(k * period + offset + rng.normal(0, 0.004))
            ring = modal(rng, [(rng.uniform(700, 1000), 0.04, 1), (rng.uniform(1700, 2300), 0.03, 0.5)], 0.15)
            grains.append((burst(rng, 0.15, 60, 500, 0.001, 0.03) + 0.2 * ring)
                          * rng.uniform(0.7, 1.0))
    clack = scatter(n, np.array(times), grains)
    rattle = coloured(rng, n, band(800, 3500)) * slow(rng, n, 3, 0) ** 6
    mix = body + 0.3 * hum + 0.7 * norm(clack) + 0.15 * rattle
    return reverb(rng, mix, 0.3, 0.15, 2500)


def coach(rng: Generator, n: int) -> np.ndarray:
    motor = engine(rng, n, 70, 0.06, (50, 400))
    road = coloured(rng, n, tilt(0.5), band(150, 2200)) * slow(rng, n, 0.15, 0.6)
    times = poisson_times(rng, n, 0.2)
    bumps = scatter(n, times, [burst(rng, 0.3, 40, 200, 0.005, 0.08) for _ in times])
    rattle = coloured(rng, n, band(1200, 4000)) * slow(rng, n, 2.5, 0) ** 8
    return 0.6 * motor + road + 0.4 * norm(bumps) + 0.1 * rattle


def city(rng: Generator, n: int) -> np.ndarray:
    cars = traffic(rng, n, 0.6, 0.5)
    crowd = babble(rng, n, 6, 0.7)
    walk = norm(steps(rng, n, 1, walkers=4))
    times = rng.uniform(0, n / SR, 1)
    horns = scatter(n, times, [(np.sin(2 * np.pi * 410 * np.arange(int(0.35 * SR)) / SR)
                                + np.sin(2 * np.pi * 515 * np.arange(int(0.35 * SR)) / SR)) * np.hanning(int(0.35 * SR))
                               for _ in times])
    horns = circ_filter(horns, band(0, 1500))
    return reverb(rng, cars + 0.4 * crowd + 0.25 * walk + 0.08 * norm(horns), 0.8, 0.2)


def forest_rain(rng: Generator, n: int) -> np.ndarray:
    shower = rain(rng, n, 1.0)
    times = rng.uniform(4, n / SR - 4, 1)
    thunder = []
    for _ in times:
        length = 5.0
        t = np.arange(int(length * SR)) / SR
        shape = np.minimum(1, t / 0.4) * np.exp(-t / 1.4) * (0.6 + 0.4 * np.sin(2 * np.pi * 1.3 * t) ** 2)
        thunder.append(burst(rng, length, 25, 220, 0.001, 1e3) * shape)
    roll = scatter(n, times, thunder)
    return shower + 0.6 * norm(roll) * 0.8 + 0.2 * wind(rng, n, 0.4, 0.5)


def mekong_boat(rng: Generator, n: int) -> np.ndarray:
    motor = engine(rng, n, 46, 0.08, (40, 600))
    hull = coloured(rng, n, band(200, 2500)) * (0.5 + 0.5 * np.sin(2 * np.pi * np.arange(n) / SR * (round(0.5 * n / SR) / (n / SR)))) ** 2
    times = poisson_times(rng, n, 0.5)
    splash = scatter(n, times, [burst(rng, 0.5, 300, 4000, 0.02, 0.12) for _ in times])
    return 0.7 * motor + 0.8 * hull + 0.4 * norm(splash) + 0.35 * water(rng, n, 0.4, 12) + 0.3 * wind(rng, n, 0.5, 0.6)


def police_station(rng: Generator, n: int) -> np.ndarray:
    room = coloured(rng, n, tilt(0.5), band(40, 1500))
    times, grains = [], []
    for start in rng.uniform(0, n / SR, 4):
        for k in range(int(rng.uniform(12, 30))):
            times.append(start + k * rng.uniform(0.09, 0.2))
            grains.append(modal(rng, [(rng.uniform(1800, 2600), 0.008, 1), (rng.uniform(4000, 5000), 0.004, 0.4)], 0.03, 0.0004)
                          * rng.uniform(0.4, 1))
    typing = scatter(n, np.array(times), grains)
    voices = circ_filter(babble(rng, n, 2, 0.8), band(0, 900))
    walk = norm(steps(rng, n, 0.4, hard=True, walkers=3))
    times = rng.uniform(0, n / SR, 1)
    door = scatter(n, times, [burst(rng, 0.6, 50, 300, 0.002, 0.12) for _ in times])
    mix = 0.3 * room + 0.3 * norm(typing) + 0.5 * voices + 0.35 * walk + 0.4 * norm(door)
    return reverb(rng, mix, 0.7, 0.3)


def detention_hall(rng: Generator, n: int) -> np.ndarray:
    crowd = babble(rng, n, 12, 0.65)
    times = np.array([0.3, 0.72]) * n / SR
    clangs = scatter(n, times, [modal(rng, [(f * s, d, a) for f, d, a in ((181, 0.7, 0.6), (413, 0.6, 0.7), (757, 0.5, 0.5),
                                                                            (1132, 0.4, 0.35), (1790, 0.25, 0.2))
                                             for s in [rng.uniform(0.93, 1.07)]], 2.5, 0.003) for _ in times])
    walk = norm(steps(rng, n, 0.4, hard=True, walkers=3))
    mix = crowd + 0.3 * norm(clangs) + 0.25 * walk + 0.25 * coloured(rng, n, tilt(1.0), band(30, 300))
    return reverb(rng, mix, 2.0, 0.45, 2500)


def airport(rng: Generator, n: int) -> np.ndarray:
    crowd = babble(rng, n, 10, 0.55)
    times = poisson_times(rng, n, 0.25)
    wheels = []
    for _ in times:
        length = rng.uniform(2.5, 4.5)
        t = np.arange(int(length * SR)) / SR
        clicks = (np.sin(2 * np.pi * rng.uniform(4, 7) * t) > 0.97).astype(float)
        roll = burst(rng, length, 200, 1600, 0.001, 1e3) + signal.lfilter(*signal.butter(2, [500, 3000], "band", fs=SR), clicks)
        wheels.append(roll * np.hanning(len(t)))
    rolling = scatter(n, times, wheels)
    chime_t = np.arange(int(1.6 * SR)) / SR
    chime = sum(np.sin(2 * np.pi * f * chime_t) * np.exp(-np.maximum(0, chime_t - d) / 0.5) * (chime_t >= d)
                for f, d in ((659.3, 0.0), (523.3, 0.45)))
    announce = scatter(n, np.array([n / SR * 0.6]), [chime])
    jets = coloured(rng, n, tilt(1.0), band(30, 400)) * slow(rng, n, 0.1, 0.2) ** 2
    mix = crowd + 0.35 * norm(rolling) + 0.07 * announce / (np.max(np.abs(announce)) + 1e-9) * 3 + 0.4 * jets
    return reverb(rng, mix, 2.4, 0.4, 3500)


def seoul(rng: Generator, n: int) -> np.ndarray:
    cars = traffic(rng, n, 0.9, 0.3)
    crowd = babble(rng, n, 10, 0.35)
    walk = norm(steps(rng, n, 1, hard=True, walkers=8))
    times = rng.uniform(0, n / SR, 1)
    hiss = scatter(n, times, [burst(rng, 1.2, 1500, 8000, 0.05, 0.35) for _ in times])
    return reverb(rng, 0.8 * cars + 0.6 * crowd + 0.35 * walk + 0.25 * norm(hiss), 0.9, 0.2)


# ---------------------------------------------------------------------------- music
# A sparse, slow piece on a pentatonic scale (D E G A B), with struck-string tones over a breathing pad.
def _tone(rng: Generator, f: float, length: float, bright: float = 1.0) -> np.ndarray:
    """A struck string: slightly stretched partials, the higher ones dying first."""
    t = np.arange(int(length * SR)) / SR
    y = np.zeros_like(t)
    for k in range(1, 8):
        fk = f * k * (1 + 0.0004 * k * k)
        if fk > SR / 2.2:
            break
        y += (bright ** (k - 1)) / k ** 1.3 * np.sin(2 * np.pi * fk * t + rng.uniform(0, 6.3)) * np.exp(-t * (0.6 + 0.9 * k))
    release = np.clip((length - t) / (0.3 * length), 0, 1)  # damped at the end: a grain never stops with a click
    return y * np.minimum(1, t / 0.004) * np.sin(np.pi / 2 * release) ** 2


def _pad(rng: Generator, n: int, chord: list[float], swell_s: float) -> np.ndarray:
    t = np.arange(n) / SR
    y = np.zeros(n)
    for f in chord:
        for detune in (-0.15, 0.15):
            ff = round((f + detune) * n / SR) / (n / SR)  # whole cycles per loop
            y += np.sin(2 * np.pi * ff * t + rng.uniform(0, 6.3))
    cycles = max(1, round(n / SR / swell_s))
    return y * (0.35 + 0.65 * np.sin(np.pi * cycles * t / (n / SR)) ** 2)


NOTE = {"D3": 146.83, "A3": 220.0, "B3": 246.94, "D4": 293.66, "E4": 329.63, "G4": 392.0, "A4": 440.0, "B4": 493.88,
        "D5": 587.33, "E5": 659.26, "G2": 98.0, "D2": 73.42, "A2": 110.0, "E3": 164.81}


def _phrase(rng: Generator, n: int, notes: list[tuple[float, str, float]], bright: float) -> np.ndarray:
    times = np.array([t for t, _, _ in notes])
    grains = [_tone(rng, NOTE[name], 6.0, bright) * amp for _, name, amp in notes]
    return scatter(n, times, grains)


def title_theme(rng: Generator, n: int) -> np.ndarray:
    melody = [(1.0, "A4", 1.0), (3.2, "G4", 0.8), (4.6, "E4", 0.8), (8.0, "D4", 0.9), (11.5, "E4", 0.7), (13.0, "G4", 0.7),
              (14.4, "A4", 0.8), (18.0, "B4", 0.6), (20.5, "A4", 0.8), (25.0, "D5", 0.7), (27.0, "B4", 0.6), (28.5, "A4", 0.7),
              (32.0, "G4", 0.8), (36.0, "E4", 0.7), (37.6, "D4", 0.9)]
    bass = [(0.0, "D3", 0.6), (10.0, "G2", 0.5), (20.0, "A2", 0.5), (30.0, "D2", 0.6)]
    mel = _phrase(rng, n, melody, 0.6)
    low = _phrase(rng, n, bass, 0.4)
    pad = circ_filter(_pad(rng, n, [NOTE["D3"], NOTE["A3"], NOTE["E4"]], 10.0), band(0, 1200))
    mix = norm(mel) + 0.6 * norm(low) + 0.35 * norm(pad) + 0.04 * coloured(rng, n, tilt(1.0), band(30, 2000))
    return reverb(rng, mix, 3.0, 0.45, 3000)


def ending_theme(rng: Generator, n: int) -> np.ndarray:
    melody = [(1.5, "D4", 0.9), (5.0, "E4", 0.7), (7.0, "G4", 0.7), (11.0, "E4", 0.8), (15.5, "D4", 0.8), (19.0, "B3", 0.7),
              (22.0, "A3", 0.9), (27.0, "D4", 0.6)]
    bass = [(0.0, "D2", 0.6), (14.0, "G2", 0.5), (22.0, "D2", 0.6)]
    mel = _phrase(rng, n, melody, 0.5)
    low = _phrase(rng, n, bass, 0.4)
    pad = circ_filter(_pad(rng, n, [NOTE["D3"], NOTE["A3"], NOTE["B3"]], 16.0), band(0, 900))
    mix = norm(mel) + 0.6 * norm(low) + 0.3 * norm(pad)
    mix *= np.minimum(1, np.arange(n) / (2 * SR)) * np.minimum(1, (n - np.arange(n)) / (8 * SR))  # plays once: in and out
    out = reverb(rng, np.concatenate([mix, np.zeros(4 * SR)]), 3.5, 0.45, 2800)
    return out[:n] * np.minimum(1, (n - np.arange(n)) / (3 * SR))


# ---------------------------------------------------------------------------- cues
def _silence_after(x: np.ndarray, n: int) -> np.ndarray:
    """A cue of n samples that dies away: its last 40% fades to silence, so nothing is cut off."""
    out = np.zeros(n)
    out[:min(n, len(x))] = x[:n]
    fade = int(0.4 * n)
    out[-fade:] *= np.cos(np.linspace(0, np.pi / 2, fade)) ** 2
    return out


def _room(rng: Generator, x: np.ndarray, rt60: float, wet: float, bright: float) -> np.ndarray:
    """Reverberation for a sound played once: its tail runs on after the end instead of wrapping to the start."""
    pad = np.concatenate([x, np.zeros(int(rt60 * 1.2 * SR))])
    return reverb(rng, pad, rt60, wet, bright)


def risk_fell(rng: Generator, n: int) -> np.ndarray:
    """A low thud and a dark interval (a minor second) that dies away."""
    thud = burst(rng, 1.0, 40, 180, 0.004, 0.25)
    tones = _tone(rng, NOTE["D3"], 2.8, 0.5) + 0.7 * _tone(rng, 155.56, 2.8, 0.5)
    y = np.zeros(n)
    y[:len(thud)] += thud
    y[int(0.05 * SR):int(0.05 * SR) + len(tones)] += 0.8 * tones[: n - int(0.05 * SR)]
    return _silence_after(_room(rng, y, 1.2, 0.3, 2000), n)


def risk_avoided(rng: Generator, n: int) -> np.ndarray:
    """Two soft notes rising a fifth, like a breath let out."""
    y = np.zeros(n)
    a, b = _tone(rng, NOTE["D4"], 2.0, 0.4), _tone(rng, NOTE["A4"], 2.0, 0.4)
    y[:len(a)] += a
    y[int(0.35 * SR):int(0.35 * SR) + len(b)] += b[: n - int(0.35 * SR)]
    return _silence_after(_room(rng, y, 1.2, 0.35, 3000), n)


def ending_bell(rng: Generator, n: int) -> np.ndarray:
    """A low bowl struck once: inharmonic partials with long, unequal decays."""
    y = modal(rng, [(110, 1.4, 1), (276, 1.1, 0.6), (503, 0.8, 0.4), (797, 0.6, 0.25), (1161, 0.4, 0.15)], n / SR, 0.01)
    return _silence_after(_room(rng, y, 2.0, 0.3, 2500), n)


def chapter_card(rng: Generator, n: int) -> np.ndarray:
    """A soft swell of low air and one muted note: a page turning to a new place."""
    t = np.arange(n) / SR
    air = coloured(rng, n, tilt(1.0), band(60, 700)) * np.sin(np.pi * np.minimum(1, t / (n / SR))) ** 2
    note = np.zeros(n)
    tone = _tone(rng, NOTE["A3"], n / SR - 0.6, 0.3)
    note[int(0.6 * SR):int(0.6 * SR) + len(tone)] = tone
    return _silence_after(_room(rng, 0.3 * air + norm(note), 1.5, 0.35, 2500), n)


def ui_focus(rng: Generator, n: int) -> np.ndarray:
    """A felt tap: a very short, dull knock."""
    return _silence_after(modal(rng, [(900, 0.012, 1), (2100, 0.006, 0.3)], 0.08, 0.0008), n)


def ui_choose(rng: Generator, n: int) -> np.ndarray:
    """A soft pluck, a little longer than the tap."""
    return _silence_after(_tone(rng, NOTE["D5"], 0.5, 0.3) * np.exp(-np.arange(int(0.5 * SR)) / SR / 0.08), n)


# ---------------------------------------------------------------------------- the catalogue
@dataclass(frozen=True, slots=True)
class Recipe:
    """One sound: how it is made, how long it lasts, what it should sound like."""

    name: str
    kind: str  # ambience | music | cue | interface
    seconds: float
    render: Callable[[Generator, int], np.ndarray]
    hear: str  # what a listener should hear, for docs/audio/README.md
    loops: bool = True
    tonal: bool = False  # a steady pitch is intended (an engine, a tune)


RECIPES: dict[str, Recipe] = {r.name: r for r in (
    Recipe("market_dawn", "ambience", 24, market_dawn,
           "A market before the sun is up: many voices at a distance, footsteps, a pot set down now and then, "
           "small birds and a little wind."),
    Recipe("blackout_street", "ambience", 24, blackout_street,
           "A town with its lights off: low wind between houses, a few steps far off, a voice or two, almost nothing else."),
    Recipe("hill_wind", "ambience", 24, hill_wind,
           "Wind on an open hill: gusts that rise and fall across the whole band, grass hissing in the strongest."),
    Recipe("river_night", "ambience", 24, river_night,
           "A wide river at night: a low rush of water, small bubbling, water lapping at the bank."),
    Recipe("river_ice", "ambience", 24, river_ice,
           "A river in early spring: water moving under ice, sharp cracks that ring and sing downwards, slow creaks."),
    Recipe("hiding_room", "ambience", 16, hiding_room,
           "A shut room: a clock ticking once a second, the low hum of a street behind the wall, steps on the floor above."),
    Recipe("train", "ambience", 24, train,
           "Inside a train: a deep rumble with the carriage's own resonance, wheels knocking over rail joints "
           "in pairs every second and a half, a window rattling.", tonal=True),
    Recipe("coach", "ambience", 24, coach,
           "A long-distance coach: a diesel engine's low growl whose pitch drifts, road roar, bumps and rattles.",
           tonal=True),
    Recipe("city", "ambience", 24, city,
           "A Chinese city street: cars passing in swells, a far rumble, people talking, steps, one distant horn."),
    Recipe("forest_rain", "ambience", 24, forest_rain,
           "Rain on a mountain forest: a bright hiss of drops on leaves, fat drips, a roll of thunder far off."),
    Recipe("mekong_boat", "ambience", 24, mekong_boat,
           "A long-tail boat on the Mekong at night: the engine's throb, water rushing along the hull, splashes, wind.",
           tonal=True),
    Recipe("police_station", "ambience", 24, police_station,
           "A police station office: a small hard room, typing in bursts, voices behind a wall, steps, a door."),
    Recipe("detention_hall", "ambience", 24, detention_hall,
           "A detention hall: a large echoing room, many people talking low, a metal door far off, steps."),
    Recipe("airport", "ambience", 24, airport,
           "An airport hall: a wide echo of many voices, suitcase wheels rolling by, one soft two-note chime, jets far off."),
    Recipe("seoul", "ambience", 24, seoul,
           "A busy Seoul street: smooth traffic, people close by, quick steps on pavement, a bus's brakes hissing."),
    Recipe("title_theme", "music", 40, title_theme,
           "The title: a few slow plucked notes on a five-note scale over a soft, breathing chord; lots of space.",
           tonal=True),
    Recipe("ending_theme", "music", 34, ending_theme,
           "The ending: fewer, lower notes falling to rest, fading in and out; played once.", loops=False, tonal=True),
    Recipe("risk_fell", "cue", 3.0, risk_fell,
           "A risk that falls: a low thud and two dark, close notes dying away.", loops=False, tonal=True),
    Recipe("risk_avoided", "cue", 2.4, risk_avoided,
           "A risk avoided: two soft notes rising a fifth.", loops=False, tonal=True),
    Recipe("ending", "cue", 5.0, ending_bell,
           "An ending: one low bowl struck once, its partials fading at different speeds.", loops=False, tonal=True),
    Recipe("chapter", "cue", 3.0, chapter_card,
           "A chapter card: a swell of low air and one muted note.", loops=False, tonal=True),
    Recipe("ui_focus", "interface", 0.25, ui_focus,
           "Moving between choices (off by default): a very short, dull tap.", loops=False, tonal=True),
    Recipe("ui_choose", "interface", 0.5, ui_choose,
           "Taking a choice (off by default): a soft, short pluck.", loops=False, tonal=True),
)}


# ---------------------------------------------------------------------------- render and measure
def rng_for(name: str, seed: int = SEED) -> Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def loudness(x: np.ndarray) -> float:
    """Integrated loudness (LUFS, EBU R128); a short sound is measured with a second of silence after it."""
    import pyloudnorm

    if len(x) < SR:
        x = np.concatenate([x, np.zeros(SR - len(x))])
    return float(pyloudnorm.Meter(SR).integrated_loudness(x))


def true_peak_db(x: np.ndarray, loops: bool = True) -> float:
    """True peak in dBTP: the highest sample of the signal oversampled 4× (ITU-R BS.1770 annex 2)."""
    padded = np.concatenate([x[-64:], x, x[:64]]) if loops else np.concatenate([np.zeros(64), x, np.zeros(64)])
    up = signal.resample_poly(padded, 4, 1)
    return float(20 * np.log10(np.max(np.abs(up)) + 1e-12))


def loop_jump(x: np.ndarray) -> float:
    """How the step from the last sample to the first compares with the signal's own steps.

    1.0 is the size of a typical (99th percentile) step; a click would be many times it.
    """
    steps_ = np.abs(np.diff(x))
    return float(abs(x[0] - x[-1]) / (np.percentile(steps_, 99) + 1e-12))


def tone_peak_db(x: np.ndarray) -> tuple[float, float]:
    """(dB, Hz): the long-term spectrum's highest narrow peak above its local median, 40 Hz–12 kHz."""
    from scipy.ndimage import median_filter

    f, p = signal.welch(x, SR, nperseg=8192)
    db = 10 * np.log10(p + 1e-20)
    excess = db - median_filter(db, size=41, mode="nearest")
    sel = (f > 40) & (f < 12000)
    i = int(np.argmax(np.where(sel, excess, -np.inf)))
    return float(excess[i]), float(f[i])


def render(name: str, seed: int = SEED) -> np.ndarray:
    """The finished sound: rendered from its recipe, then gained to its target loudness."""
    recipe = RECIPES[name]
    n = int(round(recipe.seconds * SR))
    x = recipe.render(rng_for(name, seed), n)[:n]
    x = x - np.mean(x) if recipe.loops else x
    gain = 10 ** ((TARGET_LUFS[recipe.kind] - loudness(x)) / 20)
    x = x * gain
    peak = true_peak_db(x, recipe.loops)
    if peak > TRUE_PEAK_LIMIT - 0.5:  # a transient above the ceiling: tame it smoothly, then re-level
        ceiling = 10 ** ((TRUE_PEAK_LIMIT - 1.5) / 20)
        x = ceiling * np.tanh(x / ceiling)
        x = x * 10 ** ((TARGET_LUFS[recipe.kind] - loudness(x)) / 20)
        x = np.clip(x, -ceiling * 1.2, ceiling * 1.2)
    return x.astype(np.float32)


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    seconds: float
    lufs: float
    true_peak: float
    jump: float
    tone_db: float
    tone_hz: float

    def problems(self, recipe: Recipe) -> list[str]:
        out = []
        target = TARGET_LUFS[recipe.kind]
        if abs(self.lufs - target) > LUFS_TOLERANCE:
            out.append(f"loudness {self.lufs:.1f} LUFS, aim {target:.0f}")
        if self.true_peak >= TRUE_PEAK_LIMIT:
            out.append(f"true peak {self.true_peak:.1f} dBTP, limit {TRUE_PEAK_LIMIT:.0f}")
        if recipe.loops and self.jump > 3.0:
            out.append(f"loop point jumps {self.jump:.1f}× a typical step")
        if not recipe.tonal and self.tone_db > TONE_LIMIT_DB:
            out.append(f"a steady tone at {self.tone_hz:.0f} Hz, {self.tone_db:.0f} dB above its surroundings")
        return out


def measure(name: str, x: np.ndarray) -> Measure:
    recipe = RECIPES[name]
    tone = tone_peak_db(x) if len(x) > 8192 else (0.0, 0.0)
    return Measure(name, len(x) / SR, loudness(x), true_peak_db(x, recipe.loops), loop_jump(x) if recipe.loops else 0.0,
                   *tone)


def write_ogg(path: Path, x: np.ndarray, kind: str) -> None:
    import soundfile

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.ogg")
    soundfile.write(tmp, x, SR, format="OGG", subtype="VORBIS", compression_level=1 - VORBIS_QUALITY[kind])
    tmp.replace(path)


def read_ogg(path: Path) -> np.ndarray:
    import soundfile

    data, rate = soundfile.read(path, dtype="float32")
    if rate != SR:
        raise ValueError(f"{path}: {rate} Hz, expected {SR}")
    return data


def spectrogram_png(x: np.ndarray, path: Path, title: str) -> None:
    """A spectrogram on a logarithmic frequency axis (30 Hz–16 kHz), time across, with labels."""
    import os

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    pygame.font.init()
    width, height, left, top, bottom = 960, 300, 64, 30, 26
    f, t, z = signal.stft(x, SR, nperseg=2048, noverlap=2048 - max(1, len(x) // width))
    db = 20 * np.log10(np.abs(z) + 1e-9)
    rows = np.geomspace(30, SR / 2, height)[::-1]
    cols = np.linspace(0, len(t) - 1, width).astype(int)
    fi = np.clip(np.searchsorted(f, rows), 0, len(f) - 1)
    img = db[fi][:, cols]
    hi = float(np.percentile(img, 99.7))  # each picture scaled to its own loudest, 75 dB deep
    lo = hi - 75.0
    v = np.clip((img - lo) / (hi - lo), 0, 1)
    rgb = np.stack([np.clip(1.6 * v, 0, 1), np.clip(1.6 * v - 0.5, 0, 1) ** 1.2, np.clip(0.5 * v + 2 * (v - 0.8), 0, 1)], -1)
    rgb = (rgb * 255).astype(np.uint8)
    canvas = pygame.Surface((left + width + 10, top + height + bottom))
    canvas.fill((20, 20, 24))
    canvas.blit(pygame.surfarray.make_surface(rgb.transpose(1, 0, 2)), (left, top))
    font = pygame.font.Font(None, 18)
    canvas.blit(font.render(title, True, (230, 230, 230)), (left, 8))
    for hz in (50, 100, 200, 500, 1000, 2000, 5000, 10000):
        y = top + int((1 - np.log(hz / 30) / np.log(SR / 2 / 30)) * (height - 1))
        label = f"{hz // 1000} kHz" if hz >= 1000 else f"{hz} Hz"
        canvas.blit(font.render(label, True, (200, 200, 200)), (6, y - 6))
        pygame.draw.line(canvas, (90, 90, 90), (left - 4, y), (left, y))
    seconds = len(x) / SR
    step = 1 if seconds <= 6 else 4
    for s in np.arange(0, seconds + 1e-9, step):
        xpos = left + int(s / seconds * (width - 1))
        canvas.blit(font.render(f"{s:g} s", True, (200, 200, 200)), (xpos - 8, top + height + 6))
    path.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(canvas, str(path))


def docs_page(measures: list[Measure]) -> str:
    lines = ["# The game's sounds", "",
             "Every sound in `assets/audio/` is made by `tools/make_audio.py` from a recipe (filtered noise, grains,",
             "resonant bodies), with a fixed seed. Nobody on the project could listen while making them, so each is",
             "shown here as a spectrogram (time across, frequency up on a logarithmic scale, brighter is louder) beside",
             "what a listener should hear, and measured: integrated loudness (EBU R128), true peak (4× oversampled),",
             "and for loops the jump at the loop point compared with a typical step (1× is seamless).", "",
             "Regenerate with `python tools/make_audio.py` (after `pip install -e '.[test]'`: NumPy, SciPy, soundfile, pyloudnorm).",
             ""]
    by_name = {m.name: m for m in measures}
    for kind, heading in (("ambience", "Ambiences"), ("music", "Music"), ("cue", "Cues"), ("interface", "Interface (off by default)")):
        lines += [f"## {heading}", ""]
        for recipe in RECIPES.values():
            if recipe.kind != kind:
                continue
            m = by_name.get(recipe.name)
            figures = (f" ({m.seconds:g} s, {m.lufs:.1f} LUFS, true peak {m.true_peak:.1f} dBTP"
                       + (f", loop jump {m.jump:.2f}×" if recipe.loops else "") + ")") if m else ""
            lines += [f"### `{recipe.name}`", "", recipe.hear + figures, "", f"![{recipe.name}]({recipe.name}.png)", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(RECIPES), help="render only these sounds")
    parser.add_argument("--report", action="store_true", help="measure and print; write nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--docs", type=Path, default=DOCS)
    args = parser.parse_args(argv)
    names = args.only or list(RECIPES)
    measures, failed = [], False
    for name in names:
        recipe = RECIPES[name]
        x = render(name)
        m = measure(name, x)
        measures.append(m)
        problems = m.problems(recipe)
        failed |= bool(problems)
        print(f"{name:16} {m.seconds:5.1f} s {m.lufs:6.1f} LUFS {m.true_peak:6.1f} dBTP jump {m.jump:5.2f}× "
              f"tone {m.tone_db:4.1f} dB @ {m.tone_hz:5.0f} Hz  {'; '.join(problems) or 'ok'}")
        if not args.report:
            write_ogg(args.out / f"{name}.ogg", x, recipe.kind)
            spectrogram_png(x, args.docs / f"{name}.png", f"{name}: {recipe.hear.split(':')[0]}")
    if not args.report:
        if args.only is None:
            (args.docs / "README.md").write_text(docs_page(measures) + "\n", encoding="utf-8")
        total = sum(p.stat().st_size for p in args.out.glob("*.ogg"))
        print(f"assets/audio: {total / 1e6:.2f} MB of Ogg Vorbis (goal ≤ 10 MB)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
