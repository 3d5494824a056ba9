"""Story coaching rules for ``srs lint``: what an interviewer hears, checked on the text.

The walkthroughs' coaching is concrete enough to check mechanically: "I" in every Action
sentence, a scope boundary in Task, a metric delta and its business impact in Result, no
generic lesson in Reflection, each step within its spoken-time target. Each rule is a small
function over a parsed ``Scenario`` that yields the places it objects to; ``lint`` runs them
all, turns them into ``Finding``s and drops the ones the story's ``x-lint-ignore`` list
justifies. Nothing here reads files or prints: the command does that.

The rules are heuristics on English text, so a story can silence one finding with a reason:

    x-lint-ignore:
      - rule: action-we           # required: a rule id below
        step: action              # optional: only in this step
        quote: Together with the vendor   # optional: only findings whose quoted text contains this
        why: the sentence is in "I" voice; "together" names who I worked with   # required
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from srs import names
from srs.scenario import STEPS, Scenario, Step, Where, fold

WORDS_PER_MINUTE = 150
# Targets for a draft that leaves target_seconds out: the walkthrough's own.
DEFAULT_TARGETS: dict[str, int] = {"situation": 30, "task": 20, "action": 90, "result": 20, "reflection": 15}
# LPs whose signal is acting beyond your remit unasked, so Task must say the work was not handed
# to you. Deliver Results is left out on purpose: a committed deadline is legitimately given, and
# its signal is the bar held despite setbacks; Dive Deep, Highest Standards and the rest are
# judged on how, not on who started it.
SELF_STARTED_LPS = frozenset({"Ownership", "Bias for Action", "Think Big", "Customer Obsession"})
IGNORE_KEY = "x-lint-ignore"


@dataclass(frozen=True)
class Finding:
    """One coaching point about a story, at ``path:line:col``."""

    path: str
    line: int
    col: int
    rule: str
    message: str
    why: str
    scenario: str
    step: str | None = None
    quote: str = ""  # the words objected to, which an ignore entry can name

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.rule}: {self.message} ({self.why})"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "col": self.col, "rule": self.rule,
                "message": self.message, "why": self.why, "scenario": self.scenario, "step": self.step}


@dataclass(frozen=True)
class Hit:
    """What a rule yields: where, in which step, what it saw."""

    at: Where
    step: str
    message: str
    quote: str = ""


Check = Callable[[Scenario], Iterator[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    why: str  # the walkthrough's coaching, shown with every finding
    check: Check


RULES: dict[str, Rule] = {}


def rule(rule_id: str, why: str) -> Callable[[Check], Check]:
    """Register a check under ``rule_id`` with the reason given to the candidate."""
    def register(check: Check) -> Check:
        RULES[rule_id] = Rule(rule_id, why, check)
        return check
    return register


# --- text helpers -------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[\"“(]?[A-Z0-9])")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")


def spoken(step: Step) -> Iterator[tuple[str, str, Where]]:
    """Each text the candidate would say in ``step``: (label, text, where it starts)."""
    if step.example:
        yield step.name, step.example, step.example_at or step.at
    for level, text in step.by_level.items():
        yield f"{step.name} ({level})", text, step.by_level_at.get(level, step.at)


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(" ".join(text.split())) if s]


def unquoted(text: str) -> str:
    """``text`` without the words it quotes: a customer's "we" is not the candidate's voice."""
    return _QUOTED.sub(" ", text)


def clip(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _follows(words: str, text: str, start: int) -> bool:
    """Whether one of ``words`` (a regex alternation) ends at most two words before ``start``."""
    return re.search(rf"\b(?:{words})\s+(?:\w+\s+){{0,2}}$", text[max(0, start - 50):start], re.IGNORECASE) is not None


def _steps(s: Scenario, *names: str) -> Iterator[Step]:
    return (s.steps[name] for name in names if name in s.steps)


# --- the rules ----------------------------------------------------------------------------

_WE = re.compile(r"\b(?:[Ww]e|us|[Oo]ur team|[Oo]urselves|[Tt]ogether|[Cc]ollectively|[Jj]ointly|as a team|"
                 r"worked with (?:the|my|our) team)\b")
_JOINS_THINGS = r"put|pieced|stitched|tied|pulled|cobbled|glued|wired|strung"  # "I put together a brief"
_FIRST_PERSON = re.compile(r"\bI\b|\b(?:me|my|myself|mine)\b", re.IGNORECASE)


def _we_voice(sentence: str) -> str | None:
    """The words that put ``sentence`` in "we" voice, outside anything it quotes."""
    plain = unquoted(sentence)
    for found in _WE.finditer(plain):
        if not (found.group().lower() == "together" and _follows(_JOINS_THINGS, plain, found.start())):
            return found.group().lower()
    return None


@rule("action-we", 'use "I" in every Action sentence to show your own contribution; '
                   '"we" dilutes ownership and hides what you did')
def action_we(s: Scenario) -> Iterator[Hit]:
    for step in _steps(s, "action"):
        for label, text, at in spoken(step):
            for sentence in sentences(text):
                we = _we_voice(sentence)
                if we:
                    yield Hit(at, step.name, f'"{we}" voice in {label} sentence "{clip(sentence)}"', sentence)


@rule("action-no-i", 'use "I" in every Action sentence; a sentence without it does not say who acted')
def action_no_i(s: Scenario) -> Iterator[Hit]:
    for step in _steps(s, "action"):
        for label, text, at in spoken(step):
            for sentence in sentences(text):
                if not _FIRST_PERSON.search(unquoted(sentence)) and not _we_voice(sentence):  # that is action-we's
                    yield Hit(at, step.name, f'no "I" in {label} sentence "{clip(sentence)}"', sentence)


_BOSS = r"(?:manager|boss|lead|director|supervisor|skip[- ]level|vp|pm|product manager|leadership)"
_NEGATION = r"nobody|no one|not|never|without|none|\w+n['’]t"  # "nobody asked me to"
_ASSIGNED = re.compile(
    rf"\b(?:my|our|the)\s+{_BOSS}\s+(?:asked|told|assigned|tasked|suggested|wanted|gave|handed|had|put|sent|directed)\b"
    r"|\bI\s+(?:was|got|had been)\s+(?:assigned|asked|told|tasked|given the task|handed|instructed|directed)\b"
    r"|\b(?:asked|told|tasked|assigned|instructed)\s+me\s+(?:to|with)\b",
    re.IGNORECASE)


@rule("assigned-work", '"My manager asked me to look into this" signals task assignment: the interviewer '
                       "hears someone else's initiative and the ownership signal is lost")
def assigned_work(s: Scenario) -> Iterator[Hit]:
    for step in _steps(s, "situation", "task"):
        for label, text, at in spoken(step):
            plain = unquoted(text)
            for found in _ASSIGNED.finditer(plain):
                if not _follows(_NEGATION, plain, found.start()):
                    yield Hit(at, step.name, f'assignment language in {label}: "{found.group()}"', found.group())


_SCOPE_OR_INITIATIVE = re.compile(
    r"\bnot (?:mine|on my|in my|my (?:team|sprint|service|code|job|area|project|responsibility|problem|"
    r"ticket|roadmap|component|system|goal|quarter))\b|\boutside (?:my|our)\b|\bbelonged to\b"
    r"|\b(?:another|other) team\b|\bno (?:ticket|owner|alert|one)\b|\bnobody\b|\bunowned\b"
    r"|\bwithout being (?:asked|told)\b|\bwas ?n['’]?t (?:assigned|asked|mine|my)\b"
    r"|\bI (?:decided|chose|volunteered|took (?:it )?on|took ownership|took the initiative|stepped (?:in|up)"
    r"|made it my|set (?:myself|out)|committed|proposed|owned)\b|\bmy own initiative\b|\bon my own\b"
    r"|\bwithout waiting\b",
    re.IGNORECASE)


@rule("no-scope-boundary", "state the scope boundary and the lack of assignment explicitly; skip it and the "
                           "interviewer assumes the work was assigned")
def no_scope_boundary(s: Scenario) -> Iterator[Hit]:
    if s.lp not in SELF_STARTED_LPS:
        return
    for step in _steps(s, "task"):
        texts = list(spoken(step))
        if texts and not any(_SCOPE_OR_INITIATIVE.search(unquoted(text)) for _, text, _ in texts):
            yield Hit(texts[0][2], step.name,
                      f"{s.lp} story whose Task never says the work was not yours or that you started it "
                      '(e.g. "not my team\'s service", "nobody asked me", "I decided to")')


_NUMBER = re.compile(r"\d|\b(?:zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                     r"forty|fifty|hundred|thousand|million|billion|half|twice|double[ds]?|triple[ds]?|"
                     r"tenfold|percent)\b", re.IGNORECASE)
_IMPACT = re.compile(
    r"[$€£¥]|\b(?:customers?|users?|clients?|merchants?|sellers?|buyers?|shoppers?|members?|revenue|sales|"
    r"orders?|conversion|churn|retention|adopt\w*|costs?|cost\w+|sav(?:e|ed|es|ing|ings)|spend\w*|budget|"
    r"dollars?|euros?|profit|margin|latency|p9\d|seconds?|minutes?|hours?|days?|weeks?|months?|"
    r"engineer[- ]\w+|on-?call|pages?|tickets?|complaints?|incidents?|outages?|downtime|availability|"
    r"sla|slo|throughput|traffic|sign-?ups?|subscribers?|accounts?)\b",
    re.IGNORECASE)


@rule("result-no-number", "give the metric delta: \"things got better and the team was happy\" is activity, "
                          "not impact")
def result_no_number(s: Scenario) -> Iterator[Hit]:
    for step in _steps(s, "result"):
        for label, text, at in spoken(step):
            if not _NUMBER.search(text):
                yield Hit(at, step.name, f"{label} has no number: no metric delta")


@rule("result-no-impact", "translate the metric into business impact for customers, revenue, cost or time, "
                          "and a second-order effect; a number alone does not say why it mattered")
def result_no_impact(s: Scenario) -> Iterator[Hit]:
    for step in _steps(s, "result"):
        for label, text, at in spoken(step):
            if not _IMPACT.search(text):
                yield Hit(at, step.name, f"{label} names no business impact: no customers, users, revenue, $, "
                                         "cost, time saved, latency or adoption")


_GENERIC = re.compile(
    r"\b\w+\s+(?:is|are|was|were)\s+(?:\w+\s+)?(?:important|crucial|essential|vital)\b"
    r"|\b(?:communication|teamwork|collaboration|documentation|testing|planning|quality|ownership|"
    r"transparency|empathy|feedback|trust|simplicity|alignment|listening)\s+(?:is|are)\s+(?:\w+\s+)?"
    r"(?:key|everything)\b"
    r"|\bthe importance of\b|\bhow important\b|\bteam ?work\b|\blearned (?:a lot|so much|many things)\b"
    r"|\bcommunicate (?:more|better)\b|\b(?:simple|simpler) is better\b|\bwork(?:ing)? (?:harder|together)\b"
    r"|\bnever give up\b",
    re.IGNORECASE)


@rule("generic-reflection", 'avoid generic lessons like "communication is important"; tie the learning to '
                            "this story: a specific skill, a mechanism, or a systemic insight")
def generic_reflection(s: Scenario) -> Iterator[Hit]:
    for step in _steps(s, "reflection"):
        for label, text, at in spoken(step):
            for found in _GENERIC.finditer(unquoted(text)):
                yield Hit(at, step.name, f'generic lesson in {label}: "{found.group()}"', found.group())


def speaking_seconds(text: str) -> float:
    """How long ``text`` takes to say at ``WORDS_PER_MINUTE``."""
    words = sum(1 for token in text.split() if re.search(r"\w", token))
    return words * 60 / WORDS_PER_MINUTE


@rule("over-time", "keep each step to its target: a long Situation loses the interviewer before the problem, "
                   "and every extra second comes out of Action and Result")
def over_time(s: Scenario) -> Iterator[Hit]:
    for step in s.steps.values():
        target = step.target_seconds or DEFAULT_TARGETS[step.name]
        default = "" if step.target_seconds else " (the walkthrough's; set target_seconds)"
        for label, text, at in spoken(step):
            seconds = speaking_seconds(text)
            if seconds > target:
                yield Hit(at, step.name,
                          f"{label} takes about {math.ceil(seconds)} s to say at {WORDS_PER_MINUTE} words a minute, "
                          f"{math.ceil(seconds - target)} s over its {target} s target{default}")


_HEDGE = re.compile(r"\b(?:kind of|sort of|kinda|sorta|I think(?!\s+(?:about|through|of)\b)|I guess|"
                    r"I believe(?!\s+in\b)|I feel like|maybe|perhaps|basically|probably|somewhat|"
                    r"more or less|pretty much|hopefully|a bit|a little)\b", re.IGNORECASE)


@rule("hedging", "hedges make what you did sound uncertain; say plainly what you did and what happened")
def hedging(s: Scenario) -> Iterator[Hit]:
    for step in s.steps.values():
        for label, text, at in spoken(step):
            for found in _HEDGE.finditer(unquoted(text)):
                yield Hit(at, step.name, f'hedge "{found.group()}" in {label}', found.group())


@rule("missing-phrase", "key phrases are what the interviewer listens for; a phrase that is not in the "
                        "story is never heard")
def missing_phrase(s: Scenario) -> Iterator[Hit]:
    for step in s.steps.values():
        said = [fold(text) for text in step.texts()]
        for phrase in step.key_phrases:
            if phrase.text and not any(fold(phrase.text) in text for text in said):
                yield Hit(phrase.at, step.name, f'key phrase "{phrase.text}" does not occur in the {step.name} '
                                                "text; say it, or change the phrase to the words you use",
                          phrase.text)


# --- running the rules, and x-lint-ignore -------------------------------------------------

# Findings about the x-lint-ignore list itself; they cannot be ignored.
IGNORE_RULE = "lint-ignore"
IGNORE_WHY = "an ignored finding needs a known rule and a stated reason, and a stale entry hides nothing"


@dataclass(frozen=True)
class Ignore:
    rule: str
    step: str | None
    quote: str

    def covers(self, finding: Finding) -> bool:
        return (finding.rule == self.rule and self.step in (None, finding.step)
                and fold(self.quote) in fold(finding.quote))


def lint(s: Scenario) -> tuple[list[Finding], int]:
    """Every finding about ``s`` that its ``x-lint-ignore`` list does not justify, and how many it did."""
    found = [Finding(s.path, hit.at.line, hit.at.col, r.id, hit.message, r.why, s.id, hit.step, hit.quote)
             for r in RULES.values() for hit in r.check(s)]
    ignores, problems = _ignores(s)
    kept = [f for f in found if not any(i.covers(f) for i in ignores.values())]
    for number, ignore in ignores.items():
        if not any(ignore.covers(f) for f in found):
            problems.append((number, f"{IGNORE_KEY} entry {number} ({ignore.rule}) matches no finding; remove it"))
    places = s.extras_at.get(IGNORE_KEY, ())
    about_ignores = []
    for number, message in problems:
        at = places[max(number, 1) - 1] if places else s.at  # the entry, or the whole list for number 0
        about_ignores.append(Finding(s.path, at.line, at.col, IGNORE_RULE, message, IGNORE_WHY, s.id))
    return sorted(kept + about_ignores, key=lambda f: (f.line, f.col)), len(found) - len(kept)


def _ignores(s: Scenario) -> tuple[dict[int, Ignore], list[tuple[int, str]]]:
    """The valid entries of ``x-lint-ignore`` by their 1-based number, and what is wrong with the
    rest, each with its entry's number (0 for the list as a whole)."""
    raw = s.extras.get(IGNORE_KEY)
    if raw is None:
        return {}, []
    if not isinstance(raw, list):
        return {}, [(0, f"{IGNORE_KEY} must be a list of {{rule, step (optional), quote (optional), why}}")]
    ignores: dict[int, Ignore] = {}
    problems = []
    for number, entry in enumerate(raw, 1):
        problem = _bad_entry(entry)
        if problem:
            problems.append((number, f"{IGNORE_KEY} entry {number}: {problem}"))
        else:
            step = entry.get("step")
            ignores[number] = Ignore(entry["rule"], step.lower() if step else None, str(entry.get("quote") or ""))
    return ignores, problems


def _bad_entry(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return "must be a mapping with rule and why"
    unknown = [key for key in entry if key not in ("rule", "step", "quote", "why")]
    if unknown:
        return f"unknown key '{unknown[0]}' (expected rule, step, quote, why)"
    if entry.get("rule") not in RULES:
        hint = names.nearest(str(entry.get("rule")), list(RULES))
        return (f"unknown rule {entry.get('rule')!r}"
                + (f"; did you mean '{hint}'?" if hint else f" (rules: {', '.join(RULES)})"))
    if not isinstance(entry.get("why"), str) or not entry["why"].strip():
        return "needs a 'why': the justification for ignoring this rule here"
    if entry.get("step") is not None and str(entry["step"]).lower() not in STEPS:
        return f"unknown step {entry['step']!r} (expected situation, task, action, result or reflection)"
    return None
