"""The study history as plain rows: every card with its recall now, every answer, every quiz.

``srs stats`` and ``srs drill --weak`` judge the same evidence, so it is read here, once, at
the edge; judging it (``srs.weak``, ``srs.stats``) is pure and needs neither SQLite nor FSRS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from srs.schedule import REVIEW, retrievability
from srs.store import Review, Store, StoredCard, parse_stamp

if TYPE_CHECKING:
    import fsrs


@dataclass(frozen=True)
class QuizAnswer:
    """One answer given in ``srs quiz``, filed under the categories of the card behind its question.

    The card is the truth about categories: a question the quiz made from a phrase card carries
    the quiz's own difficulty, which no card of that kind has. Only a question with no card (or
    one since removed) keeps the categories the quiz recorded.
    """

    taken_at: str  # the quiz's time, a store stamp
    lp: str
    kind: str
    step: str | None
    difficulty: str | None
    level: str | None
    correct: bool


@dataclass(frozen=True)
class QuizResult:
    scope: str  # 'scenario:<id>' or 'lp:<LP>'
    taken_at: datetime
    correct: int
    total: int
    verdict: str


@dataclass(frozen=True)
class History:
    at: datetime  # the moment ``recall`` is computed for
    cards: tuple[StoredCard, ...]  # all of them, retired and suspended too
    recall: Mapping[int, float]  # card id → retrievability at ``at``, for cards seen at least once
    reviews: tuple[Review, ...]  # the whole log, oldest first
    quiz_answers: tuple[QuizAnswer, ...]
    quizzes: tuple[QuizResult, ...]  # oldest first


def in_review(review: Review) -> bool:
    """A rating of a card in review state, outside cram: what true retention and lapses are counted on."""
    return review.state_before == REVIEW and review.mode != "cram"


def read(store: Store, scheduler: fsrs.Scheduler, at: datetime) -> History:
    """Everything the store knows about your studying, with each seen card's recall at ``at``."""
    cards = tuple(store.cards())
    columns = ", ".join(f"CASE WHEN c.id IS NULL THEN a.{name} ELSE c.{name} END"
                        for name in ("lp", "kind", "step", "difficulty", "level"))
    quiz_answers = tuple(QuizAnswer(taken_at, lp, kind, step, difficulty, level, bool(correct))
                         for taken_at, lp, kind, step, difficulty, level, correct in store.conn.execute(
                             f"SELECT q.taken_at, {columns}, a.correct FROM quiz_answers a "
                             "JOIN quizzes q ON q.id = a.quiz_id LEFT JOIN cards c ON c.key = a.card_key "
                             "ORDER BY q.taken_at, a.position"))
    quizzes = tuple(QuizResult(scope, parse_stamp(taken_at), correct, total, verdict)
                    for scope, taken_at, correct, total, verdict in store.conn.execute(
                        "SELECT scope, taken_at, correct, total, verdict FROM quizzes ORDER BY taken_at, id"))
    return History(at, cards, {card.id: retrievability(scheduler, card, at) for card in cards if not card.is_new},
                   tuple(store.reviews()), quiz_answers, quizzes)
