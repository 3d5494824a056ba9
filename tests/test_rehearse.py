"""``srs rehearse``: scripted tellings with a controlled clock, budgets, the stored rows, the trend,
quitting without saving, bad ids and levels, and the live timer on a real pseudo-terminal."""

from __future__ import annotations

import os
import re
import select
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from srs import rehearse
from srs.cli import main
from srs.rehearse import Rehearsal, StepTime

if sys.platform != "win32":
    import fcntl
    import termios

STORY = """\
id: ownership-webhook-rehearsal
lp: Ownership
title: Webhook drops nobody owned
{level}
steps:
  situation:
    target_seconds: 30
    example: Payment webhooks dropped 0.3% of events and no team owned the alert.
    key_phrases: [no team owned the alert]
  task:
    target_seconds: 20
    example: The service was not mine; I decided to find the cause before the sale.
    key_phrases: [the service was not mine]
  action:
    target_seconds: 90
    example: I traced the drops to a retry race, I wrote the fix and I added an alert.
    key_phrases: [I traced the drops to a retry race, I added an alert]
  result:
    target_seconds: 30
    example: Drops went from 0.3% to zero and we recovered $8,000 a week.
    key_phrases: [from 0.3% to zero]
  reflection:
    target_seconds: 20
    example: I reproduce a race locally before I trust a fix.
    key_phrases: [reproduce a race locally]
    by_level:
      Senior SDE: I now make every team's retries idempotent by default in the service template.
levels:
  - level: SDE2
    focus: Fix it end to end.
    bar: The fix and the alert.
    target_seconds: 180
  - level: Senior SDE
    focus: Fix the class of bug.
    bar: The template change.
    target_seconds: [150, 200]
  - level: Principal SDE
    focus: Change how teams own alerts.
    bar: Org-wide ownership.
    target_seconds: [200, 240]
"""
ID = "ownership-webhook-rehearsal"
TIMES = "+35\n+18\n+90\n+30.4\n+20\n"  # 193.4 s against targets 30, 20, 90, 30, 20 (190 s)
NOW = "2026-11-02T09:00:00Z"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data home, the story as the only source, the clock pinned and local time in UTC."""
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "story.yaml").write_text(STORY.format(level="level: SDE2"), encoding="utf-8")
    monkeypatch.delenv("SRS_SOURCE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("SRS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SRS_NOW", NOW)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield tmp_path
    monkeypatch.undo()
    time.tzset()


def run(env: Path, script: str, *args: str, now: str | None = None) -> Result:
    """``srs rehearse`` on the test story, reading ``script`` as its standard input."""
    extra = {"SRS_NOW": now} if now else None
    result = CliRunner().invoke(main, ["rehearse", ID, *args, "--no-builtin", "--source", str(env / "stories")],
                                input=script, env=extra)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def rows(env: Path, sql: str) -> list[tuple]:
    path = env / "home" / "srs.db"
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def table(output: str) -> list[str]:
    """The result table: the header line through the Total line."""
    lines = output.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Step ")))
    end = lines.index(next(line for line in lines if line.startswith("Total ")))
    return [" ".join(line.split()) for line in lines[start:end + 1]]


# --- the plan and the arithmetic ----------------------------------------------------------

def test_miss_is_signed_distance_outside_the_budget() -> None:
    assert rehearse.miss(35, 30) == 5
    assert rehearse.miss(18, 20) == -2
    assert rehearse.miss(30, 30) == 0
    assert rehearse.miss(170, 150, 200) == 0
    assert rehearse.miss(210, 150, 200) == 10
    assert rehearse.miss(140, 150, 200) == -10


def test_step_changes_compare_the_steps_both_tellings_had() -> None:
    at = datetime(2026, 11, 2, tzinfo=timezone.utc)
    before = Rehearsal(ID, None, at, (StepTime("situation", 40, 30), StepTime("action", 80, 90)), (120, 120))
    now = Rehearsal(ID, None, at, (StepTime("situation", 31, 30), StepTime("task", 20, 20),
                                   StepTime("action", 95.5, 90)), (140, 140))
    assert rehearse.step_changes(now, before) == (("situation", -9), ("action", 15.5))
    assert now.total == 146.5


# --- scripted rehearsals ------------------------------------------------------------------

def test_scripted_rehearsal_times_each_step_against_its_target(env: Path) -> None:
    result = run(env, TIMES)
    assert result.exit_code == 0, result.output
    assert "ownership-webhook-rehearsal · Ownership · SDE2 · budget 3:00 (the SDE2 calibration)" in result.output
    assert ("The step targets add up to 3:10, 10 s over the budget: keep each step a little under its target."
            in result.output)
    assert "Situation  ·  step 1/5  ·  target 0:30" in result.output
    assert "  • I traced the drops to a retry race" in result.output
    assert "Payment webhooks dropped" not in result.output  # cues only: the user tells the story
    assert table(result.output) == [
        "Step Time Target",
        "Situation 0:35 0:30 5 s over",
        "Task 0:18 0:20 2 s under",
        "Action 1:30 1:30 on target",
        "Result 0:30 0:30 on target",
        "Reflection 0:20 0:20 on target",
        "Total 3:13 3:00 13 s over",
    ]
    assert "First rehearsal of this story" in result.output


@pytest.mark.parametrize(("level", "shown", "advice", "total"), [
    ("senior", "Senior SDE · budget 2:30–3:20 (the Senior SDE calibration)", None,
     "Total 3:13 2:30–3:20 within budget"),
    ("L7", "Principal SDE · budget 3:20–4:00 (the Principal SDE calibration)",
     "The step targets add up to 3:10, 10 s under the budget: there is room for more detail.",
     "Total 3:13 3:20–4:00 7 s under"),
    ("SDE1", "SDE1 · budget 3:10 (the sum of the step targets; this story has no SDE1 calibration)", None,
     "Total 3:13 3:10 3 s over"),
])
def test_total_is_held_to_the_levels_budget(env: Path, level: str, shown: str, advice: str | None,
                                            total: str) -> None:
    result = run(env, TIMES, "--level", level)
    assert result.exit_code == 0, result.output
    assert shown in result.output
    assert ("The step targets add up" in result.output) == bool(advice)
    assert advice is None or advice in result.output
    assert table(result.output)[-1] == total


def test_a_story_without_a_level_is_held_to_the_sum_of_its_step_targets(env: Path) -> None:
    (env / "stories" / "story.yaml").write_text(STORY.format(level=""), encoding="utf-8")
    result = run(env, "+60\n+20\n+90\n+30\n+20\n")
    assert "no level · budget 3:10 (the sum of the step targets)" in result.output
    assert table(result.output)[-1] == "Total 3:40 3:10 30 s over"
    assert rows(env, "SELECT level, budget_low, budget_high FROM rehearsals") == [(None, 190, 190)]


def test_show_example_shows_the_example_at_the_chosen_level(env: Path) -> None:
    result = run(env, TIMES, "--level", "Senior SDE", "--show-example")
    assert "    Payment webhooks dropped 0.3% of events" in result.output
    assert "idempotent by default" in result.output
    assert "I reproduce a race locally" not in result.output


def test_each_line_ends_a_step_at_the_clocks_time_unless_it_gives_one(env: Path) -> None:
    result = run(env, "+35\nnext\n\n+abc\n+30\nsure\n")
    assert "'+abc': write '+' and the step's length in seconds" in result.output
    assert table(result.output)[1:6] == [
        "Situation 0:35 0:30 5 s over",
        "Task 0:00 0:20 20 s under",  # the clock is pinned, so a plain line takes no time
        "Action 0:00 1:30 90 s under",
        "Result 0:30 0:30 on target",
        "Reflection 0:00 0:20 20 s under",
    ]


def test_the_clock_is_read_at_each_step_boundary(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unpinned, the real clock times a piped script: a step answered after 0.6 s took 0:01 or more."""
    monkeypatch.delenv("SRS_NOW")
    child = subprocess.Popen([sys.executable, "-m", "srs", "rehearse", ID, "--no-builtin",
                              "--source", str(env / "stories")],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdin is not None and child.stdout is not None
    shown = ""
    while (line := child.stdout.readline()) and "no team owned the alert" not in line:
        shown += line  # until the first step is on screen and its clock running
    time.sleep(0.6)
    child.stdin.write("go\n")
    child.stdin.flush()
    output, errors = child.communicate("\n\n\n\n", timeout=20)
    assert child.returncode == 0, errors
    assert "target 0:30" in shown
    assert re.fullmatch(r"Situation 0:0[1-9] 0:30 2[1-9] s under", table(output)[1])
    (seconds,), = rows(env, "SELECT seconds FROM rehearsal_steps WHERE step = 'situation'")
    assert 0.6 <= seconds < 10


def test_a_finished_rehearsal_is_stored_with_its_steps(env: Path) -> None:
    run(env, TIMES, "--level", "Senior SDE")
    assert rows(env, "SELECT scenario, level, started_at, total_seconds, budget_low, budget_high "
                     "FROM rehearsals") == [(ID, "Senior SDE", "2026-11-02T09:00:00.000000Z", 193.4, 150, 200)]
    assert rows(env, "SELECT step, seconds, target_seconds FROM rehearsal_steps ORDER BY rowid") == [
        ("situation", 35.0, 30), ("task", 18.0, 20), ("action", 90.0, 90), ("result", 30.4, 30),
        ("reflection", 20.0, 20)]


@pytest.mark.parametrize("script", ["+35\nq\n", "+35\n+18\n+90\n+30\nQ\n", "+35\n+18\n", ""])
def test_quitting_or_running_out_of_lines_saves_nothing(env: Path, script: str) -> None:
    result = run(env, script)
    assert result.exit_code == 0
    assert "Quit: nothing saved." in result.output
    assert "Total" not in result.output
    assert rows(env, "SELECT count(*) FROM rehearsals") in ([], [(0,)])
    assert rows(env, "SELECT count(*) FROM rehearsal_steps") in ([], [(0,)])


def test_trend_shows_the_last_totals_and_each_steps_change(env: Path) -> None:
    run(env, "+50\n+30\n+120\n+40\n+25\n", now="2026-11-02T09:00:00Z")
    second = run(env, "+40\n+25\n+100\n+35\n+20\n", "--level", "L6", now="2026-11-03T09:00:00Z")
    assert "Last 2 rehearsals of this story:" in second.output
    third = run(env, "+35\n+18\n+90\n+30.4\n+20\n", now="2026-11-04T09:00:00Z").output
    trend = third[third.index("Last 3 rehearsals"):].splitlines()
    assert [" ".join(line.split()) for line in trend] == [
        "Last 3 rehearsals of this story:",
        "Mon 02 Nov 09:00 SDE2 4:25 85 s over",
        "Tue 03 Nov 09:00 Senior SDE 3:40 20 s over",
        "Wed 04 Nov 09:00 SDE2 3:13 13 s over ← this one",
        "Since last time: Situation -5 s, Task -7 s, Action -10 s, Result -5 s, Reflection ±0 s; total -27 s.",
    ]
    for day in range(5, 8):  # the trend keeps the last five
        run(env, TIMES, now=f"2026-11-0{day}T09:00:00Z")
    latest = run(env, TIMES, now="2026-11-08T09:00:00Z").output
    assert "Last 5 rehearsals" in latest and "Tue 03 Nov" not in latest and "Wed 04 Nov" in latest
    assert rows(env, "SELECT count(*) FROM rehearsals") == [(7,)]
    backdated = run(env, "+60\n+20\n+90\n+30\n+20\n", now="2026-10-01T09:00:00Z").output
    assert table(backdated)[-1] == "Total 3:40 3:00 40 s over"  # the telling just done, whatever its stamp
    assert backdated.splitlines()[-2].split() == ["Thu", "01", "Oct", "09:00", "SDE2", "3:40", "40", "s", "over",
                                                  "←", "this", "one"]


# --- bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize(("wanted", "hint"), [
    ("ownership-webhook", "did you mean 'ownership-webhook-rehearsal'?"),
    ("ownership-webhook-rehersal", "did you mean 'ownership-webhook-rehearsal'?"),
    ("frugality", "The loaded scenarios are: ownership-webhook-rehearsal"),
])
def test_an_unknown_scenario_suggests_the_nearest_id(env: Path, wanted: str, hint: str) -> None:
    result = CliRunner().invoke(main, ["rehearse", wanted, "--no-builtin", "--source", str(env / "stories")],
                                input=TIMES)
    assert result.exit_code == 1
    assert f"no scenario '{wanted}'" in result.output and hint in result.output
    assert "Traceback" not in result.output
    assert not (env / "home" / "srs.db").exists()


def test_a_story_of_your_own_without_its_source_says_to_add_it(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(main, ["rehearse", "my-cache-story"], input=TIMES)
    assert (result.exit_code, result.output) == (1, "no scenario 'my-cache-story' in the bundled decks; for a story "
                                                    "of your own, add the folder or file it is in: --source PATH "
                                                    "(or set SRS_SOURCE)\n")
    # The file itself, given in place of the id, is answered with the command to type.
    monkeypatch.chdir(env)
    result = CliRunner().invoke(main, ["rehearse", "stories/story.yaml"], input=TIMES)
    assert (result.exit_code, result.output) == (1, "'stories/story.yaml' is a file: give the id of the story in "
                                                    f"it and the file as a source, as in srs rehearse {ID} --source "
                                                    "stories/story.yaml\n")
    assert not (env / "home" / "srs.db").exists()


def test_an_unknown_level_suggests_the_nearest(env: Path) -> None:
    result = run(env, TIMES, "--level", "Senoir SDE")
    assert result.exit_code == 2
    assert "unknown level 'Senoir SDE'; did you mean 'Senior SDE'?" in result.output
    assert not (env / "home" / "srs.db").exists()


def test_a_bundled_story_rehearses_by_default(env: Path) -> None:
    result = CliRunner().invoke(main, ["rehearse", "dive-deep-p99-cpu-throttling"], input=TIMES)
    assert result.exit_code == 0, result.output
    assert "Dive Deep · SDE2" in result.output and "Total" in result.output


def test_the_live_status_line_fits_a_narrow_terminal() -> None:
    """A status line that wrapped could not be redrawn in place: the bar gives way instead."""
    from srs.commands.rehearse import _status

    assert _status(12, 30, 80) == "  ████████░░░░░░░░░░░░ 0:12 / 0:30"
    assert _status(45, 30, 80) == "  ████████████████████ 0:45 / 0:30  +15 s"
    assert _status(45, 30, 32) == "  ██████████ 0:45 / 0:30  +15 s"
    assert all(len(_status(725, 30, columns)) < columns for columns in (30, 40, 60))
    assert _status(725, 30, 20) == "   12:05 / 0:30  +695 s"  # no room for a bar at all


# --- a real terminal ----------------------------------------------------------------------

class Terminal:
    """``srs rehearse`` in a pseudo-terminal that is its controlling terminal, as in a shell."""

    def __init__(self, env: Path, **environ: str) -> None:
        import pty

        self.master, self.slave = pty.openpty()  # the test keeps the slave open to read its modes
        environ = {**{k: v for k, v in os.environ.items() if k != "SRS_NOW"}, **environ}
        self.child = subprocess.Popen(
            [sys.executable, "-m", "srs", "rehearse", ID, "--no-builtin", "--source", str(env / "stories")],
            stdin=self.slave, stdout=self.slave, stderr=self.slave, env=environ, start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))  # so Ctrl-C sends SIGINT
        self.output = ""

    def expect(self, pattern: str, timeout: float = 10) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while not (found := re.search(pattern, self.output)):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.master], [], [], left)[0]:
                raise AssertionError(f"never saw {pattern!r} in:\n{self.output}")
            self.output += os.read(self.master, 4096).decode(errors="replace")
        return found

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def canonical(self) -> bool:
        """Whether the terminal is in its normal line mode (canonical input, echo on)."""
        lflag = termios.tcgetattr(self.slave)[3]
        return bool(lflag & termios.ICANON) and bool(lflag & termios.ECHO)

    def wait(self) -> int:
        """Wait for the command to end and read the rest of what it wrote; its exit status."""
        status = self.child.wait(timeout=10)
        while select.select([self.master], [], [], 0.1)[0]:
            self.output += os.read(self.master, 4096).decode(errors="replace")
        return status

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.child.poll() is None:
            self.child.kill()
            self.child.wait()
        os.close(self.master)
        os.close(self.slave)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize("stop", ["finish", "ctrl-c"])
def test_live_timer_on_a_terminal_and_the_terminal_restored(env: Path, stop: str) -> None:
    """Finishing runs under NO_COLOR: colours go, but the control sequences of the timer stay."""
    with Terminal(env, **({"NO_COLOR": "1"} if stop == "finish" else {})) as term:
        term.expect("Press Space or Enter to start")
        assert not term.canonical()  # single keypresses: cbreak mode
        term.send(" ")
        term.expect(r"target 0:30")
        term.expect(r"\r\x1b\[K  ░+ 0:0[1-9] / 0:30")  # the status line, redrawn as time passes
        assert term.output.count("/ 0:30") >= 3
        if stop == "ctrl-c":
            term.send("\x03")
            term.expect("Quit: nothing saved.")
        else:
            term.send("\r")  # Enter, as the terminal sends it
            term.expect(r"target 0:20")
            term.send("    ")  # the other steps, a keypress each
            term.expect(r"Since|First rehearsal")
        assert term.wait() == 0
        assert term.canonical()
    assert term.output.endswith("\x1b[?25h")  # the cursor is shown again
    saved = rows(env, "SELECT seconds FROM rehearsal_steps ORDER BY rowid")
    if stop == "ctrl-c":
        assert saved == []
    else:
        assert "\x1b[3" not in term.output and "\x1b[1m" not in term.output
        assert re.search(r"Situation\s+0:0[1-9]\s+0:30", term.output)
        assert len(saved) == 5 and 0.5 <= saved[0][0] < 10
