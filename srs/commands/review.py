"""``srs review``: the daily job — practise exactly the cards FSRS says are due."""

from __future__ import annotations

import click

from srs.commands.common import home_option, kind_option, lp_option, now, open_synced, source_options


@click.command()
@lp_option
@kind_option
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many answers.")
@source_options
@home_option
def command(lp: str | None, kind: str | None, limit: int | None, sources: tuple[str, ...], no_builtin: bool,
            home: str | None) -> None:
    """Review the cards due today: learning cards, then reviews weakest first, new cards mixed in.

    Keys: Space shows the answer; 1 Again, 2 Hard, 3 Good, 4 Easy (each labelled with the
    interval it gives); an option letter answers a multiple-choice card; u undoes the last
    rating; q quits. Every rating is saved the moment it is accepted. With standard input
    not a terminal, give one answer per line.
    """
    from srs.commands import study
    from srs.session import Filters, Session, due_queue

    store, settings = open_synced(home, sources, no_builtin)
    with store:
        filters = Filters(lp=lp, kind=kind)
        session = Session(store, settings, now, [], filters, mode="review", limit=limit)
        session.queue = due_queue(store, settings, session.scheduler, now(), filters)
        ahead = session.outlook()
        due = ahead.learning + ahead.reviews
        cut = f"; stopping after {limit}" if limit is not None and limit < ahead.now else ""
        parts = [f"{due} due" + (f" ({ahead.learning} learning)" if ahead.learning else "")] if due else []
        parts += [f"{ahead.new} new"] if ahead.new else []
        title = f"Review: {' and '.join(parts)} today{cut}." if parts else "Review: nothing due now."
        if ahead.held_back:
            title += "\n" + study.held_back(ahead.held_back, settings.reviews_per_day)
        study.run(session, title)
