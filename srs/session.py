"""A study session: which card comes next, rating it durably, undoing the last rating.

The same engine drives ``srs review`` (the due queue under daily limits) and ``srs drill``
(a chosen list of cards, optionally as cram practice that leaves the schedule alone).
Every answer is committed before the next card is chosen, and the card's state is re-read
inside that transaction, so concurrent sessions and killed processes lose nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from srs import schedule
from srs.config import Settings
from srs.schedule import LEARNING, RELEARNING, REVIEW, ReviewDay
from srs.store import ACTIVE, Store, StoredCard, parse_stamp, stamp

if TYPE_CHECKING:
    import fsrs


@dataclass(frozen=True)
class Filters:
    lp: str | None = None
    kind: str | None = None
    scenario: str | None = None

    def sql(self) -> tuple[str, tuple]:
        clauses, params = [ACTIVE], []
        for column in ("lp", "kind", "scenario"):
            value = getattr(self, column)
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        return " AND ".join(clauses), tuple(params)


@dataclass(frozen=True)
class Answer:
    """One accepted rating: what the user said and what it did."""

    review_id: int
    card: StoredCard  # after the rating
    rating: int
    duration_ms: int | None
    interval: timedelta | None  # None for cram
    leech: bool


@dataclass
class Tally:
    reviewed: int = 0
    passed: int = 0
    milliseconds: int = 0
    answers: list[Answer] = field(default_factory=list)


@dataclass(frozen=True)
class Outlook:
    """What `srs review` would show now, what the daily limit holds back, and when more comes."""

    learning: int  # learning and relearning cards due now
    reviews: int  # review cards due today, within what is left of reviews_per_day
    new: int  # new cards, within what is left of new_per_day
    held_back: int  # review cards due today beyond reviews_per_day: they wait for the next review day
    next_due: datetime | None  # the next moment a card comes due (a review card: when its review day starts)

    @property
    def now(self) -> int:
        return self.learning + self.reviews + self.new


def outlook(store: Store, settings: Settings, now: datetime, filters: Filters) -> Outlook:
    """Where ``filters``' cards stand at ``now``: for a session's title and its closing summary."""
    day = ReviewDay.of(now, settings.rollover_hour)
    where, params = filters.sql()
    learning, due_today, unseen, next_learning, next_review = store.conn.execute(
        f"""SELECT count(CASE WHEN state IN ({LEARNING}, {RELEARNING}) AND due <= ?1 THEN 1 END),
                   count(CASE WHEN state = {REVIEW} AND due < ?2 THEN 1 END),
                   count(CASE WHEN state IS NULL THEN 1 END),
                   min(CASE WHEN state IN ({LEARNING}, {RELEARNING}) AND due > ?1 THEN due END),
                   min(CASE WHEN state = {REVIEW} AND due >= ?2 THEN due END)
            FROM cards WHERE {where}""",  # the filters' ? come after ?1 and ?2: they number on from 3
        (stamp(now), stamp(day.end), *params)).fetchone()
    new_left, reviews_left = schedule.left_today(store, settings, day)
    reviews = min(due_today, reviews_left)
    upcoming = [parse_stamp(next_learning)] if next_learning else []
    if due_today > reviews and settings.reviews_per_day:
        upcoming.append(day.end)  # held back today: due when the next review day starts
    elif next_review:
        upcoming.append(ReviewDay.of(parse_stamp(next_review), settings.rollover_hour).start)
    return Outlook(learning, reviews, min(unseen, new_left), due_today - reviews, min(upcoming, default=None))


def due_queue(store: Store, settings: Settings, scheduler: fsrs.Scheduler, now: datetime, filters: Filters) -> list[StoredCard]:
    """Today's review queue: reviews weakest first with new cards mixed in, under the daily limits.

    Learning cards are not in it: ``Session.next`` takes them when they come due.
    """
    day = ReviewDay.of(now, settings.rollover_hour)
    where, params = filters.sql()
    new_left, reviews_left = schedule.left_today(store, settings, day)
    reviews = store.cards(f"{where} AND state = {REVIEW} AND due < ?", (*params, stamp(day.end)))
    reviews.sort(key=lambda c: schedule.retrievability(scheduler, c, now))
    reviews = reviews[:reviews_left]
    unseen = store.conn.execute(f"SELECT id, scenario, kind FROM cards WHERE {where} AND state IS NULL",
                                params).fetchall()
    chosen = schedule.introduction_order(unseen)[:new_left]
    rank = {card_id: position for position, card_id in enumerate(chosen)}
    new = sorted(store.cards(f"id IN ({','.join('?' * len(chosen))})", tuple(chosen)), key=lambda c: rank[c.id])
    return schedule.spread(schedule.interleave(reviews, new))


class Session:
    """Serves cards one at a time and records answers; ``clock`` gives "now" for each answer."""

    def __init__(self, store: Store, settings: Settings, clock: Callable[[], datetime], queue: list[StoredCard],
                 filters: Filters = Filters(), mode: str = "review", limit: int | None = None) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.scheduler = schedule.scheduler_for(store, settings)
        self.queue = list(queue)
        self.filters = filters
        self.mode = mode
        self.limit = limit
        self.again: list[int] = []  # cards put back by undo, shown before anything else
        self.tally = Tally()

    @property
    def queued(self) -> int:
        """Cards still to come, learning cards that will come due aside."""
        return len(self.queue) + len(self.again)

    def next(self) -> StoredCard | None:
        """The next card to show, or None when the session is done."""
        if self.limit is not None and self.tally.reviewed >= self.limit:
            return None
        while self.again:
            card = self.store.card_by_id(self.again.pop(0))
            if not (card.retired or card.suspended):
                return card
        now = self.clock()
        learning = self._learning(now, timedelta())
        if learning:
            return learning
        while self.queue:
            card = self.store.card_by_id(self.queue.pop(0).id)  # fresh: another session may have moved it
            if self._still_wanted(card, now):
                return card
        return self._learning(now, timedelta(minutes=self.settings.learn_ahead_minutes))

    def _learning(self, now: datetime, ahead: timedelta) -> StoredCard | None:
        """The learning card due first by ``now + ahead``: in a review any of the selection's, in a
        drill only those it has asked (failed ones come back, as in Anki), in cram none (it moves none)."""
        if self.mode == "cram":
            return None
        where, params = self.filters.sql()
        if self.mode != "review":
            asked = sorted({answer.card.id for answer in self.tally.answers})
            where += f" AND id IN ({','.join('?' * len(asked))})"
            params += tuple(asked)
        due = self.store.cards(f"{where} AND state IN ({LEARNING}, {RELEARNING}) AND due <= ? ORDER BY due LIMIT 1",
                               (*params, stamp(now + ahead)))
        return due[0] if due else None

    def _still_wanted(self, card: StoredCard, now: datetime) -> bool:
        if card.retired or card.suspended:
            return False
        if self.mode != "review":
            return True
        day = ReviewDay.of(now, self.settings.rollover_hour)
        return card.state is None or (card.state == REVIEW and schedule.is_due(card, now, day))

    def previews(self, card: StoredCard) -> dict[int, timedelta]:
        reps = self.store.counts(card.id)[0]
        return schedule.preview(self.scheduler, card, self.clock(), reps)

    def answer(self, card: StoredCard, rating: int, duration_ms: int | None) -> Answer:
        """Record ``rating`` for ``card``; committed to disk before this returns."""
        at = self.clock()
        interval: list[timedelta] = []

        def update(current: StoredCard) -> dict | None:
            if self.mode == "cram":
                return None
            reps = self.store.counts(current.id)[0]
            after = schedule.rate(self.scheduler, current, rating, at, reps, duration_ms)
            interval.append(after.due - at)
            return after.to_dict()

        review_id, after, leech = self.store.record(card.id, rating, at, duration_ms, self.mode, update,
                                                     self.settings.leech_lapses)
        result = Answer(review_id, after, rating, duration_ms, interval[0] if interval else None, leech)
        self.tally.reviewed += 1
        self.tally.passed += rating > 1
        self.tally.milliseconds += duration_ms or 0
        self.tally.answers.append(result)
        return result

    def undo(self, showing: StoredCard | None = None) -> StoredCard | None:
        """Take back this session's last rating: that card comes next, then ``showing`` (the card on
        screen, still to answer). None when there is nothing to undo; a ``StoreError`` when another
        session has rated the card since (the rating stands)."""
        if showing is not None:
            self.again.insert(0, showing.id)
        if not self.tally.answers:
            return None
        last = self.tally.answers[-1]
        card = self.store.undo(last.review_id)
        self.tally.answers.pop()
        self.tally.reviewed -= 1
        self.tally.passed -= last.rating > 1
        self.tally.milliseconds -= last.duration_ms or 0
        self.again.insert(0, card.id)
        return card

    def outlook(self, filters: Filters | None = None) -> Outlook:
        """What `srs review` would show now for ``filters`` (default: this session's)."""
        return outlook(self.store, self.settings, self.clock(), self.filters if filters is None else filters)
