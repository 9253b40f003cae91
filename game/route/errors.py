"""Errors raised while loading the route map.

``RouteMapError`` lives with the project's other errors in ``game.errors`` (under
``StoryError``, so every front-end that handles story problems handles map problems
too); it is re-exported here for the route package's own use.
"""

from game.errors import RouteMapError

__all__ = ["RouteMapError"]
