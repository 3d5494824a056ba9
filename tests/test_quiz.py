"""``srs quiz``: building questions from real scenarios, grading, the verdict, and what is stored.

Pure parts are tested on the bundled deck and on small stories written to tmp_path; the command
runs through CliRunner on a real store, answered line by line as a script would.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import random
import re
import select
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from srs import names, quiz
from srs.cli import main
from srs.names import LABELS
from srs.quiz import Answer, Question
from srs.scenario import fold
from srs.sources import Deck, builtin_decks, find_files, load

NOW = "2026-03-02T09:00:00Z"
STORED_NOW = "2026-03-02T09:00:00.000000Z"
SEED_ID = "ownership-webhook-drop"


@pytest.fixture(scope="module")
def deck() -> Deck:
    files, _ = find_files([builtin_decks()])
    return load(files)


def scenario(deck: Deck, scenario_id: str):
    return next(s for s in deck.scenarios if s.id == scenario_id)


def every_candidate(deck: Deck, seed: int = 1) -> list[Question]:
    return quiz.candidates(deck.scenarios, deck.scenarios, deck.cards, random.Random(seed))


def seconds(option: str) -> tuple[int, int]:
    """'150–180 seconds' → (150, 180); '30 seconds' → (30, 30)."""
    numbers = [int(n) for n in re.findall(r"\d+", option)]
    assert option.endswith(" seconds") and len(numbers) in (1, 2), option
    return (numbers[0], numbers[-1])


# --- the mix -----------------------------------------------------------------------------------


def test_mix_is_three_four_three_in_ten_and_scales() -> None:
    assert quiz.mix(10) == {"easy": 3, "medium": 4, "hard": 3}
    assert quiz.mix(5) == {"easy": 1, "medium": 3, "hard": 1}
    assert quiz.mix(3) == {"easy": 1, "medium": 1, "hard": 1}
    assert quiz.mix(1) == {"easy": 0, "medium": 1, "hard": 0}
    assert quiz.mix(20) == {"easy": 6, "medium": 8, "hard": 6}
    for count in range(1, 40):
        mix = quiz.mix(count)
        assert sum(mix.values()) == count and mix["easy"] == mix["hard"]
        assert count < 3 or 1 <= mix["easy"] <= mix["medium"]


def test_every_bundled_story_gives_ten_questions_in_the_mix_easy_first(deck: Deck) -> None:
    for s in deck.scenarios:
        questions = quiz.build([s], deck.scenarios, deck.cards, 10, seed=11)
        difficulties = [q.difficulty for q in questions]
        assert difficulties == ["easy"] * 3 + ["medium"] * 4 + ["hard"] * 3, s.id
        assert len({q.key for q in questions}) == 10
        near = {a.lp for a in s.angles} - {s.lp}
        assert all(q.scenario == s.id or q.kind == "phrase-lp" and q.lp in near for q in questions), s.id
        assert len({q.kind for q in questions}) >= 3, f"{s.id}: a quiz of one or two kinds only"


def test_a_one_lp_quiz_also_asks_about_its_neighbours_phrases_so_the_answer_is_not_always_its_lp(
        deck: Deck) -> None:
    s = scenario(deck, "ownership-webhook-drop")
    pool = quiz.candidates([s], deck.scenarios, deck.cards, random.Random(5))
    own = [q for q in pool if q.kind == "phrase-lp" and q.scenario == s.id]
    near = [q for q in pool if q.kind == "phrase-lp" and q.scenario != s.id]
    assert len(near) == len(own) // 2 and own
    cards = {c.key: c for c in deck.cards}
    for q in near:
        assert q.lp in {a.lp for a in s.angles} - {"Ownership"}  # Customer Obsession or Dive Deep
        assert q.options[q.answer] == cards[q.key].back == q.lp
        assert "Ownership" in q.options  # the tempting wrong answer
        assert set(q.options) <= set(names.LPS) and len(set(q.options)) == 4
        assert f"It signals {q.lp}, not Ownership: learn what tells the two apart." in q.solution
    across_lps = every_candidate(deck, 5)  # a quiz across LPs mixes them already: no extra questions
    assert sum(q.kind == "phrase-lp" for q in across_lps) == sum(c.kind == "phrase-lp" for c in deck.cards)


def test_a_short_difficulty_is_made_up_from_medium_then_hard() -> None:
    def q(key: str, difficulty: str, kind: str = "mcq") -> Question:
        return Question(key, kind, "s", "Ownership", None, None, difficulty, "p", key, ("x", "y"), 0)

    pool = [q("e1", "easy"), *(q(f"m{i}", "medium") for i in range(6)), *(q(f"h{i}", "hard") for i in range(5))]
    picked = quiz.pick(pool, 10, random.Random(3))
    assert Counter(x.difficulty for x in picked) == {"easy": 1, "medium": 6, "hard": 3}
    picked = quiz.pick(pool[:4], 10, random.Random(3))  # 1 easy, 3 medium: all of it
    assert sorted(x.key for x in picked) == ["e1", "m0", "m1", "m2"]


# --- generated questions -----------------------------------------------------------------------


def test_generated_questions_have_one_right_option_and_no_duplicates(deck: Deck) -> None:
    questions = every_candidate(deck)
    kinds = Counter(q.kind for q in questions)
    assert set(kinds) == {"mcq", "phrase-lp", "step-time", "disqualifier"}
    cards = {card.key: card for card in deck.cards}
    for q in questions:
        card = cards[q.key]
        assert (q.kind, q.lp, q.step, q.level) == (card.kind, card.lp, card.step, card.level)
        assert q.difficulty in names.DIFFICULTIES
        assert len({fold(o) for o in q.options}) == len(q.options), q.options
        if q.kind != "mcq":
            assert len(q.options) == 4
        if q.kind == "phrase-lp":
            assert [o for o in q.options if o == card.back] == [q.options[q.answer]]
            assert set(q.options) <= set(names.LPS)
        elif q.kind == "step-time":
            assert q.options[q.answer] == card.back
            assert [o for o in q.options if seconds(o) == seconds(card.back)] == [card.back]
        elif q.kind == "disqualifier":
            quotes = {fold(d.quote) for d in scenario(deck, q.scenario).weak_answer.disqualifiers if d.quote}
            assert [o for o in q.options if fold(o) in quotes] == [q.options[q.answer]] == [card.front]
        else:
            assert q.options[q.answer] == card.options[card.answer]
            assert sorted(q.options) == sorted(card.options)


def test_phrase_distractors_are_real_lps_the_story_is_confused_with(deck: Deck) -> None:
    for q in every_candidate(deck):
        if q.kind != "phrase-lp":
            continue
        angles = {a.lp for a in scenario(deck, q.scenario).angles} - {q.lp}
        wrong = set(q.options) - {q.lp}
        assert len(wrong) == 3 and q.lp not in wrong
        assert angles <= wrong or wrong <= angles, f"{q.key}: angles {angles} not preferred over {wrong}"


def story(path: Path, scenario_id: str, lp: str, phrases: list[str], angles: tuple[str, ...] = (),
          weak: str = "") -> None:
    """A minimal valid scenario: ``phrases`` are the situation's key phrases; the other steps' one
    phrase each is a made-up word, so it shares no signal with any other story."""
    plan = (("situation", 30, phrases), ("task", 20, [f"{scenario_id}task"]),
            ("action", 90, [f"{scenario_id}action"]), ("result", 25, [f"{scenario_id}result"]))
    steps = "".join(f"  {step}:\n    target_seconds: {t}\n    example: The {step}.\n    key_phrases: {json.dumps(p)}\n"
                    for step, t, p in plan)
    angle_text = "".join(f"  - {{lp: {a}, lead: l, emphasize: e, downplay: d}}\n" for a in angles)
    path.write_text(f"id: {scenario_id}\nlp: {lp}\ntitle: {scenario_id}\nsteps:\n{steps}"
                    + (f"angles:\n{angle_text}" if angles else "") + weak, encoding="utf-8")


def test_phrases_sharing_signal_with_another_lp_get_it_as_a_distractor_and_are_medium(tmp_path: Path) -> None:
    story(tmp_path / "a.yaml", "alpha", "Dive Deep", ["traced the queue backlog", "zebra crossing"])
    story(tmp_path / "b.yaml", "bravo", "Frugality", ["cut the backlog spend"])
    story(tmp_path / "c.yaml", "charlie", "Ownership", ["owned the pager"], angles=("Think Big",))
    deck = load(find_files([tmp_path])[0])
    assert not deck.errors
    by_front = {q.front: q for seed in range(5) for q in quiz.candidates(
        deck.scenarios, deck.scenarios, deck.cards, random.Random(seed)) if q.kind == "phrase-lp"}
    backlog = by_front["“traced the queue backlog”"]
    assert "Frugality" in backlog.options and backlog.difficulty == "medium"
    assert by_front["“zebra crossing”"].difficulty == "easy"  # no word of it signals another LP
    pager = by_front["“owned the pager”"]
    assert "Think Big" in pager.options and pager.difficulty == "easy"  # an angle, sharing no word


def test_time_distractors_are_plausible_and_never_the_target(deck: Deck) -> None:
    for q in every_candidate(deck):
        if q.kind != "step-time":
            continue
        s = scenario(deck, q.scenario)
        right = seconds(q.options[q.answer])
        if q.step:
            siblings = {(step.target_seconds,) * 2 for step in s.steps.values()}
            assert q.difficulty == "medium"
        else:
            siblings = {cal.target_seconds for cal in s.levels}
            assert q.difficulty == "hard"
        for option in q.options:
            budget = seconds(option)
            assert budget == right or budget != right and (
                budget in siblings or all(0.4 <= b / r <= 4.5 for b, r in zip(budget, right))), (q.key, option)
            assert all(b % 5 == 0 for b in budget) or max(budget) < 10, option


def test_disqualifier_distractors_are_the_storys_strong_phrases(deck: Deck) -> None:
    for q in every_candidate(deck):
        if q.kind != "disqualifier":
            continue
        s = scenario(deck, q.scenario)
        strong = {fold(p.text) for step in s.steps.values() for p in step.key_phrases}
        wrong = [o for i, o in enumerate(q.options) if i != q.answer]
        assert all(fold(o) in strong for o in wrong), q.options
        assert q.solution[0].startswith(q.options[q.answer])


def quoting(quotes: list[str]) -> str:
    return ("weak_answer:\n  text: " + ", ".join(quotes) + ".\n  disqualifiers:\n"
            + "".join(f"    - {{quote: {q}, why: weak}}\n" for q in quotes))


def test_a_quote_with_no_strong_phrase_to_stand_beside_gives_no_question(tmp_path: Path) -> None:
    # every key phrase of "echo" is quoted as a disqualifier; "fine" keeps one strong phrase unquoted
    story(tmp_path / "echo.yaml", "echo", "Frugality", ["we spent less"],
          weak=quoting(["we spent less", "echotask", "echoaction", "echoresult"]))
    story(tmp_path / "fine.yaml", "fine", "Frugality", ["we cut spend", "I measured usage"],
          weak=quoting(["we cut spend", "finetask", "fineaction", "fineresult"]))
    deck = load(find_files([tmp_path])[0])
    assert not deck.errors
    asked = [q for q in quiz.candidates(deck.scenarios, deck.scenarios, deck.cards, random.Random(1))
             if q.kind == "disqualifier"]
    assert {q.scenario for q in asked} == {"fine"} and len(asked) == 4
    assert all(sorted(q.options) == sorted([q.options[q.answer], "“I measured usage”"]) for q in asked)


def test_authored_options_are_shuffled_unless_the_solution_names_them_by_letter(deck: Deck) -> None:
    cards = {card.key: card for card in deck.cards if card.kind == "mcq"}
    lettered = "are-right-batch-vs-streaming/mcq/best-task-arl"  # "B treats the belief as a hypothesis…"
    shuffled = "ownership-webhook-drop/mcq/recurring-delay"
    seen = {lettered: set(), shuffled: set()}
    for seed in range(8):
        for q in every_candidate(deck, seed):
            if q.key in seen:
                seen[q.key].add((q.options, q.answer))
    assert seen[lettered] == {(cards[lettered].options, cards[lettered].answer)}
    assert len(seen[shuffled]) > 1


def test_the_same_seed_gives_the_same_quiz(deck: Deck) -> None:
    s = [scenario(deck, SEED_ID)]
    first = quiz.build(s, deck.scenarios, deck.cards, 10, seed=42)
    assert quiz.build(s, deck.scenarios, deck.cards, 10, seed=42) == first
    others = [quiz.build(s, deck.scenarios, deck.cards, 10, seed=seed) for seed in range(5)]
    assert any(other != first for other in others)
    before = random.getstate()
    quiz.build(s, deck.scenarios, deck.cards, 10, seed=1)
    assert random.getstate() == before, "the global random must be left alone"


# --- the verdict -------------------------------------------------------------------------------


def graded(hard_right: int, hard: int, right: int, total: int) -> quiz.Result:
    """A result with ``right`` of ``total`` correct, ``hard_right`` of them among ``hard`` hard questions."""
    answers = []
    for i in range(total):
        is_hard = i < hard
        correct = i < hard_right if is_hard else i - hard < right - hard_right
        q = Question(f"k{i}", "mcq", "s", "Ownership", None, None, "hard" if is_hard else "easy", "p", "f",
                     ("x", "y"), 0)
        answers.append(Answer(q, 0 if correct else 1))
    result = quiz.Result(tuple(answers))
    assert result.correct == right
    return result


@pytest.mark.parametrize(("hard_right", "hard", "right", "total", "verdict"), [
    (3, 3, 10, 10, "strong"),
    (3, 3, 8, 10, "strong"),  # 80% with every hard question right
    (2, 3, 9, 10, "shaky"),  # 90% but a hard one missed
    (3, 3, 7, 10, "shaky"),
    (0, 3, 5, 10, "shaky"),  # 50% is not below 50%
    (0, 3, 4, 10, "weak"),
    (0, 3, 0, 10, "weak"),
    (0, 0, 4, 5, "strong"),  # no hard question asked: none missed
])
def test_verdict(hard_right: int, hard: int, right: int, total: int, verdict: str) -> None:
    result = graded(hard_right, hard, right, total)
    assert result.verdict == verdict, result.reason()


def test_suggestion_drills_the_lp_missed_most_narrowed_to_one_kind() -> None:
    def answer(lp: str, kind: str, correct: bool) -> Answer:
        return Answer(Question("k", kind, "s", lp, None, None, "easy", "p", "f", ("x", "y"), 0), 0 if correct else 1)

    result = quiz.Result((answer("Dive Deep", "step-time", False), answer("Dive Deep", "step-time", False),
                          answer("Have Backbone; Disagree and Commit", "mcq", False), answer("Ownership", "mcq", True)))
    assert result.suggestion() == "srs drill --lp 'Dive Deep' --kind step-time"
    result = quiz.Result((answer("Ownership", "mcq", False), answer("Ownership", "phrase-lp", False)))
    assert result.suggestion() == "srs drill --lp Ownership"
    assert quiz.Result((answer("Ownership", "mcq", True),)).suggestion() is None


# --- the command -------------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``srs ARGS`` with ``input`` on stdin, against a store in tmp_path at a pinned time."""
    monkeypatch.delenv("SRS_SOURCE", raising=False)
    monkeypatch.setenv("SRS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SRS_NOW", NOW)
    monkeypatch.setenv("NO_COLOR", "1")

    def invoke(*args: str, input: str = "") -> Result:
        result = CliRunner().invoke(main, list(args), input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return invoke


def db(tmp_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(tmp_path / "home" / "srs.db")


def answer_key(run) -> tuple[list[str], list[str], dict]:
    """The right and a wrong letter for each question of the seeded quiz, and the stored result of
    answering A throughout (a quit run first shows the same questions come back)."""
    result = run("quiz", SEED_ID, "--seed", "5", "--json", input="a\n" * 9 + "q\n")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["complete"] is False and shown["answered"] == 9
    result = run("quiz", SEED_ID, "--seed", "5", "--json", input="a\n" * 10)
    all_a = json.loads(result.stdout)
    questions = all_a["questions"]
    assert [q["key"] for q in questions[:9]] == [q["key"] for q in shown["questions"]]
    right = [q["answer"] for q in questions]
    assert all_a["correct"] == right.count("A")
    wrong = [next(label for label in LABELS[: len(q["options"])] if label != q["answer"]) for q in questions]
    return right, wrong, all_a


def test_a_perfect_scripted_run_is_strong_and_an_all_wrong_one_weak(run, tmp_path: Path) -> None:
    right, wrong, all_a = answer_key(run)
    perfect = run("quiz", SEED_ID, "--seed", "5", input="\n".join(r.lower() for r in right) + "\n")
    assert perfect.exit_code == 0, perfect.output
    assert "Score: 10/10 (100%): easy 3/3 · medium 4/4 · hard 3/3" in perfect.stdout
    assert "Verdict: STRONG" in perfect.stdout and "Missed" not in perfect.stdout
    assert perfect.stdout.count("✓ Correct") == 10

    failed = run("quiz", SEED_ID, "--seed", "5", "--json", input="\n".join(wrong) + "\n")
    assert failed.exit_code == 0, failed.output
    result = json.loads(failed.stdout)
    assert (result["verdict"], result["correct"], result["total"]) == ("weak", 0, 10)
    assert result["by_difficulty"] == {d: {"correct": 0, "total": n} for d, n in quiz.mix(10).items()}
    assert result["missed"] == list(range(1, 11))
    assert result["suggestion"] == "srs drill --lp Ownership"
    assert "✗ You chose" in failed.stderr and "Verdict: WEAK" in failed.stderr
    assert "Next: srs drill --lp Ownership" in failed.stderr

    with db(tmp_path) as conn:
        quizzes = conn.execute("SELECT id, scope, taken_at, seed, correct, total, verdict FROM quizzes "
                               "ORDER BY id").fetchall()
        assert [row[1:] for row in quizzes] == [
            (f"scenario:{SEED_ID}", STORED_NOW, 5, correct, 10, verdict)
            for correct, verdict in ((all_a["correct"], all_a["verdict"]), (10, "strong"), (0, "weak"))]
        assert result["quiz_id"] == quizzes[-1][0]
        rows = conn.execute("SELECT position, question, card_key, lp, kind, step, difficulty, level, correct "
                            "FROM quiz_answers WHERE quiz_id = ? ORDER BY position", (result["quiz_id"],)).fetchall()
        assert rows == [(q["position"], q["key"], q["key"], q["lp"], q["kind"], q["step"], q["difficulty"],
                         q["level"], 0) for q in result["questions"]]
        keys = {key for (key,) in conn.execute("SELECT key FROM cards")}
        assert all(row[2] in keys for row in rows)
        # a quiz is a test, not a review: no review logged and no schedule touched
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM cards WHERE state IS NOT NULL").fetchone()[0] == 0


def test_quitting_stores_nothing(run, tmp_path: Path) -> None:
    result = run("quiz", SEED_ID, "--seed", "1", input="b\nq\n")
    assert result.exit_code == 0
    assert "Stopped after 1 of 10 questions: nothing was stored" in result.stdout
    eof = run("quiz", SEED_ID, "--seed", "1", input="b\n")  # end of input quits as well
    assert "Stopped after 1 of 10" in eof.stdout
    with db(tmp_path) as conn:
        assert conn.execute("SELECT count(*) FROM quizzes").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM quiz_answers").fetchone()[0] == 0


def test_unknown_input_asks_again(run) -> None:
    result = run("quiz", SEED_ID, "--seed", "1", "-n", "1", input="z\ngood\nA\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Answer with a letter A–D, or q to quit.") == 2
    assert "Score: " in result.stdout and "/1 " in result.stdout


def test_lp_scope_and_count(run) -> None:
    result = run("quiz", "--lp", "dd", "-n", "5", "--seed", "2", "--json", input="a\n" * 5)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["scope"] == "lp:Dive Deep" and out["total"] == 5
    assert [q["difficulty"] for q in out["questions"]] == ["easy", "medium", "medium", "medium", "hard"]
    assert {q["lp"] for q in out["questions"]} == {"Dive Deep"}
    assert "--lp 'Dive Deep' -n 5 --seed 2" in result.stderr


def test_asking_for_more_than_a_story_has(run, tmp_path: Path) -> None:
    story(tmp_path / "tiny.yaml", "tiny", "Frugality", ["spent less"])
    result = run("quiz", "tiny", "--no-builtin", "--source", str(tmp_path / "tiny.yaml"), "-n", "10", "--seed", "1",
                 input="a\n" * 10)
    assert result.exit_code == 0, result.output
    assert "Only 8 questions can be made from this story." in result.stdout  # 4 phrases, 4 steps
    assert "Score: " in result.stdout and "/8 " in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    ((), "Give a scenario id or --lp (one of them)"),
    ((SEED_ID, "--lp", "Ownership"), "Give a scenario id or --lp (one of them)"),
    (("ownership-webhook-dorp",), "Unknown scenario 'ownership-webhook-dorp'; did you mean 'ownership-webhook-drop'?"),
])
def test_bad_scope_exits_1_with_a_message(run, args: tuple[str, ...], message: str) -> None:
    result = run("quiz", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_an_lp_without_stories_exits_1(run, tmp_path: Path) -> None:
    story(tmp_path / "tiny.yaml", "tiny", "Frugality", ["spent less"])
    result = run("quiz", "--lp", "Think Big", "--no-builtin", "--source", str(tmp_path))
    assert result.exit_code == 1
    assert "No story is filed under Think Big" in result.stderr


def test_quizzes_show_in_stats_json(run) -> None:
    right, _, all_a = answer_key(run)
    run("quiz", SEED_ID, "--seed", "5", input="\n".join(right) + "\n")
    stats = run("stats", "--json")
    assert stats.exit_code == 0, stats.output
    at = "2026-03-02T09:00:00+00:00"
    assert json.loads(stats.stdout)["quizzes"] == [{"scope": f"scenario:{SEED_ID}", "attempts": [
        {"taken_at": at, "correct": all_a["correct"], "total": 10, "verdict": all_a["verdict"]},
        {"taken_at": at, "correct": 10, "total": 10, "verdict": "strong"}]}]


def test_on_an_80_column_terminal_every_line_fits_and_wrapped_lines_line_up(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 80, 0, 0))
    env = {**os.environ, "SRS_HOME": str(tmp_path / "home"), "SRS_NOW": "2026-03-02T09:00:00Z", "NO_COLOR": "1"}
    for name in ("COLUMNS", "LINES", "SRS_SOURCE"):
        env.pop(name, None)
    process = subprocess.Popen([sys.executable, "-m", "srs", "quiz", SEED_ID, "--seed", "5"], stdin=slave,
                               stdout=slave, stderr=slave, env=env)
    os.close(slave)
    seen, answered = "", 0
    try:
        deadline = time.monotonic() + 30
        while process.poll() is None or select.select([master], [], [], 0)[0]:
            assert time.monotonic() < deadline, f"stuck after {seen!r}"
            if select.select([master], [], [], 0.05)[0]:
                try:
                    seen += os.read(master, 65536).decode(errors="replace")
                except OSError:  # the process ended and closed the terminal
                    break
            # one keypress per question, once the program reads single keys
            if seen.count("q to quit") > answered and not termios.tcgetattr(master)[3] & termios.ICANON:
                os.write(master, b"a")
                answered += 1
        assert process.wait(20) == 0
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
    lines = seen.replace("\r", "").splitlines()
    assert answered == 10
    assert max(map(len, lines)) <= 80, [line for line in lines if len(line) > 80]
    bullets = [n for n, line in enumerate(lines) if line.startswith("  • ")]
    assert any(lines[n + 1].startswith("    ") and lines[n + 1][4] != " " for n in bullets)  # under the text
    assert not any(line.startswith(("  •   ", "  A.    ", "  B.    ")) for line in lines)  # no repeated label
    assert any(line.startswith("Next: srs drill") for line in lines)  # a command whole on its own line
    assert any(line.startswith(f"Retake the same questions: srs quiz {SEED_ID} --seed 5") for line in lines)
