"""The figures behind ``srs stats``, computed from the history alone (pure: no SQLite, no FSRS).

Days are review days: a day runs from the rollover hour (4 am by default) to the next, in local
time, as in ``srs review``. Retired cards (their source is gone) count only in the card states
and in the review calendar; every other figure is about the cards you still study.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from srs import weak
from srs.history import History, QuizResult, in_review
from srs.schedule import STATES, ReviewDay
from srs.store import Review, StoredCard, parse_stamp, stamp

FORECAST_DAYS = 30
WEAKEST_SHOWN = 5
CARD_STATES: tuple[str, ...] = ("new", "learning", "review", "relearning", "suspended", "leech", "retired")


def review_date(moment: datetime, rollover_hour: int) -> date:
    """The local date of the review day ``moment`` falls in (before the rollover hour: the day before)."""
    return ReviewDay.of(moment, rollover_hour).local_date


def state_of(card: StoredCard) -> str:
    """One of ``CARD_STATES``: retired, leech and suspended take precedence over the FSRS state."""
    if card.retired:
        return "retired"
    if card.leech:
        return "leech"
    if card.suspended:
        return "suspended"
    return STATES[card.state].lower()


@dataclass(frozen=True)
class Retention:
    """True retention and recall for one group of cards (an LP, a kind, or all of them)."""

    name: str
    reviews: int = 0  # ratings of cards in review state, cram left out (``history.in_review``)
    passed: int = 0  # …rated Hard, Good or Easy
    cards: int = 0  # active cards answered at least once
    recall: float | None = None  # their mean retrievability now

    @property
    def rate(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "reviews": self.reviews, "passed": self.passed, "retention": self.rate,
                "cards": self.cards, "recall": self.recall}


@dataclass(frozen=True)
class Leech:
    key: str
    lp: str
    kind: str
    front: str
    lapses: int


@dataclass(frozen=True)
class QuizScope:
    """Every quiz taken on one scenario or LP, oldest first."""

    scope: str
    attempts: tuple[QuizResult, ...]


@dataclass(frozen=True)
class Stats:
    at: datetime
    today: date  # the review day it is at ``at``
    states: dict[str, int]  # CARD_STATES → number of cards
    per_day: dict[date, int]  # review day → answers given (every mode), days with none left out
    forecast: tuple[int, ...]  # cards due on each of the next FORECAST_DAYS days; today's includes overdue
    overall: Retention
    by_lp: tuple[Retention, ...]
    by_kind: tuple[Retention, ...]
    weakest: tuple[weak.Evidence, ...]  # as ``weak.rank`` ranks them, at most WEAKEST_SHOWN
    leeches: tuple[Leech, ...]
    streak: int  # consecutive review days with an answer, up to today (or yesterday, if none yet today)
    quizzes: tuple[QuizScope, ...]  # the scope quizzed most recently first

    @property
    def reviews_today(self) -> int:
        return self.per_day.get(self.today, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "today": self.today.isoformat(),
            "cards": self.states,
            "reviews": {"total": sum(self.per_day.values()), "today": self.reviews_today,
                        "per_day": {day.isoformat(): n for day, n in sorted(self.per_day.items())}},
            "streak": self.streak,
            "forecast": [{"date": (self.today + timedelta(days=i)).isoformat(), "due": n}
                         for i, n in enumerate(self.forecast)],
            "retention": {"overall": self.overall.to_json(), "by_lp": [r.to_json() for r in self.by_lp],
                          "by_kind": [r.to_json() for r in self.by_kind]},
            "weakest": [e.to_json() for e in self.weakest],
            "leeches": [{"key": l.key, "lp": l.lp, "kind": l.kind, "front": l.front, "lapses": l.lapses}
                        for l in self.leeches],
            "quizzes": [{"scope": q.scope, "attempts": [
                {"taken_at": a.taken_at.isoformat(), "correct": a.correct, "total": a.total, "verdict": a.verdict}
                for a in q.attempts]} for q in self.quizzes],
        }


def compute(history: History, rollover_hour: int) -> Stats:
    """Every figure of ``srs stats`` for the moment ``history.at``."""
    today = review_date(history.at, rollover_hour)
    by_id = {card.id: card for card in history.cards}
    per_day = _per_day((r.reviewed_at for r in history.reviews), rollover_hour)
    studied = [r for r in history.reviews if not by_id[r.card_id].retired]
    lapses = Counter(r.card_id for r in studied if in_review(r) and r.rating == 1)
    active = [card for card in history.cards if not (card.retired or card.suspended)]
    states = Counter(map(state_of, history.cards))
    overall = _retention(studied, active, by_id, history.recall, lambda card: "all cards")
    return Stats(
        at=history.at,
        today=today,
        states={state: states[state] for state in CARD_STATES},
        per_day=dict(per_day),
        forecast=_forecast(active, today, rollover_hour),
        overall=overall[0] if overall else Retention("all cards"),
        by_lp=_retention(studied, active, by_id, history.recall, lambda card: card.lp),
        by_kind=_retention(studied, active, by_id, history.recall, lambda card: card.kind),
        weakest=tuple(weak.rank(history, WEAKEST_SHOWN)),
        leeches=tuple(sorted((Leech(c.key, c.lp, c.kind, c.content.get("front", ""), lapses[c.id])
                              for c in history.cards if c.leech and not c.retired),
                             key=lambda l: (-l.lapses, l.key))),
        streak=_streak(set(per_day), today),
        quizzes=_quiz_scopes(history.quizzes),
    )


def _per_day(stamps: Iterable[str], rollover_hour: int) -> Counter[date]:
    """Answers per review day. Stamps compare as text, so a day is worked out once, not per answer."""
    counts: Counter[date] = Counter()
    start = end = ""
    day = date.min
    for text in stamps:
        if not start <= text < end:
            review_day = ReviewDay.of(parse_stamp(text), rollover_hour)
            start, end, day = stamp(review_day.start), stamp(review_day.end), review_day.local_date
        counts[day] += 1
    return counts


def _forecast(active: list[StoredCard], today: date, rollover_hour: int) -> tuple[int, ...]:
    due = [0] * FORECAST_DAYS
    for card in active:
        if card.due is None:
            continue
        offset = max((review_date(parse_stamp(card.due), rollover_hour) - today).days, 0)
        if offset < FORECAST_DAYS:
            due[offset] += 1
    return tuple(due)


def _retention(studied: Iterable[Review], active: Iterable[StoredCard], by_id: dict[int, StoredCard],
               recall: Mapping[int, float], group: Callable[[StoredCard], str]) -> tuple[Retention, ...]:
    """Retention and recall per ``group`` of cards, in name order."""
    reviews: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    for review in studied:
        if in_review(review):
            name = group(by_id[review.card_id])
            reviews[name] += 1
            passed[name] += review.rating > 1
    seen: Counter[str] = Counter()
    recall_sum: Counter[str] = Counter()
    names = set(reviews)
    for card in active:
        name = group(card)
        names.add(name)
        if card.id in recall:
            seen[name] += 1
            recall_sum[name] += recall[card.id]
    return tuple(Retention(name, reviews[name], passed[name], seen[name],
                           recall_sum[name] / seen[name] if seen[name] else None) for name in sorted(names))


def _streak(days: set[date], today: date) -> int:
    """Review days in a row up to today; a day not yet studied today does not break it."""
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def _quiz_scopes(quizzes: Iterable[QuizResult]) -> tuple[QuizScope, ...]:
    by_scope: dict[str, list[QuizResult]] = defaultdict(list)
    for quiz in quizzes:
        by_scope[quiz.scope].append(quiz)
    ordered = sorted(by_scope.items(), key=lambda item: item[1][-1].taken_at, reverse=True)
    return tuple(QuizScope(scope, tuple(attempts)) for scope, attempts in ordered)
