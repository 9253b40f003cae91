"""The writers' tools: the story graph, the simulator's report, playtest notes and hot reload.

They sit above the engine and the story model, and below the front-ends and the
command line: the window uses hot reload and notes, the command line the rest.
"""
