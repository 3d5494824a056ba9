"""``srs validate``: check scenario files, report every problem, summarise what compiles."""

from __future__ import annotations

from collections import Counter

import click

from srs.commands.common import load_deck, source_options
from srs.names import counted


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@source_options
def command(paths: tuple[str, ...], sources: tuple[str, ...], no_builtin: bool) -> None:
    """Check scenario files (PATHS, or the configured sources) and report every problem.

    With PATHS, only they are read: not the bundled decks, --source or SRS_SOURCE (to check
    your stories against the bundled decks' ids, give them with --source instead). Each
    problem is one line, PATH:LINE:COL: MESSAGE. Exit status 1 if there is any error.
    """
    deck = load_deck(paths, sources, no_builtin)
    kinds = Counter(card.kind for card in deck.cards)
    by_kind = f" ({', '.join(f'{kind} {count}' for kind, count in kinds.items())})" if kinds else ""
    click.echo(f"OK: {counted(len(deck.scenarios), 'scenario')}, {counted(len(deck.cards), 'card')}"
               f"{by_kind}")
