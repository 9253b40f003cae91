"""Content levels for a class: what "younger classes" changes, and nothing more.

The story, its choices, costs, risks, dice and endings are the same at every level:
a younger class can still reach the trafficking ending, because that is what
happened to most women in her position and the game does not pretend otherwise.
What the level changes is what is *projected* and what the facilitator is told:

``full``
    The story's own content note is shown on the set-up screen; every passage is
    projected as written.

``younger``
    The set-up screen adds a note for the facilitator (:data:`YOUNGER_NOTE`). The
    passages that depict forced marriage or the means to die (:data:`SENSITIVE_NODES`, plus any node the
    writers tag ``sensitive``) are *veiled*: the projector shows the passage's title,
    what it deals with, and that the facilitator may read it aloud, summarise it, or
    press R to project it. The same holds for that ending's "what followed" text on
    the class debrief. The choices under a veiled passage are still shown and voted
    on. Revealing a passage is recorded in the session. In class journeys the same
    passages (and the same ending texts) are veiled on every student's page
    (:data:`YOUNGER_JOURNEYS_NOTE`); they are never sent to her device, and there is
    nothing to reveal: the teacher reads them aloud or tells them.

Class journeys also give each student the story's content note before her first
page (:func:`story_note`) and its helplines under her ending (:func:`helplines`).

A test checks that every node named here exists in the story files, so a renamed
node cannot silently switch the veil off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from game.l10n import N_, _
from game.story.model import Node, Story

LEVELS = ("full", "younger")
#: Marked for translation; translated where shown (``_(LEVEL_LABELS[level])``).
LEVEL_LABELS = {"full": N_("Full (14 and over)"), "younger": N_("Younger classes (11-13)")}

SENSITIVE_NODES = {
    "hyesan_packing": N_("carrying the means to die rather than be sent back"),
    "china_sold": N_("forced marriage: she is sold to a farmer's family"),
    "china_trapped": N_("forced marriage, and a child born into it"),
}
SENSITIVE_TAG = "sensitive"

YOUNGER_NOTE = N_(
    "Younger classes: the passages that depict forced marriage, and the one about carrying the means to die "
    "rather than be sent back, are veiled on the projector. You will see what each one deals with; read it "
    "aloud, summarise it, or press R to show it. "
    "The choices, the risks and the endings are not changed: the class can still reach every ending, "
    "including a forced marriage, because one 2019 report estimated that about 60 percent of North Korean "
    "women in China were trafficked. Prepare the class for that before you begin."
)


#: The same note for class journeys, where each student reads on her own device and nothing is revealed.
YOUNGER_JOURNEYS_NOTE = N_(
    "Younger classes: the passages that depict forced marriage, and the one about carrying the means to die "
    "rather than be sent back, are veiled on every student's page. She sees what each one deals with and that "
    "you may read it aloud or tell it; the passage itself is never sent to her device. "
    "The choices, the risks and the endings are not changed: a student can still reach every ending, "
    "including a forced marriage, because one 2019 report estimated that about 60 percent of North Korean "
    "women in China were trafficked. Prepare the class for that before you begin."
)


@dataclass(frozen=True, slots=True)
class Veil:
    """Why a passage is veiled: the topics it deals with, in words for the projector."""

    topics: tuple[str, ...]

    @property
    def text(self) -> str:
        """The topics in the language spoken, joined as a sentence joins them."""
        topics = [_(t) for t in self.topics]
        if len(topics) == 1:
            return topics[0]
        return _("{first} and {last}").format(first=", ".join(topics[:-1]), last=topics[-1])


def veil_for(story: Story, node: Node, level: str) -> Veil | None:
    """The veil over ``node`` at ``level``, or None when it is projected as written."""
    if level != "younger":
        return None
    topics = [SENSITIVE_NODES[node.id]] if node.id in SENSITIVE_NODES else []
    if SENSITIVE_TAG in node.tags and not topics:
        topics.append(N_("events some pupils may find distressing"))
    if not topics:
        return None
    del story
    return Veil(tuple(dict.fromkeys(topics)))


def content_note(story: Story, level: str, journeys: bool = False) -> list[str]:
    """The paragraphs the set-up screen shows for ``level`` (``journeys``: the class-journeys set-up's)."""
    paras = [" ".join(p.split()) for p in story.content_note.split("\n\n") if p.strip()]
    if level == "younger":
        paras.append(_(YOUNGER_JOURNEYS_NOTE if journeys else YOUNGER_NOTE))
    return paras


def story_note(story: Story) -> list[str]:
    """The story's own content note as paragraphs: what a student reads before her first page (class journeys)."""
    return [" ".join(p.split()) for p in story.content_note.split("\n\n") if p.strip()]


#: A telephone number in a content note: three digits or more, maybe in groups ("0800 1111", "116 123", "1388").
_PHONE = re.compile(r"\d{3,}")


def helplines(story: Story) -> list[str]:
    """The content note's paragraphs that give helplines (those with a telephone number), in the story's language.

    A student's journey ends on her own phone, where no adult may be beside her: the page
    gives these again under her ending. Each translation names its own country's lines
    (docs/translating.md), so they are read from the note, never written here.
    """
    return [p for p in story_note(story) if _PHONE.search(p)]
