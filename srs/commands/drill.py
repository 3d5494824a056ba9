"""``srs drill``: extra practice on what you keep failing, or on a selection you choose.

Unlike ``srs review`` it ignores due dates: the cards come lowest recall first. Answers are
logged and reschedule the cards (FSRS handles a second review on the same day); with
``--no-reschedule`` they are logged as cram practice and the schedule is left alone.
"""

from __future__ import annotations

import shlex
import textwrap
from typing import TYPE_CHECKING

import click

from srs import names
from srs.commands.common import (
    fail,
    home_option,
    kind_option,
    level_option,
    lp_option,
    now,
    open_synced,
    source_options,
)
from srs.scenario import STEPS

if TYPE_CHECKING:
    from srs.session import Session
    from srs.store import StoredCard


@click.command()
@click.option("--weak", is_flag=True, help="Choose the weakest categories for me, and say why.")
@lp_option
@kind_option
@click.option("--step", type=click.Choice(STEPS, case_sensitive=False), help="Only cards of this STAR step.")
@click.option("--difficulty", type=click.Choice(names.DIFFICULTIES, case_sensitive=False),
              help="Only questions of this difficulty.")
@level_option("Only cards for this level (e.g. SDE2, L6).")
@click.option("-n", "count", type=click.IntRange(min=1), default=20, show_default=True, metavar="N",
              help="How many cards.")
@click.option("--no-reschedule", is_flag=True, help="Practise without touching the schedule (logged as cram).")
@source_options
@home_option
def command(weak: bool, lp: str | None, kind: str | None, step: str | None, difficulty: str | None,
            level: str | None, count: int, no_reschedule: bool, sources: tuple[str, ...], no_builtin: bool,
            home: str | None) -> None:
    """Drill your weakest categories (--weak) or a selection (--lp, --kind, --step, --difficulty,
    --level; none of them: every card), lowest recall first.

    --weak judges each LP, kind, STAR step, difficulty and level by its lapse rate, its Again
    rate over the last two weeks, FSRS's recall estimate now and missed quiz answers, once it
    has enough answers; new cards count as unknown, not weak.

    Answers are logged and reschedule the cards; with --no-reschedule they are logged as
    cram practice and the schedule is left alone. Keys as in `srs review`.
    """
    from srs.commands import study
    from srs.session import Filters, Session

    chosen_filters = {"lp": lp, "kind": kind, "step": step, "difficulty": difficulty, "level": level}
    if weak and any(chosen_filters.values()):
        raise click.UsageError("--weak chooses the categories itself; leave out --lp, --kind, --step, "
                               "--difficulty and --level, or drop --weak to drill your own selection.")
    store, settings = open_synced(home, sources, no_builtin)
    with store:
        mode = "cram" if no_reschedule else "drill"
        session = Session(store, settings, now, [], Filters(lp=lp, kind=kind), mode=mode)
        if weak:
            session.queue, title = _weakest(session, count)
            if not session.queue:
                return
        else:
            session.queue = _selection(session, chosen_filters, count)
            if not session.queue:
                fail(f"No cards to drill in {_describe(chosen_filters)}.")
            title = f"Drill: {names.counted(len(session.queue), 'card')} of {_describe(chosen_filters)}, lowest recall first."
        if no_reschedule:
            title += " Practice only: the schedule is left alone."
        study.run(session, title)


def _weakest(session: Session, count: int) -> tuple[list[StoredCard], str]:
    """The queue and title for --weak, after printing which categories were chosen and why."""
    from srs import history, weak
    from srs.commands.study import say

    past = history.read(session.store, session.scheduler, session.clock())
    ranked = weak.rank(past, weak.MAX_CHOSEN)
    chosen = [e for e in ranked if e.weak]
    if not chosen:
        if not ranked:
            _say_wrapped(f"Not enough answers yet to judge any category: each needs {weak.MIN_ANSWERS} answers "
                         "on cards you have seen before (new cards count as unknown, not weak). Keep reviewing, "
                         "or drill a selection such as `srs drill --lp 'Dive Deep'`.")
        else:
            best = ranked[0]
            _say_wrapped(f"No weak category: the weakest, {best.category}, scores {best.score_text()}, under the "
                         f"{weak.WEAK_SCORE:.2f} that counts as weak ({best.why()}). Drill a selection instead, "
                         f"e.g. `srs drill --{best.category.dimension} {shlex.quote(best.category.value)}`.")
        return [], ""
    _say_wrapped(f"Weakest categories (score: the share of failures in the figures below; weak from "
                 f"{weak.WEAK_SCORE:.2f}, judged on {weak.MIN_ANSWERS}+ answers):", bold=True)
    for rank, e in enumerate(chosen, 1):
        say(f"  {rank}. {e.category} — score {e.score_text()}")
        _say_wrapped(e.why(), "     ")
    cards = weak.weakest_cards(past, chosen, count)
    return cards, f"Drill: {names.counted(len(cards), 'card')} of {', '.join(str(e.category) for e in chosen)}, lowest recall first."


def _selection(session: Session, chosen: dict[str, str | None], count: int) -> list[StoredCard]:
    """Up to ``count`` active cards matching every given category: seen ones lowest recall first, then new ones."""
    from srs import schedule, weak
    from srs.store import ACTIVE

    clauses = [ACTIVE] + [f"{column} = ?" for column, value in chosen.items() if value is not None]
    cards = session.store.cards(" AND ".join(clauses), tuple(v for v in chosen.values() if v is not None))
    moment = session.clock()
    recall = {card.id: schedule.retrievability(session.scheduler, card, moment) for card in cards if not card.is_new}
    seen = weak.by_recall(cards, recall)
    new = {card.id: card for card in cards if card.is_new}
    order = schedule.introduction_order([(card.id, card.scenario, card.kind) for card in new.values()])
    return (seen + [new[card_id] for card_id in order])[:count]


def _describe(chosen: dict[str, str | None]) -> str:
    from srs.weak import Category

    return " and ".join(str(Category(d, v)) for d, v in chosen.items() if v is not None) or "all cards"


def _say_wrapped(text: str, indent: str = "", **style: object) -> None:
    """``text`` in lines of at most 80 columns."""
    from srs.commands.study import say

    for line in textwrap.wrap(text, 80, initial_indent=indent, subsequent_indent=indent):
        say(line, **style)
