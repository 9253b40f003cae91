"""Which ambience each node sounds like, resolved along the story's graph.

A node names its ambience (``ambience: river_ice``) only where the place or the moment
changes; a node without one keeps the ambience of the node the player came from. So
a node's ambience depends on the path, and this module walks every path from the start
once, carrying the ambience along, to find for each node every ambience it can be
heard with and one path that brings each. The checker warns where there is more than
one (ER081) or none (ER082); the game asks :func:`resolve` for a node's ambience when
it has no path to go by (a loaded save, a jump to a scene).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from game.story.model import Story


@dataclass(frozen=True, slots=True)
class Resolution:
    """For each reachable node: ambience ("" for none) → the node the player came from with it.

    ``came_from[node][ambience]`` is ``None`` at the start. Following it back gives a
    path that brings that ambience to the node.
    """

    came_from: dict[str, dict[str, str | None]]

    def heard(self, node_id: str) -> tuple[str, ...]:
        """Every ambience the node can be heard with, in the order the walk found them."""
        return tuple(self.came_from.get(node_id, {}))

    def path(self, node_id: str, ambience: str, story: Story) -> list[str]:
        """The nodes from where ``ambience`` was set (or the start) to ``node_id``."""
        out = [node_id]
        node = node_id
        seen = {node_id}
        while True:
            before = self.came_from[node].get(ambience)
            if before is None or story.nodes[node].ambience:
                break
            if before in seen:  # a loop that keeps the ambience: the path so far says enough
                break
            seen.add(before)
            out.append(before)
            node = before
        return out[::-1]


def resolve_all(story: Story) -> Resolution:
    """Walk every (node, ambience) pair reachable from the start once: linear in the story's size."""
    came_from: dict[str, dict[str, str | None]] = {}
    if story.start not in story.nodes:
        return Resolution(came_from)
    first = story.nodes[story.start].ambience
    came_from[story.start] = {first: None}
    queue: deque[tuple[str, str]] = deque([(story.start, first)])
    while queue:
        node_id, heard = queue.popleft()
        for target in story.successors(node_id):
            carried = story.nodes[target].ambience or heard
            seen = came_from.setdefault(target, {})
            if carried not in seen:
                seen[carried] = node_id
                queue.append((target, carried))
    return Resolution(came_from)


def resolve(story: Story, node_id: str, came_with: str = "", found: Resolution | None = None) -> str:
    """The ambience to play at ``node_id``: its own, else the one the player came with, else the first found.

    The one the player came with counts only if some path brings it here: after an undo, a
    load or a jump, the ambience still playing may belong to a place the story has left.
    ``found`` is :func:`resolve_all`'s answer, for a caller that asks often.
    """
    node = story.nodes.get(node_id)
    if node is None:
        return came_with
    if node.ambience:
        return node.ambience
    heard = [a for a in (found or resolve_all(story)).heard(node_id) if a]
    if came_with and (came_with in heard or not heard):
        return came_with
    return heard[0] if heard else ""
