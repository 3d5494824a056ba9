"""``srs stats``: progress you can take in at a glance — in the terminal, as JSON, or as a web page."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from srs.commands.common import fail, home_option, now, open_synced, source_options
from srs.names import counted

if TYPE_CHECKING:
    from srs.stats import Retention, Stats

WIDTH = 80  # the report is laid out for an 80-column terminal, the narrowest in common use


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON instead.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write them to FILE as one self-contained web page (it needs no network).")
@source_options
@home_option
def command(as_json: bool, html_file: Path | None, sources: tuple[str, ...], no_builtin: bool,
            home: str | None) -> None:
    """Show your progress: cards by state, answers per day, the due forecast, true retention and
    recall by LP and by kind, your weakest categories, leeches, your streak and your quizzes.

    Days are review days, starting at the rollover hour (4 am unless config.toml says otherwise).
    """
    from srs import history, schedule, stats

    store, settings = open_synced(home, sources, no_builtin)
    moment = now()
    with store:
        scheduler = schedule.scheduler_for(store, settings)
        figures = stats.compute(history.read(store, scheduler, moment), settings.rollover_hour)
    if html_file is not None:
        _write_html(figures, html_file)
    if as_json:
        click.echo(json.dumps(figures.to_json(), indent=2, ensure_ascii=False))
    elif html_file is None:
        _print(figures, WIDTH)


def _write_html(figures: Stats, path: Path) -> None:
    from srs.atomic import replace_atomically
    from srs.stats_html import page

    text = page(figures)
    try:
        replace_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OSError as err:
        fail(f"{path}: cannot write the page: {err.strerror or err}")
    click.echo(f"Wrote {path}", err=True)


def _print(figures: Stats, width: int) -> None:
    """The terminal report, no line wider than ``width`` columns but a longer leech's key, printed whole."""
    from srs import charts, weak
    from srs.commands.study import say

    def heading(text: str) -> None:
        say()
        say(charts.truncate(text, width), bold=True)

    def wrapped(text: str, indent: str) -> None:
        for line in textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent):
            say(line)

    say(f"Progress on {figures.at.astimezone().strftime('%a %d %b %Y %H:%M')}", bold=True)
    say(f"Streak: {counted(figures.streak, 'day')} · {figures.reviews_today} answers today, "
        f"{sum(figures.per_day.values())} in all")

    heading("Cards by state")
    for line in charts.hbars([(state, figures.states[state]) for state in figures.states], width):
        say(line)

    weeks = charts.heatmap_weeks(figures.per_day, figures.today, most=min(26, (width - 6) // 2))
    heading(f"Answers per day, last {weeks} weeks")
    for line in charts.heatmap(figures.per_day, figures.today, weeks):
        say(line)

    forecast = figures.forecast
    heading(f"Due in the next {len(forecast)} days: {forecast[0]} today (with overdue), "
            f"{sum(forecast[:7])} this week, {sum(forecast)} in all")
    for line in charts.columns(forecast, figures.today):
        say(line)

    overall = figures.overall
    heading(f"True retention {_percent(overall.rate).strip()} over {overall.reviews} reviews · "
            f"recall now {_percent(overall.recall).strip()} over {overall.cards} cards")
    say(charts.truncate("  Retention: passed share of reviews in review state · recall: FSRS estimate now",
                        width), dim=True)
    for title, groups in (("Leadership Principle", figures.by_lp), ("Kind", figures.by_kind)):
        say()
        for line in _retention_table(title, groups, width):
            say(line)

    heading(f"Weakest categories (judged on {weak.MIN_ANSWERS}+ answers; `srs drill --weak` drills them)")
    if not figures.weakest:
        say("  Not enough answers yet to judge any category.")
    for rank, evidence in enumerate(figures.weakest, 1):
        say(charts.truncate(f"  {rank}. {evidence.category} — score {evidence.score_text()}"
                            + (" (weak)" if evidence.weak else ""), width))
        wrapped(evidence.why(), "     ")

    heading(f"Leeches: {len(figures.leeches)}")
    for leech in figures.leeches:
        say(f"  {leech.key}")  # whole even past ``width``: it is what `srs unsuspend` takes
        say(charts.truncate(f"     {leech.lapses} lapses · " + " ".join(leech.front.split()), width), dim=True)
    if figures.leeches:
        say(charts.truncate("  Rewrite them, or bring one back with `srs unsuspend KEY`.", width), dim=True)

    heading(f"Quizzes: {sum(len(q.attempts) for q in figures.quizzes)}")
    for scope in figures.quizzes:
        last = scope.attempts[-1]
        say(charts.truncate(f"  {scope.scope}: {last.correct}/{last.total} {last.verdict} on "
                            f"{last.taken_at.astimezone().strftime('%d %b')}", width))
        if len(scope.attempts) > 1:
            say(charts.truncate("     " + " → ".join(f"{a.correct}/{a.total}" for a in scope.attempts), width),
                dim=True)


def _percent(value: float | None) -> str:
    return "   –" if value is None else f"{value:>4.0%}"


def _retention_table(title: str, groups: Sequence[Retention], width: int) -> list[str]:
    from srs.charts import bar, truncate

    name_width = width - 44
    lines = [f"  {truncate(title, name_width):<{name_width}} {'reviews':>7}  {'retention':<15}  recall now"]
    for group in groups:
        cells = [f"{_percent(value)} {bar(value or 0, 10)}" for value in (group.rate, group.recall)]
        lines.append(f"  {truncate(group.name, name_width):<{name_width}} {group.reviews:>7}  {cells[0]}  {cells[1]}"
                     .rstrip())
    return lines
