"""The rules that play a story: state, choices, risks, endings, saves.

Pure core: nothing here imports pygame or needs a display.
"""
