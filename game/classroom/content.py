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
    on. Revealing a passage is recorded in the session.

A test checks that every node named here exists in the story files, so a renamed
node cannot silently switch the veil off.
"""

from __future__ import annotations

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


def content_note(story: Story, level: str) -> list[str]:
    """The paragraphs the set-up screen shows for ``level``."""
    paras = [" ".join(p.split()) for p in story.content_note.split("\n\n") if p.strip()]
    if level == "younger":
        paras.append(_(YOUNGER_NOTE))
    return paras
