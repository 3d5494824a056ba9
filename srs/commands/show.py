"""``srs show``: one card as the store holds it — its content, FSRS state and review log.

It reads the store as it is (no sync): what you see is what your reviews were scheduled on.
Times are stored in UTC and shown in local time.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from srs.commands.common import fail, home_option, now

if TYPE_CHECKING:
    from srs.config import Settings
    from srs.store import Review, Store, StoredCard


@click.command()
@click.argument("key")
@click.option("--json", "as_json", is_flag=True, help="Print the card, its schedule and its log as JSON.")
@home_option
def command(key: str, as_json: bool, home: str | None) -> None:
    """Show the card KEY: its front and back, FSRS state and every review of it."""
    from srs import config
    from srs.home import data_home
    from srs.store import Store, StoreError

    folder = data_home(home)
    try:
        settings = config.load(folder)
        store = Store.open(folder, create=False)
    except (config.ConfigError, StoreError) as err:
        fail(str(err))
    with store:
        card = store.card(key)
        if card is None:
            fail(unknown_key(store, key))
        report = _report(store, card, settings, now())
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print(card, report)


def unknown_key(store: Store, key: str) -> str:
    """The error for a key the store does not have, suggesting the nearest one it has."""
    from srs.names import nearest

    keys = [row[0] for row in store.conn.execute("SELECT key FROM cards ORDER BY key")]
    # a typo in a whole key, else a key typed in part (just the item, or without the kind), if it says anything
    part = key.lower().strip(" /")
    hint = nearest(key, keys) or next((k for k in keys if len(part) >= 3 and part in k), None)
    return f"no card {key!r} in {store.path}" + (
        f"; did you mean '{hint}'?" if hint else "; `srs cards` lists the keys")


def _report(store: Store, card: StoredCard, settings: Settings, moment: datetime) -> dict[str, Any]:
    """Everything ``show`` prints, as plain data (times as local ISO-8601)."""
    from srs import schedule
    from srs.store import parse_stamp

    reps, lapses = store.counts(card.id)
    state = {"state": schedule.STATES[card.state], "due": None, "stability": None, "difficulty": None,
             "retrievability": None, "last_review": None, "reviews": reps, "lapses": lapses}
    if not card.is_new:
        scheduler = schedule.scheduler_for(store, settings)
        state.update(due=_local(parse_stamp(card.due)), stability=card.stability, difficulty=card.fsrs_difficulty,
                     retrievability=schedule.retrievability(scheduler, card, moment),
                     last_review=_local(parse_stamp(card.last_review)) if card.last_review else None)
    return {"key": card.key, "kind": card.kind, "scenario": card.scenario, "lp": card.lp, "step": card.step,
            "difficulty": card.difficulty, "level": card.level, "retired": card.retired,
            "suspended": card.suspended, "leech": card.leech, "at": _local(moment), "content": card.content,
            "schedule": state, "log": [_entry(review) for review in store.reviews(card.id)]}


def _entry(review: Review) -> dict[str, Any]:
    from srs import schedule
    from srs.store import parse_stamp

    after = json.loads(review.after) if review.after else None
    return {"at": _local(parse_stamp(review.reviewed_at)), "rating": review.rating,
            "rating_name": schedule.RATINGS[review.rating], "mode": review.mode, "duration_ms": review.duration_ms,
            "state_before": schedule.STATES[review.state_before],
            "state_after": schedule.STATES[after["state"]] if after else None,
            "due_after": _local(datetime.fromisoformat(after["due"])) if after else None}


def _local(moment: datetime) -> str:
    return moment.astimezone().isoformat(timespec="seconds")


def _print(card: StoredCard, report: dict[str, Any]) -> None:
    from srs.commands.study import say, show_back, show_front
    from srs.schedule import format_interval

    flags = [name for name in ("retired", "suspended", "leech") if report[name]]
    show_front(card, card.key + (f" [{', '.join(flags)}]" if flags else ""), answered=True)
    show_back(card)
    moment = datetime.fromisoformat(report["at"])
    state = report["schedule"]
    say()
    say("Schedule (local time)", bold=True)
    rows = [("state", state["state"])]
    if state["due"] is not None:
        due = datetime.fromisoformat(state["due"])
        when = f"in {format_interval(due - moment)}" if due > moment else f"{format_interval(moment - due)} ago"
        rows += [("due", f"{_minute(due)} ({when})"),
                 ("stability", f"{state['stability']:.2f} days"),
                 ("difficulty", f"{state['difficulty']:.2f} (1 easiest – 10 hardest)"),
                 ("retrievability", f"{state['retrievability']:.0%} now"),
                 ("last review", _minute(datetime.fromisoformat(state["last_review"])))]
    rows += [("reviews", str(state["reviews"])), ("lapses", str(state["lapses"]))]
    for name, value in rows:
        say(f"  {name:<15} {value}")
    say()
    if not report["log"]:
        say("Never reviewed.")
        return
    say(f"Review log ({len(report['log'])})", bold=True)
    for entry in report["log"]:
        at = datetime.fromisoformat(entry["at"])
        if entry["state_after"] is None:
            change = "schedule unchanged"
        else:
            change = (f"{entry['state_before']} → {entry['state_after']}, next in "
                      f"{format_interval(datetime.fromisoformat(entry['due_after']) - at)}")
        took = f"  {entry['duration_ms'] / 1000:.1f}s" if entry["duration_ms"] is not None else ""
        say(f"  {_minute(at)}  {entry['mode']:<6} {entry['rating_name']:<5}  {change}{took}")


def _minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")
