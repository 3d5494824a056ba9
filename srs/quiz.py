"""A quiz: a short test of one story or one LP that ends in a verdict.

Spaced review answers "what should I see today"; a quiz answers "am I ready on this story?".
Building one is pure: the same scenarios, cards and seed always give the same questions, and
every random choice is drawn from one ``random.Random(seed)``.

The questions are the story's own multiple-choice questions plus questions generated from its
cards, each with one right option and a difficulty by this rule:

- **phrase → LP** (a ``phrase-lp`` card): the key phrase and four LPs. The wrong LPs are the
  ones the phrase is most easily confused with: the story's angles first, then LPs whose
  stories' key phrases share a word with it (most shared words first), then the others.
  *Easy*, or *medium* when a wrong option shares a word of signal with the phrase. In a quiz
  on one story or LP the answer would always be that LP, so about a third of these questions
  ask instead about a phrase from a *neighbouring* LP's story (an LP the quizzed stories can be
  reframed for), with the quizzed LP among the wrong options: telling your LP's signals from
  its neighbours' is what the interviewer listens for.
- **step → time** (a ``step-time`` card): a STAR step and four speaking-time targets. The wrong
  ones are the story's other steps' targets, then the right one ×½, ×2, ×3, ×1.5, ×4, rounded
  (whole seconds under 10 s, 5 s under a minute, 10 s above) and never equal to it. *Medium*.
  The whole story at a level (a budget such as 150–180 seconds) against the story's other
  levels' budgets and scaled ones: *hard*, as the levels differ by a few tens of seconds.
- **disqualifier** (a quoted ``disqualifier`` card): which of four phrases an interviewer would
  flag; the other three are strong key phrases of the same story. *Medium*. The rest of the weak
  answer is not used for wrong options: the bundled weak answers are almost all quoted
  disqualifiers, and what is left is weak too, so it could not be safely wrong.
- **authored** (an ``mcq`` card): the author's difficulty. Options are shuffled unless the
  solution, hint or options name an option by its letter ("B treats the belief…"), which a
  shuffle would make false; those keep the author's order.

The mix is about 3 easy, 4 medium and 3 hard in 10 (``mix``); a difficulty short of questions
is made up from medium, then hard, then easy ones.
"""

from __future__ import annotations

import random
import re
import shlex
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from srs.compile import Card, seconds_text
from srs.names import DIFFICULTIES, LABELS, LPS, counted
from srs.scenario import Scenario, fold

OPTIONS = 4  # options of a generated question
FACTORS = (0.5, 2, 3, 1.5, 4)  # scaled targets, most plausible first
STRONG, SHAKY, WEAK = "strong", "shaky", "weak"
STRONG_SHARE = 0.8  # strong: at least this share right, and every hard question right
WEAK_SHARE = 0.5  # weak: below this share right
# An option named by its letter: "B and C are generic", "(D)", "A is a slogan" (not "A bigger cluster").
_LETTER = re.compile(r"\b[B-F]\b|\bA\b(?=\s+(?:is|and|or)\b|\s*[;,)])")
_STOPWORDS = frozenset(
    "the and for with that this was were are not but from into out our their they them had has have did "
    "does all any more most about after before then than its it's over just only very what when who why how "
    "one two per".split())


@dataclass(frozen=True)
class Question:
    """One multiple-choice question, built from one compiled card: ``key`` is that card's key."""

    key: str
    kind: str  # the card's kind: mcq, phrase-lp, step-time or disqualifier
    scenario: str
    lp: str
    step: str | None
    level: str | None
    difficulty: str
    prompt: str
    front: str
    options: tuple[str, ...]
    answer: int  # index of the right option
    solution: tuple[str, ...] = ()
    hint: str = ""

    def to_json(self) -> dict:
        return {"key": self.key, "kind": self.kind, "scenario": self.scenario, "lp": self.lp, "step": self.step,
                "level": self.level, "difficulty": self.difficulty, "prompt": self.prompt, "front": self.front,
                "options": list(self.options), "answer": LABELS[self.answer], "solution": list(self.solution),
                "hint": self.hint}


def build(scope: Sequence[Scenario], deck: Sequence[Scenario], cards: Iterable[Card], count: int,
          seed: int) -> list[Question]:
    """``count`` questions on the ``scope`` scenarios (fewer if they have fewer), easy first.

    ``deck`` is every loaded scenario: the LPs they file key phrases under tell which wrong
    LPs share signal with a phrase.
    """
    rng = random.Random(seed)
    return pick(candidates(scope, deck, cards, rng), count, rng)


def candidates(scope: Sequence[Scenario], deck: Sequence[Scenario], cards: Iterable[Card],
               rng: random.Random) -> list[Question]:
    """Every question the ``scope`` scenarios' cards give, in card order."""
    signal = _signal(deck)
    by_scenario: dict[str, list[Card]] = defaultdict(list)
    for card in cards:
        by_scenario[card.scenario].append(card)
    out: list[Question] = []
    own_phrases = 0
    for s in scope:
        weak = s.weak_answer.disqualifiers if s.weak_answer else ()
        quotes = {f"“{d.quote}”": d.quote for d in weak if d.quote}  # card front → the quote
        for card in by_scenario[s.id]:
            if card.kind == "mcq":
                out.append(_authored(card, rng))
            elif card.kind == "phrase-lp":
                out.append(_phrase(card, s, signal, rng))
                own_phrases += 1
            elif card.kind == "step-time":
                out.append(_timing(card, s, rng))
            elif card.kind == "disqualifier" and card.step is None and card.front in quotes:
                question = _disqualifier(card, s, quotes[card.front], rng)
                if question is not None:
                    out.append(question)
    return out + _neighbour_phrases(scope, deck, by_scenario, signal, own_phrases // 2, rng)


def _neighbour_phrases(scope: Sequence[Scenario], deck: Sequence[Scenario], by_scenario: dict[str, list[Card]],
                       signal: dict[str, set[str]], count: int, rng: random.Random) -> list[Question]:
    """Up to ``count`` phrase → LP questions on phrases of the LPs the ``scope`` stories can be
    reframed for, each with the quizzed LP as the tempting wrong option."""
    quizzed = {s.lp for s in scope}
    if len(quizzed) != 1:
        return []  # a quiz across LPs already mixes them
    (tempting,) = quizzed
    near = {a.lp for s in scope for a in s.angles} - quizzed
    pool = [(card, s) for s in deck if s.lp in near for card in by_scenario[s.id] if card.kind == "phrase-lp"]
    rng.shuffle(pool)
    return [_phrase(card, s, signal, rng, tempting) for card, s in pool[:count]]


def mix(count: int) -> dict[str, int]:
    """How many of each difficulty ``count`` questions should have: 3/4/3 in 10, 1/3/1 in 5."""
    side = (3 * count + 4) // 10  # 30%, rounded half down so medium keeps the middle
    return {"easy": side, "medium": count - 2 * side, "hard": side}


def pick(pool: Sequence[Question], count: int, rng: random.Random) -> list[Question]:
    """``count`` questions of ``pool`` in the ``mix``, varied in kind, ordered easy → hard."""
    ranked = {d: _varied([q for q in pool if q.difficulty == d], rng) for d in DIFFICULTIES}
    chosen = {d: ranked[d][:want] for d, want in mix(count).items()}
    for d in ("medium", "hard", "easy"):  # make up a shortfall: rather harder than easier
        short = count - sum(len(qs) for qs in chosen.values())
        chosen[d] += ranked[d][len(chosen[d]): len(chosen[d]) + short]
    return [q for d in DIFFICULTIES for q in chosen[d]]


def _varied(questions: list[Question], rng: random.Random) -> list[Question]:
    """``questions`` shuffled, then dealt one kind at a time so any prefix mixes the kinds."""
    groups: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        groups[q.kind].append(q)
    kinds = sorted(groups)
    rng.shuffle(kinds)
    for kind in kinds:
        rng.shuffle(groups[kind])
    return [q for row in zip_longest(*(groups[k] for k in kinds)) for q in row if q is not None]


def _shuffled(right: str, wrong: Sequence[str], rng: random.Random) -> tuple[tuple[str, ...], int]:
    options = [right, *wrong]
    rng.shuffle(options)
    return tuple(options), options.index(right)


def _detail(card: Card, label: str) -> tuple[str, ...]:
    return next((d.lines for d in card.details if d.label == label), ())


def _authored(card: Card, rng: random.Random) -> Question:
    solution, hint = _detail(card, "Solution"), " ".join(_detail(card, "Hint"))
    order = list(range(len(card.options)))
    if not any(_LETTER.search(text) for text in (*card.options, *solution, hint, *_detail(card, "Common mistakes"))):
        rng.shuffle(order)
    return Question(card.key, card.kind, card.scenario, card.lp, card.step, card.level, card.difficulty,
                    card.prompt, card.front, tuple(card.options[i] for i in order), order.index(card.answer),
                    solution, hint)


def _words(text: str) -> set[str]:
    return {w for w in fold(text).split() if len(w) > 2 and w not in _STOPWORDS}


def _signal(deck: Sequence[Scenario]) -> dict[str, set[str]]:
    """LP → the words of the key phrases filed under it anywhere in the deck."""
    words: dict[str, set[str]] = defaultdict(set)
    for s in deck:
        for step in s.steps.values():
            for phrase in step.key_phrases:
                words[s.lp] |= _words(phrase.text)
    return words


def _phrase(card: Card, s: Scenario, signal: dict[str, set[str]], rng: random.Random,
            tempting: str | None = None) -> Question:
    words = _words(card.front)
    angles = {a.lp for a in s.angles}
    shared = {lp: len(words & signal.get(lp, set())) for lp in LPS}
    others = [lp for lp in LPS if lp != card.lp]
    rng.shuffle(others)  # ties in confusability fall in a seeded order
    others.sort(key=lambda lp: (lp != tempting, lp not in angles, -shared[lp]))
    wrong = others[: OPTIONS - 1]
    options, answer = _shuffled(card.lp, wrong, rng)
    step = s.steps[card.step]
    step_name = card.step.capitalize()
    solution = [f"{card.front}: a key phrase of the {step_name} step in the {card.lp} story “{s.title}”."]
    if tempting:
        solution.append(f"It signals {card.lp}, not {tempting}: learn what tells the two apart.")
    retold = [lp for lp in wrong if lp in angles and lp != tempting]
    if retold:
        solution.append(f"The story can be retold for {' and '.join(retold)} (its angles), "
                        f"but this phrase belongs to its {card.lp} telling.")
    siblings = [f"“{p.text}”" for p in step.key_phrases if f"“{p.text}”" != card.front]
    return Question(card.key, card.kind, card.scenario, card.lp, card.step, card.level,
                    "medium" if any(shared[lp] for lp in wrong) else "easy",
                    "Which Leadership Principle does this phrase signal?", card.front, options, answer,
                    tuple(solution), f"The {step_name} step's other phrases: {', '.join(siblings)}" if siblings else "")


def _rounded(seconds: float) -> int:
    """A target as a person would say it: whole seconds under 10, fives under a minute, tens above."""
    unit = 1 if seconds < 10 else 5 if seconds < 60 else 10
    return max(1, int(seconds / unit + 0.5) * unit)  # halves round up: 7.5 → 10, 75 → 80


def _time_options(right: tuple[int, int], others: Iterable[tuple[int, int]],
                  rng: random.Random) -> list[tuple[int, int]]:
    """Wrong budgets for ``right``: the story's other targets (in seeded order), then scaled ones."""
    siblings = sorted(set(others) - {right})
    rng.shuffle(siblings)
    scaled = [(_rounded(right[0] * f), _rounded(right[1] * f)) for f in FACTORS]
    return list(dict.fromkeys(b for b in (*siblings, *scaled) if b != right))[: OPTIONS - 1]


def _timing(card: Card, s: Scenario, rng: random.Random) -> Question:
    plan = " · ".join(f"{step.name.capitalize()} {step.target_seconds} s" for step in s.steps.values())
    if card.step is not None:  # one STAR step
        right = (s.steps[card.step].target_seconds,) * 2
        others = [(step.target_seconds,) * 2 for step in s.steps.values()]
        solution = (f"{card.step.capitalize()}: {card.back}.", *_detail(card, "Coaching"))
        hint, difficulty = f"The story's plan: {plan}.", "medium"
    else:  # the whole story at one level
        right = next(cal.target_seconds for cal in s.levels if cal.level == card.level)
        others = [cal.target_seconds for cal in s.levels]
        solution = (f"At {card.level} the whole story takes {card.back}.", *_detail(card, "Focus"))
        total = sum(step.target_seconds for step in s.steps.values())
        told = f", the story as told at {s.level}" if s.level else ""
        hint, difficulty = f"The steps' targets add up to {total} seconds{told} ({plan}).", "hard"
    options, answer = _shuffled(seconds_text(right), [seconds_text(b) for b in _time_options(right, others, rng)], rng)
    return Question(card.key, card.kind, card.scenario, card.lp, card.step, card.level, difficulty,
                    card.prompt, card.front, options, answer, solution, hint)


def _disqualifier(card: Card, s: Scenario, quote: str, rng: random.Random) -> Question | None:
    """None when the story has no strong phrase unlike the quote to set beside it."""
    weak = s.weak_answer
    flagged = {fold(d.quote) for d in weak.disqualifiers if d.quote}
    strong = {fold(p.text): p.text for step in s.steps.values() for p in step.key_phrases
              if fold(p.text) not in flagged and fold(p.text) not in fold(quote) and fold(quote) not in fold(p.text)}
    if not strong:
        return None
    pool = sorted(strong.values())
    rng.shuffle(pool)
    options, answer = _shuffled(card.front, [f"“{p}”" for p in pool[: OPTIONS - 1]], rng)
    return Question(card.key, card.kind, card.scenario, card.lp, card.step, card.level, "medium",
                    "Which of these phrases would an interviewer flag as a disqualifier?",
                    f"Telling “{s.title}” for {s.lp}.", options, answer,
                    (f"{card.front}: {card.back}", f"From the weak answer: {weak.text}"), weak.verdict)


# --- grading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    question: Question
    chosen: int  # index of the option given

    @property
    def correct(self) -> bool:
        return self.chosen == self.question.answer


@dataclass(frozen=True)
class Result:
    """A finished quiz: every answer, the score and the verdict."""

    answers: tuple[Answer, ...]

    @property
    def correct(self) -> int:
        return sum(a.correct for a in self.answers)

    @property
    def total(self) -> int:
        return len(self.answers)

    @property
    def share(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def missed(self) -> tuple[Answer, ...]:
        return tuple(a for a in self.answers if not a.correct)

    def by_difficulty(self) -> dict[str, tuple[int, int]]:
        """difficulty → (right, asked), for the difficulties asked, easy first."""
        asked = Counter(a.question.difficulty for a in self.answers)
        right = Counter(a.question.difficulty for a in self.answers if a.correct)
        return {d: (right[d], asked[d]) for d in DIFFICULTIES if asked[d]}

    @property
    def verdict(self) -> str:
        """strong: ≥ 80% and every hard question right; weak: below 50%; shaky: in between."""
        if self.share < WEAK_SHARE:
            return WEAK
        hard_missed = any(a.question.difficulty == "hard" for a in self.missed)
        return STRONG if self.share >= STRONG_SHARE and not hard_missed else SHAKY

    def reason(self) -> str:
        """Why the verdict is what it is, in one sentence."""
        hard = sum(a.question.difficulty == "hard" for a in self.missed)
        if self.verdict == STRONG:
            return f"{self.share:.0%} right, every hard question included."
        if self.verdict == WEAK:
            return f"{self.share:.0%} right, below {WEAK_SHARE:.0%}."
        if self.share >= STRONG_SHARE:
            return f"{self.share:.0%} right, but {counted(hard, 'hard question')} missed."
        return f"{self.share:.0%} right; strong needs {STRONG_SHARE:.0%} with every hard question right."

    def suggestion(self) -> str | None:
        """The drill for what was missed: the LP missed most, narrowed to a kind when all misses share one."""
        if not self.missed:
            return None
        lp = Counter(a.question.lp for a in self.missed).most_common(1)[0][0]
        kinds = {a.question.kind for a in self.missed if a.question.lp == lp}
        kind = f" --kind {kinds.pop()}" if len(kinds) == 1 else ""
        return f"srs drill --lp {shlex.quote(lp)}{kind}"
