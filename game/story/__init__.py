"""The story: its model, the YAML loader, the expression language and the checker.

Pure core: nothing here imports pygame or needs a display.
"""
