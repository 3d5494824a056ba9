"""``scenario.parse`` directly: the lenient (draft) parse ``srs lint`` uses, and ``x-`` keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from srs import yamlfile
from srs.compile import compile_scenario
from srs.scenario import STAR, Scenario, parse

DRAFT = """\
id: draft-latency
lp: dd
title: A latency story, half written
steps:
  situation:
    example: p99 latency doubled after an upgrade.
  task:
    example: The latency target was mine.
  action:
    example: I profiled and found a lock.
  result:
    example: p99 fell to 120 ms.
"""


def parse_text(folder: Path, text: str, lenient: bool) -> tuple[Scenario | None, list[str]]:
    path = folder / "draft.yaml"
    path.write_text(text, encoding="utf-8")
    node, problems = yamlfile.read(path, "draft.yaml")
    assert problems == [] and node is not None
    scenario, problems = parse(node, "draft.yaml", lenient=lenient)
    return scenario, [str(p) for p in problems]


def test_lenient_parse_needs_only_id_lp_title_and_the_star_examples(tmp_path):
    scenario, problems = parse_text(tmp_path, DRAFT, lenient=True)
    assert problems == []
    assert (scenario.id, scenario.lp, list(scenario.steps)) == ("draft-latency", "Dive Deep", list(STAR))
    assert scenario.steps["action"].target_seconds == 0 and scenario.steps["action"].key_phrases == ()
    _, strict = parse_text(tmp_path, DRAFT, lenient=False)
    assert strict == [
        f"draft.yaml:{line}:5: step '{step}' is missing required keys 'target_seconds' and 'key_phrases'"
        for step, line in zip(STAR, (6, 8, 10, 12))]


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("id: draft-latency\n", "", "draft.yaml:1:1: the scenario is missing required key 'id'"),
    ("lp: dd\n", "", "draft.yaml:1:1: the scenario is missing required key 'lp'"),
    ("title: A latency story, half written\n", "", "draft.yaml:1:1: the scenario is missing required key 'title'"),
    ("  task:\n    example: The latency target was mine.\n", "",
     "draft.yaml:5:3: steps is missing required key 'task'"),
    ("    example: I profiled and found a lock.\n", "    coaching: Say I.\n",
     "draft.yaml:10:5: step 'action' is missing required key 'example'"),
])
def test_lenient_parse_still_requires_those(tmp_path, old, new, problem):
    assert DRAFT.count(old) == 1
    scenario, problems = parse_text(tmp_path, DRAFT.replace(old, new), lenient=True)
    assert (scenario, problems) == (None, [problem])


def test_lenient_parse_lets_optional_sections_be_incomplete_and_compiles(tmp_path):
    text = DRAFT + """\
angles:
  - lead: Open with the customers who waited.
questions:
  - prompt: Which LP is this?
    options: [Dive Deep, Ownership]
probes:
  - question: How did you find the lock?
weak_answer:
  text: We looked into it.
"""
    scenario, problems = parse_text(tmp_path, text, lenient=True)
    assert problems == []
    cards, problems = compile_scenario(scenario)
    assert problems == []
    assert "mcq" not in {card.kind for card in cards}  # a question without its answer makes no card
    assert "draft-latency/probe/how-did-you-find-the-lock" in {card.key for card in cards}
    assert "angle" not in {card.kind for card in cards}  # nor does an angle without its LP: it has no key


def test_lenient_parse_still_reports_what_is_wrong_rather_than_missing(tmp_path):
    text = DRAFT.replace("lp: dd", "lp: Deep Dive").replace("  result:", "  results:")
    _, problems = parse_text(tmp_path, text + "  reflection:\n    target_seconds: 9000\n", lenient=True)
    assert problems == [
        "draft.yaml:2:5: unknown Leadership Principle 'Deep Dive'; did you mean 'Dive Deep'?",
        "draft.yaml:11:3: unknown key 'results' in steps; did you mean 'result'?",
        "draft.yaml:14:21: target_seconds of step 'reflection' must be between 1 and 600, not 9000",
    ]


def test_x_keys_are_kept_and_ignored(tmp_path):
    text = DRAFT + "x-source: {from: notes, pages: [3, 4], 2024-05-01: drafted}\nx-todo: true\n"
    scenario, problems = parse_text(tmp_path, text, lenient=True)
    assert problems == []
    assert set(scenario.extras) == {"x-source", "x-todo"}
    assert scenario.extras["x-source"]["pages"] == [3, 4] and scenario.extras["x-todo"] is True


def test_x_key_values_that_python_cannot_hold_are_reported_not_raised(tmp_path):
    text = DRAFT + "x-odd: {[a, b]: c}\nx-tagged: !!int not-a-number\n"
    scenario, problems = parse_text(tmp_path, text, lenient=True)
    assert problems == ["draft.yaml:13:9: a key under x-odd must be plain text, not a list"]
