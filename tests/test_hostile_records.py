"""Hostile session records: every damaged field is one problem line, never a traceback, a hang or a changed file.

The records are made from ``tests/data/session-format-1.jsonl`` (a real record of the
tiny story in conftest.py) with one field spoiled at a time, then read, reported,
printed as a transcript, rebuilt and resumed. A case that could hang or eat memory on
a regression (a FIFO, ``/dev/zero``, a chart axis over huge numbers) runs in a forked
child with its memory capped and a time limit, so a regression fails instead of hanging.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import resource
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, TINY, write_story
from game.classroom import session as s
from game.classroom.facilitation import Facilitation, _settings_of
from game.classroom.report import _nice_range, load_sessions, render_html, write_report
from game.classroom.transcript import print_session
from game.story.loader import load_story

GOLDEN = REPO / "tests" / "data" / "session-format-1.jsonl"


def golden_events() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]


def write_events(path: Path, events: list[Any]) -> Path:
    """One JSON line per event; ``float('inf')`` is written as ``Infinity``, as a hand-edited file may hold it."""
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")
    return path


def spoiled(path: Path, type_: str, change, which: int = 0) -> Path:  # noqa: ANN001
    """The golden record with ``change(event)`` applied to the ``which``-th event of ``type_``."""
    events = golden_events()
    event = [e for e in events if e["type"] == type_][which]
    change(event)
    return write_events(path, events)


@pytest.fixture
def tiny(tmp_path):
    return load_story(write_story(tmp_path / "tiny", TINY))


def consume(story, record: s.SessionRecord) -> str:  # noqa: ANN001
    """Everything that reads a record after the boundary: report, CSV, transcript, rebuild, resume's settings."""
    output = record.path.with_name("report.html")
    write_report([record.path], output, record.path.with_name("votes.csv"))
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # strict, like a terminal's stdout
    if record.is_session:
        print_session(story, record, out)
        try:
            s.rebuild(story, record)
            _settings_of(record)
        except s.SessionError:
            pass
    out.flush()
    return output.read_text(encoding="utf-8") + out.buffer.getvalue().decode("utf-8")


def in_child(fn, *args, seconds: float = 3.0) -> tuple[str, Any, float]:  # noqa: ANN001
    """``fn(*args)`` in a forked child capped at 1 GB more memory; ('ok'|'raised', value, seconds taken).

    Fails the test (and kills the child) if it does not finish in ``seconds``.
    """
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def run() -> None:
        try:  # Linux: cap the address space at what the child has now plus 1 GB
            with open("/proc/self/statm") as handle:
                size = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            resource.setrlimit(resource.RLIMIT_AS, (size + 2**30, resource.RLIM_INFINITY))
        except (OSError, ValueError):
            pass  # elsewhere the time limit alone stops it
        began = time.monotonic()
        try:
            result: tuple[str, Any] = ("ok", fn(*args))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
            result = ("raised", f"{type(exc).__name__}: {exc}")
        send.send((*result, time.monotonic() - began))

    child = ctx.Process(target=run, daemon=True)
    child.start()
    try:
        if not receive.poll(seconds):
            pytest.fail(f"{getattr(fn, '__name__', fn)} did not finish in {seconds} s (it hangs or reads forever)")
        return receive.recv()
    finally:
        child.kill()
        child.join()


# --------------------------------------------------------------------------- D5: field types at the boundary


def test_a_discussion_whose_seconds_are_not_a_number_is_skipped_with_its_line_and_field(tiny, tmp_path):
    events = golden_events()
    events.insert(2, {"v": 1, "seq": 3, "t": events[1]["t"], "type": "discussion_held", "node": "river",
                      "prompt": "Would you leave?", "seconds": "x", "planned": 180, "how": "finished"})
    for number, event in enumerate(events[3:], 4):
        event["seq"] = number
    record = s.read_session(write_events(tmp_path / "talk.jsonl", events))
    assert record.is_session
    assert "line 3: discussion_held.seconds is not a number; the event was skipped" in record.problems
    assert not list(record.of(s.DISCUSSION))
    text = consume(tiny, record)
    assert "Notes on the files" in text


@pytest.mark.parametrize("type_, field, raw", [
    ("choice_made", "index", "Infinity"),
    ("choice_made", "index", "1e999"),
    ("node_shown", "step", "-Infinity"),
    ("vote_opened", "step", "NaN"),
    ("tally_recorded", "counts", '{"2": Infinity}'),
    ("tally_recorded", "counts", '{"2": 1e999}'),
    ("session_ended", "t", "1e999"),
    ("choice_made", "index", "9" * 5000),
])
def test_infinite_nan_and_endless_numbers_skip_the_event_and_the_rest_is_used(tiny, tmp_path, type_, field, raw):
    events = golden_events()
    target = next(i for i, e in enumerate(events) if e["type"] == type_)
    events[target][field] = "@RAW@"
    lines = [json.dumps(e, ensure_ascii=False) for e in events]
    lines[target] = lines[target].replace('"@RAW@"', raw)
    path = tmp_path / "inf.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record = s.read_session(path)
    assert record.is_session and len(record.events) == len(events) - 1
    assert any(p.startswith(f"line {target + 1}") and "skipped" in p for p in record.problems), record.problems
    consume(tiny, record)


@pytest.mark.parametrize("change, field", [
    (lambda e: e.update(story="Tiny"), "session_started.story is not a mapping"),
    (lambda e: e.update(story=[1, 2]), "session_started.story is not a mapping"),
    (lambda e: e["story"].update(resources=5), "session_started.story.resources is not a mapping"),
    (lambda e: e["story"]["resources"].update(cash="lots"), "session_started.story.resources['cash'] is not a mapping"),
    (lambda e: e["settings"].update(groups=float("inf")), "session_started.settings.groups"),
    (lambda e: e["settings"].update(groups="three"), "session_started.settings.groups is not a whole number"),
    (lambda e: e.update(seed="eight"), "session_started.seed is not a whole number"),
    (lambda e: e.update(settings=None), "session_started.settings is not a mapping"),
])
def test_an_unusable_start_refuses_the_record_naming_the_field(tiny, tmp_path, change, field):
    path = spoiled(tmp_path / "start.jsonl", "session_started", change)
    before = path.read_bytes()
    record = s.read_session(path)
    assert not record.is_session
    assert any(field in p and "not a session record" in p and p.startswith("line 1:") for p in record.problems), \
        record.problems
    loaded, messages = write_report([path], tmp_path / "r.html")
    assert loaded.sessions == [] and [name for name, _ in loaded.skipped] == ["start.jsonl"]
    assert any(field in m for m in messages)
    with pytest.raises(s.SessionError, match="not a session record"):
        Facilitation.resume(tiny, path)
    assert path.read_bytes() == before  # reading (and refusing to resume) never changes the record


def test_options_that_are_not_a_list_skip_the_vote_and_the_transcript_still_prints(tiny, tmp_path):
    path = spoiled(tmp_path / "opts.jsonl", "vote_opened", lambda e: e.update(options=5))
    record = s.read_session(path)
    assert record.problems == ["line 3: vote_opened.options is not a list; the event was skipped"]  # one line
    out = io.StringIO()
    print_session(tiny, record, out)
    assert "THE END" in out.getvalue()
    consume(tiny, record)


@pytest.mark.parametrize("change, message", [
    (lambda e: e["options"][1].update(index="two"), "vote_opened.options[1].index is not a whole number"),
    (lambda e: e["options"].append(7), "vote_opened.options[3] is not a mapping"),
    (lambda e: e["options"][0].pop("index"), "vote_opened.options[0].index is missing"),
])
def test_a_damaged_option_names_its_place_in_the_list(tiny, tmp_path, change, message):
    record = s.read_session(spoiled(tmp_path / "o.jsonl", "vote_opened", change))
    assert f"line 3: {message}; the event was skipped" in record.problems
    consume(tiny, record)


@pytest.mark.parametrize("type_, change, message", [
    ("tally_recorded", lambda e: e.update(counts={"two": 5}), "tally_recorded.counts has a key 'two' that is not"),
    ("tally_recorded", lambda e: e.update(counts={"2": -5}), "tally_recorded.counts['2'] is out of range"),
    ("choice_made", lambda e: e.update(roll={"chance": "half", "failed": True}), "choice_made.roll.chance"),
    ("choice_made", lambda e: e.update(rng="zz"), "choice_made.rng is not a generator state"),
    ("node_shown", lambda e: e["vars"].update(cash=[1]), "node_shown.vars['cash'] is not a number"),
    ("node_shown", lambda e: e.update(facts="fact_one"), "node_shown.facts is not a list"),
    ("screen_blanked", lambda e: e.update(seconds=-4), "screen_blanked.seconds is out of range"),
])
def test_each_event_type_checks_its_fields(tiny, tmp_path, type_, change, message):
    events = golden_events()
    events.insert(1, {"v": 1, "seq": 2, "t": events[0]["t"], "type": "screen_blanked", "node": "river",
                      "seconds": 3.5})
    for number, event in enumerate(events[2:], 3):
        event["seq"] = number
    target = next(e for e in events if e["type"] == type_)
    change(target)
    record = s.read_session(write_events(tmp_path / "f.jsonl", events))
    assert record.is_session
    assert any(message in p and p.endswith("; the event was skipped") for p in record.problems), record.problems
    consume(tiny, record)


def test_a_bad_generator_state_does_not_crash_resume(tiny, tmp_path):
    path = spoiled(tmp_path / "rng.jsonl", "choice_made", lambda e: e.update(rng="not:hex"), which=1)
    fac = None
    try:
        fac = Facilitation.resume(tiny, path)
        assert any("choice_made.rng" in n for n in fac.notes)
        fac.view()  # the journey the class is back in can be shown and played on
        if not fac.ended:
            fac.open_vote()
    except s.SessionError as exc:
        assert "choice_made" in str(exc) or "replay" in str(exc)
    finally:
        if fac is not None:
            fac.close()


def test_settings_groups_infinity_does_not_crash_resume(tiny, tmp_path):
    events = golden_events()
    lines = [json.dumps(e) for e in events]
    lines[0] = lines[0].replace('"groups": 0', '"groups": Infinity')
    path = tmp_path / "groups.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(s.SessionError, match="not a session record"):
        Facilitation.resume(tiny, path)


def huge_cash_record(path: Path) -> Path:
    events = golden_events()
    events[0]["story"]["resources"]["cash"].update(min=None, max=None)
    for event in events:
        if isinstance(event.get("vars"), dict):
            event["vars"]["cash"] = 1e22
    return write_events(path, events)


def _report_size(paths: list[str], out: str) -> int:
    write_report([Path(p) for p in paths], Path(out))
    return Path(out).stat().st_size


def test_cash_of_1e22_with_no_minimum_does_not_make_the_report_run_out_of_memory(tmp_path):
    path = huge_cash_record(tmp_path / "rich.jsonl")
    status, value, _ = in_child(_report_size, [str(path)], str(tmp_path / "r.html"), seconds=10)
    assert status == "ok", value
    record = s.read_session(path)
    assert any("node_shown.vars['cash'] is out of range" in p for p in record.problems)


@pytest.mark.parametrize("lo, hi", [(1e22, 1e22), (1e15, 1e15), (-1e15, 1e15), (0, 0), (1e300, 1e300),
                                    (5.0, 5.0 + 1e-12), (-3.0, -3.0)])
def test_the_chart_axis_always_ends(lo, hi):
    status, value, _ = in_child(_nice_range, lo, hi, seconds=5)
    assert status == "ok", value
    start, end, ticks = value
    assert 2 <= len(ticks) <= 12 and start <= lo and end >= hi and end > start


# --------------------------------------------------------------------------- a BOM, a FIFO, /dev/zero


def test_a_gap_is_reported_only_when_the_skipped_lines_do_not_explain_it(tmp_path):
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    lines[2] = "garbage"            # event 3: one line, one problem
    del lines[5:7]                  # events 6 and 7 gone without a trace
    path = tmp_path / "gap.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert s.read_session(path).problems == ["line 3 is damaged (not a JSON object); it was skipped",
                                             "events 6-7 are missing before line 6"]


def test_thousands_of_bad_lines_are_fifty_problem_lines_and_a_count(tmp_path):
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines[:5] + ["garbage"] * 5000 + lines[5:]) + "\n", encoding="utf-8")
    record = s.read_session(path)
    assert record.is_session and len(record.events) == len(lines)
    assert len(record.problems) == s.MAX_PROBLEMS + 1
    assert record.problems[-1] == f"… and {5000 - s.MAX_PROBLEMS:,} more problems like these"


def test_a_byte_order_mark_at_the_start_is_accepted(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + GOLDEN.read_bytes())
    record = s.read_session(path)
    assert record.is_session and record.problems == [] and len(record.events) == len(golden_events())


def _read_problems(path: str) -> tuple[bool, list[str]]:
    record = s.read_session(Path(path))
    return record.is_session, record.problems


def _report_skips(path: str, out: str) -> list[tuple[str, str]]:
    loaded, _ = write_report([Path(path)], Path(out))
    return loaded.skipped


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_session_that_is_a_fifo_or_dev_zero_is_refused_at_once(tmp_path, kind):
    path = tmp_path / "odd.jsonl"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero here")
        path.symlink_to("/dev/zero")
    status, value, took = in_child(_read_problems, str(path))
    assert status == "ok", value
    is_session, problems = value
    assert not is_session and len(problems) == 1 and took < 1.0
    assert ("named pipe" if kind == "fifo" else "device") in problems[0]
    status, skipped, took = in_child(_report_skips, str(path), str(tmp_path / "r.html"))
    assert status == "ok" and [name for name, _ in skipped] == ["odd.jsonl"] and took < 1.0


def test_resume_and_replay_of_a_fifo_end_with_one_message(tiny, tmp_path, capsys):
    from game.cli import main

    path = tmp_path / "pipe.jsonl"
    os.mkfifo(path)

    def resume() -> str:
        try:
            Facilitation.resume(tiny, path)
        except s.SessionError as exc:
            return str(exc)
        return "resumed"

    status, value, took = in_child(resume)
    assert status == "ok" and "not a session record" in value and took < 1.0
    status, code, took = in_child(main, ["play", "--story", str(tiny.root), "--replay", str(path), "--text"])
    assert status == "ok" and code == 1


def test_resume_last_skips_links_to_nowhere_and_fifos_in_the_sessions_folder(tmp_path):
    from game.cli.classroom import latest_session

    folder = s.sessions_dir()
    folder.mkdir(parents=True)
    real = folder / "20240101-090000-9B.jsonl"
    real.write_bytes(GOLDEN.read_bytes())
    os.utime(real, (1, 1))
    (folder / "20250101-090000-gone.jsonl").symlink_to(tmp_path / "deleted.jsonl")
    os.mkfifo(folder / "20250101-090001-pipe.jsonl")
    assert latest_session() == real


# --------------------------------------------------------------------------- reading never writes


def test_reading_reporting_and_replaying_never_change_a_damaged_record(tiny, tmp_path):
    path = spoiled(tmp_path / "d.jsonl", "vote_opened", lambda e: e.update(step="x"))
    with open(path, "ab") as handle:
        handle.write(b'{"v":1,"seq":12,"t":1.0,"type":"fac')  # a torn last line
    before = path.read_bytes()
    record = s.read_session(path)
    consume(tiny, record)
    write_report([path], tmp_path / "r.html", tmp_path / "v.csv")
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- properties


class Raw:
    """JSON text put into a line as it is: what json.dumps cannot write (too-long integers, deep nesting)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:30]!r}{'…' if len(self.text) > 30 else ''})"


RAW = st.sampled_from([Raw("Infinity"), Raw("-Infinity"), Raw("NaN"), Raw("1e999"), Raw("-1e999"),
                       Raw("9" * 5000), Raw("1" + "0" * 4000), Raw("[" * 100_000 + "]" * 100_000),
                       Raw("[" * 500 + "]" * 500), Raw('{"a":' * 300 + "1" + "}" * 300), Raw("1e22"),
                       Raw('"\\ud800"')])
SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-(10**40), max_value=10**40)
           | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([1e15, 1e16, -1e300, 1e308, 0.5])
           | st.text(max_size=20) | st.sampled_from(["", "0", "-1", "river", "market", "a" * 3000]))
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=6) | st.sampled_from(["0", "1", "cash", "index"]),
                                             inner, max_size=4), max_leaves=12) | RAW


def dumps(value: Any) -> str:
    """json.dumps, with each Raw spliced in as it is."""
    raws: list[str] = []

    def swap(v: Any) -> Any:
        if isinstance(v, Raw):
            raws.append(v.text)
            return f"@RAW{len(raws) - 1}@"
        if isinstance(v, list):
            return [swap(x) for x in v]
        if isinstance(v, dict):
            return {k: swap(x) for k, x in v.items()}
        return v

    text = json.dumps(swap(value), ensure_ascii=False)
    for i, raw in enumerate(raws):
        text = text.replace(f'"@RAW{i}@"', raw)
    return text


def field_paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place inside ``value`` a value sits: keys of mappings and indices of lists, depth first."""
    places = []
    if isinstance(value, dict):
        for key, inner in value.items():
            places.append((*prefix, key))
            places.extend(field_paths(inner, (*prefix, key)))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            places.append((*prefix, i))
            places.extend(field_paths(inner, (*prefix, i)))
    return places


def put(value: Any, place: tuple, new: Any) -> None:
    for step in place[:-1]:
        value = value[step]
    value[place[-1]] = new


EVENT_PLACES = [(i, place) for i, event in enumerate(golden_events()) for place in field_paths(event)]
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(where=st.sampled_from(EVENT_PLACES), value=JSON_VALUES)
def test_any_json_in_any_field_of_any_event_is_used_or_refused_never_a_crash(tiny, tmp_path, where, value):
    line, place = where
    events: list[Any] = golden_events()
    put(events[line], place, value)
    path = tmp_path / "prop.jsonl"
    path.write_text("".join(dumps(e) + "\n" for e in events), encoding="utf-8", errors="surrogatepass")
    record = s.read_session(path)
    assert len(record.events) + len(record.problems) >= 1
    consume(tiny, record)


@PROPERTY
@given(data=st.binary(max_size=400) | st.builds(lambda head, tail: head + GOLDEN.read_bytes()[:tail] + head,
                                                 st.binary(max_size=8), st.integers(0, 3000)))
def test_any_bytes_as_a_session_record_are_used_or_refused(tiny, tmp_path, data):
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(data)
    record = s.read_session(path)
    assert record.is_session or record.problems
    consume(tiny, record)



NASTY = [None, "x", -1, 1e22, {"0": "x"}, Raw("Infinity")]


def test_every_field_of_every_event_in_turn_holds_each_nasty_value(tmp_path):
    """Every place in the golden record, not a sample: read, then the report and the transcript (in memory)."""
    path = tmp_path / "sweep.jsonl"
    for line, place in EVENT_PLACES:
        for value in NASTY:
            events: list[Any] = golden_events()
            put(events[line], place, value)
            path.write_text("".join(dumps(e) + "\n" for e in events), encoding="utf-8")
            record = s.read_session(path)
            assert record.events or record.problems
            render_html(load_sessions([path]))
            if record.is_session:
                print_session(None, record, io.StringIO())
