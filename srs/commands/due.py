"""``srs due``: what is waiting — due now, later today, tomorrow, and new cards — by LP and kind.

Run daily and often, so it stays cheap: one grouped query, no YAML when sources are
unchanged, and no FSRS import.
"""

from __future__ import annotations

from collections import defaultdict

import click

from srs.commands.common import home_option, local_time, now, open_synced, source_options

COLUMNS = ("now", "later_today", "tomorrow", "new")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@source_options
@home_option
def command(as_json: bool, sources: tuple[str, ...], no_builtin: bool, home: str | None) -> None:
    """Count the cards due now, later today and tomorrow, and the new cards available today."""
    from srs.schedule import LEARNING, RELEARNING, REVIEW, ReviewDay, left_today
    from srs.store import ACTIVE, stamp

    store, settings = open_synced(home, sources, no_builtin)
    moment = now()
    day = ReviewDay.of(moment, settings.rollover_hour)
    tomorrow = day.next()
    with store:
        rows = store.conn.execute(
            f"""SELECT lp, kind,
                  count(CASE WHEN (state = {REVIEW} AND due < :end) OR (state IN ({LEARNING}, {RELEARNING})
                                  AND due <= :now) THEN 1 END),
                  count(CASE WHEN state IN ({LEARNING}, {RELEARNING}) AND due > :now AND due < :end THEN 1 END),
                  count(CASE WHEN due >= :end AND due < :end2 THEN 1 END),
                  count(CASE WHEN state IS NULL THEN 1 END)
                FROM cards WHERE {ACTIVE} GROUP BY lp, kind""",
            {"now": stamp(moment), "end": stamp(day.end), "end2": stamp(tomorrow.end)}).fetchall()
        new_left, reviews_left = left_today(store, settings, day)
    by_lp: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    total = dict.fromkeys(COLUMNS, 0)
    for lp, kind, *counts in rows:
        for column, count in zip(COLUMNS, counts):
            by_lp[lp][column] += count
            by_kind[kind][column] += count
            total[column] += count
    new_today = min(total["new"], new_left)
    if as_json:
        import json

        click.echo(json.dumps({"at": moment.isoformat(), "due_now": total["now"], "later_today": total["later_today"],
                               "tomorrow": total["tomorrow"], "new_total": total["new"], "new_today": new_today,
                               "reviews_left_today": reviews_left, "by_lp": by_lp, "by_kind": by_kind}, indent=2))
        return
    click.echo(f"{total['now']} due now, {total['later_today']} later today, {total['tomorrow']} tomorrow; "
               f"{new_today} new today (of {total['new']} unseen).")
    click.echo(f"At {local_time(moment)}; the review day rolls over at {local_time(day.end)}.")
    if reviews_left < total["now"]:
        click.echo(f"Daily review limit: {reviews_left} more today.")
    for title, table in (("Leadership Principle", by_lp), ("Kind", by_kind)):
        _table(title, table)


def _table(title: str, table: dict[str, dict[str, int]]) -> None:
    width = max(len(title), *(len(name) for name in table)) if table else len(title)
    click.echo()
    click.echo(f"{title:<{width}}  {'now':>5} {'later':>5} {'tmrw':>5} {'new':>5}")
    for name in sorted(table):
        counts = table[name]
        click.echo(f"{name:<{width}}  " + " ".join(f"{counts[c]:>5}" for c in COLUMNS))
