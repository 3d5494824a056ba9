"""``srs optimize``: fit FSRS parameters to the user's own review history, and keep them only if better."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence

import click

from srs import optimize
from srs.commands.common import fail, home_option, open_synced, source_options
from srs.config import Settings
from srs.schedule import PARAMETERS_KEY, saved_parameters
from srs.session import ACTIVE

# What each FSRS-6 parameter governs, for the old-vs-new table.
PARAMETER_NAMES = (
    "initial stability, Again", "initial stability, Hard", "initial stability, Good", "initial stability, Easy",
    "initial difficulty", "initial difficulty per rating", "difficulty change per rating",
    "difficulty mean reversion", "recall stability: scale", "recall stability: stability decay",
    "recall stability: retrievability gain", "lapse stability: scale", "lapse stability: difficulty",
    "lapse stability: stability", "lapse stability: retrievability", "Hard penalty", "Easy bonus",
    "same-day stability: rating", "same-day stability: offset", "same-day stability: stability",
    "forgetting curve decay",
)


@click.command()
@click.option("--dry-run", is_flag=True, help="Show what fitting gives; save nothing.")
@click.option("--reset", is_flag=True, help="Forget fitted parameters: schedule with the FSRS defaults again.")
@click.option("--retention", is_flag=True,
              help="Also simulate a year of study and recommend a desired retention.")
@source_options
@home_option
def command(dry_run: bool, reset: bool, retention: bool, sources: tuple[str, ...], no_builtin: bool,
            home: str | None) -> None:
    """Fit FSRS parameters to your own review history with fsrs-rs.

    Shows the current and the fitted parameters and how well each predicts your history (log
    loss, RMSE over retrievability bins; lower is better), and saves the fitted ones only when
    they predict it better. Scheduling uses saved parameters from then on; --reset returns to
    the defaults. Needs the optional engine: pip install 'lp-srs[optimize]'.
    """
    if reset and retention:
        raise click.UsageError("--reset and --retention do not go together")
    if not reset:
        try:
            optimize.engine()
        except optimize.OptimizeError as err:
            fail(str(err))
    store, settings = open_synced(home, sources, no_builtin)
    with store:
        raw = store.get_meta(PARAMETERS_KEY)
        if reset:
            if raw is None:
                click.echo("Already scheduling with the default FSRS parameters.")
            elif dry_run:
                click.echo("Dry run: would forget the fitted parameters and return to the defaults.")
            else:
                store.set_meta(PARAMETERS_KEY, None)
                click.echo("Back to the default FSRS parameters.")
            return
        import fsrs

        try:
            saved = saved_parameters(raw)
        except ValueError:
            fail(f"{store.path}: the saved FSRS parameters are unreadable; `srs optimize --reset` clears them")
        current = saved or fsrs.scheduler.DEFAULT_PARAMETERS
        label = "default" if saved is None else "saved"
        reviews = store.reviews()
        try:
            outcome = optimize.optimize(optimize.training_items(reviews, settings.rollover_hour), current,
                                        len(settings.relearning_steps))
        except optimize.OptimizeError as err:
            fail(str(err))
        click.echo(f"{len(reviews)} ratings in the log → {outcome.items} training items, "
                   f"{outcome.usable} usable by fsrs-rs.")
        in_use = current
        if outcome.parameters is None:
            _not_enough(outcome)
        else:
            _compare(current, label, outcome)
            if not outcome.improved:
                _say(f"Kept the {label} parameters: the fitted ones predict your history no better.")
            elif dry_run:
                _say("Dry run: nothing saved (the fitted parameters would be).")
            else:
                store.set_meta(PARAMETERS_KEY, json.dumps(list(outcome.parameters)))
                in_use, label = outcome.parameters, "fitted"
                _say("Saved: scheduling uses the fitted parameters from now on "
                     "(`srs optimize --reset` returns to the defaults).")
        if retention:
            deck = store.conn.execute(f"SELECT count(*) FROM cards WHERE {ACTIVE}").fetchone()[0]
            try:
                recommended, table = optimize.retention_advice(in_use, settings, deck)
            except optimize.OptimizeError as err:
                fail(str(err))
            _retention(recommended, table, settings, deck, label)


def _say(text: str) -> None:
    """``text`` in lines of at most 80 columns, never splitting a `command`."""
    unbroken = re.sub(r"`[^`]*`", lambda command: command.group().replace(" ", "\0"), text)
    for line in textwrap.wrap(unbroken, 80):
        click.echo(line.replace("\0", " "))


def _not_enough(outcome: optimize.Outcome) -> None:
    if outcome.more_needed:
        _say(f"Not enough history to fit your own parameters yet: fsrs-rs needs at least {optimize.MIN_ITEMS} "
             f"usable items and has {outcome.usable}, so at least {outcome.more_needed} more reviews of cards on a "
             "later day than you last saw them.")
    else:
        _say("Not enough history to fit your own parameters yet: no card has had a second review on a later day. "
             "Keep reviewing for a few more days.")
    _say("(An item is a rating on a later review day than the card's previous one. Cram ratings, and cards whose "
         "first rating is not in the log, do not count; fsrs-rs also sets rare first intervals aside as outliers.)")


def _compare(current: Sequence[float], label: str, outcome: optimize.Outcome) -> None:
    click.echo()
    click.echo(f"  {'':<20}{'log loss':>8}  {'RMSE(bins)':>10}")
    for name, evaluation in ((f"current ({label})", outcome.current), ("fitted", outcome.fitted)):
        click.echo(f"  {name:<20}{evaluation.log_loss:>8.4f}  {evaluation.rmse_bins:>10.2%}")
    click.echo()
    width = max(map(len, PARAMETER_NAMES))
    click.echo(f"  {'parameter':<{width + 5}}{'current':>9}{'fitted':>9}")
    for index, (name, old, new) in enumerate(zip(PARAMETER_NAMES, current, outcome.parameters)):
        click.echo(f"  {f'w{index}':<4} {name:<{width}}{old:>9.4f}{new:>9.4f}")
    click.echo()


def _retention(recommended: float, table: list[optimize.Workload], settings: Settings, deck: int, which: str) -> None:
    click.echo()
    _say(f"Simulated {optimize.SIMULATED_DAYS} days of {deck} cards at {settings.new_per_day} new a day, "
         f"with the {which} parameters:")
    click.echo(f"  {'retention':>9}  {'minutes/day':>11}  {'remembered':>10}")
    for row in table:
        click.echo(f"  {row.retention:>9.2f}  {row.minutes_per_day:>11.1f}  {row.remembered:>10.0f}")
    _say(f"fsrs-rs recommends a desired retention of at least {recommended:.2f}: it costs the least study time "
         "per card remembered, and lower costs more relearning than it saves. Higher remembers more for more "
         "minutes a day.")
    _say(f"Yours is {settings.desired_retention:.2f} (desired_retention under [scheduler] in config.toml).")
