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

from srs import schedule
from srs.config import Settings
from srs.schedule import LEARNING, RELEARNING, REVIEW, ReviewDay
from srs.store import ACTIVE, Store, StoredCard, parse_stamp, stamp

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


def due_queue(store: Store, settings: Settings, scheduler, now: datetime, filters: Filters) -> list[StoredCard]:
    """Today's review queue: reviews weakest first with new cards mixed in, under the daily limits.

    Learning cards are not in it: ``Session.next`` takes them when they come due.
    """
    day = ReviewDay.of(now, settings.rollover_hour)
    where, params = filters.sql()
    new_done, reviews_done = store.today_counts(day.start, day.end)
    reviews = store.cards(f"{where} AND state = {REVIEW} AND due < ?", (*params, stamp(day.end)))
    reviews.sort(key=lambda c: schedule.retrievability(scheduler, c, now))
    reviews = reviews[: max(settings.reviews_per_day - reviews_done, 0)]
    unseen = store.conn.execute(f"SELECT id, scenario, kind FROM cards WHERE {where} AND state IS NULL",
                                params).fetchall()
    chosen = schedule.introduction_order(unseen)[: max(settings.new_per_day - new_done, 0)]
    rank = {card_id: position for position, card_id in enumerate(chosen)}
    new = sorted(store.cards(f"id IN ({','.join('?' * len(chosen))})", tuple(chosen)), key=lambda c: rank[c.id])
    return schedule.spread(schedule.interleave(reviews, new))


class Session:
    """Serves cards one at a time and records answers; ``clock`` gives "now" for each answer."""

    def __init__(self, store: Store, settings: Settings, clock: Callable[[], datetime], queue: list[StoredCard],
                 filters: Filters = Filters(), mode: str = "review", limit: int | None = None,
                 learning: bool = True) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.scheduler = schedule.scheduler_for(store, settings)
        self.queue = list(queue)
        self.filters = filters
        self.mode = mode
        self.limit = limit
        self.learning = learning  # whether learning cards that come due join in
        self.tally = Tally()

    def next(self) -> StoredCard | None:
        """The next card to show, or None when the session is done."""
        if self.limit is not None and self.tally.reviewed >= self.limit:
            return None
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
        if not self.learning:
            return None
        where, params = self.filters.sql()
        due = self.store.cards(f"{where} AND state IN ({LEARNING}, {RELEARNING}) AND due <= ? ORDER BY due LIMIT 1",
                               (*params, stamp(now + ahead)))
        return due[0] if due else None

    def learning_due(self) -> int:
        """How many learning and relearning cards are due now (they come first, outside the queue)."""
        where, params = self.filters.sql()
        return self.store.conn.execute(
            f"SELECT count(*) FROM cards WHERE {where} AND state IN ({LEARNING}, {RELEARNING}) AND due <= ?",
            (*params, stamp(self.clock()))).fetchone()[0]

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

    def undo(self) -> StoredCard | None:
        """Take back this session's last rating; the card comes back to be answered again."""
        if not self.tally.answers:
            return None
        last = self.tally.answers[-1]
        card = self.store.undo(last.review_id)
        self.tally.answers.pop()
        self.tally.reviewed -= 1
        self.tally.passed -= last.rating > 1
        self.tally.milliseconds -= last.duration_ms or 0
        self.queue.insert(0, card)
        return card

    def next_due(self) -> datetime | None:
        """When the next card in this selection falls due (for the end-of-session summary)."""
        where, params = self.filters.sql()
        row = self.store.conn.execute(f"SELECT min(due) FROM cards WHERE {where} AND state IS NOT NULL",
                                      params).fetchone()
        return parse_stamp(row[0]) if row and row[0] else None
