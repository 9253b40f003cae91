"""The facilitator's screens on the projector: setup, the passage, discussion, the vote, fact cards, pause, debrief, replay.

They draw what :class:`game.classroom.facilitation.Facilitation` holds and tell it
what the facilitator did; every rule of the session lives there, not here.
"""
