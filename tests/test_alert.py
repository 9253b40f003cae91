"""When the game cannot go on, the player is told: on the terminal, or in a dialog where there is none."""

from __future__ import annotations

import sys

from game import alert


def test_from_a_terminal_the_message_goes_to_stderr(capsys, monkeypatch):
    shown = []
    monkeypatch.setattr(alert, "_dialog", lambda message, title: shown.append(message))
    alert.alert("The window cannot open.")
    assert capsys.readouterr().err == "The window cannot open.\n" and shown == []


def test_a_build_with_no_terminal_shows_a_dialog(monkeypatch):
    shown = []
    monkeypatch.setattr(alert, "_dialog", lambda message, title: shown.append((title, message)))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "stderr", None)  # a windowed build on Windows or macOS
    alert.alert("The window cannot open.")
    assert shown == [("3,500 Miles", "The window cannot open.")]


def test_a_failing_dialog_is_not_a_crash(monkeypatch):
    def broken(message, title):
        raise OSError("no display")

    monkeypatch.setattr(alert, "_dialog", broken)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "stderr", None)
    alert.alert("The window cannot open.")  # says nothing more, raises nothing
