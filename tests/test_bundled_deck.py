"""The bundled deck stays complete and consistent (issue 6): every rule here is checked on
every scenario in decks_src/, so a new or edited story cannot quietly fall below the bar."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from srs.cli import main
from srs.names import LPS
from srs.scenario import STEPS, Scenario, fold
from srs.sources import builtin_decks, find_files, load

WORDS_PER_MINUTE = 150


def _deck():
    files, problems = find_files([builtin_decks()])
    return load(files, problems)


DECK = _deck()
SCENARIOS = {s.id: s for s in DECK.scenarios}


def seconds_to_say(text: str) -> float:
    return len(text.split()) / WORDS_PER_MINUTE * 60


def test_bundled_deck_loads_without_problems():
    assert [str(p) for p in DECK.problems] == []


def test_every_lp_has_a_scenario():
    assert {s.lp for s in DECK.scenarios} == set(LPS)


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_scenario_meets_the_minimums(sid: str):
    s: Scenario = SCENARIOS[sid]
    assert tuple(s.steps) == STEPS, "all five steps"
    for step in s.steps.values():
        assert step.texts() and step.key_phrases and step.coaching and step.common_mistake, step.name
    assert len(s.steps["reflection"].by_level) >= 2, "reflection by level"
    assert len(s.probes) >= 3
    assert all(p.weak_answer and p.weak_why and p.strong_answer for p in s.probes)
    assert s.weak_answer is not None and len(s.weak_answer.disqualifiers) >= 3
    assert sum(bool(d.quote) for d in s.weak_answer.disqualifiers) >= 2
    assert len(s.concept_checks) >= 3
    assert len([a for a in s.angles if a.lp != s.lp]) >= 2, "at least 2 angles for other LPs"
    assert len(s.levels) >= 2
    assert len(s.questions) >= 5
    assert {q.difficulty for q in s.questions} == {"easy", "medium", "hard"}


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_key_phrases_occur_in_their_step(sid: str):
    for step in SCENARIOS[sid].steps.values():
        said = " ".join(fold(text) for text in step.texts())
        missing = [p.text for p in step.key_phrases if fold(p.text) not in said]
        assert not missing, f"{sid} {step.name}: {missing}"


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_no_step_overshoots_its_target(sid: str):
    for step in SCENARIOS[sid].steps.values():
        for text in step.texts():
            assert seconds_to_say(text) <= step.target_seconds, (
                f"{sid} {step.name}: {seconds_to_say(text):.0f}s spoken > {step.target_seconds}s target")


def test_no_key_phrase_is_claimed_by_two_lps():
    claims: dict[str, set[str]] = {}
    for s in DECK.scenarios:
        for step in s.steps.values():
            for phrase in step.key_phrases:
                claims.setdefault(fold(phrase.text), set()).add(s.lp)
    shared = {phrase: lps for phrase, lps in claims.items() if len(lps) > 1}
    assert shared == {}


def test_validate_and_cards_cover_all_16_lps():
    runner = CliRunner()
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"OK: {len(SCENARIOS)} scenarios")
    result = runner.invoke(main, ["cards", "--json"])
    assert result.exit_code == 0
    assert {card["lp"] for card in json.loads(result.stdout)} == set(LPS)
