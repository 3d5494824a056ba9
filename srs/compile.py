"""Scenarios → cards: the flashcards every command and exporter works from.

A card's ``key`` is ``<scenario id>/<kind>/<item key>``. Item keys come from explicit ids or
from the item's identifying text, never from list positions or from hashing all of its text,
so editing an answer keeps the card and its review history.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from srs.names import LABELS, slug
from srs.problems import Problem
from srs.scenario import Scenario, Where, by_position, fold


@dataclass(frozen=True)
class Detail:
    """A labelled part of a card's back: one paragraph, or a list when ``lines`` has several."""

    label: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Card:
    key: str
    kind: str
    scenario: str
    lp: str
    prompt: str  # the instruction: "Which LP does this phrase signal?"
    front: str  # the material the prompt is about
    back: str  # the answer, in one line or paragraph
    step: str | None = None
    difficulty: str | None = None
    level: str | None = None
    options: tuple[str, ...] = ()  # multiple choice only, labelled A, B, C…
    answer: int | None = None  # index of the right option
    details: tuple[Detail, ...] = ()
    title: str = ""  # the scenario's title, for context
    tags: tuple[str, ...] = ()  # the scenario's own tags (payments, webhooks…), for searching
    path: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)
    col: int = field(default=0, compare=False)

    @property
    def categories(self) -> dict[str, str | None]:
        return {"lp": self.lp, "kind": self.kind, "step": self.step,
                "difficulty": self.difficulty, "level": self.level}

    def content_hash(self) -> str:
        """Changes whenever anything shown on the card changes (not its source position)."""
        data = asdict(self)
        del data["path"], data["line"], data["col"]
        return hashlib.blake2b(json.dumps(data, sort_keys=True).encode(), digest_size=12).hexdigest()

    def to_json(self) -> dict:
        data = asdict(self)
        data["details"] = [{"label": d.label, "lines": list(d.lines)} for d in self.details]
        data["options"] = list(self.options)
        data["answer_label"] = LABELS[self.answer] if self.answer is not None else None
        return data


def _step_label(step: str) -> str:
    return step.capitalize()


def _details(*pairs: tuple[str, str | tuple[str, ...]]) -> tuple[Detail, ...]:
    out = []
    for label, value in pairs:
        lines = (value,) if isinstance(value, str) else tuple(value)
        lines = tuple(line for line in lines if line)
        if lines:
            out.append(Detail(label, lines))
    return tuple(out)


def compile_scenario(s: Scenario) -> tuple[list[Card], list[Problem]]:
    """Every card of ``s``; an error for each pair of items that would share a card key."""
    cards: list[Card] = []
    first: dict[str, Where] = {}
    clashed: set[Where] = set()  # one message per item, though it may clash on several cards
    problems: list[Problem] = []

    def add(kind: str, item: str, at: Where, what: str, fix: str = "give one of them a distinct id",
            prefix: str = "", **fields) -> None:
        if not item:  # its identifying text is missing or invalid (a draft, or a file with errors)
            return
        key = f"{s.id}/{kind}/{prefix}{item}"
        if key in first:
            if at not in clashed:
                clashed.add(at)
                other = first[key]
                place = f"line {other.line}" + (f", column {other.col}" if other.line == at.line else "")
                problems.append(Problem(s.path, at.line, at.col,
                                        f"{what} gives the same card key as the one at {place} ('{key}'); {fix}"))
            return
        first[key] = at
        fields.setdefault("lp", s.lp)
        cards.append(Card(key=key, kind=kind, scenario=s.id, title=s.title, tags=s.tags, path=s.path, line=at.line,
                          col=at.col, **fields))

    for step in s.steps.values():
        for phrase in step.key_phrases:
            add("phrase-lp", slug(phrase.text), phrase.at, f"key phrase {phrase.text!r}",
                "list each key phrase once per story (case and punctuation do not count)",
                prompt="Which Leadership Principle does this phrase signal, and in which STAR step?",
                front=f"“{phrase.text}”", back=s.lp, step=step.name,
                details=_details(("Step", _step_label(step.name)), ("Story", s.title)))
    _disqualifiers(s, add)
    for step in s.steps.values():
        add("step-time", step.name, step.at, f"step '{step.name}'", step=step.name,
            prompt="How long should this step take when you tell the story?",
            front=f"{_step_label(step.name)} — {s.title}", back=f"{step.target_seconds} seconds",
            details=_details(("Coaching", step.coaching),
                             ("Key phrases", tuple(p.text for p in step.key_phrases))))
    for cal in s.levels:
        add("step-time", slug(cal.level), cal.at, f"level '{cal.level}'", "list each level once", prefix="level-",
            level=cal.level, prompt="How long should the whole story take at this level?",
            front=f"The whole story at {cal.level} — {s.title}", back=seconds_text(cal.target_seconds),
            details=_details(("Focus", cal.focus)))
    for q in s.questions:
        if q.answer < 0:  # only in a lenient (draft) parse: no valid answer, so no card
            continue
        add("mcq", q.key, q.at, "question", difficulty=q.difficulty,
            prompt="Choose one option.", front=q.prompt, back=f"{LABELS[q.answer]}. {q.options[q.answer]}",
            options=q.options, answer=q.answer,
            details=_details(("Solution", q.solution), ("Hint", q.hint), ("Common mistakes", q.common_mistakes)))
    for p in s.probes:
        add("probe", p.key, p.at, "probe",
            prompt="Follow-up question: how do you answer it?", front=p.question, back=p.strong_answer,
            details=_details(("Takeaway", p.takeaway), ("It tests", p.tests),
                             ("Weak answer", p.weak_answer), ("Why the weak answer fails", p.weak_why)))
    for c in s.concept_checks:
        add("concept", c.key, c.at, "concept check", prompt="Concept check", front=c.question, back=c.answer)
    for a in s.angles:
        add("angle", slug(a.lp), a.at, f"angle for {a.lp!r}", "give each LP one angle", lp=a.lp,
            prompt=(f"Reframe this {s.lp} story for {a.lp}: what do you lead with?" if a.lp != s.lp
                    else f"Telling this story for {a.lp}: what do you lead with?"),
            front=s.title, back=a.lead,
            details=_details(("Emphasize", a.emphasize), ("Downplay", a.downplay)))
    for cal in s.levels:
        add("level", slug(cal.level), cal.at, f"level '{cal.level}'", "list each level once", level=cal.level,
            prompt=f"What does the bar look like for this story at {cal.level}?",
            front=f"{s.title} — at {cal.level}", back=cal.bar,
            details=_details(("Focus", cal.focus), ("Reflection", cal.reflection),
                             ("Time budget", seconds_text(cal.target_seconds))))
    return cards, sorted(problems, key=by_position)


def _disqualifiers(s: Scenario, add: Callable[..., None]) -> None:
    weak = s.weak_answer
    if weak is not None:
        add("disqualifier", "weak-answer", weak.at, "the weak answer",
            prompt="What disqualifies this answer?", front=weak.text,
            back="\n".join(d.why for d in weak.disqualifiers),  # one disqualifier a line
            details=_details(("Flagged phrases", tuple(f"“{d.quote}”" for d in weak.disqualifiers if d.quote)),
                             ("Verdict", weak.verdict)))
        for d in weak.disqualifiers:
            if d.quote:
                add("disqualifier", slug(d.quote), d.at, f"disqualifier quote {d.quote!r}",
                    "quote each phrase once, in words that differ from the other disqualifier cards",
                    prompt="Why does this phrase weaken the answer?", front=f"“{d.quote}”", back=d.why,
                    details=_details(("In context", weak.text)))
    for p in s.probes:
        add("disqualifier", p.key, p.at, "probe", prefix="probe-",
            prompt="Why does this answer to the follow-up fail?", front=f"{p.question}\nThe answer given: “{p.weak_answer}”",
            back=p.weak_why, details=_details(("Stronger", p.strong_answer)))
    for step in s.steps.values():
        if step.common_mistake:
            add("disqualifier", f"{step.name}-mistake", step.at, f"common mistake of step '{step.name}'",
                step=step.name, prompt=f"Why does this {_step_label(step.name)} step fail, and what fixes it?",
                front=step.common_mistake, back=step.coaching or f"See the strong {step.name} example.",
                details=_details(("Strong example", step.example)))


def seconds_text(budget: tuple[int, int]) -> str:
    low, high = budget
    return f"{low} seconds" if low == high else f"{low}–{high} seconds"


def ambiguous_phrases(cards: list[Card]) -> list[Problem]:
    """A warning for each key phrase that two scenarios file under different LPs."""
    claims: dict[str, Card] = {}
    problems = []
    for card in cards:
        if card.kind != "phrase-lp":
            continue
        phrase = fold(card.front)
        other = claims.setdefault(phrase, card)
        if other.lp != card.lp:
            problems.append(Problem(card.path, card.line, card.col,
                                    f"key phrase {card.front} signals {card.lp} here but {other.lp} at "
                                    f"{other.path}:{other.line}:{other.col}: its phrase→LP card is ambiguous",
                                    warning=True))
    return problems
