"""The class report: one self-contained HTML file (and CSV tables) from session records.

Both kinds of classroom session are read: voting sessions (one journey on the
projector, a vote at each decision; CSV: one row per option per vote) and class
journeys (every student her own journey; the same numbers as the class debrief,
through :func:`game.classroom.journeys.class_debrief`; CSV: one row per choice a
student took, anonymous).

Reads any number of records (five groups of one class, or a term of classes), each
through :func:`game.classroom.session.read_session`, which never raises for damage:
a torn or garbage line is reported in the file's notes and the rest used; a file that
is not a session is listed as skipped. Nothing here is fatal.

The HTML needs no network and no script: charts are inline SVG written here by hand,
styles are inline, and print CSS gives A4 pages with sections kept whole, so
"Print → Save as PDF" in any browser gives a clean handout. Every string that comes
from a record (class names, group names, story text) is HTML-escaped, in text and in
attributes alike.

Pure core: no pygame.
"""

from __future__ import annotations

import csv
import html
import io
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game import __version__
from game.classroom import session as s
from game.classroom.journeys import ClassDebrief, class_debrief, is_journeys
from game.classroom.sources import confidence_words, fact_year
from game.engine.history import LUCK_SENTENCE, SINCE_2010_FACTS
from game.engine.wording import ESTIMATE_NOTE
from game.errors import StoryError
from game.l10n import N_, _, language, ngettext
from game.story.model import ENDING_KIND_LABELS, ENDING_KIND_MEANINGS, Fact

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, and in greyscale print order.
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7a7a7a", "#000000")
OPTION_COLOURS = ("#2f6f9f", "#d08a2e", "#5a9e6f", "#a05a8c", "#8c7a4f", "#4a4a4a")
# Every kind of ending in one neutral colour: no ending is a win or a loss (the truth pass, issue 16).
ENDING_COLOUR = "#5f6b7a"
KIND_WORDS = ENDING_KIND_LABELS  # one neutral label for each kind of ending, as every screen shows it
CHART_RESOURCES = ("cash", "days", "exposure", "health", "debt")


def e(value: Any) -> str:
    """Escape for HTML text and attributes (quotes included)."""
    return html.escape(str(value), quote=True)


# --------------------------------------------------------------------------- reading sessions


@dataclass
class DecisionRow:
    """One vote in one session."""

    id: str
    node: str
    title: str
    step: int
    options: list[dict[str, Any]]
    counts: dict[int, int] = field(default_factory=dict)
    chosen: int | None = None
    chosen_text: str = ""
    decided_by: str = ""
    roll: dict[str, Any] | None = None
    undone: bool = False
    cancelled: str = ""       # why the vote closed without a decision ("cancelled", "went back"), else ""
    by_source: dict[str, int] = field(default_factory=dict)   # votes per source: phones, keyboard (hands)
    t_open: float = 0.0
    t_close: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class SessionSummary:
    record: s.SessionRecord
    decisions: list[DecisionRow]
    points: list[dict[str, Any]]          # node_shown events: node, vars, step
    discussions: list[dict[str, Any]]
    facts: list[str]                      # fact cards shown on the projector (F), in order
    rollbacks: int
    ending: dict[str, Any] | None
    duration: float
    blank_seconds: float
    colour: str = "#000"
    display: str = ""  # how tables name it: the group alone when every session has the same name
    met: list[str] = field(default_factory=list)  # the facts behind every passage the class saw, first met first

    @property
    def label(self) -> str:
        return self.display or self.record.label

    @property
    def short(self) -> str:
        """How a row names the session: with its class whenever the report holds more than one class."""
        return self.label

    @property
    def discussion_seconds(self) -> float:
        return sum(float(d.get("seconds", 0) or 0) for d in self.discussions)

    @property
    def path(self) -> list[str]:
        """The chosen path: node ids of the decisions that stood (not undone), in order."""
        return [d.node for d in self.decisions if d.chosen is not None and not d.undone]


def summarise(record: s.SessionRecord) -> SessionSummary:
    decisions: dict[str, DecisionRow] = {}
    order: list[DecisionRow] = []
    points: list[dict[str, Any]] = []
    discussions: list[dict[str, Any]] = []
    facts: list[str] = []
    met: list[str] = []
    rollbacks = 0
    blank = 0.0
    ending = None
    taken: list[DecisionRow] = []
    for ev in record.events:
        kind = ev["type"]
        if kind == s.VOTE_OPENED:
            options = [o for o in ev.get("options", []) if isinstance(o, dict)] \
                if isinstance(ev.get("options"), list) else []
            row = DecisionRow(str(ev.get("decision", "")), str(ev.get("node", "")), str(ev.get("title", "")),
                              _int(ev.get("step")), options, t_open=float(ev["t"]))
            decisions[row.id] = row
            order.append(row)
        elif kind == s.TALLY:
            row = decisions.get(str(ev.get("decision", "")))
            counts = ev.get("counts") if isinstance(ev.get("counts"), dict) else {}
            if row is not None:
                row.counts = {_int(k): _int(v) for k, v in counts.items() if _int(v) > 0}
                sources = ev.get("by_source") if isinstance(ev.get("by_source"), dict) else {}
                row.by_source = {str(k): sum(_int(n) for n in v.values()) for k, v in sources.items()
                                 if isinstance(v, dict)}
        elif kind == s.CANCELLED:
            row = decisions.get(str(ev.get("decision", "")))
            if row is not None and row.chosen is None:
                row.cancelled = str(ev.get("reason", "cancelled")) or "cancelled"
                counts = ev.get("counts") if isinstance(ev.get("counts"), dict) else {}
                row.counts = {_int(k): _int(v) for k, v in counts.items() if _int(v) > 0}
        elif kind == s.CHOICE:
            row = decisions.get(str(ev.get("decision", "")))
            if row is not None:
                row.chosen = _int(ev.get("index"))
                row.chosen_text = str(ev.get("text", ""))
                row.decided_by = str(ev.get("decided_by", ""))
                row.roll = ev.get("roll") if isinstance(ev.get("roll"), dict) else None
                row.t_close = float(ev["t"])
                taken.append(row)
        elif kind == s.ROLLBACK:
            rollbacks += 1
            if taken:
                taken.pop().undone = True
            ending = None
        elif kind == s.NODE:
            points.append(ev)
            for fid in ev.get("facts") or ():
                if isinstance(fid, str) and fid not in met:
                    met.append(fid)
        elif kind == s.DISCUSSION:
            discussions.append(ev)
        elif kind == s.FACT:
            facts.append(str(ev.get("fact", "")))
        elif kind == s.BLANKED:
            blank += float(ev.get("seconds", 0) or 0)
        elif kind == s.ENDED:
            ending = ev
    # Points on the journey's own line: drop the ones a rollback undid (a node shown again after a
    # rollback repeats an earlier point; keep the latest reading of each step).
    by_step: dict[int, dict[str, Any]] = {}
    for p in points:
        by_step[_int(p.get("step"))] = p
    line = [by_step[k] for k in sorted(by_step)]
    times = [float(ev["t"]) for ev in record.events]
    duration = (max(times) - min(times)) if times else 0.0
    return SessionSummary(record, order, line, discussions, facts, rollbacks, ending, duration, blank, met=met)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@dataclass
class JourneysSummary:
    """One class-journeys session: its record and the class debrief computed from it (as the window shows it)."""

    record: s.SessionRecord
    debrief: ClassDebrief
    duration: float

    @property
    def label(self) -> str:
        return self.record.label


@dataclass
class Loaded:
    sessions: list[SessionSummary]
    skipped: list[tuple[str, str]]          # (file, why)
    damaged: list[tuple[str, list[str]]]    # (file, problems) for files that were used
    journeys: list[JourneysSummary] = field(default_factory=list)   # class-journeys sessions, beside the votes


def load_sessions(paths: Iterable[Path]) -> Loaded:
    sessions, skipped, damaged, journeys = [], [], [], []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            skipped.append((path.name, _("it is a folder; name the .jsonl files inside it")))
            continue
        record = s.read_session(path)
        if not record.is_session:
            why = record.problems[-1] if record.problems else _("it is not a session record")
            skipped.append((path.name, why))
            continue
        if record.problems:
            damaged.append((path.name, list(record.problems)))
        if is_journeys(record):
            try:
                debrief = class_debrief(record)
            except (s.SessionError, KeyError, TypeError, ValueError) as exc:
                skipped.append((path.name, _("a class-journeys record that cannot be read: {problem}").format(
                    problem=exc)))
                continue
            times = [float(ev["t"]) for ev in record.events]
            journeys.append(JourneysSummary(record, debrief, (max(times) - min(times)) if times else 0.0))
            continue
        sessions.append(summarise(record))
    sessions.sort(key=lambda x: (float(x.record.start.get("t", 0)), x.label))
    journeys.sort(key=lambda x: (float(x.record.start.get("t", 0)), x.label))
    for i, summary in enumerate(sessions):  # every row names its class too ("9B History · Group 1 of 2")
        summary.colour = SERIES[i % len(SERIES)]
    return Loaded(sessions, skipped, damaged, journeys)


# --------------------------------------------------------------------------- CSV


CSV_HEADER = ("session_file", "date", "session", "group", "decision", "step", "node", "title", "option",
              "option_text", "available", "votes", "chosen", "decided_by", "undone", "status", "phones_total",
              "hands_total")


def votes_csv(loaded: Loaded) -> str:
    """One row per option per vote: spreadsheets can pivot it any way."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for summary in loaded.sessions:
        rec = summary.record
        date = str(rec.start.get("started_at", ""))[:10]
        for d in summary.decisions:
            status = "decided" if d.chosen is not None else (d.cancelled or "not decided (the session stopped)")
            phones = d.by_source.get("phones", 0)
            hands = sum(n for k, n in d.by_source.items() if k != "phones")
            for opt in d.options:
                index = _int(opt.get("index"))
                writer.writerow([rec.path.name, date, _cell(rec.name), _cell(rec.group), d.id, d.step, d.node,
                                 _cell(d.title), index + 1, _cell(opt.get("text", "")),
                                 "yes" if opt.get("available", True) else "no", d.counts.get(index, 0),
                                 "yes" if d.chosen == index else "no", d.decided_by if d.chosen == index else "",
                                 "yes" if d.undone and d.chosen == index else "no", status, phones, hands])
    return out.getvalue()


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --------------------------------------------------------------------------- charts (inline SVG)


def svg_endings(sessions: Sequence[SessionSummary]) -> str:
    counts: dict[tuple[str, str], list[SessionSummary]] = {}
    for summary in sessions:
        end = summary.ending
        key = (str(end.get("title", "")), str(end.get("kind", ""))) if end else (_("Not finished"), "")
        counts.setdefault(key, []).append(summary)
    rows = sorted(counts.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))
    width, label_w, bar_h, gap = 680, 250, 26, 10
    most = max((len(v) for v in counts.values()), default=1)
    height = len(rows) * (bar_h + gap) + 10
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             'aria-label="' + e(_("Endings reached")) + '">']
    for i, ((title, _kind), members) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        w = max(4, (width - label_w - 60) * len(members) / most)
        colour = ENDING_COLOUR
        parts.append(f'<text x="{label_w - 10}" y="{y + bar_h * 0.68:.1f}" text-anchor="end" class="lbl">'
                     f'{e(_clip(title, 34))}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{colour}">'
                     f'<title>{e(title)}: {", ".join(e(m.label) for m in members)}</title></rect>')
        parts.append(f'<text x="{label_w + w + 8:.1f}" y="{y + bar_h * 0.68:.1f}" class="num">{len(members)}'
                     f'</text>')
    parts.append("</svg>")
    return "".join(parts)


def _no_tally(d: DecisionRow) -> str:
    """What a vote without counts was: cancelled, stopped, or decided by the facilitator with no votes."""
    if d.chosen is None:
        return _("no votes: cancelled") if d.cancelled else _("no votes: the session stopped during the vote")
    return _("no votes: decided by the facilitator")


def svg_split(d: DecisionRow, width: int = 420, height: int = 22) -> str:
    """One vote as a 100% bar split by option; the option taken is outlined."""
    total = d.total
    parts = [f'<svg class="split" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="votes">']
    if total <= 0:
        parts.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eee"/>'
                     f'<text x="8" y="{height * 0.7:.1f}" class="note">{e(_no_tally(d))}'
                     f'</text></svg>')
        return "".join(parts)
    x = 0.0
    for opt in d.options:
        index = _int(opt.get("index"))
        n = d.counts.get(index, 0)
        if n <= 0:
            continue
        w = width * n / total
        colour = OPTION_COLOURS[index % len(OPTION_COLOURS)]
        parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{colour}">'
                     f'<title>{index + 1}. {e(opt.get("text", ""))}: {n}</title></rect>')
        if w > 26:
            parts.append(f'<text x="{x + w / 2:.1f}" y="{height * 0.72:.1f}" text-anchor="middle" class="in">'
                         f'{n}</text>')
        if d.chosen == index:
            parts.append(f'<rect x="{x + 1.5:.1f}" y="1.5" width="{max(0.0, w - 3):.1f}" height="{height - 3}" '
                         f'fill="none" stroke="#111" stroke-width="3"/>')
        x += w
    parts.append("</svg>")
    return "".join(parts)


def svg_lines(sessions: Sequence[SessionSummary], name: str, meta: dict[str, Any], width: int = 330,
              height: int = 190) -> str:
    """A resource over the journey: one line per session, x = page number along the journey."""
    series = []
    for summary in sessions:
        values = [(i, _num(p.get("vars", {}).get(name))) for i, p in enumerate(summary.points)
                  if isinstance(p.get("vars"), dict) and name in p["vars"]]
        if values:
            series.append((summary, values))
    left, right, top, bottom = 46, 10, 12, 26
    pw, ph = width - left - right, height - top - bottom
    label = str(meta.get("label", name))
    unit = str(meta.get("unit", ""))
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             'aria-label="' + e(_("{resource} over the journey").format(resource=label)) + '">']
    if not series:
        parts.append(f'<text x="{left}" y="{top + 20}" class="note">' + e(_("not recorded")) + '</text></svg>')
        return "".join(parts)
    xmax = max(1, max(v[-1][0] for _key, v in series))
    lo = min(min(y for _key, y in v) for _key, v in series)
    hi = max(max(y for _key, y in v) for _key, v in series)
    if isinstance(meta.get("min"), (int, float)):
        lo = min(lo, float(meta["min"]))
    if isinstance(meta.get("max"), (int, float)) and hi > 0.5 * float(meta["max"]):
        hi = max(hi, float(meta["max"]))
    if hi <= lo:
        hi = lo + 1
    lo, hi, ticks = _nice_range(lo, hi)
    # Room on the left for the widest tick label ("¥40,000"), at about 6.5 px a character of 11 px text.
    left = max(left, round(max((len(_fmt(t, unit)) for t in ticks), default=0) * 6.5) + 12)
    pw = width - left - right

    def px(i: float, v: float) -> tuple[float, float]:
        return left + pw * i / xmax, top + ph * (1 - (v - lo) / (hi - lo))

    for t in ticks:
        _x, y = px(0, t)
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
                     f'{e(_fmt(t, unit))}</text>')
    parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" class="axis"/>')
    parts.append(f'<text x="{left + pw}" y="{height - 6}" text-anchor="end" class="tick">' +
                 e(_("pages along the journey →")) + '</text>')
    for summary, values in series:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (px(i, v) for i, v in values))
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{summary.colour}" stroke-width="2.5" '
                     f'stroke-linejoin="round"><title>{e(summary.label)}</title></polyline>')
        lx, ly = px(*values[-1])
        parts.append(f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="3.5" fill="{summary.colour}"/>')
    parts.append("</svg>")
    return "".join(parts)


def svg_discussion(sessions: Sequence[SessionSummary], width: int = 680) -> str:
    label_w, bar_h, gap = 200, 22, 8
    most = max((x.discussion_seconds for x in sessions), default=0) or 1
    height = len(sessions) * (bar_h + gap) + 8
    words = [f'{_minutes(x.discussion_seconds)} in {len(x.discussions)} pause{"s" * (len(x.discussions) != 1)}'
             for x in sessions]
    # Room after the longest bar for the longest words ("44 min 16 s in 5 pauses"), at about 7.5 px a
    # character of the chart's bold 13 px numbers: the words were cut off at the edge before.
    room = round(max((len(w) for w in words), default=0) * 7.5) + 16
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             'aria-label="' + e(_("Time in discussion")) + '">']
    for i, summary in enumerate(sessions):
        y = 4 + i * (bar_h + gap)
        secs = summary.discussion_seconds
        w = max(2, (width - label_w - room) * secs / most)
        parts.append(f'<text x="{label_w - 10}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" class="lbl">'
                     f'{e(_clip(summary.label, 28))}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" '
                     f'fill="{summary.colour}"/>')
        parts.append(f'<text x="{label_w + w + 8:.1f}" y="{y + bar_h * 0.7:.1f}" class="num">{e(words[i])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _ordinal(n: int) -> str:
    if language() != "en":
        return _("{n}th").format(n=n)  # 2번째: one form in languages without English's suffixes
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def _nice_range(lo: float, hi: float) -> tuple[float, float, list[float]]:
    """A rounded axis that holds ``lo`` to ``hi``, and its ticks: about five, never more than a dozen.

    Values too close to tell apart at their size (a single value of 1e22: adding 1 to
    it changes nothing) get an axis a tenth of their size wide; the ticks are counted,
    not added up step by step, so the axis ends whatever the numbers.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return 0.0, 1.0, [0.0, 1.0]
    lo, hi = min(lo, hi), max(lo, hi)
    if hi - lo <= max(abs(lo), abs(hi)) * 1e-9:
        hi = lo + max(1.0, abs(lo) * 0.1)
    span = hi - lo
    if not math.isfinite(span):
        return 0.0, 1.0, [0.0, 1.0]
    raw = span / 4
    mag = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    step = next((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), 10 * mag)
    start = (lo // step) * step
    end = -(-hi // step) * step
    count = min(12, max(1, round((end - start) / step)))
    return start, end, [start + i * step for i in range(count + 1)]


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _fmt(value: float, unit: str) -> str:
    number = f"{round(value):,}"
    return f"{unit}{number}" if unit in ("¥", "$", "€", "£", "฿", "₩") else number


def _minutes(seconds: float) -> str:
    seconds = round(seconds)
    if seconds >= 60:
        return _("{minutes} min {seconds} s").format(minutes=seconds // 60, seconds=f"{seconds % 60:02d}")
    return _("{seconds} s").format(seconds=seconds)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------- divergence


@dataclass
class Fork:
    node: str
    title: str
    step: int
    groups: dict[str, list[SessionSummary]]  # option text → sessions that took it


def forks(sessions: Sequence[SessionSummary]) -> list[Fork]:
    """Decisions met by two or more sessions at which they did not all take the same option.

    Each session's first decision at a passage is compared (a class that waited and met
    the river again is compared on its first meeting with it).
    """
    met: dict[str, dict[str, list[SessionSummary]]] = {}
    titles: dict[str, str] = {}
    steps: dict[str, int] = {}
    for summary in sessions:
        seen: set[str] = set()
        for d in summary.decisions:
            if d.chosen is None or d.undone or d.node in seen:
                continue
            seen.add(d.node)
            titles[d.node] = d.title
            steps[d.node] = min(steps.get(d.node, d.step), d.step)
            met.setdefault(d.node, {}).setdefault(d.chosen_text or str(d.chosen + 1), []).append(summary)
    result = []
    for node, groups in met.items():
        count = sum(len(v) for v in groups.values())
        if count >= 2 and len(groups) >= 2:
            result.append(Fork(node, titles[node], steps[node], groups))
    return sorted(result, key=lambda f: f.step)


# --------------------------------------------------------------------------- the page


CSS = """
:root { --ink:#1b1b1b; --muted:#5c5c5c; --rule:#d9d4cb; --accent:#9c4a1a; --paper:#fffdf9; }
* { box-sizing: border-box; }
body { margin:0; background:#ece8e1; color:var(--ink);
  font: 15px/1.5 "Noto Serif", Georgia, "Times New Roman", serif; }
main { max-width: 210mm; margin: 24px auto; background: var(--paper); padding: 18mm 16mm;
  box-shadow: 0 1px 6px rgba(0,0,0,.15); }
h1, h2, h3, .sans, table, .kicker, .meta, figcaption { font-family: "Noto Sans", "Helvetica Neue", Arial,
  sans-serif; }
h1 { font-size: 28px; margin: 2px 0 4px; line-height: 1.2; }
h2 { font-size: 19px; margin: 28px 0 8px; padding-top: 10px; border-top: 2px solid var(--ink); }
h3 { font-size: 15px; margin: 16px 0 4px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 11.5px; color: var(--accent);
  font-weight: 700; }
.meta { color: var(--muted); font-size: 13px; }
.lead { font-size: 16px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; margin: 6px 0 4px; }
th, td { text-align: left; padding: 5px 8px 5px 0; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.swatch { display:inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px;
  vertical-align: baseline; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 14px 0 6px; }
.kpi { border: 1px solid var(--rule); border-radius: 4px; padding: 8px 10px; font-family: "Noto Sans", Arial,
  sans-serif; }
.kpi b { display:block; font-size: 22px; line-height: 1.2; }
.kpi span { font-size: 11.5px; color: var(--muted); }
.decision { break-inside: avoid; page-break-inside: avoid; margin: 12px 0 16px; }
.decision table td { border-bottom: none; padding: 3px 8px 3px 0; vertical-align: middle; }
.legend { font-family: "Noto Sans", Arial, sans-serif; font-size: 12px; margin: 2px 0 6px; }
.legend span { margin-right: 14px; white-space: nowrap; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 18px; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 12.5px; font-weight: 600; margin: 6px 0 2px; }
svg.chart, svg.split { max-width: 100%; height: auto; display: block; }
svg text { font-family: "Noto Sans", Arial, sans-serif; }
svg .lbl { font-size: 12.5px; fill: #1b1b1b; } svg .num { font-size: 12.5px; fill: #1b1b1b; font-weight: 700; }
svg .tick { font-size: 10.5px; fill: #5c5c5c; } svg .note { font-size: 11.5px; fill: #5c5c5c; }
svg .in { font-size: 11.5px; fill: #fff; font-weight: 700; }
svg .grid { stroke: #e6e1d8; stroke-width: 1; } svg .axis { stroke: #8a8a8a; stroke-width: 1; }
.fork { break-inside: avoid; border-left: 3px solid var(--accent); padding: 2px 0 2px 12px; margin: 10px 0; }
.fork.first { background: #f7efe6; }
.problems { font-family: "Noto Sans", Arial, sans-serif; font-size: 12.5px; background: #fbf4e8;
  border: 1px solid #e8d6b8; border-radius: 4px; padding: 8px 12px; }
.problems li { margin: 2px 0; }
.q li { margin: 4px 0; }
.facts { columns: 2; column-gap: 8mm; font-size: 12.5px; line-height: 1.4; }
.fact { margin: 0 0 9px; break-inside: avoid; page-break-inside: avoid; }
.fact p { margin: 0; }
.fact .meta { margin-top: 2px; }
.fact a { color: var(--accent); }
.tag { font-family: "Noto Sans", Arial, sans-serif; font-size: 11px; border: 1px solid var(--rule);
  border-radius: 3px; padding: 0 5px; color: var(--muted); white-space: nowrap; }
footer { margin-top: 28px; font-size: 11.5px; color: var(--muted); font-family: "Noto Sans", Arial, sans-serif; }
section { break-inside: auto; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { box-shadow: none; margin: 0; padding: 0; max-width: none; }
  .pagebreak { break-before: page; page-break-before: always; }
  .summary { break-after: page; page-break-after: always; }
  .jsummary { break-after: page; page-break-after: always; }
  .summary, .summary table, .summary svg { break-inside: avoid; }
  tr, .kpi, h2 { break-inside: avoid; }
  h2 { break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""


def render_html(loaded: Loaded, title: str = "") -> str:
    sessions = loaded.sessions
    records = [x.record for x in sessions] + [j.record for j in loaded.journeys]
    out: list[str] = []
    add = out.append
    story = records[0].start.get("story", {}) if records else {}
    story = story if isinstance(story, dict) else {}
    story_title = str(story.get("title", "")) or _("the story")
    heading = title or (records[0].name if len({r.name for r in records}) == 1 and records else _("Class sessions"))
    add(f"<!doctype html><html lang=\"{language()}\"><head><meta charset=\"utf-8\">")
    add(f"<title>{e(heading)} · {e(story_title)} · " + e(_("class report")) + "</title>")
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    add(f"<style>{CSS}</style></head><body><main>")
    add(f'<div class="kicker">{e(story_title)} · ' + e(_("class report")) + '</div>')
    add(f"<h1>{e(heading)}</h1>")
    dates = sorted({str(r.start.get("started_at", ""))[:10] for r in records if r.start})
    meta = [ngettext("{n} session", "{n} sessions", len(records)).format(n=len(records))]
    if sessions and loaded.journeys:
        meta[0] += " " + _("({voting} voting, {journeys} class journeys)").format(voting=len(sessions),
                                                                                journeys=len(loaded.journeys))
    if dates:
        meta.append(dates[0] if len(dates) == 1 else _("{first} to {last}").format(first=dates[0], last=dates[-1]))
    versions = sorted({str(story.get('version', '?'))} | {str((r.start.get("story") or {}).get("version", "?"))
                                                          for r in records})
    meta.append(_("story version {versions}").format(versions=", ".join(versions)))
    seeds = sorted({str(r.start.get("seed", "?")) for r in records})
    meta.append(ngettext("seed {seeds}", "seeds {seeds}", len(seeds)).format(seeds=", ".join(seeds[:8])))
    add(f'<p class="meta">{e(" · ".join(meta))}</p>')
    if not records:
        add("<p class=\"lead\">" + e(_("No session could be read. See the notes below.")) + "</p>")
    if sessions:
        # Page 1 is the summary a teacher can hand to a colleague: how the journeys ended, the
        # numbers, the sessions, the endings; the details follow, each section on its own pages.
        add('<section class="summary">')
        _overview(add, sessions)
        _endings(add, sessions)
        add("</section>")
        _votes(add, sessions)
        _divergence(add, sessions)
        _risks(add, sessions)
        _resources(add, sessions)
        _discussion(add, sessions)
        _facts(add, sessions)
    for i, summary in enumerate(loaded.journeys):
        _journeys(add, summary, first=not sessions and i == 0)
    _problems(add, loaded)
    footer = ngettext("Written by escape-route {version} on {when} from {n} session record. Every count here comes "
                      "from the records the game wrote during the sessions; nothing was sent anywhere.",
                      "Written by escape-route {version} on {when} from {n} session records. Every count here comes "
                      "from the records the game wrote during the sessions; nothing was sent anywhere.",
                      len(records)).format(version=__version__, when=time.strftime("%Y-%m-%d %H:%M"), n=len(records))
    add(f"<footer>{e(footer)}</footer>")
    add("</main></body></html>\n")
    return "".join(out)


def _overview(add: Any, sessions: Sequence[SessionSummary]) -> None:
    total_votes = sum(d.total for x in sessions for d in x.decisions)
    decisions = sum(1 for x in sessions for d in x.decisions if d.chosen is not None)
    talk = sum(x.discussion_seconds for x in sessions)
    kinds: dict[str, int] = {}
    for x in sessions:
        kind = str(x.ending.get("kind")) if x.ending else ""
        kinds[kind] = kinds.get(kind, 0) + 1
    add('<section class="spread"><h2>' + e(_("Where the journeys ended")) + '</h2><table class="kinds"><tbody>')
    for kind in [k for k in ENDING_KIND_LABELS if k in kinds] + [k for k in kinds if k not in ENDING_KIND_LABELS]:
        label = ENDING_KIND_LABELS.get(kind, kind) if kind else _("Not finished")
        meaning = ENDING_KIND_MEANINGS.get(kind, "") if kind else _("The session stopped before an ending.")
        add(f"<tr><td class=n><b>{kinds[kind]}</b></td><td><b>{e(label)}</b></td>"
            f"<td class=meta>{e(meaning)}</td></tr>")
    add("</tbody></table></section>")
    add('<div class="kpis">')
    for value, label in ((str(len(sessions)), _("sessions")), (str(decisions), _("decisions taken")),
                         (f"{total_votes:,}", _("votes counted")), (_minutes(talk), _("in discussion"))):
        add(f'<div class="kpi"><b>{e(value)}</b><span>{e(label)}</span></div>')
    add("</div>")
    add("<table><thead><tr><th>" + e(_("Session")) + "</th><th>" + e(_("Content")) + "</th><th class=n>" + e(_("Decisions")) + "</th>"
        "<th class=n>" + e(_("Undone")) + "</th><th class=n>" + e(_("Length")) + "</th><th>" + e(_("Ending")) + "</th></tr></thead>"
        "<tbody>")
    for x in sessions:
        end = x.ending
        ending = f"{end.get('title', '')}" if end else _("not finished")
        kind = KIND_WORDS.get(str(end.get("kind")), str(end.get("kind"))) if end else ""
        level = str(x.record.settings.get("level", "full"))
        add(f'<tr><td><span class="swatch" style="background:{x.colour}"></span>{e(x.label)}</td>'
            "<td>" + e(_("younger classes") if level == "younger" else _("full") if level == "full" else level) + "</td>"
            f"<td class=n>{sum(1 for d in x.decisions if d.chosen is not None)}</td>"
            f"<td class=n>{x.rollbacks}</td><td class=n>{e(_minutes(x.duration) if x.duration >= 1 else '—')}</td>"
            f"<td>{e(ending)}{' <span class=tag>' + e(kind) + '</span>' if kind else ''}</td></tr>")
    add("</tbody></table>")


def _endings(add: Any, sessions: Sequence[SessionSummary]) -> None:
    add("<section><h2>" + e(_("Endings reached")) + "</h2>")
    add(svg_endings(sessions))
    risks = [(x, d) for x in sessions for d in x.decisions if d.roll and not d.undone]
    if risks:
        fell = sum(1 for _key, d in risks if d.roll and d.roll.get("failed"))
        if fell:  # then the section "The risks that fell" lists them
            taken = ngettext("{n} risk taken across the sessions; {fell} fell (listed under “The risks that fell”).",
                             "{n} risks taken across the sessions; {fell} fell (listed under “The risks that fell”).",
                             len(risks)).format(n=len(risks), fell=fell)
        else:
            taken = ngettext("{n} risk taken across the sessions; none fell.",
                             "{n} risks taken across the sessions; none fell.", len(risks)).format(n=len(risks))
        add(f'<p class="meta">{e(taken)} {e(_(ESTIMATE_NOTE))} {e(_(LUCK_SENTENCE))}</p>')
    add("</section>")


def _risks(add: Any, sessions: Sequence[SessionSummary]) -> None:
    """The risks that fell, session by session (after the summary, so that page 1 stays one page)."""
    risks = [(x, d) for x in sessions for d in x.decisions if d.roll and not d.undone]
    fell = [(x, d) for x, d in risks if d.roll and d.roll.get("failed")]
    if not fell:
        return
    add("<section><h2>" + e(_("The risks that fell")) + "</h2>")
    add(f'<p class="meta">{e(_(ESTIMATE_NOTE))}</p>')
    add("<table><thead><tr><th>" + e(_("Session")) + "</th><th>" + e(_("At")) + "</th><th>" + e(_("Risk")) + "</th>"
        "<th class=n>" + e(_("Chance")) + "</th><th class=n>" + e(_("Risks taken")) + "</th></tr></thead><tbody>")
    for x, d in fell:
        roll = d.roll or {}
        taken = sum(1 for y in x.decisions if y.roll and not y.undone)
        add(f"<tr><td><span class=swatch style=\"background:{x.colour}\"></span>{e(x.label)}</td>"
            f"<td>{e(d.title or d.node)}</td><td><b>{e(roll.get('label', ''))}</b></td>"
            f"<td class=n>{round(_num(roll.get('chance')) * 100)}%</td><td class=n>{taken}</td></tr>")
    add("</tbody></table></section>")


def _votes(add: Any, sessions: Sequence[SessionSummary]) -> None:
    add('<section class="pagebreak"><h2>' + e(_("How the votes split")) + '</h2>')
    add(f'<p class="meta">{e(_(VOTES_NOTE))}</p>')
    groups: dict[str, list[tuple[SessionSummary, DecisionRow, int]]] = {}
    for x in sessions:
        visits: dict[str, int] = {}
        for d in x.decisions:
            visits[d.node] = visits.get(d.node, 0) + 1
            groups.setdefault(d.node, []).append((x, d, visits[d.node]))
    # In the order the journeys met them: by the earliest step at which any session voted there.
    for node, rows in sorted(groups.items(), key=lambda kv: (min(d.step for _x, d, _v in kv[1]), kv[0])):
        first = rows[0][1]
        met = len({id(x) for x, _d, _v in rows})
        add(f'<div class="decision"><h3>{e(first.title or node)} <span class="tag">{e(node)}</span> '
            '<span class="tag">' + e(_("met by {n} of {total}").format(n=met, total=len(sessions))) + '</span></h3>')
        add('<div class="legend">')
        for opt in first.options:
            index = _int(opt.get("index"))
            avail = "" if opt.get("available", True) else " " + _("(closed)")
            add(f'<span><span class="swatch" style="background:{OPTION_COLOURS[index % len(OPTION_COLOURS)]}">'
                f'</span>{index + 1}. {e(opt.get("text", ""))}{e(avail)}</span>')
        add("</div><table>")
        for x, d, visit in rows:
            # How it was decided: a sentence of its own, under the counts (never run on after them).
            how = {"tie-break": _("A tie, settled by the facilitator."),
                   "override": _("The facilitator overrode the vote."),
                   "facilitator": _("Decided by the facilitator (no votes were entered).")}.get(d.decided_by, "")
            taken = _("took {n}").format(n=d.chosen + 1) if d.chosen is not None else {
                "cancelled": _("vote cancelled, no decision"),
                "went back": _("vote closed when the class went back")}.get(
                d.cancelled, d.cancelled or _("no decision (the session stopped during the vote)"))
            if d.by_source.get("phones") and d.chosen is not None:
                hands = sum(n for k, n in d.by_source.items() if k != "phones")
                taken += " · " + _("{phones} phones, {hands} hands").format(phones=d.by_source["phones"], hands=hands)
            if d.undone:
                taken += " · " + _("undone later (the class went back)")
            again = " " + _("({nth} time)").format(nth=_ordinal(visit)) if visit > 1 else ""
            add(f'<tr><td style="width:30%"><span class="swatch" style="background:{x.colour}"></span>'
                f'{e(_clip(x.short, 26))}{e(again)}</td><td style="width:50%">{svg_split(d, 360)}</td>'
                '<td class="meta">' + e(ngettext("{n} vote", "{n} votes", d.total).format(n=d.total)) + f' · {e(taken)}'
                f'{"<br>" + e(how) if how else ""}</td></tr>')
        add("</table></div>")
    add("</section>")


def _divergence(add: Any, sessions: Sequence[SessionSummary]) -> None:
    if len(sessions) < 2:
        return
    add("<section><h2>" + e(_("Where the groups diverged")) + "</h2>")
    found = forks(sessions)
    if not found:
        add('<p>' + e(_("Every decision that two or more sessions met was taken the same way.")) + '</p></section>')
        return
    parted = ngettext("{n} decision met by two or more sessions and taken differently. The first is where the "
                      "journeys parted.", "{n} decisions met by two or more sessions and taken differently. The first "
                      "is where the journeys parted.", len(found)).format(n=len(found))
    add(f'<p class="meta">{e(parted)}</p>')
    for i, fork in enumerate(found):
        add(f'<div class="fork{" first" if i == 0 else ""}"><b>{e(fork.title or fork.node)}</b> '
            f'<span class="tag">{e(fork.node)}</span><ul>')
        for text, members in sorted(fork.groups.items(), key=lambda kv: -len(kv[1])):
            names = ", ".join(e(m.short) for m in members)
            add(f"<li>{e(text)}: {names}</li>")
        add("</ul></div>")
    add("</section>")


def _resources(add: Any, sessions: Sequence[SessionSummary]) -> None:
    story = sessions[0].record.start.get("story", {})
    resources = story.get("resources", {}) if isinstance(story, dict) else {}
    names = [n for n in CHART_RESOURCES if n in resources] or list(resources)[:4]
    if not names:
        return
    add('<section class="pagebreak"><h2>' + e(_("Money, days and exposure over the journey")) + '</h2>')
    add('<div class="legend">' + "".join(f'<span><span class="swatch" style="background:{x.colour}"></span>'
                                         f'{e(x.label)}</span>' for x in sessions) + "</div>")
    add('<div class="charts">')
    for name in names:
        meta = resources.get(name, {}) if isinstance(resources.get(name), dict) else {}
        better = _("lower is better") if meta.get("better") == "lower" else _("higher is better")
        add(f"<figure><figcaption>{e(meta.get('label', name))} <span class=meta>({e(better)})</span></figcaption>"
            f"{svg_lines(sessions, name, meta)}</figure>")
    add("</div></section>")


def _discussion(add: Any, sessions: Sequence[SessionSummary]) -> None:
    add("<section><h2>" + e(_("Time in discussion")) + "</h2>")
    add(svg_discussion(sessions))
    prompts: dict[str, list[tuple[SessionSummary, float, str]]] = {}
    text_of: dict[str, str] = {}
    for x in sessions:
        for d in x.discussions:
            node = str(d.get("node", ""))
            text_of[node] = str(d.get("prompt", ""))
            prompts.setdefault(node, []).append((x, _num(d.get("seconds")), str(d.get("how", ""))))
    if prompts:
        add("<table><thead><tr><th>" + e(_("Prompt")) + "</th><th class=n>" + e(_("Sessions")) + "</th>"
            "<th class=n>" + e(_("Average")) + "</th><th class=n>" + e(_("Longest")) + "</th></tr></thead><tbody>")
        for node, rows in prompts.items():
            secs = [r[1] for r in rows]
            add(f"<tr><td>{e(text_of[node])} <span class=tag>{e(node)}</span></td><td class=n>{len(rows)}</td>"
                f"<td class=n>{e(_minutes(sum(secs) / len(secs)))}</td><td class=n>{e(_minutes(max(secs)))}</td>"
                f"</tr>")
        add("</tbody></table>")
    add("</section>")


def _facts(add: Any, sessions: Sequence[SessionSummary]) -> None:
    """Every fact behind the passages the classes saw, with its text and source (the debrief sends the class
    here for the ones it had no room for), and the fact cards shown on the projector."""
    order: list[str] = []
    for x in sessions:
        for fid in [*x.met, *x.facts]:
            if fid and fid not in order:
                order.append(fid)
    if not order:
        return
    catalog = fact_catalog()
    add('<section class="pagebreak"><h2>' + e(_("The facts behind these journeys, and their sources")) + "</h2>")
    add(f'<p class="meta">{e(_(FACTS_VOTING_NOTE))}</p><div class="facts">')
    for fid in order:
        seen = sum(1 for x in sessions if fid in x.met or fid in x.facts)
        cards = sum(x.facts.count(fid) for x in sessions)
        bits = [ngettext("in {n} of {total} session", "in {n} of {total} sessions", len(sessions)).format(
            n=seen, total=len(sessions))] if len(sessions) > 1 else []
        if cards:
            bits.append(ngettext("fact card shown {n} time", "fact card shown {n} times", cards).format(n=cards))
        add(fact_html(fid, catalog.get(fid), bits))
    add("</div></section>")


_CATALOGS: dict[tuple[str, Path | None], dict[str, Fact]] = {}
_FACTS_FROM: list[Path | None] = [None]  # the story folder whose facts the report gives (None: the shipped story)


def read_facts_from(folder: Path | None) -> None:
    """Give the facts of the story in ``folder`` (``report --story``: sessions played from a writer's own story)."""
    _FACTS_FROM[0] = folder


def fact_catalog() -> dict[str, Fact]:
    """The story's facts in the language of the report (the Korean texts when it is written in Korean),
    read once per language; empty when the story cannot be read (the report then gives the ids)."""
    folder = _FACTS_FROM[0]
    key = (language(), folder)
    if key not in _CATALOGS:
        from game.paths import story_dir
        from game.story.loader import load_story

        try:
            _CATALOGS[key] = dict(load_story(folder or story_dir(), lang=key[0]).facts)
        except (StoryError, OSError):
            _CATALOGS[key] = {}
    return _CATALOGS[key]


def fact_html(fid: str, fact: Fact | None, bits: Sequence[str]) -> str:
    """One fact as the report shows it: its text, then its source (linked), year and confidence, then ``bits``
    (how often the class met it). A fact the story no longer has is named by its id, and says so."""
    if fact is None:
        return (f'<div class="fact"><p>{e(fid)}</p><p class="meta">'
                + e(" · ".join([_("no longer in the story's facts file"), *bits])) + "</p></div>")
    source = f'<a href="{e(fact.source)}">{e(fact.source_title)}</a>' if fact.source else e(fact.source_title)
    year = fact_year(fact)
    before, _mark, after = _("Source: {source}").partition("{source}")  # the link goes where the words put it
    parts = [e(before) + source + e(after) + (" · " + e(year) if year else "")]
    if fact.confidence:
        parts.append(e(_("evidence: {level}").format(level=confidence_words(fact))))
    for further in fact.also_in(language()) if language() != "en" else ():
        parts.append(f'<a href="{e(further.source)}">{e(further.source_title)}</a>')
    parts.extend(e(b) for b in bits)
    return (f'<div class="fact"><p>{e(" ".join(fact.text.split()))}</p><p class="meta">' + " · ".join(parts)
            + "</p></div>")


# --------------------------------------------------------------------------- class journeys

MAX_JOURNEY_FACTS = 24  # facts given in full in a journeys section (most met first); the rest are counted
MAX_ENDING_ROWS = 6  # ending titles drawn on a journeys session's first page; the rest are counted

#: How each luck is named, and why it matters (the set-up screen, the class debrief and the report say it alike).
#: Marked for translation; translated where they are shown (``_(LUCK_LABELS[luck])``).
LUCK_LABELS = {"same": N_("Same luck for everyone"), "own": N_("Each their own luck")}
LUCK_WHY = {
    "same": N_("One seed for the whole class: where two journeys differ, only the choices made the difference."),
    "own": N_("A seed each: the same choices can end differently, as luck decided for the people who fled."),
}
VOTES_NOTE = N_("One bar per session at each decision: the width of each colour is the share of votes for that "
                "option; the outlined part is the option the class took. Decisions a class undid are marked.")
SPLIT_NOTE = N_("The decisions where the most students chose differently from the rest, with what each side met "
                "later (each student counted at her last choice there).")
DOTS_NOTE = N_("One dot per journey that reached an ending; the dark line marks the middle one (the median).")
FACTS_NOTE = N_("The facts behind the passages the students read, with their sources and how many students met "
                "each, most met first.")
FACTS_VOTING_NOTE = N_("Every fact behind the passages the class saw, in the order met, with its source: the "
                       "debrief on the projector shows the first few and sends the class here for the rest.")


def luck_lines(debrief: ClassDebrief) -> list[str]:
    """What the luck chosen did to the class's journeys, in words: the luck and why, then what happened."""
    luck = debrief.settings.luck
    lines = [f"{_(LUCK_LABELS.get(luck, luck))}. {_(LUCK_WHY[luck]) if luck in LUCK_WHY else ''}"]
    groups = debrief.same_choices_same_end
    if luck == "same":
        if groups:
            alike = sum(size for size, _met in groups)
            same = sum(met for _size, met in groups)
            lines.append(ngettext("{alike} students chose exactly as at least one other student did, in {n} group; "
                                  "{same} of them met the same end as the rest of their group. With the same luck, "
                                  "the same choices lead to the same end.",
                                  "{alike} students chose exactly as at least one other student did, in {n} groups; "
                                  "{same} of them met the same end as the rest of their group. With the same luck, "
                                  "the same choices lead to the same end.", len(groups)).format(
                alike=alike, n=len(groups), same=same))
        else:
            lines.append(_("No two finished journeys took exactly the same choices: every difference between "
                           "their endings came from a choice."))
    else:
        lines.append(_("Two students who chose alike could still meet different ends: luck decided part of it."))
    return lines


def svg_strip(values: Sequence[float], unit: str = "", width: int = 330, height: int = 74) -> str:
    """A number across the class: a dot per journey on a line from the least to the most, the median marked."""
    left, right = 14, 14
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             'aria-label="' + e(_("spread across the class")) + '">']
    if not values:
        parts.append('<text x="14" y="30" class="note">' + e(_("no journey finished")) + '</text></svg>')
        return "".join(parts)
    lo, hi = min(values), max(values)
    ordered = sorted(values)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    y = 34

    def px(v: float) -> float:
        return left + (width - left - right) * ((v - lo) / (hi - lo) if hi > lo else 0.5)

    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" class="axis"/>')
    stacks: dict[int, int] = {}
    for v in values:
        x = px(v)
        n = stacks.get(round(x), 0)
        stacks[round(x)] = n + 1
        parts.append(f'<circle cx="{x:.1f}" cy="{y - min(n, 4) * 6:.1f}" r="4" fill="{ENDING_COLOUR}" '
                     f'fill-opacity="0.75"/>')
    parts.append(f'<line x1="{px(median):.1f}" x2="{px(median):.1f}" y1="{y - 14}" y2="{y + 8}" stroke="#111" '
                 f'stroke-width="2.5"/>')
    parts.append(f'<text x="{left}" y="{height - 8}" class="tick">' +
                 e(_("least {value}").format(value=_fmt(lo, unit))) + '</text>')
    parts.append(f'<text x="{width / 2:.0f}" y="{height - 8}" text-anchor="middle" class="tick">' +
                 e(_("middle {value}").format(value=_fmt(median, unit))) + '</text>')
    parts.append(f'<text x="{width - right}" y="{height - 8}" text-anchor="end" class="tick">' +
                 e(_("most {value}").format(value=_fmt(hi, unit))) + '</text>')
    parts.append("</svg>")
    return "".join(parts)


def _journeys(add: Any, summary: JourneysSummary, first: bool) -> None:
    """One class-journeys session: the summary (endings by kind, what the luck did), then where the class
    split, the spread of money, days and risks that fell, and the facts seen most. The same numbers as the
    class debrief the window showed (both come from :func:`class_debrief`)."""
    d = summary.debrief
    rec = summary.record
    # The first journeys section of a report is its page 1 (a page of its own, but free to run over).
    add(f'<section class="{"jsummary" if first else "pagebreak"}">')
    add("<h2>" + e(_("Class journeys: {session}").format(session=summary.label)) + "</h2>")
    undo = _("students could go back one decision") if d.settings.allow_undo else _("no going back")
    add(f'<p class="meta">{e(str(rec.start.get("started_at", ""))[:16].replace("T", " "))} · '
        f'{e(_(LUCK_LABELS.get(d.settings.luck, d.settings.luck)).lower())} '
        '(' + e(_("seed {seed}").format(seed=d.settings.seed)) + f') · {e(undo)}</p>')
    add('<div class="kpis">')
    for value, label in ((str(d.students), _("students")), (str(d.finished), _("reached an ending")),
                         (_minutes(d.minutes_played * 60), _("of play")),
                         (str(len(d.splits)), _("decisions where the class split"))):
        add(f'<div class="kpi"><b>{e(value)}</b><span>{e(label)}</span></div>')
    add("</div>")
    add('<h3>' + e(_("Where the journeys ended")) + '</h3><table class="kinds"><tbody>')
    for kind, n in d.endings_by_kind:
        add(f"<tr><td class=n><b>{n}</b></td><td><b>{e(ENDING_KIND_LABELS.get(kind, kind))}</b></td>"
            f"<td class=meta>{e(ENDING_KIND_MEANINGS.get(kind, ''))}</td></tr>")
    if d.students > d.finished:
        add(f"<tr><td class=n><b>{d.students - d.finished}</b></td><td><b>" + e(_("Still on the way")) + "</b></td>"
            "<td class=meta>" + e(_("The session ended before these journeys did.")) + "</td></tr>")
    add("</tbody></table>")
    if d.endings:
        shown = d.endings[:MAX_ENDING_ROWS]
        more = sum(n for _kind, _title, n in d.endings[MAX_ENDING_ROWS:])
        others = len(d.endings) - len(shown)
        rest = ngettext("and {n} more journey", "and {n} more journeys", more).format(n=more) + " " + ngettext(
            "at {n} other ending", "at {n} other endings", others).format(n=others)
        add("<h3>" + e(_("Endings reached")) + "</h3>" + _svg_ending_titles(shown)
            + (f'<p class="meta">{e(rest)}</p>' if more else ""))
    add("<h3>" + e(_("Choices and luck")) + "</h3>")
    for line in luck_lines(d):
        add(f"<p>{e(line)}</p>")
    add(f'<p class="meta">{e(_(LUCK_SENTENCE))}</p></section>')
    if d.splits:
        add('<section class="pagebreak"><h2>' + e(_("Where the class split")) + '</h2>')
        add(f'<p class="meta">{e(_(SPLIT_NOTE))}</p>')
        for split in d.splits:
            add(f'<div class="fork"><b>{e(split.title or split.node_id)}</b> <span class="tag">{e(split.node_id)}'
                '</span><table><thead><tr><th>' + e(_("Choice")) + '</th><th class=n>' + e(_("Students")) + '</th>'
                '<th>' + e(_("Met later")) + '</th></tr></thead>'
                '<tbody>')
            for text, n, later in split.options:
                met = ", ".join(f"{ENDING_KIND_LABELS.get(k, k)} {m}" for k, m in later) or _("no ending yet")
                add(f"<tr><td>{e(text)}</td><td class=n>{n}</td><td>{e(met)}</td></tr>")
            add("</tbody></table></div>")
        add("</section>")
    resources = (rec.start.get("story") or {}).get("resources", {}) if isinstance(rec.start.get("story"), dict) \
        else {}
    add("<section><h2>" + e(_("Money, days and risks across the class")) + "</h2>")
    add(f'<p class="meta">{e(_(DOTS_NOTE))} {e(_(ESTIMATE_NOTE))}</p><div class="charts">')
    for name, spread, fallback in (("cash", d.money, _("Money at the end")), ("days", d.days, _("Days")),
                                   ("", d.risks_fell, _("Risks that fell"))):
        meta = resources.get(name, {}) if isinstance(resources.get(name), dict) else {}
        add(f"<figure><figcaption>{e(meta.get('label', fallback) if name else fallback)}</figcaption>"
            f"{svg_strip(list(spread.values), str(meta.get('unit', '')))}</figure>")
    add("</div></section>")
    facts = [(f, n) for f, n in d.facts_seen if f not in SINCE_2010_FACTS]
    if facts:
        catalog = fact_catalog()
        add('<section class="pagebreak"><h2>' + e(_("The facts the class saw most"))
            + f'</h2><p class="meta">{e(_(FACTS_NOTE))}</p><div class="facts">')
        for fid, n in facts[:MAX_JOURNEY_FACTS]:
            add(fact_html(fid, catalog.get(fid), [ngettext("seen by {n} student", "seen by {n} students", n).format(
                n=n)]))
        add("</div>")
        rest = len(facts) - MAX_JOURNEY_FACTS
        if rest > 0:
            add('<p class="meta">' + e(ngettext(
                "{n} more fact was met by fewer students; each student's debrief gave it with its source.",
                "{n} more facts were met by fewer students; each student's debrief gave them with their sources.",
                rest).format(n=rest)) + "</p>")
        add("</section>")


def _svg_ending_titles(endings: Sequence[tuple[str, str, int]]) -> str:
    width, label_w, bar_h, gap = 680, 250, 20, 6
    most = max((n for _kind, _title, n in endings), default=1) or 1
    height = len(endings) * (bar_h + gap) + 10
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             'aria-label="' + e(_("Endings reached")) + '">']
    for i, (kind, title, n) in enumerate(endings):
        y = 5 + i * (bar_h + gap)
        w = max(4, (width - label_w - 60) * n / most)
        parts.append(f'<text x="{label_w - 10}" y="{y + bar_h * 0.68:.1f}" text-anchor="end" class="lbl">'
                     f'{e(_clip(title, 34))}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{ENDING_COLOUR}">'
                     f'<title>{e(title)} ({e(ENDING_KIND_LABELS.get(kind, kind))}): {n}</title></rect>')
        parts.append(f'<text x="{label_w + w + 8:.1f}" y="{y + bar_h * 0.68:.1f}" class="num">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


JOURNEYS_CSV_HEADER = ("session_file", "date", "session", "luck", "student", "step", "node", "title", "option",
                       "option_text", "risk", "risk_chance", "risk_fell", "undone", "ending_kind", "ending_title")


def journeys_csv(loaded: Loaded) -> str:
    """One row per choice a student took in a class-journeys session (anonymous: a student is a number; no
    nickname is ever written), with whether she went back on it and how her journey ended."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(JOURNEYS_CSV_HEADER)
    for summary in loaded.journeys:
        rec = summary.record
        date = str(rec.start.get("started_at", ""))[:10]
        rows: dict[int, list[list[Any]]] = {}
        endings: dict[int, tuple[str, str]] = {}
        for ev in rec.events:
            if ev["type"] == s.ENDED:
                break
            if ev["type"] == s.CHOSE:
                roll = ev.get("roll") if isinstance(ev.get("roll"), dict) else None
                rows.setdefault(ev["student"], []).append([
                    rec.path.name, date, _cell(rec.name), summary.debrief.settings.luck, ev["student"], ev["step"],
                    ev.get("from_node", ""), _cell(ev.get("title", "")), _int(ev.get("index")) + 1,
                    _cell(ev.get("text", "")), _cell(roll.get("label", "")) if roll else "",
                    f"{_num(roll.get('chance')):.2f}" if roll else "", ("yes" if roll.get("failed") else "no")
                    if roll else "", "no"])
                ending = ev.get("ending")
                endings[ev["student"]] = (str(ending.get("kind", "")), str(ending.get("title", ""))) \
                    if isinstance(ending, dict) else ("", "")
            elif ev["type"] == s.UNDID:
                taken = [row for row in rows.get(ev["student"], []) if row[13] == "no"]
                if taken:
                    taken[-1][13] = "yes"
                endings[ev["student"]] = ("", "")
        for student in sorted(rows):
            kind, ending_title = endings.get(student, ("", ""))
            for row in rows[student]:
                writer.writerow([*row, kind, _cell(ending_title)])
    return out.getvalue()


def _problems(add: Any, loaded: Loaded) -> None:
    if not loaded.skipped and not loaded.damaged:
        return
    add("<section><h2>" + e(_("Notes on the files")) + "</h2><div class=problems><ul>")
    for name, problems in loaded.damaged:
        used = ngettext("{file} was used, with {n} problem:", "{file} was used, with {n} problems:",
                        len(problems)).format(file="\0", n=len(problems))
        add("<li>" + e(used).replace("\0", f"<b>{e(name)}</b>") + " "
            + "; ".join(e(p) for p in problems[:6]) + ("; …" if len(problems) > 6 else "") + "</li>")
    for name, why in loaded.skipped:
        skipped = _("{file} was skipped: {reason}").format(file="\0", reason=why)
        add("<li>" + e(skipped).replace("\0", f"<b>{e(name)}</b>") + "</li>")
    add("</ul></div></section>")


def write_report(paths: Sequence[Path], output: Path, csv_path: Path | None = None,
                 title: str = "") -> tuple[Loaded, list[str]]:
    """Write the HTML (and CSV); returns what was loaded and one line per problem, for the terminal."""
    from game.engine.save import atomic_write_text

    loaded = load_sessions(paths)
    messages = [_("{file}: skipped: {reason}").format(file=name, reason=why) for name, why in loaded.skipped]
    messages += [f"{name}: {p}" for name, problems in loaded.damaged for p in problems]
    atomic_write_text(output, render_html(loaded, title))
    if csv_path is not None:
        if loaded.sessions or not loaded.journeys:
            atomic_write_text(csv_path, votes_csv(loaded))
        if loaded.journeys:
            atomic_write_text(journeys_csv_path(csv_path, bool(loaded.sessions)), journeys_csv(loaded))
    return loaded, messages


def journeys_csv_path(csv_path: Path, beside_votes: bool) -> Path:
    """Where the journeys' CSV goes: the CSV asked for, or beside the votes' (``votes-journeys.csv``) when the
    report holds both kinds of session (a spreadsheet wants one table per file)."""
    return csv_path.with_name(f"{csv_path.stem}-journeys{csv_path.suffix or '.csv'}") if beside_votes else csv_path
