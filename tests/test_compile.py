"""Scenario → cards: the seed's golden card list, and card keys that survive every edit but renames.

Review history hangs on card keys, so a key may change only when the item's identity does:
its explicit id, or without one its identifying text (a phrase, a question, a quote).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from srs.compile import Card
from srs.names import LABELS, slug
from srs.sources import load

# Every card of the seed, in order, as (key after "ownership-webhook-drop/", kind, step, difficulty,
# level, lp); checked against the format's table: <scenario id>/<kind>/<item key>, item keys from ids
# or slugs of the identifying text, categories where they apply.
GOLDEN = [
    ("phrase-lp/i-noticed", "phrase-lp", "situation", None, None, "Ownership"),
    ("phrase-lp/not-on-my-sprint", "phrase-lp", "situation", None, None, "Ownership"),
    ("phrase-lp/no-alert", "phrase-lp", "situation", None, None, "Ownership"),
    ("phrase-lp/no-ticket", "phrase-lp", "situation", None, None, "Ownership"),
    ("phrase-lp/not-mine", "phrase-lp", "task", None, None, "Ownership"),
    ("phrase-lp/no-ticket-existed", "phrase-lp", "task", None, None, "Ownership"),
    ("phrase-lp/nobody-asked", "phrase-lp", "task", None, None, "Ownership"),
    ("phrase-lp/i-decided-to-act", "phrase-lp", "task", None, None, "Ownership"),
    ("phrase-lp/i-pulled", "phrase-lp", "action", None, None, "Ownership"),
    ("phrase-lp/i-traced", "phrase-lp", "action", None, None, "Ownership"),
    ("phrase-lp/i-reproduced", "phrase-lp", "action", None, None, "Ownership"),
    ("phrase-lp/i-wrote", "phrase-lp", "action", None, None, "Ownership"),
    ("phrase-lp/i-added", "phrase-lp", "action", None, None, "Ownership"),
    ("phrase-lp/i-submitted", "phrase-lp", "action", None, None, "Ownership"),
    ("phrase-lp/i-coordinated", "phrase-lp", "action", None, None, "Ownership"),
    ("phrase-lp/0-3-percent-drop-rate-went-to-zero", "phrase-lp", "result", None, None, "Ownership"),
    ("phrase-lp/usd-8-000-per-week-recovered", "phrase-lp", "result", None, None, "Ownership"),
    ("phrase-lp/adopted-my-dead-letter-queue-pattern", "phrase-lp", "result", None, None, "Ownership"),
    ("phrase-lp/debug-race-conditions", "phrase-lp", "reflection", None, None, "Ownership"),
    ("phrase-lp/reproducing-the-issue-locally", "phrase-lp", "reflection", None, None, "Ownership"),
    ("phrase-lp/absence-of-shared-slo", "phrase-lp", "reflection", None, None, "Ownership"),
    ("phrase-lp/organizational-gap", "phrase-lp", "reflection", None, None, "Ownership"),
    ("disqualifier/weak-answer", "disqualifier", None, None, None, "Ownership"),
    ("disqualifier/worked-with-the-team", "disqualifier", None, None, None, "Ownership"),
    ("disqualifier/escalated", "disqualifier", None, None, None, "Ownership"),
    ("disqualifier/probe-fix-accepted", "disqualifier", None, None, None, "Ownership"),
    ("disqualifier/probe-why-act", "disqualifier", None, None, None, "Ownership"),
    ("disqualifier/probe-verify-fix", "disqualifier", None, None, None, "Ownership"),
    ("disqualifier/probe-do-differently", "disqualifier", None, None, None, "Ownership"),
    ("disqualifier/situation-mistake", "disqualifier", "situation", None, None, "Ownership"),
    ("disqualifier/task-mistake", "disqualifier", "task", None, None, "Ownership"),
    ("disqualifier/action-mistake", "disqualifier", "action", None, None, "Ownership"),
    ("disqualifier/result-mistake", "disqualifier", "result", None, None, "Ownership"),
    ("disqualifier/reflection-mistake", "disqualifier", "reflection", None, None, "Ownership"),
    ("step-time/situation", "step-time", "situation", None, None, "Ownership"),
    ("step-time/task", "step-time", "task", None, None, "Ownership"),
    ("step-time/action", "step-time", "action", None, None, "Ownership"),
    ("step-time/result", "step-time", "result", None, None, "Ownership"),
    ("step-time/reflection", "step-time", "reflection", None, None, "Ownership"),
    ("step-time/level-sde1", "step-time", None, None, "SDE1", "Ownership"),
    ("step-time/level-senior-sde", "step-time", None, None, "Senior SDE", "Ownership"),
    ("mcq/recurring-delay", "mcq", None, "easy", None, "Ownership"),
    ("mcq/manager-asked-weakness", "mcq", None, "easy", None, "Ownership"),
    ("mcq/flagged-without-asked", "mcq", None, "medium", None, "Ownership"),
    ("mcq/manager-asked-signal", "mcq", None, "medium", None, "Ownership"),
    ("mcq/collective-disqualifier", "mcq", None, "hard", None, "Ownership"),
    ("probe/fix-accepted", "probe", None, None, None, "Ownership"),
    ("probe/why-act", "probe", None, None, None, "Ownership"),
    ("probe/verify-fix", "probe", None, None, None, "Ownership"),
    ("probe/do-differently", "probe", None, None, None, "Ownership"),
    ("concept/action-phrase", "concept", None, None, None, "Ownership"),
    ("concept/task-element", "concept", None, None, None, "Ownership"),
    ("concept/result-statement", "concept", None, None, None, "Ownership"),
    ("angle/ownership", "angle", None, None, None, "Ownership"),
    ("angle/customer-obsession", "angle", None, None, None, "Customer Obsession"),
    ("angle/dive-deep", "angle", None, None, None, "Dive Deep"),
    ("level/sde1", "level", None, None, "SDE1", "Ownership"),
    ("level/senior-sde", "level", None, None, "Senior SDE", "Ownership"),
]


def compile_data(data: dict[str, Any], folder: Path, name: str = "story.yaml") -> dict[str, Card]:
    """The cards of the scenario ``data``, written out as YAML and loaded like any source."""
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    deck = load([path])
    assert deck.problems == (), [str(p) for p in deck.problems]
    return {card.key: card for card in deck.cards}


@pytest.fixture
def seed(seed_text: str) -> dict[str, Any]:
    return yaml.safe_load(seed_text)


def test_golden_card_list_of_the_seed(seed_path):
    deck = load([seed_path])
    assert deck.problems == ()
    assert [(c.key, c.kind, c.step, c.difficulty, c.level, c.lp) for c in deck.cards] == [
        (f"ownership-webhook-drop/{key}", *rest) for key, *rest in GOLDEN]
    assert all(c.scenario == "ownership-webhook-drop" for c in deck.cards)
    assert [c.categories for c in deck.cards][:1] == [
        {"lp": "Ownership", "kind": "phrase-lp", "step": "situation", "difficulty": None, "level": None}]


def test_seed_card_content_is_structured(seed, tmp_path):
    cards = compile_data(seed, tmp_path)
    mcq = cards["ownership-webhook-drop/mcq/manager-asked-weakness"]
    assert mcq.options == ("No quantification of results", "Weak reflection on lessons learned",
                           "Manager-assigned initiation, no self-start", "Vague description of actions taken")
    assert (mcq.answer, mcq.back) == (2, "C. Manager-assigned initiation, no self-start")
    assert [(d.label, d.lines) for d in mcq.details] == [
        ("Solution", ("Who initiated: the manager.",
                      "Manager-assigned initiation is fatal for Ownership; the other issues are secondary.")),
        ("Hint", ("Manager asks = ownership signal destroyed",))]
    phrase = cards["ownership-webhook-drop/phrase-lp/usd-8-000-per-week-recovered"]
    assert (phrase.front, phrase.back) == ("“$8,000 per week recovered”", "Ownership")
    time = cards["ownership-webhook-drop/step-time/level-senior-sde"]
    assert time.back == "150–180 seconds"
    quote = cards["ownership-webhook-drop/disqualifier/escalated"]
    assert (quote.front, quote.back) == ("“escalated”", "implies handing off responsibility")
    probe = cards["ownership-webhook-drop/probe/why-act"]
    assert probe.back.startswith("I saw the impact on payment confirmations")
    assert ("Takeaway", ("I decided to act without being asked.",)) in [(d.label, d.lines) for d in probe.details]


# --- keys survive edits of everything but identity ------------------------------------------------

def _identifying(path: tuple) -> bool:
    """Whether the value at ``path`` (keys and list indexes) names its card, so it stays as written."""
    return (path in {("id",)}
            or path[-1] == "id"
            or path[:1] == ("steps",) and path[2:3] == ("key_phrases",)
            or path[-1] == "quote"
            or path[:1] == ("angles",) and path[-1] == "lp"
            or path[:1] == ("levels",) and path[-1] == "level")


def rewrite(data: Any, path: tuple = (), root: dict | None = None) -> Any:
    """``data`` with every non-identifying leaf changed, each in a way that stays valid."""
    root = data if root is None else root
    if isinstance(data, dict):
        return {key: rewrite(value, (*path, key), root) for key, value in data.items()}
    if isinstance(data, list):
        return [rewrite(value, (*path, i), root) for i, value in enumerate(data)]
    if _identifying(path):
        return data
    if path == ("lp",):
        return "Deliver Results"
    if path == ("level",):
        return "Senior SDE"
    if path[-1] == "difficulty":
        return {"easy": "medium", "medium": "hard", "hard": "easy"}[data]
    if path[0] == "questions" and path[-1] == "answer":
        count = len(root["questions"][path[1]]["options"])
        return LABELS[(LABELS.index(data) + 1) % count]
    if isinstance(data, int):
        return data + 7
    return f"Rewritten, {data}"  # a prefix keeps every disqualifier quote inside the weak answer


def leaves(data: Any, path: tuple = ()) -> dict[tuple, Any]:
    if isinstance(data, dict):
        return {k: v for key, value in data.items() for k, v in leaves(value, (*path, key)).items()}
    if isinstance(data, list):
        return {k: v for i, value in enumerate(data) for k, v in leaves(value, (*path, i)).items()}
    return {path: data}


def test_rewriting_every_non_identifying_field_keeps_every_key(seed, tmp_path):
    changed = rewrite(seed)
    before, after = leaves(seed), leaves(changed)
    assert before.keys() == after.keys()
    rewritten = {path for path in before if before[path] != after[path]}
    kept = set(before) - rewritten
    assert all(_identifying(path) for path in kept), sorted(kept)  # the rewrite missed nothing
    assert {p[-1] for p in rewritten} >= {  # and reached every kind of field
        "title", "summary", "level", "lp", "target_seconds", "example", "coaching", "common_mistake", "SDE2",
        "question", "probes", "answer", "why", "takeaway", "text", "verdict", "lead", "emphasize", "downplay",
        "focus", "reflection", "bar", "difficulty", "prompt", "hint", 0, 1, 2}

    old, new = compile_data(seed, tmp_path, "old.yaml"), compile_data(changed, tmp_path, "new.yaml")
    assert list(new) == list(old)
    assert all(new[key].content_hash() != old[key].content_hash() for key in old)
    assert new["ownership-webhook-drop/mcq/recurring-delay"].answer == 2  # was B, now C
    assert new["ownership-webhook-drop/phrase-lp/i-noticed"].back == "Deliver Results"


@pytest.mark.parametrize(("path", "changed"), [
    (("questions", 0, "hint"), {"mcq/recurring-delay"}),
    (("questions", 1, "options", 3), {"mcq/manager-asked-weakness"}),
    (("probes", 1, "weak", "why"), {"probe/why-act", "disqualifier/probe-why-act"}),
    (("probes", 2, "question"), {"probe/verify-fix", "disqualifier/probe-verify-fix"}),
    (("steps", "result", "coaching"), {"step-time/result", "disqualifier/result-mistake"}),
    (("steps", "action", "example"), {"disqualifier/action-mistake"}),
    (("steps", "situation", "target_seconds"), {"step-time/situation"}),
    (("weak_answer", "verdict"), {"disqualifier/weak-answer"}),
    (("weak_answer", "text"), {"disqualifier/weak-answer", "disqualifier/worked-with-the-team",
                               "disqualifier/escalated"}),
    (("concept_checks", 0, "answer"), {"concept/action-phrase"}),
    (("angles", 2, "downplay"), {"angle/dive-deep"}),
    (("levels", 0, "focus"), {"step-time/level-sde1", "level/sde1"}),
    (("levels", 1, "bar"), {"level/senior-sde"}),
])
def test_one_edit_changes_the_content_of_exactly_the_cards_that_show_it(seed, tmp_path, path, changed):
    edited = copy.deepcopy(seed)
    *parents, last = path
    holder = edited
    for step in parents:
        holder = holder[step]
    holder[last] = holder[last] + 30 if isinstance(holder[last], int) else f"Rewritten, {holder[last]}"
    old, new = compile_data(seed, tmp_path, "old.yaml"), compile_data(edited, tmp_path, "new.yaml")
    assert list(new) == list(old)
    assert {key.split("/", 1)[1] for key in old if new[key].content_hash() != old[key].content_hash()} == changed


def _key_change(old: dict[str, Card], new: dict[str, Card]) -> tuple[set[str], set[str]]:
    strip = lambda keys: {key.split("/", 1)[1] for key in keys}  # noqa: E731
    return strip(old.keys() - new.keys()), strip(new.keys() - old.keys())


def test_editing_a_key_phrase_changes_exactly_its_key(seed, tmp_path):
    edited = copy.deepcopy(seed)
    edited["steps"]["situation"]["key_phrases"][0] = "I spotted"
    old, new = compile_data(seed, tmp_path, "old.yaml"), compile_data(edited, tmp_path, "new.yaml")
    assert _key_change(old, new) == ({"phrase-lp/i-noticed"}, {"phrase-lp/i-spotted"})


def test_editing_a_quote_changes_exactly_its_key(seed, tmp_path):
    edited = copy.deepcopy(seed)
    edited["weak_answer"]["disqualifiers"][1]["quote"] = "mainly escalated"
    old, new = compile_data(seed, tmp_path, "old.yaml"), compile_data(edited, tmp_path, "new.yaml")
    assert _key_change(old, new) == ({"disqualifier/escalated"}, {"disqualifier/mainly-escalated"})


@pytest.mark.parametrize(("section", "index", "text_key", "kinds"), [
    ("questions", 2, "prompt", ["mcq"]),
    ("concept_checks", 1, "question", ["concept"]),
    ("probes", 3, "question", ["probe", "disqualifier"]),
])
def test_without_an_id_the_question_is_the_identity(seed, tmp_path, section, index, text_key, kinds):
    no_id = copy.deepcopy(seed)
    item = no_id[section][index]
    old_id = item.pop("id")
    reworded = copy.deepcopy(no_id)
    reworded[section][index][text_key] = "Reworded: " + item[text_key]
    with_id, without, changed = (compile_data(d, tmp_path, f"{n}.yaml")
                                 for n, d in (("a", seed), ("b", no_id), ("c", reworded)))
    prefix = {"probe": "probe/", "disqualifier": "disqualifier/probe-", "mcq": "mcq/", "concept": "concept/"}
    from_text = slug(item[text_key])
    assert _key_change(with_id, without) == ({prefix[k] + old_id for k in kinds},
                                             {prefix[k] + from_text for k in kinds})
    assert _key_change(without, changed) == ({prefix[k] + from_text for k in kinds},
                                             {prefix[k] + slug("Reworded: " + item[text_key]) for k in kinds})


def test_changing_an_explicit_id_changes_exactly_its_keys(seed, tmp_path):
    edited = copy.deepcopy(seed)
    edited["probes"][0]["id"] = "fix-deployed"
    old, new = compile_data(seed, tmp_path, "old.yaml"), compile_data(edited, tmp_path, "new.yaml")
    assert _key_change(old, new) == ({"probe/fix-accepted", "disqualifier/probe-fix-accepted"},
                                     {"probe/fix-deployed", "disqualifier/probe-fix-deployed"})


def test_keys_of_text_without_latin_letters_are_stable_and_distinct(seed, tmp_path):
    """Phrases in another script get hashed keys of their own, unmoved by edits elsewhere."""
    edited = copy.deepcopy(seed)
    edited["steps"]["situation"]["key_phrases"] += ["気づいた", "誰にも頼まれていない", "Résumé"]
    old = compile_data(edited, tmp_path, "old.yaml")
    edited["steps"]["situation"]["example"] += " 気づいた。"
    new = compile_data(edited, tmp_path, "new.yaml")
    added = [key for key, card in old.items() if card.kind == "phrase-lp" and card.step == "situation"][-3:]
    assert added[2] == "ownership-webhook-drop/phrase-lp/resume"
    assert all(key.split("/")[-1].startswith("h-") for key in added[:2]) and added[0] != added[1]
    assert list(new) == list(old)


def test_an_angle_for_the_storys_own_lp_is_not_asked_as_a_reframe(seed_path):
    deck = load([seed_path])
    prompts = {c.key: c.prompt for c in deck.cards if c.kind == "angle"}
    assert prompts["ownership-webhook-drop/angle/ownership"] == "Telling this story for Ownership: what do you lead with?"
    assert prompts["ownership-webhook-drop/angle/dive-deep"] == (
        "Reframe this Ownership story for Dive Deep: what do you lead with?")
