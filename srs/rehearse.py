"""Rehearsing a story against the clock: the plan for one telling, and how tellings compare.

A rehearsal is the candidate saying the story out loud, one STAR step at a time, while a
clock runs. What to say comes from the scenario (each step's target and key phrases); how
long it may take overall comes from the level calibration the interviewer would apply
(``levels[].target_seconds``), because the step targets alone do not move with seniority.
Everything here is pure: the command does the timing, the store keeps the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from srs.scenario import Scenario


@dataclass(frozen=True)
class Cue:
    """One step as the candidate sees it: its target, and the phrases to land (not the script)."""

    step: str
    target_seconds: int
    key_phrases: tuple[str, ...]
    example: str  # the strong example at the chosen level, shown only on request


@dataclass(frozen=True)
class Plan:
    scenario: str
    title: str
    lp: str
    level: str | None
    cues: tuple[Cue, ...]
    budget: tuple[int, int]  # (min, max) seconds for the whole story; equal for one number
    budget_from: str  # where the budget comes from, said to the user
    target_total: int  # the step targets added up, which a level's budget may well be tighter than


@dataclass(frozen=True)
class StepTime:
    step: str
    seconds: float
    target_seconds: int


@dataclass(frozen=True)
class Rehearsal:
    """One finished telling, as stored."""

    scenario: str
    level: str | None
    started_at: datetime
    steps: tuple[StepTime, ...]
    budget: tuple[int, int]

    @property
    def total(self) -> float:
        return sum(s.seconds for s in self.steps)


def plan(scenario: Scenario, level: str | None = None) -> Plan:
    """The steps to tell and the time budget, at ``level`` (a canonical level name).

    Without a level the story's own ``level`` is used. The budget is that level's calibration;
    a story with no calibration for it is held to the sum of its step targets instead.
    """
    chosen = level or scenario.level
    cues = tuple(Cue(step.name, step.target_seconds, tuple(p.text for p in step.key_phrases),
                     step.by_level.get(chosen or "", "") or step.example)
                 for step in scenario.steps.values())
    total = sum(c.target_seconds for c in cues)
    calibration = next((c for c in scenario.levels if c.level == chosen), None)
    if calibration is not None:
        budget, budget_from = calibration.target_seconds, f"the {chosen} calibration"
    else:
        budget = (total, total)
        budget_from = "the sum of the step targets" + (
            f"; this story has no {chosen} calibration" if chosen else "")
    return Plan(scenario.id, scenario.title, scenario.lp, chosen, cues, budget, budget_from, total)


def miss(seconds: float, low: float, high: float | None = None) -> float:
    """How far ``seconds`` falls outside [low, high]: positive over, negative under, 0 inside."""
    high = low if high is None else high
    if seconds > high:
        return seconds - high
    return min(seconds - low, 0.0)


def step_changes(current: Rehearsal, previous: Rehearsal) -> tuple[tuple[str, float], ...]:
    """Each step's time now minus last time, for the steps both tellings had, in telling order."""
    before = {s.step: s.seconds for s in previous.steps}
    return tuple((s.step, s.seconds - before[s.step]) for s in current.steps if s.step in before)
