"""``srs export``: write the compiled cards in another app's format (``srs export anki``)."""

from __future__ import annotations

from pathlib import Path

import click

from srs.commands.common import fail, home_option, kind_option, load_deck, lp_option, now, open_synced, source_options


@click.group()
def command() -> None:
    """Export cards to other apps."""


@command.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.apkg",
              help="Where to write the package (default: lp-srs.apkg in the current folder); "
                   ".apkg is added if missing.")
@lp_option
@kind_option
@click.option("--scenario", "scenario_ids", multiple=True, metavar="ID",
              help="Only this scenario's cards (repeatable).")
@source_options
@home_option
def anki(output: Path | None, lp: str | None, kind: str | None, scenario_ids: tuple[str, ...],
         sources: tuple[str, ...], no_builtin: bool, home: str | None) -> None:
    """Write the cards as an Anki package, one deck per LP under "Amazon LP".

    Import it in Anki (File > Import), AnkiDroid or AnkiMobile. Export again after editing
    scenarios and import the new file: notes are updated in place, keeping your reviews.
    """
    from export import anki as apkg
    from srs.home import data_home
    from srs.names import counted, nearest

    deck = load_deck((), sources, no_builtin)
    known = {s.id for s in deck.scenarios}
    for scenario_id in scenario_ids:
        if scenario_id not in known:
            hint = nearest(scenario_id, sorted(known))
            raise click.BadParameter(f"no scenario has the id {scenario_id!r}"
                                     + (f"; did you mean '{hint}'?" if hint else ""), param_hint="'--scenario'")
    open_synced(home, sources, no_builtin, deck)[0].close()  # the store stays in step with what is exported
    cards = [c for c in deck.cards if (lp is None or c.lp == lp) and (kind is None or c.kind == kind)
             and (not scenario_ids or c.scenario in scenario_ids)]
    if not cards:
        fail("No cards match; nothing was written.")
    path = (output or Path(apkg.DEFAULT_FILE)).absolute()
    if path.suffix.lower() != ".apkg":  # Anki, AnkiDroid and AnkiMobile import a package only by this name
        path = path.with_name(path.name + ".apkg")
    state = Path(data_home(home)) / apkg.STATE_FILE
    try:
        mod = apkg.stamp(state, int(now().timestamp()))
    except OSError as error:
        fail(f"cannot write {state}: {error.strerror or error}; nothing was written.")
    try:
        written = apkg.write(cards, path, mod)
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}; nothing was written.")
    click.echo(f"Wrote {written.notes} notes ({written.cards} cards) in {counted(len(written.decks), 'deck')} "
               f"to {written.path}")
    for name, count in sorted(written.decks.items()):
        click.echo(f"  {name}: {count}")
