"""Reusable drawing pieces: cached text layout, buttons and menus, the HUD."""
