"""The screens of the game, one module each, all following the contract in ``base.py``."""
