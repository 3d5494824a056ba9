"""Which categories of card you keep failing: what ``srs drill --weak`` drills and ``srs stats`` shows.

A category is one value of one dimension: LP "Dive Deep", kind "mcq", step "action", difficulty
"hard", level "SDE2". Its score is its failures divided by its evidence, pooled over four sources:

- reviews of cards in review state, failed when rated Again: forgetting what you once knew
  (FSRS's lapse; cram practice is left out, as it is from the leech count);
- every answer of the last ``RECENT_DAYS`` days, drill and cram included, failed when Again:
  counted a second time so that a category that has started to slip shows before its cards
  fall due;
- ``srs quiz`` answers, failed when wrong (quizzes are rare, so all of them count);
- each card you have seen, failed by FSRS's predicted chance that you have forgotten it now.

Pooling weighs each rate by the evidence behind it, so two unlucky answers this week do not
outweigh sixty reviews. 0 means never failing, 1 always failing.

One weak LP makes every kind and step it contains look weak too, so categories are ranked one at
a time: each next category is judged only on the cards (and quiz answers) that the ones ranked
before it do not already cover.

The first answer to a new card is meeting it, not forgetting it, and a new card has no recall to
predict: new cards are counted as unknown, never as weak. Retired cards (their source is gone) and
suspended cards are not judged, though a suspended card's past answers still count as evidence.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from srs.history import History, in_review
from srs.names import counted
from srs.store import StoredCard, stamp

DIMENSIONS: tuple[str, ...] = ("lp", "kind", "step", "difficulty", "level")
_NAMES = {"lp": "LP", "kind": "kind", "step": "step", "difficulty": "difficulty", "level": "level"}

# Below this many answers a single unlucky one moves a rate by more than ten points: not judged.
MIN_ANSWERS = 10
# "Recent" for the recent failure rate: long enough to hold a few answers per category, short
# enough to show that a category has started to slip (or has recovered).
RECENT_DAYS = 14
# Twice the 10% failure FSRS aims for at the default desired retention of 0.9: failing this often
# is more than noise around the target.
WEAK_SCORE = 0.2
# Drilling more categories at once dilutes the drill into a general review.
MAX_CHOSEN = 3


class Categorised(Protocol):
    lp: str
    kind: str
    step: str | None
    difficulty: str | None
    level: str | None


@dataclass(frozen=True)
class Category:
    dimension: str  # one of DIMENSIONS
    value: str

    def __str__(self) -> str:
        return f"{_NAMES[self.dimension]} {self.value}"

    def holds(self, item: Categorised) -> bool:
        return getattr(item, self.dimension) == self.value


def categories(item: Categorised) -> list[Category]:
    """The categories a card (or a quiz answer) belongs to: one per dimension that applies to it."""
    return [Category(d, value) for d in DIMENSIONS if (value := getattr(item, d)) is not None]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Evidence:
    """What the history says about one category, and the score it earns."""

    category: Category
    outside: tuple[Category, ...] = ()  # judged leaving out the cards of these (ranked before it)
    answers: int = 0  # judged answers of all time: reviews after first sight, and quiz answers
    review_answers: int = 0  # answers on cards in review state, cram left out
    lapses: int = 0  # …of which Again
    recent_answers: int = 0  # answers in the last RECENT_DAYS days
    recent_failed: int = 0  # …of which Again
    quiz_answers: int = 0
    quiz_missed: int = 0
    seen: int = 0  # active cards answered at least once
    recall: float | None = None  # their mean retrievability now
    new: int = 0  # active cards never answered: unknown, not weak

    @property
    def lapse_rate(self) -> float | None:
        return _rate(self.lapses, self.review_answers)

    @property
    def recent_fail_rate(self) -> float | None:
        return _rate(self.recent_failed, self.recent_answers)

    @property
    def quiz_miss_rate(self) -> float | None:
        return _rate(self.quiz_missed, self.quiz_answers)

    @property
    def score(self) -> float | None:
        """Failures ÷ evidence over the four sources in the module docstring; None without evidence."""
        evidence = self.review_answers + self.recent_answers + self.quiz_answers + self.seen
        if not evidence:
            return None
        forgetting = self.seen * (1 - self.recall) if self.recall is not None else 0.0
        return (self.lapses + self.recent_failed + self.quiz_missed + forgetting) / evidence

    def score_text(self) -> str:
        """The score to two places, rounded down, so that one just under ``WEAK_SCORE`` never reads as it."""
        return f"{math.floor((self.score or 0) * 100 + 1e-9) / 100:.2f}"

    @property
    def judged(self) -> bool:
        return self.answers >= MIN_ANSWERS and self.score is not None

    @property
    def weak(self) -> bool:
        return self.judged and self.score >= WEAK_SCORE

    def why(self) -> str:
        """The figures behind the score, in words."""
        parts = [f"outside {', '.join(map(str, self.outside))}:"] if self.outside else []
        if self.review_answers:
            parts.append(f"lapsed {self.lapses} of {self.review_answers} reviews ({self.lapse_rate:.0%})")
        if self.recent_answers:
            parts.append(f"Again {self.recent_failed} of {self.recent_answers} in {RECENT_DAYS} days "
                         f"({self.recent_fail_rate:.0%})")
        if self.recall is not None:
            parts.append(f"recall now {self.recall:.0%} over {counted(self.seen, 'card')}")
        if self.quiz_answers:
            parts.append(f"quiz missed {self.quiz_missed} of {self.quiz_answers} ({self.quiz_miss_rate:.0%})")
        if self.new:
            parts.append(f"{self.new} new not judged")
        if not self.judged:
            parts.append(f"only {counted(self.answers, 'answer')}, {MIN_ANSWERS} needed")
        return " · ".join(parts).replace(": · ", ": ")

    def to_json(self) -> dict[str, Any]:
        return {"dimension": self.category.dimension, "value": self.category.value,
                "outside": [{"dimension": c.dimension, "value": c.value} for c in self.outside], "score": self.score,
                "judged": self.judged, "weak": self.weak, "answers": self.answers,
                "review_answers": self.review_answers, "lapses": self.lapses, "lapse_rate": self.lapse_rate,
                "recent_answers": self.recent_answers, "recent_failed": self.recent_failed,
                "recent_fail_rate": self.recent_fail_rate, "quiz_answers": self.quiz_answers,
                "quiz_missed": self.quiz_missed, "quiz_miss_rate": self.quiz_miss_rate,
                "seen": self.seen, "recall": self.recall, "new": self.new}


def judge(history: History, outside: tuple[Category, ...] = ()) -> list[Evidence]:
    """The evidence on every category, judged ones first, weakest first.

    Cards and quiz answers in any of the ``outside`` categories are left out.
    """
    return _judge(history, _per_card(history), outside)


def _per_card(history: History) -> dict[int, Counter[str]]:
    """Each card's share of the evidence, in one pass over the log (``rank`` judges several times)."""
    recent = stamp(history.at - timedelta(days=RECENT_DAYS))
    tallies: dict[int, Counter[str]] = defaultdict(Counter)
    for review in history.reviews:
        if review.state_before is None:
            continue
        tally = tallies[review.card_id]
        failed = review.rating == 1
        tally["answers"] += 1
        if in_review(review):
            tally["review_answers"] += 1
            tally["lapses"] += failed
        if review.reviewed_at >= recent:
            tally["recent_answers"] += 1
            tally["recent_failed"] += failed
    for card in history.cards:
        if card.suspended:
            continue
        tallies[card.id]["seen" if card.id in history.recall else "new"] += 1
    return tallies


def _judge(history: History, per_card: dict[int, Counter[str]], outside: tuple[Category, ...]) -> list[Evidence]:
    def kept(item: Categorised) -> bool:
        return not any(category.holds(item) for category in outside)

    counts: dict[Category, Counter[str]] = defaultdict(Counter)
    recall_sum: dict[Category, float] = defaultdict(float)
    for card in history.cards:
        if card.id in per_card and not card.retired and kept(card):
            for category in categories(card):
                counts[category].update(per_card[card.id])
                if not card.suspended and card.id in history.recall:
                    recall_sum[category] += history.recall[card.id]
    for answer in filter(kept, history.quiz_answers):
        for category in categories(answer):
            tally = counts[category]
            tally["answers"] += 1
            tally["quiz_answers"] += 1
            tally["quiz_missed"] += not answer.correct
    evidence = [Evidence(category, outside, **tally,
                         recall=recall_sum[category] / tally["seen"] if tally["seen"] else None)
                for category, tally in counts.items()]
    return sorted(evidence, key=lambda e: (not e.judged, -(e.score or 0), -e.answers,
                                           DIMENSIONS.index(e.category.dimension), e.category.value))


def rank(history: History, limit: int) -> list[Evidence]:
    """Up to ``limit`` judged categories, weakest first, each judged outside the ones before it.

    Only categories with an active card you have seen are ranked: there is something to drill.
    """
    per_card = _per_card(history)
    ranked: list[Evidence] = []
    while len(ranked) < limit:
        outside = tuple(e.category for e in ranked)
        best = next((e for e in _judge(history, per_card, outside) if e.judged and e.seen), None)
        if best is None:
            break
        ranked.append(best)
    return ranked


def by_recall(cards: Iterable[StoredCard], recall: Mapping[int, float]) -> list[StoredCard]:
    """Seen cards, the one you are likeliest to have forgotten first."""
    return sorted((card for card in cards if card.id in recall), key=lambda c: (recall[c.id], c.key))


def weakest_cards(history: History, chosen: Iterable[Evidence], count: int) -> list[StoredCard]:
    """Up to ``count`` active seen cards of the chosen categories, lowest recall first."""
    wanted = [e.category for e in chosen]
    cards = (card for card in history.cards if not (card.retired or card.suspended)
             and any(category.holds(card) for category in wanted))
    return by_recall(cards, history.recall)[:count]
