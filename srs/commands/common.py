"""What the commands share: source options, loading the deck, reporting problems, exiting."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NoReturn

import click

from srs import names

if TYPE_CHECKING:
    from datetime import datetime

    from srs.config import Settings
    from srs.problems import Problem
    from srs.sources import Deck
    from srs.store import Store


def source_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--source PATH`` (repeatable) and ``--no-builtin``, for every command that reads scenarios."""
    func = click.option("--no-builtin", is_flag=True,
                        help="Leave the bundled decks out; read only --source and SRS_SOURCE.")(func)
    return click.option("--source", "sources", multiple=True, type=click.Path(path_type=str),
                        metavar="PATH", help="A folder or file of your own scenarios (repeatable).")(func)


def home_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--home", type=click.Path(file_okay=False, path_type=str), metavar="DIR",
                        help="Data folder for srs.db and config.toml (default: SRS_HOME, else your user data folder).")(func)


def lp_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--lp", callback=_canonical(names.canonical_lp), metavar="LP",
                        help="Only this Leadership Principle (name or alias, e.g. 'Dive Deep' or DD).")(func)


def kind_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--kind", type=click.Choice(names.KINDS, case_sensitive=False),
                        help="Only cards of this kind.")(func)


def level_option(text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--level``, canonical level names only; ``text`` is its help, which differs by command."""
    return click.option("--level", callback=_canonical(names.canonical_level), metavar="LEVEL", help=text)


def _canonical(resolve: Callable[[str], str]) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    """A click callback turning a typed LP or level into its canonical name, or a usage error."""

    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return resolve(value)
        except names.UnknownName as err:
            raise click.BadParameter(str(err)) from None

    return callback


def report(problems: Iterable[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def load_deck(paths: tuple[str, ...] = (), sources: tuple[str, ...] = (), no_builtin: bool = False) -> Deck:
    """The compiled deck, or exit 1 after printing every error (warnings are printed and kept)."""
    from srs.sources import find_files, load, source_roots

    roots = list(paths) if paths else source_roots(sources, no_builtin)
    files, problems = find_files(roots)
    deck = load(files, problems)
    report(deck.problems)
    if deck.errors:
        count = len(deck.errors)
        fail(f"{names.counted(count, 'error')}; nothing was changed.")
    return deck


def fail(message: str, status: int = 1) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(status)


def open_synced(home: str | None, sources: tuple[str, ...] = (), no_builtin: bool = False,
                deck: Deck | None = None) -> tuple[Store, Settings]:
    """The store, synced with the sources; exits 1 with a clear message on any problem.

    Source errors stop the command before the store is touched. A command that has already
    loaded the ``deck`` from the same sources (with ``load_deck``) passes it, so the YAML is
    parsed once and its warnings printed once.
    """
    from srs import config
    from srs.home import data_home
    from srs.sources import source_roots
    from srs.store import Store, StoreError
    from srs.sync import SourceErrors, sync

    folder = data_home(home)
    try:
        settings = config.load(folder)
        store = Store.open(folder)
    except (config.ConfigError, StoreError) as err:
        fail(str(err))
    try:
        _, warnings = sync(store, source_roots(sources, no_builtin), deck)
    except SourceErrors as err:
        store.close()
        report(err.problems)
        count = sum(not p.warning for p in err.problems)
        fail(f"{names.counted(count, 'error')} in the scenario sources; the store was not changed.")
    except Exception as err:
        store.close()
        store.check(err)  # a damaged file: a StoreError naming it
        raise
    if deck is None:
        report(warnings)
    return store, settings


def now() -> datetime:
    """The current UTC time (``SRS_NOW`` pins it); exits 1 if ``SRS_NOW`` is malformed."""
    from srs.clock import ClockError
    from srs.clock import now as clock_now

    try:
        return clock_now()
    except ClockError as err:
        fail(str(err))


def local_time(moment: datetime) -> str:
    """A UTC moment as the user's local time, to the minute."""
    return moment.astimezone().strftime("%a %d %b %H:%M")
