"""``srs cards``: the compiled cards, for reading or (``--json``) for scripts."""

from __future__ import annotations

import json

import click

from srs.commands.common import kind_option, load_deck, lp_option, source_options
from srs.names import LABELS, counted


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@source_options
@kind_option
@lp_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of card objects.")
def command(paths: tuple[str, ...], sources: tuple[str, ...], no_builtin: bool,
            kind: str | None, lp: str | None, as_json: bool) -> None:
    """List the cards compiled from PATHS (or the configured sources).

    With PATHS, only they are read: not the bundled decks, --source or SRS_SOURCE.
    """
    deck = load_deck(paths, sources, no_builtin)
    cards = [c for c in deck.cards if (kind is None or c.kind == kind) and (lp is None or c.lp == lp)]
    if as_json:
        click.echo(json.dumps([c.to_json() for c in cards], indent=2, ensure_ascii=False))
        return
    for card in cards:
        click.secho(card.key, bold=True)
        click.echo(f"  {card.prompt}")
        click.echo(_labelled("  Q: ", card.front))
        for label, option in zip(LABELS, card.options):
            click.echo(f"     {label}. {option}")
        click.echo(_labelled("  A: ", card.back))
        for detail in card.details:
            click.echo(_labelled(f"     {detail.label}: ", "\n".join(detail.lines)))
    click.echo(counted(len(cards), "card"), err=True)


def _labelled(label: str, text: str) -> str:
    """``text`` after ``label``, its further lines indented to line up under the first."""
    return label + text.replace("\n", "\n" + " " * len(label))
