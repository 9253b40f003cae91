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


def test_a_window_that_cannot_open_is_said_not_a_silent_exit(monkeypatch):
    from conftest import STORY
    from game.story.loader import load_story
    from game.ui import app as ui_app

    said = []
    monkeypatch.setattr(ui_app, "display_available", lambda: False)
    monkeypatch.setattr(ui_app, "alert", said.append)
    assert ui_app.run_game(load_story(STORY)) == 1
    assert said and "no display" in said[0] and "play --text" in said[0]


def test_a_fatal_error_from_the_command_line_goes_through_the_alert(monkeypatch, tmp_path):
    import importlib

    cli_main = importlib.import_module("game.cli.main")
    said = []
    monkeypatch.setattr(cli_main, "alert", said.append)
    assert cli_main.main(["play", "--story", str(tmp_path / "nothing-here"), "--text"]) == 1
    assert said and said[-1].startswith("escape-route: ")
