"""The story as the engine sees it: frozen data, built once by the loader, never changed while playing.

Expressions and text templates are stored both as source (for messages and tools)
and compiled (closures the engine calls). Everything that changes during play lives
in ``game.engine.state.GameState`` instead; that split is ink's Story/StoryState.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.l10n import N_, NATIVE_NAMES, _, ngettext
from game.story.source import SourceSpan


class TranslatedLabels(Mapping[str, str]):
    """Labels kept in English and given in the language spoken now, each time one is read.

    Read at every use rather than once at import, so that a change of language in the
    settings reaches every screen that shows an ending's kind.
    """

    def __init__(self, labels: dict[str, str]) -> None:
        self._labels = labels

    def __getitem__(self, key: str) -> str:
        return _(self._labels[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


ENDING_KINDS = ("safe", "caught", "lost", "stayed", "trapped", "returned")
#: How every screen, the terminal and the report name each kind of ending: plain words
#: that say what happened, none of them a verdict. Arrival is not a victory and turning
#: back is not a failure; every kind is drawn in the same neutral colours.
ENDING_KIND_LABELS: Mapping[str, str] = TranslatedLabels({
    "safe": N_("Resettled"),
    "caught": N_("Caught and sent back"),
    "lost": N_("Lost on the way"),
    "stayed": N_("Stayed"),
    "trapped": N_("Trapped"),
    "returned": N_("Turned back"),
})
#: One sentence on what each kind means, for the report and the class debrief.
ENDING_KIND_MEANINGS: Mapping[str, str] = TranslatedLabels({
    "safe": N_("She reached a country that took her in; the debrief says what that cost and what came after."),
    "caught": N_("She was caught and returned to North Korea, where returnees are questioned and punished."),
    "lost": N_("She did not survive the crossing, or was never heard of again."),
    "stayed": N_("She did not leave, or stopped where she was; most North Koreans never try to leave."),
    "trapped": N_("She was sold or held and could not go on."),
    "returned": N_("She chose to go home before anyone knew she had tried."),
})
CONFIDENCE = (N_("strong"), N_("medium"), N_("weak"))
CURRENCY_SYMBOLS = ("¥", "฿", "₩", "$", "€", "£")


@dataclass(frozen=True, slots=True)
class Resource:
    """A number that changes during play (cash, health, days), with bounds and how to show it."""

    name: str
    start: float
    min: float | None
    max: float | None
    label: str
    unit: str
    unit_plural: str
    span: SourceSpan
    better: str = "higher"  # or "lower": which way a change is good for her, for colouring

    @property
    def is_currency(self) -> bool:
        return self.unit in CURRENCY_SYMBOLS

    def clamp(self, value: float) -> float:
        if self.min is not None and value < self.min:
            value = self.min
        if self.max is not None and value > self.max:
            value = self.max
        return value

    def format(self, value: float, signed: bool = False) -> str:
        """``¥150``, ``3 days``, ``75`` — and with ``signed``, ``+¥150`` or ``−3 days``."""
        number = round(value)
        magnitude = abs(number) if signed else number
        sign = ("+" if number > 0 else "−" if number < 0 else "") if signed else ""
        digits = f"{magnitude:,}"
        if not self.unit:
            return f"{sign}{digits}"
        if self.unit in CURRENCY_SYMBOLS:
            return f"{sign}{self.unit}{digits}"
        unit = self.unit if abs(number) == 1 else self.unit_plural
        # A Korean counter (일, 명) joins its number as Korean writes it: "3일", not "3 일".
        joined = "\uac00" <= unit[:1] <= "\ud7a3"
        return f"{sign}{digits}{'' if joined else ' '}{unit}"


@dataclass(frozen=True, slots=True)
class Item:
    """Something she can carry: ``phone`` labelled "Chinese phone".

    ``tone`` "neutral" shows gaining or losing it in neither the good nor the bad colour: the
    means to end her own life if caught is not a gain to colour green.
    """

    name: str
    label: str
    span: SourceSpan
    tone: str = ""


@dataclass(frozen=True, slots=True)
class FactSource:
    """A further source of a fact, often in another language: 연합뉴스TV, 2026 (``lang`` ko).

    A fact keeps its main source; these stand beside it so that a player who reads
    Korean meets the Korean original or report (issue #20). Like the main source, each
    is read against the fact: ``quote`` is its passage, copied exactly, and ``checked``
    the day it was read (YYYY-MM-DD). The title carries the year ("연합뉴스TV, 2026").
    """

    source: str
    source_title: str
    lang: str
    quote: str
    checked: str
    span: SourceSpan
    where: str = ""

    def speaks(self, lang: str) -> bool:
        """Whether the source is in ``lang`` ("ko" matches "ko" and "ko-KR"; case does not matter)."""
        return self.lang.lower().split("-")[0] == lang.lower().split("-")[0]


@dataclass(frozen=True, slots=True)
class Fact:
    """A fact the game states, in the project's words, with where it comes from."""

    id: str
    text: str
    source: str
    source_title: str
    year: int
    confidence: str
    span: SourceSpan
    #: The passage of the source the fact rests on (a short verbatim quote), where it
    #: is in the source (page or section), and the date it was last read against it
    #: (YYYY-MM-DD). A reviewer checks the fact in seconds from these three.
    quote: str = ""
    where: str = ""
    checked: str = ""
    #: Why the fact could not be re-checked against its source (the source cannot be
    #: read here): empty when ``quote`` and ``checked`` are given.
    not_rechecked: str = ""
    #: Further sources (``also:``), each with its language: a Korean report of the same
    #: figures, say. Shown beside the main source where the program speaks their language.
    also: tuple[FactSource, ...] = ()

    def also_in(self, lang: str) -> tuple[FactSource, ...]:
        """The further sources written in ``lang``: what a fact card adds in that language."""
        return tuple(s for s in self.also if s.speaks(lang))


def also_line(fact: Fact, lang: str, addresses: bool = False) -> str:
    """"한국어 출처: 연합뉴스TV, 2026": the fact's further sources in ``lang``, to show beside its main source.

    Empty when the fact has none in that language. The main sources are in English, so a further
    English source (a second report of the same event) is simply "Also: Pattaya Mail, 2014".
    With ``addresses``, each title is followed by its address (the terminal has no second line).
    """
    found = fact.also_in(lang)
    if not found:
        return ""
    names = "; ".join(f"{s.source_title}: {s.source}" if addresses else s.source_title for s in found)
    code = lang.lower().split("-")[0]
    if code == "en":
        return _("Also: {sources}").format(sources=names)
    language = NATIVE_NAMES.get(code, lang)
    return ngettext("{language} source: {sources}", "{language} sources: {sources}", len(found)).format(
        language=language, sources=names)


@dataclass(frozen=True, slots=True, eq=False)
class Effect:
    """One change: ``add`` to a resource, ``set`` a resource, set a ``flag``, give or take an ``item``."""

    kind: str
    target: str
    value: Any  # a number or bool; for computed effects, the compiled expression
    source: str  # as written, for tools and messages
    computed: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class Roll:
    """A risk: with probability ``chance`` the choice fails and leads to ``fail``; visible unless ``hidden``."""

    chance: Callable[[Any], float]
    chance_source: str
    label: str
    fail: str
    fail_effects: tuple[Effect, ...]
    span: SourceSpan
    fail_span: SourceSpan
    constant: float | None = None  # set when the chance is a plain number
    #: A danger that is not odds she could weigh (the river does not choose by merit): no
    #: percentage is shown before the choice or after it, and no risk banner. The story
    #: tells what happened; the record keeps it apart so that replays stay exact.
    hidden: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class Choice:
    index: int
    text: Callable[..., str]  # a game.story.template.Template
    text_source: str
    condition: Callable[[Any], bool] | None
    condition_source: str
    condition_tree: Any
    reason: str
    effects: tuple[Effect, ...]
    hidden: tuple[Effect, ...]
    roll: Roll | None
    goto: str
    span: SourceSpan
    goto_span: SourceSpan
    #: A stable name for the choice within its node (``id:`` in the file), so that a
    #: translation stays tied to the choice when choices are reordered. Optional: a
    #: choice whose ``goto`` no other choice of the node shares is named by its goto.
    id: str = ""
    #: What the choice names that could not become a link: the values of keys the loader did
    #: not know (``gotoo: x``) or found mistyped, and the ``fail:`` of a roll that could not
    #: be built (``chance: 15%``). Each is already an error where it is written; the checker
    #: keeps it only so as not to add "node 'x' cannot be reached" to it (ER040, ER043).
    broken_targets: tuple[str, ...] = ()
    #: Where the ``if:`` is written (None without one), for the checker's warnings about it.
    condition_span: SourceSpan | None = None

    @property
    def key(self) -> str:
        """The choice's stable name in its node: its ``id``, else its ``goto``."""
        return self.id or self.goto


@dataclass(frozen=True, slots=True)
class Ending:
    id: str
    kind: str
    title: str
    debrief: str
    debrief_span: SourceSpan | None = None  # where the debrief text starts, for the checker's warnings


@dataclass(frozen=True, slots=True, eq=False)
class Node:
    id: str
    file: str
    chapter: str
    title: str
    text: Callable[..., str]  # a game.story.template.Template
    text_source: str
    location: str  # the place id as written; with {if …} a template choosing between ids (see location_text)
    heading: str   # the same for the place the map draws as the way ahead
    effects: tuple[Effect, ...]
    facts: tuple[str, ...]
    discuss: str
    tags: tuple[str, ...]
    rollback: bool
    choices: tuple[Choice, ...]
    ending: Ending | None
    span: SourceSpan
    location_span: SourceSpan | None = None
    heading_span: SourceSpan | None = None
    fact_spans: tuple[SourceSpan, ...] = ()
    ambience: str = ""  # a name from story.yaml's ambiences ("river_ice"); "" keeps the one before
    ambience_span: SourceSpan | None = None
    # When 'location:' or 'heading:' choose with {if …}: the Template the engine evaluates
    # against the state, and every place id either can name, with where it is written
    # (("location", "chiang_saen", span), …) for the checker, the map and the tools.
    location_text: Callable[..., str] | None = None
    heading_text: Callable[..., str] | None = None
    place_options: tuple[tuple[str, str, SourceSpan], ...] = ()

    def places(self, key: str = "location") -> tuple[str, ...]:
        """Every place id this node's ``location`` (or ``heading``) can name, in the order written."""
        if (self.location_text if key == "location" else self.heading_text) is None:
            value = self.location if key == "location" else self.heading
            return (value,) if value else ()
        return tuple(dict.fromkeys(place for k, place, _ in self.place_options if k == key))

    def place(self, env: Any, key: str = "location") -> str:
        """The place id this node shows in a state: ``env`` has ``vars``, ``items`` and ``visits`` (a GameState)."""
        text = self.location_text if key == "location" else self.heading_text
        if text is None:
            return self.location if key == "location" else self.heading
        return text(env, lambda name, value: str(value)).strip()


@dataclass(frozen=True, slots=True, eq=False)
class Story:
    """A whole loaded story. ``digest`` identifies the exact files it was built from."""

    root: Path
    title: str
    version: str
    year: int
    start: str
    map_path: Path | None
    content_note: str
    resources: dict[str, Resource]
    flags: tuple[str, ...]
    items: dict[str, Item]
    facts: dict[str, Fact]
    nodes: dict[str, Node]
    chapters: tuple[tuple[str, str], ...]  # (file, title) in reading order
    debrief_questions: tuple[str, ...]
    digest: str
    spans: dict[str, SourceSpan] = field(default_factory=dict)  # declarations by name, story.yaml keys
    journey_choices: tuple[float, float] | None = None  # the aim for a journey's average length (ER048)
    ambiences: dict[str, str] = field(default_factory=dict)  # name → caption ("river_ice": "river at night, ice cracking")
    #: The language the story's text is in, and the route map's place names in it by location id
    #: (empty: the map's own English names). Set by :func:`game.story.translation.translate_story`.
    lang: str = "en"
    places: dict[str, str] = field(default_factory=dict)
    place_notes: dict[str, str] = field(default_factory=dict)

    def chapter_number(self, title: str) -> int:
        """The "Chapter N" of a chapter title: its place among the distinct titles in reading order (0: none).

        Counted by title, not by file, so that a side branch in a file of its own that
        repeats the title of the chapter it leaves (03b_… after 03_…) continues that
        chapter and renumbers none of the chapters after it.
        """
        titles = list(dict.fromkeys(t for _file, t in self.chapters))
        return titles.index(title) + 1 if title in titles else 0

    def successors(self, node_id: str) -> list[str]:
        """Nodes a choice of ``node_id`` can lead to, by goto or by a failed roll (those that exist)."""
        node = self.nodes.get(node_id)
        if node is None:
            return []
        result = []
        for choice in node.choices:
            result.append(choice.goto)
            if choice.roll:
                result.append(choice.roll.fail)
        return [n for n in result if n in self.nodes]

    def place(self, location: str, english: str) -> str:
        """A place's name as this edition writes it (``english`` when it has no translation)."""
        return self.places.get(location, english)

    def label(self, name: str) -> str:
        """What the player calls a name: a resource's or item's label, or the flag's words."""
        if name.startswith("has:"):
            item = self.items.get(name[4:])
            return item.label if item else name[4:]
        if name in self.resources:
            return self.resources[name].label
        if name in self.items:
            return self.items[name].label
        return name.replace("_", " ")
