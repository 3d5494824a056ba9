"""What the commands share: source options, loading the deck, reporting problems, exiting."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from srs import names
from srs.problems import Problem

if TYPE_CHECKING:
    from srs.sources import Deck

KIND_CHOICES = ("phrase-lp", "disqualifier", "step-time", "mcq", "probe", "concept", "angle", "level")


def source_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--source PATH`` (repeatable) and ``--no-builtin``, for every command that reads scenarios."""
    func = click.option("--no-builtin", is_flag=True,
                        help="Leave the bundled decks out; read only --source and SRS_SOURCE.")(func)
    return click.option("--source", "sources", multiple=True, type=click.Path(path_type=str),
                        metavar="PATH", help="A folder or file of your own scenarios (repeatable).")(func)


def lp_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--lp", callback=_lp_callback, metavar="LP",
                        help="Only this Leadership Principle (name or alias, e.g. 'Dive Deep' or DD).")(func)


def kind_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--kind", type=click.Choice(KIND_CHOICES), help="Only cards of this kind.")(func)


def _lp_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    canonical = names.lp_name(value)
    if canonical is None:
        hint = names.nearest_lp(value)
        raise click.BadParameter(f"unknown Leadership Principle {value!r}"
                                 + (f"; did you mean '{hint}'?" if hint else ""))
    return canonical


def report(problems: Iterable[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def load_deck(paths: tuple[str, ...] = (), sources: tuple[str, ...] = (), no_builtin: bool = False) -> Deck:
    """The compiled deck, or exit 1 after printing every error (warnings are printed and kept)."""
    from srs.sources import find_files, load, source_roots

    roots = [Path(p) for p in paths] if paths else source_roots(sources, no_builtin)
    files, problems = find_files(roots)
    deck = load(files, problems)
    report(deck.problems)
    if deck.errors:
        count = len(deck.errors)
        fail(f"{count} error{'s' * (count > 1)}; nothing was changed.")
    return deck


def fail(message: str, status: int = 1) -> None:
    click.echo(message, err=True)
    sys.exit(status)


def home_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--home", type=click.Path(file_okay=False, path_type=str), metavar="DIR",
                        help="Data folder for srs.db and config.toml (default: SRS_HOME, else your user data folder).")(func)
