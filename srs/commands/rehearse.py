"""``srs rehearse``: tell a story out loud, one STAR step at a time, against the clock.

On a terminal each step ends with one keypress while a status line redraws the elapsed time
against the step's target; the terminal is put in cbreak mode for that and restored however
the command ends (q, Ctrl-C, an error). When standard input is not a terminal, one line ends
each step, so rehearsals can be scripted and tested with the clock pinned by ``SRS_NOW``.
"""

from __future__ import annotations

import math
import os
import re
import select
import shutil
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from srs import names
from srs.commands.common import fail, home_option, level_option, load_deck, local_time, now, source_options
from srs.commands.study import say
from srs.rehearse import Cue, Plan, Rehearsal, StepTime, miss, plan, step_changes

if TYPE_CHECKING:
    from srs.scenario import Scenario

TREND = 5  # rehearsals shown in the trend, this one included
REDRAW = 0.25  # seconds between redraws of the live timer
BAR = 20  # cells in the live timer's bar, which fills at the step's target
NEXT = (" ", "\r", "\n")
QUIT = ("q", "Q", "\x03", "\x04")  # Ctrl-C and Ctrl-D arrive as keys when no signal is sent
_OVERRIDE = re.compile(r"\+(\d+(?:\.\d*)?)\Z")
_CLEAR = "\r\x1b[K"


@click.command()
@click.argument("scenario_id")
@level_option("Hold the story to this level's time budget (SDE1, SDE2, Senior SDE, Principal SDE "
              "or an alias such as L6); default: the story's own level.")
@click.option("--show-example", is_flag=True, help="Show each step's strong example too, not only its key phrases.")
@source_options
@home_option
def command(scenario_id: str, level: str | None, show_example: bool, sources: tuple[str, ...], no_builtin: bool,
            home: str | None) -> None:
    """Tell the story SCENARIO_ID out loud against the clock, one STAR step at a time.

    Each step shows its target time and its key phrases as cues; say the step in your own
    words, then press Space or Enter for the next one while a live timer shows the time
    elapsed against the target. At the end you get each step's time against its target, the
    total against the level's budget (the story's calibration for --level or its own level;
    without one, the sum of the step targets) and the trend over your earlier rehearsals of
    the story. The rehearsal is saved only when every step is done: q or Ctrl-C quits
    without saving anything.

    Scripting: when standard input is not a terminal, each line ends a step, and q or the
    end of input quits. A step's time is the clock's time between the lines; a line
    '+SECONDS' such as +35 or +12.5 gives it instead (needed when SRS_NOW pins the clock,
    since then every other line reads as 0 s):

    \b
        printf '+35\\n+18\\n+95\\n+30\\n+20\\n' | srs rehearse SCENARIO_ID
    """
    from srs.home import data_home
    from srs.store import Store, StoreError

    deck = load_deck(sources=sources, no_builtin=no_builtin)
    story = plan(_find(deck.scenarios, scenario_id, own=bool(sources or os.environ.get("SRS_SOURCE"))), level)
    try:
        store = Store.open(data_home(home))
    except StoreError as err:
        fail(str(err))
    with store, _pacer() as pace:
        _intro(story, pace.hint)
        told = _tell(story, pace, show_example)
        if told is None:
            say("Quit: nothing saved.", fg="yellow")
            return
        started, seconds = told
        steps = tuple(StepTime(cue.step, took, cue.target_seconds) for cue, took in zip(story.cues, seconds))
        store.add_rehearsal(Rehearsal(story.scenario, story.level, started, steps, story.budget))
        _report(story, store.rehearsals(story.scenario, TREND))


def _find(scenarios: tuple[Scenario, ...], wanted: str, own: bool) -> Scenario:
    """The scenario with id ``wanted``; else exit 1 naming the ids it might have meant.

    ``own`` says whether any source beyond the bundled decks was given: without one, a story
    of the user's own cannot be found, which is the likeliest reason for a miss.
    """
    for scenario in scenarios:
        if scenario.id == wanted:
            return scenario
    if os.path.isfile(wanted):
        ident = _declared_id(wanted)
        fail(f"'{wanted}' is a file: give the id of the story in it and the file as a source, as in "
             f"srs rehearse {ident or 'STORY-ID'} --source {wanted}")
    if not scenarios:
        fail(f"no scenario '{wanted}': no scenarios are loaded (give --source PATH, or drop --no-builtin)")
    ids = sorted(s.id for s in scenarios)
    close = [i for i in ids if wanted.lower() in i] or list(filter(None, [names.nearest(wanted.lower(), ids)]))
    if close:
        fail(f"no scenario '{wanted}'; did you mean {' or '.join(repr(i) for i in close[:3])}?")
    if not own:
        fail(f"no scenario '{wanted}' in the bundled decks; for a story of your own, add the folder or file it "
             "is in: --source PATH (or set SRS_SOURCE)")
    fail(f"no scenario '{wanted}'. The loaded scenarios are: {', '.join(ids)}")


def _declared_id(path: str) -> str | None:
    """The story id the file ``path`` declares, if it can be read that far."""
    from srs import yamlfile
    from srs.scenario import declared_id

    node, _ = yamlfile.read(Path(path), path)
    declared = declared_id(node) if node is not None else None
    return declared[0] if declared else None


# --- timing -------------------------------------------------------------------------------

Finish = tuple[datetime, float]  # when the step ended, and how many seconds it took


class Lines:
    """One line per step from a script or a pipe; no timer is drawn."""

    hint = "One line ends each step ('+SECONDS' gives its length); q quits without saving."

    def ready(self) -> bool:
        return True

    def step(self, target: int, since: datetime) -> Finish | None:
        while True:
            line = sys.stdin.readline()
            text = line.strip().lower()
            if not line or text == "q":
                return None
            at = now()
            if not text.startswith("+"):
                return at, (at - since).total_seconds()
            given = _OVERRIDE.match(text)
            if given:
                return at, float(given[1])
            say(f"{text!r}: write '+' and the step's length in seconds (e.g. +35), any other line "
                "for the clock's time, or q to quit.", fg="yellow")


class Keys:
    """Single keypresses from a terminal in cbreak mode, redrawing a timer while it waits."""

    hint = "Press Space or Enter when you finish a step; q quits without saving."

    def __init__(self, fd: int, live: bool) -> None:
        self.fd = fd
        self.live = live  # standard output is a terminal too, so the status line can be redrawn
        self.pending = ""

    def key(self, timeout: float | None) -> str | None:
        """The next key typed, or None after ``timeout`` seconds; end of input reads as q."""
        if not self.pending:
            if not select.select([self.fd], [], [], timeout)[0]:
                return None
            self.pending = os.read(self.fd, 64).decode(errors="replace") or "q"
        key, self.pending = self.pending[0], self.pending[1:]
        return key

    def ready(self) -> bool:
        say("Press Space or Enter to start.", dim=True)
        while True:
            key = self.key(None)
            if key in QUIT or key in NEXT:
                return key in NEXT

    def step(self, target: int, since: datetime) -> Finish | None:
        while True:
            if self.live:
                self.draw((now() - since).total_seconds(), target)
            key = self.key(REDRAW if self.live else None)
            if key in QUIT or key in NEXT:
                at = now()
                if self.live:
                    _control(_CLEAR)
                return (at, (at - since).total_seconds()) if key in NEXT else None

    def draw(self, elapsed: float, target: int) -> None:
        """The status line, redrawn in place, red once over the target."""
        _control(_CLEAR)
        say(_status(elapsed, target, shutil.get_terminal_size().columns), nl=False,
            fg="red" if miss(_whole(elapsed), target) > 0 else None)


def _status(elapsed: float, target: int, columns: int) -> str:
    """A bar that fills at the target, elapsed / target, and how far over, in under ``columns``
    characters: a line that wrapped could no longer be redrawn in place, so the bar gives way."""
    over = miss(_whole(elapsed), target)
    late = f"  +{_whole(over)} s" if over > 0 else ""
    times = f" {_clock(elapsed)} / {_clock(target)}{late}"
    cells = max(0, min(BAR, columns - 3 - len(times)))
    filled = min(cells, int(cells * elapsed / target))
    return f"  {'█' * filled}{'░' * (cells - filled)}{times}"


def _control(sequence: str) -> None:
    """A terminal control sequence, written as is: ``say`` drops escape codes under NO_COLOR."""
    sys.stdout.write(sequence)
    sys.stdout.flush()


@contextmanager
def _pacer() -> Iterator[Lines | Keys]:
    """Keys on a terminal (in cbreak mode until the block exits, however it exits), else Lines."""
    if sys.platform == "win32" or not sys.stdin.isatty():  # Windows has no termios: Enter ends a step there
        yield Lines()
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    live = sys.stdout.isatty()
    try:
        tty.setcbreak(fd)
        if live:
            _control("\x1b[?25l")  # hide the cursor under the timer
        yield Keys(fd, live)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        if live:
            _control("\x1b[?25h")


def _tell(story: Plan, pace: Lines | Keys, show_example: bool) -> tuple[datetime, list[float]] | None:
    """When the telling started and each step's seconds; None if the user quit."""
    try:
        if not pace.ready():
            return None
        started = since = now()
        seconds = []
        for number, cue in enumerate(story.cues, 1):
            _show(cue, number, len(story.cues), show_example)
            finish = pace.step(cue.target_seconds, since)
            if finish is None:
                return None
            since, took = finish
            seconds.append(took)
            _step_line(took, cue.target_seconds)
    except KeyboardInterrupt:
        say()
        return None
    return started, seconds


# --- what the user sees -------------------------------------------------------------------

def _whole(seconds: float) -> int:
    """Seconds rounded half up, as every time is shown (and compared with its target)."""
    return math.floor(seconds + 0.5)


def _clock(seconds: float) -> str:
    minutes, rest = divmod(_whole(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _budget(budget: tuple[int, int]) -> str:
    low, high = budget
    return _clock(low) if low == high else f"{_clock(low)}–{_clock(high)}"


def _verdict(delta: float, inside: str = "on target") -> str:
    whole = _whole(delta)
    return inside if whole == 0 else f"{abs(whole)} s {'over' if whole > 0 else 'under'}"


def _tint(delta: float) -> str:
    whole = _whole(delta)
    return "green" if whole == 0 else "red" if whole > 0 else "yellow"


def _signed(seconds: float) -> str:
    whole = _whole(seconds)
    return f"{whole:+d} s" if whole else "±0 s"


def _intro(story: Plan, hint: str) -> None:
    say(f"Rehearse: {story.title}", bold=True)
    say(f"{story.scenario} · {story.lp} · {story.level or 'no level'} · budget {_budget(story.budget)} "
        f"({story.budget_from})", fg="cyan")
    beyond = miss(story.target_total, *story.budget)
    if beyond:
        say(f"The step targets add up to {_clock(story.target_total)}, {_verdict(beyond)} the budget: "
            + ("keep each step a little under its target." if beyond > 0 else "there is room for more detail."),
            fg="yellow")
    say(hint, dim=True)


def _show(cue: Cue, number: int, count: int, show_example: bool) -> None:
    say()
    say(f"{cue.step.capitalize()}  ·  step {number}/{count}  ·  target {_clock(cue.target_seconds)}", bold=True)
    for phrase in cue.key_phrases:
        say(f"  • {phrase}")
    if show_example:
        width = min(shutil.get_terminal_size().columns, 100) - 1
        say(textwrap.fill(cue.example or "(no example at this level)", width,
                          initial_indent="    ", subsequent_indent="    "), dim=True)


def _step_line(took: float, target: int) -> None:
    delta = miss(_whole(took), target)
    say(f"  {_clock(took)} / {_clock(target)}  {_verdict(delta)}", fg=_tint(delta))


def _report(story: Plan, history: list[Rehearsal]) -> None:
    """The step table and total of the telling just saved (``history[0]``), then the trend."""
    this = history[0]
    say()
    say(f"{'Step':<12}{'Time':>6}{'Target':>12}", bold=True)
    for step in this.steps:
        delta = miss(_whole(step.seconds), step.target_seconds)
        say(f"{step.step.capitalize():<12}{_clock(step.seconds):>6}{_clock(step.target_seconds):>12}  "
            f"{_verdict(delta)}", fg=_tint(delta))
    delta = miss(_whole(this.total), *this.budget)
    say(f"{'Total':<12}{_clock(this.total):>6}{_budget(this.budget):>12}  {_verdict(delta, 'within budget')}",
        fg=_tint(delta), bold=True)
    say(f"Budget: {story.budget_from}. Saved.", dim=True)
    say()
    if len(history) == 1:
        say("First rehearsal of this story: rehearse it again to see your trend.")
        return
    say(f"Last {len(history)} rehearsals of this story:", bold=True)
    for past in reversed(history):
        delta = miss(_whole(past.total), *past.budget)
        mark = "  ← this one" if past is this else ""
        say(f"  {local_time(past.started_at)}  {past.level or '-':<13} {_clock(past.total):>6}  "
            f"{_verdict(delta, 'within budget')}{mark}")
    changes = ", ".join(f"{step.capitalize()} {_signed(change)}" for step, change in step_changes(this, history[1]))
    say(f"Since last time: {changes}; total {_signed(this.total - history[1].total)}.")
