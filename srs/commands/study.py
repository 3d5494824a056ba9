"""The terminal side of a study session, shared by ``srs review`` and ``srs drill``.

On a terminal every choice is one keypress. When standard input is not a terminal it reads
one answer per line, so sessions can be scripted: a rating (1–4 or again/hard/good/easy),
an option letter on a multiple-choice card, ``u`` to undo, ``q`` to quit; end of input
quits too. Nothing typed ever crashes it: unknown input gets a hint and the question again.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
import time
from datetime import timedelta

import click

from srs.commands.common import local_time
from srs.names import LABELS, counted
from srs.schedule import RATINGS, format_interval
from srs.session import Session
from srs.store import StoredCard, StoreError

WORDS = {name.lower(): number for number, name in RATINGS.items()}
HINT = "Answer 1–4 (again, hard, good, easy), u to undo, q to quit."
MCQ_HINT = "Answer with an option letter (or rate 1–4), u to undo, q to quit."


def _color() -> bool | None:
    return False if os.environ.get("NO_COLOR") else None


def say(text: str = "", nl: bool = True, err: bool = False, **style: object) -> None:
    click.echo(click.style(text, **style) if style else text, nl=nl, err=err, color=_color())


class Input:
    """Single keypresses on a terminal, whole lines otherwise (end of input reads as ``q``)."""

    def __init__(self, err: bool = False) -> None:
        self.interactive = sys.stdin.isatty()
        self.err = err  # prompts go to stderr, e.g. when stdout carries JSON

    def read(self, prompt: str) -> str:
        if self.interactive:
            say(prompt, err=self.err, dim=True)
            try:
                key = click.getchar()
            except (EOFError, KeyboardInterrupt):
                return "q"
            return "q" if key in ("\x03", "\x04") else key.strip().lower() or "\n"
        line = sys.stdin.readline()
        return line.strip().lower() if line else "q"


# What a card's header may show before the answer: for these kinds the LP (and for phrase
# cards the step) is what is being asked, so it would give the answer away.
_HIDDEN = {"phrase-lp": ("lp", "step"), "mcq": ("lp",)}


def header(card: StoredCard, answered: bool = False) -> str:
    hidden = () if answered else _HIDDEN.get(card.kind, ())
    parts = [getattr(card, name) for name in ("lp", "kind", "step", "difficulty", "level")
             if name not in hidden or name == "kind"]
    return " · ".join(filter(None, parts))


def wrapped(text: str, indent: str = "", hang: str = "") -> str:
    """``text`` after ``indent`` (an option letter, a bullet), wrapped to the terminal's width (at most
    100 columns) when printing to a terminal; wrapped lines line up under the text, ``hang`` further in."""
    if not sys.stdout.isatty():
        return indent + text
    width = min(shutil.get_terminal_size().columns, 100)
    following = " " * len(indent) + hang
    return "\n".join(textwrap.fill(line, width, initial_indent=indent, subsequent_indent=following)
                     for line in text.splitlines() or [""])


def show_front(card: StoredCard, position: str, answered: bool = False) -> None:
    """The question side; ``answered`` (for `srs show`) lets the header name every category."""
    content = card.content
    say()
    say(f"{position} {header(card, answered)}", fg="cyan")
    say(wrapped(content["prompt"]), dim=True)
    say(wrapped(content["front"]), bold=True)
    for label, option in zip(LABELS, content["options"]):
        say(wrapped(option, f"  {label}. "))


def show_back(card: StoredCard) -> None:
    content = card.content
    say(wrapped(content["back"]), fg="green", bold=True)
    for detail in content["details"]:
        lines = detail["lines"]
        if len(lines) == 1:
            say(wrapped(f"{detail['label']}: {lines[0]}", hang="  "))
        else:
            say(f"{detail['label']}:")
            for line in lines:
                say(wrapped(line, "  • "))


def _rating(key: str) -> int | None:
    if key in ("1", "2", "3", "4"):
        return int(key)
    return WORDS.get(key)


def _buttons(previews: dict[int, timedelta]) -> str:
    return "  ".join(f"{n} {RATINGS[n]} ({format_interval(previews[n])})" for n in RATINGS)


def ask(card: StoredCard, session: Session, keys: Input) -> int | str:
    """The user's rating for ``card`` (1–4), or "u" / "q"."""
    options = card.content["options"]
    previews = session.previews(card) if session.mode != "cram" else {}
    if options:
        labels = LABELS[: len(options)].lower()
        while True:
            key = keys.read(f"Your answer ({labels[0].upper()}–{labels[-1].upper()}), u undo, q quit")
            if key in ("u", "q"):
                return key
            if len(key) == 1 and key in labels:
                right = card.content["answer"]
                chosen = labels.index(key)
                if chosen == right:
                    say("✓ Correct", fg="green", bold=True)
                else:
                    say(f"✗ You chose {LABELS[chosen]}; the answer is:", fg="red", bold=True)
                show_back(card)
                return 3 if chosen == right else 1
            if _rating(key):
                show_back(card)
                return _rating(key)
            say(MCQ_HINT, fg="yellow")
    revealed = False
    while True:
        if keys.interactive and not revealed:
            key = keys.read("Space: show the answer · 1–4 rate · u undo · q quit")
            if key in (" ", "\n", "\r"):
                show_back(card)
                revealed = True
                continue
        else:
            key = keys.read(_buttons(previews) if previews else "1–4 rate · u undo · q quit")
        if key in ("u", "q"):
            return key
        rating = _rating(key)
        if rating:
            if not revealed:
                show_back(card)
            return rating
        say(HINT, fg="yellow")


def run(session: Session, title: str) -> None:
    """Study until the session runs out of cards or the user quits; then print a summary."""
    keys = Input()
    say(title, bold=True)
    while True:
        card = session.next()
        if card is None:
            break
        done = session.tally.reviewed
        more = session.queued  # learning cards coming back are on top of these
        if session.limit is not None:
            more = min(more, session.limit - done - 1)
        position = f"[{done + 1} · {more} more]"
        show_front(card, position)
        started = time.monotonic()
        choice = ask(card, session, keys)
        if choice == "q":
            break
        if choice == "u":
            try:
                undone = session.undo(showing=card)  # the card on screen comes back after the undone one
            except StoreError as err:  # another session has rated that card since
                say(f"{str(err)[:1].upper()}{str(err)[1:]}.", fg="yellow")
                continue
            say(f"↶ Undid the last rating ({undone.key})." if undone else "Nothing to undo yet.", fg="yellow")
            continue
        answer = session.answer(card, choice, int((time.monotonic() - started) * 1000))
        after = f", next in {format_interval(answer.interval)}" if answer.interval is not None else " (practice only)"
        say(f"→ {RATINGS[choice]}{after}. Saved.", dim=True)
        if answer.leech:
            say(f"This card has lapsed {session.settings.leech_lapses} times: tagged leech and suspended. "
                f"Rewrite it or bring it back with `srs unsuspend {card.key}`.", fg="yellow")
    summary(session)


def summary(session: Session) -> None:
    """What the session did, then what `srs review` has left: now, held back by the limit, or next."""
    from srs.session import Filters

    tally = session.tally
    say()
    if not tally.reviewed:
        say("Nothing reviewed.")
    else:
        share = 100 * tally.passed / tally.reviewed
        minutes, seconds = divmod(round(tally.milliseconds / 1000), 60)
        say(f"Reviewed {counted(tally.reviewed, 'card')}: {share:.0f}% correct, "
            f"{minutes}m {seconds:02d}s.", bold=True)
    reviewing = session.mode == "review"
    ahead = session.outlook() if reviewing else session.outlook(Filters())  # after a drill: all of `srs review`
    if ahead.now:
        cards = f"{ahead.now}{' more' * reviewing} card{'s are' if ahead.now != 1 else ' is'}"
        say(f"{cards} due now." if reviewing else f"{cards} due for review now: `srs review`.")
    if ahead.held_back:
        say(held_back(ahead.held_back, session.settings.reviews_per_day))
    if not ahead.now and ahead.next_due is not None:
        say(f"Next card due: {local_time(ahead.next_due)} (local time).")


def held_back(count: int, limit: int) -> str:
    """The line about due reviews over the daily limit, naming the setting that moves it."""
    return (f"{counted(count, 'more due review')} wait{'s' * (count == 1)} for tomorrow "
            f"(reviews_per_day = {limit} in config.toml).")
