"""FSRS scheduling on top of py-fsrs, and the review day.

The review day rolls over at ``rollover_hour`` local time, as in Anki: a card in review
state is due for the whole review day its due time falls on, while learning and
relearning cards are due at their exact minute. py-fsrs draws its interval fuzz from
``random``; we seed it from the card id and review count, so the interval shown on a
rating button is exactly the one the rating then gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any

from srs.config import Settings

if TYPE_CHECKING:
    import fsrs

    from srs.store import Store, StoredCard

RATINGS: dict[int, str] = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
LEARNING, REVIEW, RELEARNING = 1, 2, 3
STATES: dict[int | None, str] = {None: "New", LEARNING: "Learning", REVIEW: "Review", RELEARNING: "Relearning"}
PARAMETERS_KEY = "fsrs_parameters"  # meta key of parameters fitted by `srs optimize`


@dataclass(frozen=True)
class ReviewDay:
    """The review day containing a moment: [start, end) in UTC."""

    start: datetime
    end: datetime
    rollover_hour: int

    @classmethod
    def of(cls, moment: datetime, rollover_hour: int) -> ReviewDay:
        local = moment.astimezone()
        day = local.date() - timedelta(days=1 if local.hour < rollover_hour else 0)
        start, end = _rollover(day, rollover_hour), _rollover(day + timedelta(days=1), rollover_hour)
        # When a DST change moves the clock across the rollover hour, the wall-clock hour alone can
        # put a moment on the wrong side of a boundary: the boundaries decide.
        if moment < start:
            start, end = _rollover(day - timedelta(days=1), rollover_hour), start
        elif moment >= end:
            start, end = end, _rollover(day + timedelta(days=2), rollover_hour)
        return cls(start, end, rollover_hour)

    @property
    def local_date(self) -> date:
        """The local date the review day is named by: the one it starts on."""
        return self.start.astimezone().date()

    def next(self) -> ReviewDay:
        return ReviewDay.of(self.end, self.rollover_hour)


def _rollover(day: date, hour: int) -> datetime:
    """The moment (UTC) the local clock first reads ``hour`` o'clock on ``day``.

    A naive time's UTC offset is ambiguous when the clock is turned back (the first pass
    counts) and undefined when it skips that hour (the day then starts when the clock jumps
    past it); both folds are tried and the earliest that really reads ``hour`` or later wins.
    """
    wall = datetime.combine(day, time(hour))
    moments = [wall.replace(fold=fold).astimezone().astimezone(timezone.utc) for fold in (0, 1)]
    return min((m for m in moments if m.astimezone().replace(tzinfo=None) >= wall), default=max(moments))


def left_today(store: Store, settings: Settings, day: ReviewDay) -> tuple[int, int]:
    """(new cards, reviews) that ``new_per_day`` and ``reviews_per_day`` still allow in ``day``.

    The limits are per review day and shared by every ``srs review`` session in it.
    """
    new_done, reviews_done = store.today_counts(day.start, day.end)
    return max(settings.new_per_day - new_done, 0), max(settings.reviews_per_day - reviews_done, 0)


def make_scheduler(settings: Settings, parameters: tuple[float, ...] | None = None) -> fsrs.Scheduler:
    import fsrs

    kwargs: dict[str, Any] = {"parameters": parameters} if parameters else {}
    return fsrs.Scheduler(desired_retention=settings.desired_retention, learning_steps=settings.learning_steps,
                          relearning_steps=settings.relearning_steps, maximum_interval=settings.maximum_interval,
                          enable_fuzzing=settings.enable_fuzzing, **kwargs)


def scheduler_for(store: Store, settings: Settings) -> fsrs.Scheduler:
    """The scheduler for ``store``: the user's settings, and the parameters `srs optimize` saved."""
    from srs.store import StoreError

    try:
        return make_scheduler(settings, saved_parameters(store.get_meta(PARAMETERS_KEY)))
    except (ValueError, TypeError) as err:
        reason = str(err).splitlines()[0]
        raise StoreError(f"{store.path}: the saved FSRS parameters are not usable ({reason}); "
                         "run `srs optimize --reset` to go back to the defaults") from None


def saved_parameters(text: str | None) -> tuple[float, ...] | None:
    import json

    return tuple(json.loads(text)) if text else None


def fsrs_card(stored: StoredCard) -> fsrs.Card:
    import fsrs

    data = stored.fsrs_dict()
    return fsrs.Card(card_id=stored.id) if data is None else fsrs.Card.from_dict(data)


def rate(scheduler: fsrs.Scheduler, stored: StoredCard, rating: int, at: datetime, reviews_so_far: int,
         duration_ms: int | None = None) -> fsrs.Card:
    """The card after ``rating`` at ``at``: py-fsrs's answer, with fuzz seeded per card and review."""
    import random

    import fsrs

    random.seed(f"{stored.id}:{reviews_so_far}")
    card, _ = scheduler.review_card(fsrs_card(stored), fsrs.Rating(rating), at, duration_ms)
    return card


def preview(scheduler: fsrs.Scheduler, stored: StoredCard, at: datetime, reviews_so_far: int) -> dict[int, timedelta]:
    """How far away each rating would schedule the card (what the rating buttons show)."""
    return {rating: rate(scheduler, stored, rating, at, reviews_so_far).due - at for rating in RATINGS}


def retrievability(scheduler: fsrs.Scheduler, stored: StoredCard, at: datetime) -> float:
    """The predicted chance of recalling the card at ``at``; 0 for a new card."""
    return scheduler.get_card_retrievability(fsrs_card(stored), at) if stored.state is not None else 0.0


def is_due(stored: StoredCard, now: datetime, day: ReviewDay) -> bool:
    """The rule in one place: a review card is due all of the review day its due time falls on,
    a learning or relearning card from its exact minute; a new card is never "due"."""
    if stored.state is None or stored.due is None:
        return False
    from srs.store import stamp

    if stored.state == REVIEW:
        return stored.due < stamp(day.end)
    return stored.due <= stamp(now)


def format_interval(delta: timedelta) -> str:
    """A short human interval: 45s, 10m, 3h, 4d, 2.5mo, 1.2y."""
    seconds = max(delta.total_seconds(), 0)
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    if seconds < 86400:
        return f"{seconds / 3600:.0f}h"
    days = seconds / 86400
    if days < 30:
        return f"{days:.0f}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def spread(cards: list[StoredCard], window: int = 8) -> list[StoredCard]:
    """``cards`` reordered so that two cards of one scenario are not shown back to back when avoidable.

    Greedy: take the first card whose scenario differs from the previous one, looking at most
    ``window`` ahead so the priority order (overdue first, weakest first) mostly holds.
    """
    pending = list(cards)
    out: list[StoredCard] = []
    while pending:
        last = out[-1].scenario if out else None
        pick = next((i for i, c in enumerate(pending[:window]) if c.scenario != last), 0)
        out.append(pending.pop(pick))
    return out


def introduction_order(new: list[tuple[int, str, str]]) -> list[int]:
    """The order to introduce new cards ``(id, scenario, kind)``: round robin over scenarios,
    and within each scenario round robin over kinds, so a day's new cards cover many stories
    and kinds instead of 20 phrase cards from the first file."""
    by_scenario: dict[str, dict[str, list[int]]] = {}
    for card_id, scenario, kind in sorted(new):
        by_scenario.setdefault(scenario, {}).setdefault(kind, []).append(card_id)
    per_scenario = []
    for turn, kinds in enumerate(by_scenario.values()):
        lists = list(kinds.values())
        shift = turn % len(lists)  # each story starts on a different kind
        per_scenario.append(_round_robin(lists[shift:] + lists[:shift]))
    return _round_robin(per_scenario)


def _round_robin(lists: list[list[int]]) -> list[int]:
    out: list[int] = []
    for depth in range(max(map(len, lists), default=0)):
        out += [items[depth] for items in lists if depth < len(items)]
    return out


def interleave(reviews: list[StoredCard], new: list[StoredCard]) -> list[StoredCard]:
    """New cards mixed evenly among the reviews, the way Anki's "mix new with reviews" does."""
    if not new or not reviews:
        return reviews + new
    out: list[StoredCard] = []
    step = (len(reviews) + len(new)) / len(new)
    slots = {int(i * step + step / 2) for i in range(len(new))}
    r, n = iter(reviews), iter(new)
    for position in range(len(reviews) + len(new)):
        out.append(next(n) if position in slots else next(r))
    return out
