"""Generate large random stories for benchmarks and stress tests (not shipped with the game).

``generate(nodes, files, seed)`` returns {file name: YAML text} for a valid story of
the given size: every node is reachable, every non-ending has an unconditional
choice, and the text uses interpolation and conditions, so loading it exercises
every part of the loader and checker. The graph is also returned as plain data
(``graph``) so that the same story can be written in another engine's language.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

WORDS = [
    "river", "guard", "night", "border", "market", "bus", "road", "rain", "light", "ticket",
    "phone", "sister", "broker", "money", "cold", "village", "station", "police", "papers", "wait",
    "walk", "quiet", "door", "window", "bridge", "train", "field", "morning",
]


@dataclass
class GenChoice:
    text: str
    goto: str
    condition: str = ""          # e.g. "cash >= 40"
    effects: dict = field(default_factory=dict)
    roll: tuple[float, str] | None = None  # (chance, fail node)


@dataclass
class GenNode:
    id: str
    text: str
    choices: list[GenChoice] = field(default_factory=list)
    ending: str = ""


def build_graph(nodes: int, seed: int) -> list[GenNode]:
    """A random story graph: a forward-leaning DAG with a few back edges, ending in several endings."""
    rng = random.Random(seed)
    endings = max(4, nodes // 200)
    count = nodes - endings
    graph: list[GenNode] = []
    ending_ids = [f"end_{i}" for i in range(endings)]
    for i in range(count):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 16)))
        text = (f"Day {{days}}. {words.capitalize()}.\n\n{{if cash > 50}}You still have {{cash}}.{{else}}"
                f"Your money is almost gone.{{end}} {' '.join(rng.choice(WORDS) for _ in range(6))}.")
        node = GenNode(f"n{i}", text)
        targets = []
        for _ in range(rng.randint(2, 3)):
            if i + 1 >= count or rng.random() < 0.04:
                targets.append(rng.choice(ending_ids))
            else:
                targets.append(f"n{min(count - 1, i + rng.randint(1, 12))}" if rng.random() > 0.03
                               else f"n{max(0, i - rng.randint(1, 5))}")
        if i + 1 < count:
            targets[0] = f"n{i + 1}"  # a spine keeps every node reachable
        for k, target in enumerate(targets):
            choice = GenChoice(f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}", target,
                               effects={"days": rng.randint(1, 5), "cash": -rng.randint(0, 30)})
            if k > 0 and rng.random() < 0.5:
                choice.condition = f"cash >= {rng.randint(10, 80)}"
            if k > 0 and rng.random() < 0.3:
                choice.roll = (round(rng.uniform(0.05, 0.4), 2), rng.choice(ending_ids))
            node.choices.append(choice)
        graph.append(node)
    for eid in ending_ids:
        graph.append(GenNode(eid, f"The journey ends here, after {{days}} days. {rng.choice(WORDS)}.", ending=eid))
    return graph


def to_yaml(graph: list[GenNode], files: int) -> dict[str, str]:
    out = {"story.yaml": (
        "title: Generated\nversion: \"1\"\nyear: 2010\nstart: n0\ncontent_note: A generated story.\n"
        "resources:\n  cash: {start: 300, min: 0, label: Cash, unit: \"¥\"}\n"
        "  days: {start: 0, min: 0, label: Days, unit: day, better: lower}\n")}
    per = -(-len(graph) // files)
    for f in range(files):
        lines = [f"chapter: Part {f + 1}", "nodes:"]
        for node in graph[f * per:(f + 1) * per]:
            lines.append(f"  {node.id}:")
            lines.append("    text: |")
            lines.extend(f"      {line}" if line else "" for line in node.text.split("\n"))
            if node.ending:
                lines.append(f"    ending: {{id: {node.ending}, kind: lost, title: Ending {node.ending}}}")
                continue
            lines.append("    choices:")
            for c in node.choices:
                lines.append(f"      - text: {c.text}")
                if c.condition:
                    lines.append(f"        if: {c.condition}")
                effects = ", ".join(f"{k}: {v}" for k, v in c.effects.items())
                lines.append(f"        effects: {{{effects}}}")
                if c.roll:
                    lines.append(f"        roll: {{chance: {c.roll[0]}, label: caught, fail: {c.roll[1]}}}")
                lines.append(f"        goto: {c.goto}")
        out[f"{f + 1:02d}_part.yaml"] = "\n".join(lines) + "\n"
    return out


def generate(nodes: int = 10_000, files: int = 20, seed: int = 1) -> dict[str, str]:
    return to_yaml(build_graph(nodes, seed), files)


def to_ink(graph: list[GenNode]) -> str:
    """The same story in ink: same passages, choices, conditions, effects and risks.

    Used by tools/bench.py to compare our engine with inkjs on one story. Cash never
    goes below 0 on either side (our resources have min 0; here MAX does it), and a
    risk of 0.2 is RANDOM(1, 1000) <= 200.
    """
    lines = ["VAR cash = 300", "VAR days = 0", "-> n0", ""]
    for node in graph:
        lines.append(f"=== {node.id} ===")
        for para in node.text.split("\n\n"):
            para = para.replace("{if cash > 50}", "{cash > 50:").replace("{else}", "|").replace("{end}", "}")
            lines.append(para)
        if node.ending:
            lines.append("-> END")
            lines.append("")
            continue
        for choice in node.choices:
            condition = f"{{{choice.condition}}} " if choice.condition else ""
            lines.append(f"+ {condition}[{choice.text}]")
            for name, value in choice.effects.items():
                if name == "cash":
                    lines.append(f"  ~ cash = MAX(cash + {value}, 0)")
                else:
                    lines.append(f"  ~ {name} = {name} + {value}")
            if choice.roll:
                chance, fail = choice.roll
                lines.append(f"  {{RANDOM(1, 1000) <= {round(chance * 1000)}: -> {fail}}}")
            lines.append(f"  -> {choice.goto}")
        lines.append("")
    return "\n".join(lines) + "\n"
