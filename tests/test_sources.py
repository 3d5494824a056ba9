"""Where scenarios come from: bundled decks, --source, SRS_SOURCE, --no-builtin, PATH arguments;
the cross-file phrase warning; and the real ``srs`` / ``python -m srs`` run from anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

STORY = """\
id: {id}
lp: {lp}
title: p99 latency doubled after a dependency upgrade; found the lock, cut it to 120 ms
steps:
  situation:
    target_seconds: 30
    example: After a library upgrade, p99 latency on our checkout API doubled to 480 ms.
    key_phrases: [{phrase}]
  task:
    target_seconds: 20
    example: I owned the API's latency target, so finding the cause was mine.
    key_phrases: ["I owned the latency target"]
  action:
    target_seconds: 90
    example: I profiled production traffic and traced the slow path to a lock taken on every call.
    key_phrases: ["I profiled", "traced the slow path"]
  result:
    target_seconds: 20
    example: p99 dropped to 120 ms, below where it started.
    key_phrases: ["p99 dropped to 120 ms"]
"""


def story(folder: Path, id: str, lp: str = "Dive Deep", phrase: str = '"p99 latency doubled"') -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{id}.yaml"
    path.write_text(STORY.format(id=id, lp=lp, phrase=phrase), encoding="utf-8")
    return path


def scenarios(srs, *args: str, env: dict[str, str] | None = None) -> set[str]:
    result = srs("cards", "--json", *args, env=env)
    assert result.exit_code == 0, result.output
    return {card["scenario"] for card in json.loads(result.stdout)}


def test_builtin_decks_are_read_unless_no_builtin(srs, tmp_path):
    mine = tmp_path / "mine"
    story(mine, "latency-lock")
    with_builtin = scenarios(srs, "--source", str(mine))
    assert {"ownership-webhook-drop", "latency-lock"} <= with_builtin
    assert scenarios(srs, "--no-builtin", "--source", str(mine)) == {"latency-lock"}
    assert scenarios(srs, "--no-builtin") == set()


def test_source_is_repeatable_and_takes_files_or_folders(srs, tmp_path):
    story(tmp_path / "a", "story-a")
    nested = story(tmp_path / "b" / "deep" / "er", "story-b")
    story(tmp_path / "b" / ".hidden", "hidden-story")  # dot folders are skipped
    single = story(tmp_path / "c", "story-c")
    assert scenarios(srs, "--no-builtin", "--source", str(tmp_path / "a"), "--source", str(tmp_path / "b"),
                     "--source", str(single)) == {"story-a", "story-b", "story-c"}
    assert nested.exists()


def test_srs_source_holds_paths_joined_by_the_os_separator(srs, tmp_path):
    story(tmp_path / "a", "story-a")
    story(tmp_path / "b", "story-b")
    story(tmp_path / "c", "story-c")
    env = {"SRS_SOURCE": os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")])}
    assert scenarios(srs, "--no-builtin", env=env) == {"story-a", "story-b"}
    assert scenarios(srs, "--no-builtin", "--source", str(tmp_path / "c"), env=env) == {
        "story-a", "story-b", "story-c"}
    result = srs("validate", "--no-builtin", env=env)
    assert (result.exit_code, result.stdout) == (0, "OK: 2 scenarios, 18 cards (phrase-lp 10, step-time 8)\n")


def test_path_arguments_replace_the_configured_sources(srs, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.yaml").write_text("id: [\n", encoding="utf-8")
    only = story(tmp_path / "only", "only-story")
    env = {"SRS_SOURCE": str(broken)}
    assert scenarios(srs, "--source", str(broken), str(only), env=env) == {"only-story"}
    result = srs("validate", "--source", str(broken), str(only), env=env)
    assert (result.exit_code, result.stderr) == (0, "")
    result = srs("validate", "--no-builtin", env=env)  # without PATH, the sources are read
    assert result.exit_code == 1 and "bad.yaml:2:1: YAML syntax error" in result.stderr


def test_a_key_phrase_under_two_lps_warns_naming_both_places(srs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    story(Path("stories"), "a-latency", lp="Dive Deep", phrase='"I noticed"')
    other = story(Path("stories"), "b-latency", lp="Ownership", phrase="i noticed")
    text = other.read_text(encoding="utf-8")
    for phrase in ("I owned the latency target", "I profiled", "traced the slow path", "p99 dropped to 120 ms"):
        text = text.replace(phrase, f"{phrase}, again")  # only "i noticed" is shared with a-latency
    other.write_text(text, encoding="utf-8")
    story(Path("stories"), "c-latency", lp="Dive Deep", phrase="I NOTICED.")  # same LP as a: no warning
    result = srs("validate", "--no-builtin", "stories")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "stories/b-latency.yaml:8:19: warning: key phrase “i noticed” signals Ownership here but Dive Deep at "
        "stories/a-latency.yaml:8:19: its phrase→LP card is ambiguous"]
    assert result.stdout.startswith("OK: 3 scenarios, ")
    # ``cards`` loads the same deck: the same warning, and the cards still come out.
    result = srs("cards", "--no-builtin", "--json", "stories")
    assert result.exit_code == 0 and "warning: key phrase “i noticed”" in result.stderr
    assert len(json.loads(result.stdout)) == 3 * 9


def _srs_bin() -> str:
    return str(Path(sys.executable).with_name("srs"))


@pytest.mark.parametrize("command", [[_srs_bin()], [sys.executable, "-m", "srs"]], ids=["srs", "python-m-srs"])
def test_the_real_command_works_from_any_folder(tmp_path, command):
    """Run as a user would, from a folder that is not the checkout: the bundled decks come along."""
    env = {k: v for k, v in os.environ.items() if k != "SRS_SOURCE"}
    story(tmp_path / "mine", "latency-lock")
    run = subprocess.run([*command, "cards", "--json", "--kind", "concept", "--source", "mine"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    keys = {card["key"] for card in json.loads(run.stdout)}
    assert {"ownership-webhook-drop/concept/action-phrase", "ownership-webhook-drop/concept/task-element",
            "ownership-webhook-drop/concept/result-statement"} <= keys
    run = subprocess.run([*command, "validate", "--no-builtin", "mine"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout, run.stderr) == (0, "OK: 1 scenario, 9 cards (phrase-lp 5, step-time 4)\n", "")


def test_a_copied_bundled_story_clashes_with_the_original(srs, tmp_path, monkeypatch, seed_text):
    """Copying the seed as a template is the usual start: the clash is named with both places."""
    from srs.sources import builtin_decks

    monkeypatch.chdir(tmp_path)
    Path("mine").mkdir()
    Path("mine/my-story.yaml").write_text(seed_text.replace("lp: Ownership\n", "lp: Ownershipp\n", 1),
                                          encoding="utf-8")
    result = srs("validate", "--source", "mine")
    assert result.exit_code == 1
    original = Path(builtin_decks()).resolve() / "ownership-webhook-drop.yaml"
    lines = result.stderr.splitlines()  # (other bundled stories may add warnings of their own)
    assert [line for line in lines if line.startswith("mine/")] == [
        f"mine/my-story.yaml:2:5: scenario id 'ownership-webhook-drop' is already used at {original}:2:5; "
        "give this story an id of its own (review history is kept by id)",
        "mine/my-story.yaml:3:5: unknown Leadership Principle 'Ownershipp'; did you mean 'Ownership'?"]
    assert lines[-1] == "2 errors; nothing was changed."


def test_scenario_suffixes_match_in_any_case(srs, tmp_path):
    """``Story.YAML`` (as some editors save it) is a story too, not silently left out."""
    story(tmp_path / "mine", "latency-lock").rename(tmp_path / "mine" / "Latency-Lock.YAML")
    story(tmp_path / "mine", "second-story").rename(tmp_path / "mine" / "second.Yml")
    assert scenarios(srs, "--no-builtin", "--source", str(tmp_path / "mine")) == {"latency-lock", "second-story"}


def test_a_source_folder_without_scenario_files_warns_naming_what_it_holds(srs, tmp_path, monkeypatch):
    """A story saved as ``story.yaml.txt`` would otherwise just be missing, with "OK" said."""
    monkeypatch.chdir(tmp_path)
    Path("drafts").mkdir()
    Path("drafts/latency.yaml.txt").write_text(STORY, encoding="utf-8")
    Path("drafts/notes.md").write_text("# ideas\n", encoding="utf-8")
    Path("empty").mkdir()  # no story written yet: nothing to warn about
    warning = ("drafts: warning: no scenario files (*.yaml or *.yml) in this folder, only latency.yaml.txt, "
               "notes.md")
    result = srs("validate", "drafts", "empty")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "OK: 0 scenarios, 0 cards\n", warning + "\n")
    # A command that syncs the store says so too, and still runs on the other sources.
    env = {"SRS_HOME": str(tmp_path / "home"), "SRS_NOW": "2026-03-10T08:30:00Z"}
    for _ in range(2):  # the first sync reads the sources, the second finds nothing changed
        result = srs("due", "--source", "drafts", "--source", "empty", env=env)
        assert result.exit_code == 0, result.output
        assert result.stderr == warning + "\n"
        assert result.stdout.startswith("0 due now")
