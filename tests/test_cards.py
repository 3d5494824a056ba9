"""``srs cards``: the JSON shape scripts rely on, the filters, and names given by alias."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from srs.names import KINDS, LPS
from srs.sources import load

# A complete story with every name written the way people say it: each must come out canonical.
ALIASED = """\
id: backbone-schema-migration
lp: have backbone disagree and commit
title: Pushed back on a big-bang schema migration, then committed to the team's rollout
level: L6
steps:
  situation:
    target_seconds: 30
    example: Our lead planned to migrate the orders schema in one big-bang weekend cutover.
    key_phrases: ["big-bang weekend cutover"]
  task:
    target_seconds: 20
    example: I believed the risk was too high and had to say so with data.
    key_phrases: ["say so with data"]
  action:
    target_seconds: 90
    example: I showed the rollback time from the last two cutovers and proposed dual writes.
    key_phrases: ["I showed the rollback time", "proposed dual writes"]
  result:
    target_seconds: 20
    example: We ran dual writes for two weeks and cut over with zero downtime.
    key_phrases: ["zero downtime"]
  reflection:
    target_seconds: 15
    key_phrases: ["disagree with data"]
    by_level:
      sde ii: I learned to disagree with data, not opinions.
      Principal: Make the safe path the cheap path for every team.
angles:
  - lp: CO
    lead: Open with the customers a failed cutover would have locked out of checkout.
    emphasize: Customer impact of downtime.
    downplay: The argument itself.
  - lp: are right a lot
    lead: Open with the data from past cutovers that predicted the risk.
    emphasize: Judgement backed by evidence.
    downplay: Who was right.
  - lp: Earth's Best Employer
    lead: Open with keeping the on-call team out of a weekend fire drill.
    emphasize: Sustainable on-call.
    downplay: Schedules.
levels:
  - level: SDE II
    focus: Raise the risk with data.
    bar: Disagrees respectfully with evidence.
    target_seconds: 120
  - level: l6
    focus: Change how the organisation migrates schemas.
    bar: A migration standard other teams adopt.
    target_seconds: [150, 180]
questions:
  - id: commit-after
    difficulty: Medium
    prompt: After the team chose the rollout you argued against, what do you do?
    options: [Keep arguing, Commit fully and help it succeed, Escalate to a director]
    answer: b
"""

FIELDS = {"key", "kind", "scenario", "lp", "step", "difficulty", "level", "front", "back"}


@pytest.fixture
def aliased(tmp_path: Path) -> str:
    path = tmp_path / "backbone.yaml"
    path.write_text(ALIASED, encoding="utf-8")
    return str(path)


def cards_json(srs, *args: str) -> list[dict]:
    result = srs("cards", "--no-builtin", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_is_a_list_of_card_objects_with_the_documented_fields(srs, seed_path):
    cards = cards_json(srs, str(seed_path))
    assert isinstance(cards, list) and len(cards) == 58
    assert all(card["tags"] == ["payments", "webhooks", "cross-team"] for card in cards)  # the story's own
    for card in cards:
        assert FIELDS <= card.keys()
        assert card["key"].startswith(f"{card['scenario']}/{card['kind']}/")
        assert card["kind"] in KINDS and card["lp"] in LPS
        assert isinstance(card["front"], str) and card["front"]
        assert isinstance(card["back"], str) and card["back"]
    by_kind = {kind: [c for c in cards if c["kind"] == kind] for kind in KINDS}
    # Categories are null where they do not apply, and set where they do.
    assert all(c["step"] is not None for c in by_kind["phrase-lp"] + by_kind["step-time"][:5])
    assert all(c["step"] is None for kind in ("mcq", "probe", "concept", "angle", "level") for c in by_kind[kind])
    assert [c["difficulty"] for c in by_kind["mcq"]] == ["easy", "easy", "medium", "medium", "hard"]
    assert all(c["difficulty"] is None for c in cards if c["kind"] != "mcq")
    assert [c["level"] for c in by_kind["level"]] == ["SDE1", "Senior SDE"]
    assert {c["level"] for c in cards if c["kind"] not in ("level", "step-time")} == {None}
    mcq = by_kind["mcq"][0]
    assert (mcq["options"], mcq["answer"], mcq["answer_label"]) == (
        ["Bias for Action", "Ownership", "Deliver Results", "Customer Obsession"], 1, "B")
    assert by_kind["concept"][0]["options"] == [] and by_kind["concept"][0]["answer"] is None


def test_names_given_by_alias_come_out_canonical(srs, aliased):
    cards = {c["key"].split("/", 1)[1]: c for c in cards_json(srs, aliased)}
    assert {c["scenario"] for c in cards.values()} == {"backbone-schema-migration"}
    assert cards["phrase-lp/zero-downtime"]["lp"] == "Have Backbone; Disagree and Commit"
    assert [(k, c["lp"]) for k, c in cards.items() if c["kind"] == "angle"] == [
        ("angle/customer-obsession", "Customer Obsession"),
        ("angle/are-right-a-lot", "Are Right, A Lot"),
        ("angle/strive-to-be-earth-s-best-employer", "Strive to be Earth's Best Employer")]
    assert [(k, c["level"]) for k, c in cards.items() if c["level"]] == [
        ("step-time/level-sde2", "SDE2"), ("step-time/level-senior-sde", "Senior SDE"),
        ("level/sde2", "SDE2"), ("level/senior-sde", "Senior SDE")]
    [story] = load([Path(aliased)]).scenarios
    assert (story.level, list(story.steps["reflection"].by_level)) == ("Senior SDE", ["SDE2", "Principal SDE"])
    assert cards["mcq/commit-after"]["difficulty"] == "medium"
    assert cards["mcq/commit-after"]["back"] == "B. Commit fully and help it succeed"


@pytest.mark.parametrize(("args", "keys"), [
    (["--kind", "angle", "--lp", "CO"], ["angle/customer-obsession"]),
    (["--kind", "ANGLE", "--lp", "are right a lot"], ["angle/are-right-a-lot"]),
    (["--kind", "angle", "--lp", "ARE RIGHT, A LOT"], ["angle/are-right-a-lot"]),
    (["--lp", "Earth's Best Employer"], ["angle/strive-to-be-earth-s-best-employer"]),
    (["--kind", "level", "--lp", "Backbone"], ["level/sde2", "level/senior-sde"]),
    (["--kind", "mcq"], ["mcq/commit-after"]),
    (["--kind", "concept"], []),
    (["--lp", "Dive Deep"], []),
])
def test_kind_and_lp_filters_accept_aliases(srs, aliased, args, keys):
    assert [c["key"].split("/", 1)[1] for c in cards_json(srs, aliased, *args)] == keys


def test_unknown_filter_values_are_usage_errors_with_a_suggestion(srs, aliased):
    result = srs("cards", "--no-builtin", aliased, "--lp", "Ownrship")
    assert result.exit_code == 2
    assert "Invalid value for '--lp': unknown Leadership Principle 'Ownrship'; did you mean 'Ownership'?" \
        in result.stderr
    result = srs("cards", "--no-builtin", aliased, "--kind", "flashcard")
    assert result.exit_code == 2
    assert "Invalid value for '--kind'" in result.stderr and result.stdout == ""


def test_text_listing(srs, aliased):
    result = srs("cards", "--no-builtin", aliased, "--kind", "mcq")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "backbone-schema-migration/mcq/commit-after",
        "  Choose one option.",
        "  Q: After the team chose the rollout you argued against, what do you do?",
        "     A. Keep arguing",
        "     B. Commit fully and help it succeed",
        "     C. Escalate to a director",
        "  A: B. Commit fully and help it succeed",
    ]
    assert result.stderr == "1 card\n"


def test_the_text_listing_shows_each_card_with_its_details(srs, seed_path):
    result = srs("cards", str(seed_path), "--kind", "phrase-lp")
    assert result.exit_code == 0
    entry = result.stdout.split("ownership-webhook-drop/phrase-lp/i-decided-to-act\n")[1].split("\n")[:5]
    assert entry == [
        "  Which Leadership Principle does this phrase signal, and in which STAR step?",
        "  Q: “I decided to act”",
        "  A: Ownership",
        "     Step: Task",
        "     Story: 0.3% webhook drop rate in another team's service: no alert, no ticket, not my sprint; "
        "fixed, $8K/week recovered",
    ]
