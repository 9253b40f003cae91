"""A recorded session as plain text: who, when, then each passage, vote, choice, roll and pause, in order.

``escape-route play --replay SESSION --text`` prints it; it reads only the record
(and the story, for the wording of fact cards), so it works on any machine.
"""

from __future__ import annotations

import textwrap
from typing import Any, TextIO

from game.classroom import session as s
from game.engine.wording import risk_words
from game.l10n import _, ngettext


def print_session(story: Any, record: Any, out: TextIO, width: int = 78) -> None:
    """The session as text: who, when, then each passage, vote, choice, roll, pause, in order."""
    def say(text: str, indent: str = "") -> None:
        out.write(textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent) + "\n")

    start = record.start
    header = start.get("story", {}) if isinstance(start.get("story"), dict) else {}
    settings = record.settings
    say(_("Session: {session}").format(session=record.label))
    level = settings.get("level", "full")
    say(_("Story: {title} (version {version}) · seed {seed} · content: {level} · started {started}").format(
        title=header.get("title", "?"), version=header.get("version", "?"), seed=start.get("seed"),
        level=_("younger classes") if level == "younger" else level, started=start.get("started_at", "?")))
    resources = header.get("resources", {}) if isinstance(header.get("resources"), dict) else {}
    options: dict[str, list[dict[str, Any]]] = {}
    for ev in record.events[1:]:
        kind = ev["type"]
        if kind == s.NODE:
            out.write("\n")
            say(f"[{ev.get('title') or ev.get('node')}]  ({ev.get('node')})")
            values = ev.get("vars", {}) if isinstance(ev.get("vars"), dict) else {}
            say("  " + " · ".join(f"{(resources.get(k) or {}).get('label', k)} {_show(v, resources.get(k))}"
                                  for k, v in values.items()))
        elif kind == s.VOTE_OPENED:
            options[str(ev.get("decision"))] = [o for o in ev.get("options", []) if isinstance(o, dict)]
        elif kind == s.TALLY:
            counts = ev.get("counts", {}) if isinstance(ev.get("counts"), dict) else {}
            for opt in options.get(str(ev.get("decision")), []):
                n = counts.get(str(opt.get("index")), 0)
                closed = "" if opt.get("available", True) else "  " + _("(closed)")
                votes = ngettext("{n} vote", "{n} votes", n if isinstance(n, int) else 2).format(n=n)
                say(f"{opt.get('index', 0) + 1}. {opt.get('text', '')}: {votes}{closed}", "  ")
        elif kind == s.CHOICE:
            how = {"vote": _("by vote"), "tie-break": _("tie settled by the facilitator"),
                   "facilitator": _("decided by the facilitator")}.get(str(ev.get("decided_by")), ev.get("decided_by"))
            say("> " + _("The class took {n}: {choice} ({how})").format(n=int(ev.get("index", 0)) + 1,
                                                                     choice=ev.get("text", ""), how=how), "  ")
            roll = ev.get("roll")
            if isinstance(roll, dict):
                say(risk_words(float(roll.get("chance", 0)), str(roll.get("label", "")), bool(roll.get("failed"))), "  ")
        elif kind == s.ROLLBACK:
            say("< " + _("The class went back ({reason}).").format(reason=ev.get("reason", "")), "  ")
        elif kind == s.DISCUSSION:
            say(_("Discussion, {seconds} s ({how}): {prompt}").format(
                seconds=round(float(ev.get("seconds", 0))), how=ev.get("how", ""), prompt=ev.get("prompt", "")), "  ")
        elif kind == s.FACT:
            fact = story.facts.get(str(ev.get("fact"))) if story is not None else None
            say(_("Fact card: {fact}").format(fact=fact.text if fact else ev.get("fact")), "  ")
        elif kind == s.BLANKED:
            say(_("Screen blanked for {seconds} s").format(seconds=round(float(ev.get("seconds", 0)))), "  ")
        elif kind == s.PAUSED:
            say(_("Paused for {seconds} s").format(seconds=round(float(ev.get("seconds", 0)))), "  ")
        elif kind == s.RESUMED:
            say("-- " + _("resumed after an interruption (after event {n})").format(n=ev.get("after_seq")) + " --", "  ")
        elif kind == s.ENDED:
            out.write("\n")
            say(_("THE END — {title} [{kind}]").format(title=ev.get("title", ""), kind=ev.get("kind", "")))


def _show(value: Any, meta: Any) -> str:
    unit = meta.get("unit", "") if isinstance(meta, dict) else ""
    try:
        number = f"{round(float(value)):,}"
    except (TypeError, ValueError):
        return str(value)
    return f"{unit}{number}" if unit in ("¥", "$", "€", "£", "฿", "₩") else number
