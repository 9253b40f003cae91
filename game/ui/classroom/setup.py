"""The facilitator's set-up screen: session name, groups, seed, content level, discussion time.

↑/↓ (or Tab) move between fields; ←/→ change a choice; the name and the seed are
typed; Enter moves on and, on the last row, begins the session. The content note
for the chosen level is shown beside the form, so the facilitator reads what the
class is about to see before anything is projected.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pygame

from game.classroom.content import LEVEL_LABELS, LEVELS, content_note
from game.classroom.facilitation import WHOLE_CLASS, Facilitation, FacilitatorSettings
from game.errors import StoryError
from game.ui import commands as c
from game.ui.classroom.common import FacilitateScene, letter
from game.ui.widgets.text import blit_block

MAX_GROUPS = 8
MAX_NAME = 48


@dataclass
class Field:
    key: str
    label: str


FIELDS = (Field("name", "Session name"), Field("groups", "Groups"), Field("group", "This screen is"),
          Field("seed", "Seed"), Field("level", "Content level"),
          Field("minutes", "Discussion timer"), Field("begin", "Begin the session"))


class FacilitateSetupScene(FacilitateScene):
    name = "facilitate-setup"
    fields: tuple[Field, ...] = FIELDS
    #: Fields whose value ←/→ change (arrows are drawn beside them when focused).
    arrow_fields: tuple[str, ...] = ("groups", "group", "level", "minutes", "seed")
    heading = "FACILITATOR · SET UP THE SESSION"
    hint_line = ("Up/Down move  ·  ←→ change  ·  type the name and the seed  ·  Enter: next / begin  ·  "
                 "Esc: quit")

    def __init__(self, app, preset: FacilitatorSettings | None = None) -> None:  # noqa: ANN001
        super().__init__(app, None)
        preset = preset or FacilitatorSettings()
        self.values = {"name": preset.name, "groups": preset.groups, "group": preset.group,
                       "seed": str(preset.seed), "level": preset.level,
                       "minutes": max(1, round(preset.discussion_seconds / 60))}
        self.focus = 0
        self._erase = False
        self.seed_typed = False
        self.error = ""

    def enter(self) -> None:
        self.relayout()

    # ------------------------------------------------------------------ values
    def settings(self) -> FacilitatorSettings:
        v = self.values
        groups = int(v["groups"])
        return FacilitatorSettings(name=str(v["name"]).strip() or "Class session", groups=groups,
                                   group=min(max(1, int(v["group"])), max(1, groups)),
                                   seed=int(v["seed"] or 0), level=str(v["level"]),
                                   discussion_seconds=int(v["minutes"]) * 60)

    def shown(self, key: str) -> str:
        v = self.values
        if key == "name":
            return str(v["name"])
        if key == "groups":
            return WHOLE_CLASS if not v["groups"] else f"{v['groups']} groups"
        if key == "group":
            return "—" if not v["groups"] else f"Group {v['group']} of {v['groups']}"
        if key == "seed":
            return str(v["seed"]) or "0"
        if key == "level":
            return LEVEL_LABELS[str(v["level"])]
        if key == "minutes":
            return f"{v['minutes']} minute{'s' * (v['minutes'] != 1)}"
        return ""

    def skipped(self, key: str) -> bool:
        """A field that cannot be used with the other values (the group of a whole class): focus jumps it."""
        return key == "group" and not self.values["groups"]

    def side(self) -> list[tuple[str, str, int]]:
        """What is shown beside the form: (text, font kind, size) paragraphs, read before anything is projected."""
        pj = self.pj
        size = max(15, round(pj.small * 0.95))
        return [("CONTENT NOTE", "sans-bold", pj.small)] + [
            (para, "serif", size) for para in content_note(self.app.story, str(self.values["level"]))]

    def _change(self, dx: int) -> None:
        key = self.fields[self.focus].key
        v = self.values
        if key == "groups":
            v["groups"] = (v["groups"] + dx) % (MAX_GROUPS + 1)
            if v["groups"] == 1:
                v["groups"] = 2 if dx > 0 else 0
            v["group"] = min(v["group"], max(1, v["groups"]))
        elif key == "group" and v["groups"]:
            v["group"] = (v["group"] - 1 + dx) % v["groups"] + 1
        elif key == "level":
            v["level"] = LEVELS[(LEVELS.index(v["level"]) + dx) % len(LEVELS)]
        elif key == "minutes":
            v["minutes"] = min(20, max(1, v["minutes"] + dx))
        elif key == "seed":
            v["seed"] = str(secrets.randbelow(9000) + 1000)
        self.relayout()

    def begin(self) -> None:
        app = self.app
        try:
            fac = Facilitation.start(app.story, self.settings())
        except (StoryError, OSError, ValueError) as exc:
            self.error = f"Could not start the session: {exc}"
            self.relayout()
            return
        from game.ui.classroom.story import start_session

        start_session(app, fac)

    # ------------------------------------------------------------------ input
    def handle(self, cmd: c.Command) -> c.Command | None:
        key = self.fields[self.focus].key
        if isinstance(cmd, c.Move) and cmd.dy:
            self.focus = (self.focus + cmd.dy) % len(self.fields)
            if self.skipped(self.fields[self.focus].key):
                self.focus = (self.focus + cmd.dy) % len(self.fields)
            self.relayout()
        elif isinstance(cmd, c.Move) and cmd.dx:
            self._change(cmd.dx)
        elif isinstance(cmd, c.Confirm):
            if getattr(cmd, "space", False) and key == "name":
                return None  # the space itself arrives as typed text
            if key == "begin":
                self.begin()
            else:
                self.focus += 1
                if self.skipped(self.fields[self.focus].key):
                    self.focus += 1
                self.relayout()
        elif isinstance(cmd, c.Rollback) and key in ("name", "seed"):
            self._erase = True  # Backspace; but U also means Rollback: see update()
        elif isinstance(cmd, c.TypeText):
            self._type(cmd.text, key)
        elif isinstance(cmd, c.Back):
            self.app.running = False
        elif isinstance(cmd, c.Click):
            for i, rect in enumerate(self.rows):
                if rect.collidepoint(cmd.pos):
                    self.focus = i
                    if self.fields[i].key == "begin":
                        self.begin()
                    self.relayout()
        return None

    def _type(self, text: str, key: str) -> None:
        if self._erase and letter(c.TypeText(text)) == "u":
            self._erase = False  # the U key typed a letter; it was not a Backspace
        if key == "name":
            name = (str(self.values["name"]) + "".join(ch for ch in text if ch.isprintable()))[:MAX_NAME]
            self.values["name"] = name
        elif key == "seed":
            digits = "".join(ch for ch in text if ch.isdigit())
            if digits:
                current = str(self.values["seed"]) if self.seed_typed else ""
                self.values["seed"] = (current + digits)[:9]
                self.seed_typed = True
        self.relayout()

    def update(self, dt: float) -> None:
        if self._erase:
            self._erase = False
            key = self.fields[self.focus].key
            if key in ("name", "seed"):
                self.values[key] = str(self.values[key])[:-1]
                self.seed_typed = self.seed_typed or key == "seed"
                self.relayout()

    # ------------------------------------------------------------------ layout and drawing
    def relayout(self) -> None:
        pj, p, text = self.pj, self.theme.palette, self.app.text
        safe = pj.safe
        form_w = round(safe.w * 0.52)
        self.form_x = safe.x
        y = safe.y
        self.head = text.line(self.heading, "sans-bold", pj.small, p.accent)
        y += self.head.get_height() + pj.px(6)
        self.title = self.block(self.app.story.title, "serif-bold", pj.title, form_w, p.strong, 1.1)
        self.title_y = y
        y += self.title.height + pj.px(14)
        self.rows: list[pygame.Rect] = []
        self.row_images = []
        row_h = round(pj.ui * 1.9)
        for i, f in enumerate(self.fields):
            focused = i == self.focus
            disabled = self.skipped(f.key)
            rect = pygame.Rect(safe.x, y, form_w, row_h)
            label = text.line(f.label, "sans", pj.small, p.faint if disabled else p.muted)
            value_text = self.shown(f.key)
            if focused and f.key in ("name", "seed"):
                value_text += "|"
            if f.key == "begin":
                value = text.line(f"{f.label}  ›", "sans-bold", pj.ui, p.bg if focused else p.strong)
            else:
                value = text.line(value_text, "sans-bold", pj.ui, p.faint if disabled else p.strong)
            arrows = focused and f.key in self.arrow_fields
            self.rows.append(rect)
            self.row_images.append((label, value, arrows, focused, f.key == "begin"))
            y += row_h + pj.px(4)
        self.error_block = self.block(self.error, "sans", pj.small, form_w, p.bad, 1.3) if self.error else None
        # The content note beside the form.
        note_x = safe.x + form_w + pj.px(36)
        note_w = safe.right - note_x
        blocks = [self.block(words, kind, size, note_w, p.accent if kind == "sans-bold" else p.text,
                             1.3 if kind == "sans-bold" else 1.4) for words, kind, size in self.side()]
        self.note = []
        ny = safe.y
        for b in blocks:
            if ny + b.height > safe.bottom - pj.small * 2:
                break
            self.note.append((b, note_x, ny))
            ny += b.height + pj.px(10)

    def draw(self, surface: pygame.Surface) -> None:
        pj, p = self.pj, self.theme.palette
        surface.blit(self.head, (self.form_x, pj.safe.y))
        blit_block(surface, self.title, self.form_x, self.title_y)
        label_w = round(self.rows[0].w * 0.42) if self.rows else 0
        for rect, (label, value, arrows, focused, is_button) in zip(self.rows, self.row_images, strict=True):
            if is_button:
                box = rect.inflate(0, -pj.px(6))
                pygame.draw.rect(surface, p.accent if focused else p.panel, box, border_radius=pj.px(6))
                pygame.draw.rect(surface, p.accent, box, max(1, pj.px(2)), border_radius=pj.px(6))
                surface.blit(value, (box.x + pj.px(16), box.centery - value.get_height() // 2))
                continue
            if focused:
                pygame.draw.rect(surface, p.panel_hi, rect, border_radius=pj.px(6))
                pygame.draw.rect(surface, p.accent, pygame.Rect(rect.x, rect.y, pj.px(5), rect.h))
            surface.blit(label, (rect.x + pj.px(14), rect.centery - label.get_height() // 2))
            vx = rect.x + label_w
            if arrows:
                left = self.app.text.line("‹", "sans-bold", pj.ui, p.accent)
                surface.blit(left, (vx - left.get_width() - pj.px(8), rect.centery - left.get_height() // 2))
                right = self.app.text.line("›", "sans-bold", pj.ui, p.accent)
                surface.blit(right, (vx + value.get_width() + pj.px(8), rect.centery - right.get_height() // 2))
            surface.blit(value, (vx, rect.centery - value.get_height() // 2))
        if self.error_block is not None and self.rows:
            blit_block(surface, self.error_block, self.form_x, self.rows[-1].bottom + pj.px(8))
        for block, x, y in self.note:
            blit_block(surface, block, x, y)
        self.hints(surface, self.hint_line)
