"""`srs review` end to end: limits, order, undo, leeches, scripted input, kills and two sessions at once."""

from __future__ import annotations

import json
import os
import pty
import random
import select
import signal
import sqlite3
import subprocess
import sys
import termios
import threading
import time
from datetime import datetime, timedelta

import fsrs
from reviewkit import Workspace, local_zone, shown, write_scenario, ws  # noqa: F401 (fixtures)
from test_schedule import berlin, make_review

from srs.schedule import format_interval
from srs.store import parse_stamp

NOW = berlin("2026-03-10T10:00")


def fronts(ws: Workspace) -> dict[str, str]:
    """Each card's front → its key."""
    return {json.loads(content)["front"]: key for key, content in ws.rows("SELECT key, content FROM cards")}


def logged_keys(ws: Workspace) -> list[str]:
    return [key for key, _, _ in ws.log()]


# --- daily limits -------------------------------------------------------------------------

def test_new_cards_per_day_hold_across_sessions_and_reset_the_next_review_day(ws: Workspace,
                                                                               local_zone: str) -> None:
    write_scenario(ws.src, "alpha", phrases=4)
    write_scenario(ws.src, "beta", phrases=4)
    ws.config("[review]\nnew_per_day = 3\n")
    first = ws.review(["4", "4", "q"], NOW)  # Easy: straight to review, so no learning steps come back
    assert first.output.startswith("Review: 3 new today.")
    assert len(shown(first.output)) == 3 and len(ws.log()) == 2
    assert ws.due(NOW)["new_today"] == 1
    second = ws.review(["4", "4"], NOW + timedelta(hours=5))
    assert len(shown(second.output)) == 1 and len(ws.log()) == 3
    assert ws.due(NOW + timedelta(hours=6))["new_today"] == 0
    assert shown(ws.review(["4"], berlin("2026-03-11T03:59")).output) == []  # still the same review day
    assert ws.due(berlin("2026-03-11T04:00"))["new_today"] == 3
    assert len(shown(ws.review(["4"] * 5, berlin("2026-03-11T04:00")).output)) == 3
    assert ws.rows("SELECT count(*) FROM reviews WHERE state_before IS NULL")[0][0] == 6


def test_reviews_per_day_hold_across_sessions_and_reset_the_next_review_day(ws: Workspace,
                                                                             local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.config("[review]\nnew_per_day = 0\nreviews_per_day = 3\n")
    ws.ok("due", at=NOW)
    keys = [f"alpha/step-time/{step}" for step in ("situation", "task", "action", "result")]
    keys.append("alpha/phrase-lp/alpha-phrase-0")
    for n, key in enumerate(keys):
        make_review(ws, key, NOW - timedelta(days=n + 1))
    counts = ws.due(NOW)
    assert (counts["due_now"], counts["reviews_left_today"]) == (5, 3)
    assert "Daily review limit: 3 more today." in ws.ok("due", at=NOW).output
    held = "2 more due reviews wait for tomorrow (reviews_per_day = 3 in config.toml)."
    quit_early = ws.review(["3", "q"], NOW)
    assert quit_early.output.startswith(f"Review: 3 due today.\n{held}\n")
    assert len(shown(quit_early.output)) == 2
    assert quit_early.output.endswith(f"Reviewed 1 card: 100% correct, 0m 00s.\n2 more cards are due now.\n{held}\n")
    finished = ws.review(["3", "3", "3"], NOW + timedelta(hours=1))
    assert len(shown(finished.output)) == 2
    # the two held back are due when the next review day starts, not at their own due time
    assert finished.output.endswith(f"{held}\nNext card due: Wed 11 Mar 04:00 (local time).\n")
    again = ws.review(["3"], NOW + timedelta(hours=2))
    assert shown(again.output) == []
    assert again.output.startswith(f"Review: nothing due now.\n{held}\n")
    assert "more cards are due now" not in again.output
    assert ws.due(NOW + timedelta(hours=2))["reviews_left_today"] == 0
    next_day = berlin("2026-03-11T04:30")
    assert ws.due(next_day)["reviews_left_today"] == 3
    assert len(shown(ws.review(["3"] * 5, next_day).output)) == 2  # the two still due


# --- order ----------------------------------------------------------------------------------

def test_learning_first_then_weakest_reviews_with_new_cards_mixed_in(ws: Workspace, local_zone: str) -> None:
    for name in ("one", "two", "three", "four", "five", "six"):
        write_scenario(ws.src, name)
    ws.config("[review]\nnew_per_day = 2\n")
    ws.ok("due", at=NOW)
    with ws.db() as conn:  # one card per scenario takes part, so spreading changes nothing here
        conn.execute("UPDATE cards SET suspended = 1 WHERE kind != 'step-time' OR step != 'task'")
        conn.execute("UPDATE cards SET suspended = 0 WHERE key IN ('five/step-time/task', 'six/step-time/task')")
    make_review(ws, "one/step-time/task", NOW - timedelta(minutes=5), stability=0.3, state=3)  # relearning
    # retrievability now: the longer overdue for its stability, the lower
    make_review(ws, "two/step-time/task", NOW - timedelta(days=1), stability=10)      # R ≈ 0.89
    make_review(ws, "three/step-time/task", NOW - timedelta(days=30), stability=5)    # R ≈ 0.6
    make_review(ws, "four/step-time/task", NOW - timedelta(days=3), stability=2)      # R ≈ 0.75
    result = ws.review(["4"] * 6, NOW)
    # relearning first; then reviews three, four, two with the two new cards in slots 1 and 3
    assert shown(result.output) == ["Task — One", "Task — Three", "Task — Five", "Task — Four", "Task — Six",
                                    "Task — Two"]


def test_cards_from_one_scenario_are_spread_apart(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha", phrases=4)
    write_scenario(ws.src, "beta", phrases=4)
    ws.config("[review]\nnew_per_day = 0\n")
    ws.ok("due", at=NOW)
    # the weakest four are all alpha's: by retrievability alone alpha would come four times in a row
    for n, step in enumerate(("situation", "task", "action", "result")):
        make_review(ws, f"alpha/step-time/{step}", NOW - timedelta(days=20 - n), stability=2)
        make_review(ws, f"beta/step-time/{step}", NOW - timedelta(days=4 - n), stability=20)
    result = ws.review(["4"] * 8, NOW)
    keys = [fronts(ws)[front] for front in shown(result.output)]
    scenarios = [key.split("/")[0] for key in keys]
    assert scenarios == ["alpha", "beta"] * 4
    assert [k for k in keys if k.startswith("alpha")] == [f"alpha/step-time/{s}" for s in
                                                          ("situation", "task", "action", "result")]


# --- undo, leeches ----------------------------------------------------------------------------

def test_undo_restores_the_schedule_and_deletes_the_log_row(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.config("[review]\nnew_per_day = 0\n")
    ws.ok("due", at=NOW)
    make_review(ws, "alpha/step-time/task", NOW - timedelta(days=2), stability=9)
    make_review(ws, "alpha/step-time/action", NOW - timedelta(days=1), stability=9)
    before = ws.rows("SELECT * FROM cards ORDER BY id")
    result = ws.review(["1", "u", "q"], NOW)  # a lapse, taken back
    assert "↶ Undid the last rating (alpha/step-time/task)." in result.output
    assert shown(result.output) == ["Task — Alpha", "Action — Alpha", "Task — Alpha"]
    assert ws.rows("SELECT * FROM cards ORDER BY id") == before
    assert ws.log() == []
    # the card on screen when undoing is not lost: both cards are answered in the end
    result = ws.review(["u", "3", "u", "4", "4"], NOW)
    assert "Nothing to undo yet." in result.output
    assert shown(result.output) == ["Task — Alpha", "Task — Alpha", "Action — Alpha", "Task — Alpha",
                                    "Action — Alpha"]
    assert [(key, rating) for key, rating, _ in ws.log()] == [("alpha/step-time/task", 4),
                                                              ("alpha/step-time/action", 4)]


def test_undo_puts_the_cards_back_without_inflating_the_count(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.ok("due", at=NOW)
    with ws.db() as conn:  # two learning cards due now and two new cards
        conn.execute("UPDATE cards SET suspended = 1 WHERE kind != 'step-time'")
    make_review(ws, "alpha/step-time/task", NOW - timedelta(minutes=2), stability=0.5, state=1)
    make_review(ws, "alpha/step-time/action", NOW - timedelta(minutes=1), stability=0.5, state=1)
    # Again on the first learning card; undo on the second; undo with nothing left to undo; then Easy
    result = ws.review(["1", "u", "u", "4", "4", "4", "4"], NOW)
    assert result.output.startswith("Review: 2 due (2 learning) and 2 new today.")
    positions = [line.split("]")[0] + "]" for line in result.output.splitlines() if line.startswith("[")]
    assert positions == ["[1 · 2 more]", "[2 · 2 more]", "[1 · 3 more]", "[1 · 3 more]", "[2 · 2 more]",
                         "[3 · 1 more]", "[4 · 0 more]"]
    assert shown(result.output)[:5] == ["Task — Alpha", "Action — Alpha", "Task — Alpha", "Task — Alpha",
                                        "Action — Alpha"]
    assert [(key, rating) for key, rating, _ in ws.log()][:2] == [("alpha/step-time/task", 4),
                                                                  ("alpha/step-time/action", 4)]
    assert len(ws.log()) == 4


def test_next_card_due_is_when_its_review_day_starts(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.config("[review]\nnew_per_day = 0\n")
    ws.ok("due", at=NOW)
    make_review(ws, "alpha/step-time/task", NOW - timedelta(days=1), stability=9)
    result = ws.review(["3"], NOW)  # due again in some days, at 10:00: reviewable from 04:00 that day
    due = datetime.fromisoformat(ws.card("alpha/step-time/task")["schedule"]["due"])  # local time
    assert due.hour > 4
    assert result.output.endswith(f"Next card due: {due:%a %d %b} 04:00 (local time).\n")
    assert ws.due(due.replace(hour=4))["due_now"] == 1


def test_eight_lapses_make_a_leech_that_unsuspend_brings_back(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.config("[review]\nnew_per_day = 0\n")
    ws.ok("due", at=NOW)
    key = "alpha/step-time/task"
    make_review(ws, key, NOW - timedelta(days=1), stability=9)
    for day in range(8):
        result = ws.review(["1", "3"], NOW + timedelta(days=day))  # lapse, then relearn
        assert shown(result.output)[0] == "Task — Alpha", f"day {day}"
        assert ("tagged leech and suspended" in result.output) == (day == 7)
    assert f"srs unsuspend {key}" in result.output
    assert shown(result.output) == ["Task — Alpha"]  # suspended at once: its relearning step is not asked
    card = ws.card(key)
    assert (card["suspended"], card["leech"], card["schedule"]["lapses"]) == (True, True, 8)
    later = NOW + timedelta(days=30)
    assert ws.due(later)["due_now"] == 0
    assert shown(ws.review(["3"], later).output) == []
    assert ws.ok("unsuspend", key).output == f"{key} is back in your reviews.\n"
    assert ws.card(key)["suspended"] is False
    assert ws.due(later)["due_now"] == 1
    assert shown(ws.review(["3", "3"], later).output)[0] == "Task — Alpha"
    assert ws.ok("unsuspend", key).output == f"{key} is not suspended.\n"
    missing = ws.srs("unsuspend", "alpha/step-time/nope")
    assert missing.exit_code == 1 and "no card 'alpha/step-time/nope'" in missing.output
    typo = ws.srs("unsuspend", "alpha/step-time/tsak")
    hint = "did you mean 'alpha/step-time/task'?"
    assert (typo.exit_code, typo.output) == (1, f"no card 'alpha/step-time/tsak' in {ws.home / 'srs.db'}; {hint}\n")


def test_undoing_the_eighth_lapse_lifts_the_suspension(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.config("[review]\nnew_per_day = 0\nleech_lapses = 1\n")
    ws.ok("due", at=NOW)
    make_review(ws, "alpha/step-time/task", NOW - timedelta(days=2), stability=9)
    make_review(ws, "alpha/step-time/action", NOW - timedelta(days=1), stability=9)
    result = ws.review(["1", "u", "q"], NOW)
    assert "tagged leech and suspended" in result.output
    assert shown(result.output) == ["Task — Alpha", "Action — Alpha", "Task — Alpha"]
    card = ws.card("alpha/step-time/task")
    assert (card["suspended"], card["leech"], card["schedule"]["state"], card["log"]) == (False, False, "Review", [])


# --- scripted input -------------------------------------------------------------------------------

def test_multiple_choice_grades_itself(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha", question=True)
    write_scenario(ws.src, "beta", question=True)
    result = ws.review(["b", "a", "q"], NOW, "--kind", "mcq")
    # beta, missed, comes back after its one-minute learning step
    assert shown(result.output) == ["Which one, alpha?", "Which one, beta?", "Which one, beta?"]
    assert "✓ Correct" in result.output
    assert "✗ You chose A; the answer is:" in result.output
    assert [(key, rating) for key, rating, _ in ws.log()] == [("alpha/mcq/pick", 3), ("beta/mcq/pick", 1)]
    assert "Reviewed 2 cards: 50% correct" in result.output


def test_unrecognised_input_gets_a_hint_and_the_question_again(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha", question=True)
    result = ws.review(["d", "maybe", "", "easy"], NOW, "--kind", "mcq")  # d is no option of A–C
    assert result.output.count("Answer with an option letter (or rate 1–4), u to undo, q to quit.") == 3
    assert ws.log()[0][:2] == ("alpha/mcq/pick", 4)  # a rating is accepted on a question too
    result = ws.review(["x", "5", "GOOD"], NOW, "--kind", "step-time", "--limit", "1")
    assert result.output.count("Answer 1–4 (again, hard, good, easy), u to undo, q to quit.") == 2
    assert ws.log()[1][1] == 3
    assert result.exception is None


def test_on_a_terminal_each_choice_is_one_keypress(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.config("[scheduler]\nenable_fuzzing = false\n")
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "srs", "review", "--no-builtin"], stdin=slave, stdout=slave,
                               stderr=slave, env={**os.environ, **ws.env(NOW)})
    os.close(slave)
    seen = ""

    def until(marker: str) -> str:
        nonlocal seen
        deadline = time.monotonic() + 20
        while marker not in seen:
            assert time.monotonic() < deadline, f"no {marker!r} in {seen!r}"
            if select.select([master], [], [], 0.1)[0]:
                try:
                    seen += os.read(master, 4096).decode()
                except OSError:  # the process ended and closed the terminal
                    raise AssertionError(f"no {marker!r} in {seen!r}") from None
        before, _, seen = seen.partition(marker)
        return before + marker

    def press(key: bytes) -> None:
        """Type ``key`` once the program reads single keys (raw mode), as a person would."""
        deadline = time.monotonic() + 20
        while termios.tcgetattr(master)[3] & termios.ICANON:
            assert time.monotonic() < deadline, "the terminal never went to single-key mode"
            time.sleep(0.01)
        os.write(master, key)

    try:
        until("Space: show the answer · 1–4 rate · u undo · q quit")
        press(b" ")
        scheduler = fsrs.Scheduler(enable_fuzzing=False)
        intervals = {r: format_interval(scheduler.review_card(fsrs.Card(card_id=1), fsrs.Rating(r), NOW)[0].due
                                        - NOW) for r in range(1, 5)}
        buttons = "  ".join(f"{r} {fsrs.Rating(r).name} ({intervals[r]})" for r in range(1, 5))
        assert "Step: Situation\r\n" in until(buttons)  # the back, then each rating with its interval
        press(b"3")
        until(f"→ Good, next in {intervals[3]}. Saved.")
        until("Space: show the answer")
        press(b"x")
        until("Answer 1–4 (again, hard, good, easy), u to undo, q to quit.")
        press(b"u")
        until("↶ Undid the last rating")
        press(b"q")
        until("Nothing reviewed.")
        assert process.wait(20) == 0
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
    assert ws.log() == []


def test_end_of_input_ends_the_session_like_q(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    result = ws.review("3\nagain", NOW)  # the last line even lacks its newline
    assert [rating for _, rating, _ in ws.log()] == [3, 1]
    assert result.output.endswith("Reviewed 2 cards: 50% correct, 0m 00s.\n6 more cards are due now.\n")


# --- durability ------------------------------------------------------------------------------

def test_a_killed_review_keeps_every_confirmed_rating(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha", phrases=4)
    ws.ok("due", at=NOW)
    reviewer = ws.popen(NOW)
    ratings = ["3", "1", "4", "2", "3"]
    for rating in ratings:
        reviewer.front()
        reviewer.send(rating)
        assert reviewer.wait_for("Saved.").endswith(". Saved.")
    reviewer.front()  # the next card is on screen, waiting for an answer
    reviewer.process.send_signal(signal.SIGKILL)
    assert reviewer.finish() == -signal.SIGKILL
    assert [str(rating) for _, rating, _ in ws.log()] == ratings
    assert_states_follow_the_log(ws)
    assert ws.ok("due", at=NOW).output  # the store opens fine afterwards


def test_two_sessions_at_once_lose_nothing(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha", phrases=4)
    write_scenario(ws.src, "beta", phrases=4)
    ws.ok("due", at=NOW)
    a, b = ws.popen(NOW), ws.popen(NOW)
    assert a.front() == b.front()  # both show the same first card: both will rate it
    made = {id(a): 0, id(b): 0}
    # a third connection holds the write lock for a while: both ratings queue behind it, none fails
    blocker = sqlite3.connect(ws.home / "srs.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    a.send("3")
    b.send("1")
    threading.Event().wait(0.5)
    assert not any("Saved." in line for line in a.drain() + b.drain())
    blocker.execute("COMMIT")
    blocker.close()
    for reviewer in (a, b):
        reviewer.wait_for("Saved.")
        made[id(reviewer)] += 1
    for turn in range(12):  # then both answer at the same moment, over and over
        for reviewer, rating in ((a, "3124"[turn % 4]), (b, "4213"[turn % 4])):
            reviewer.front()
            reviewer.send(rating)
        for reviewer in (a, b):
            reviewer.wait_for("Saved.")
            made[id(reviewer)] += 1
    a.send("q")
    b.send("q")
    assert (a.finish(), b.finish()) == (0, 0)
    log = ws.log()
    assert len(log) == sum(made.values()) == 26
    assert log[0][0] == log[1][0] and {log[0][1], log[1][1]} == {3, 1}  # the card both rated, twice
    assert_states_follow_the_log(ws)


def test_undoing_a_rating_another_session_has_built_on_is_refused_and_the_session_goes_on(
        ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.ok("due", at=NOW)
    with ws.db() as conn:
        conn.execute("UPDATE cards SET suspended = 1 WHERE key != 'alpha/step-time/task'")
    mine = ws.popen(NOW)
    assert mine.front() == "Task — Alpha"
    mine.send("1")
    mine.wait_for("Saved.")
    assert mine.front() == "Task — Alpha"  # its one-minute step, pulled ahead: nothing else is left
    assert shown(ws.review(["3", "q"], NOW).output) == ["Task — Alpha"] * 2  # meanwhile, elsewhere
    mine.send("u")
    assert mine.wait_for("cannot undo") == ("The card was reviewed again since (in another session); "
                                            "cannot undo.")
    assert mine.front() == "Task — Alpha"
    mine.send("q")
    assert mine.finish() == 0
    assert [rating for _, rating, _ in ws.log()] == [1, 3]
    assert_states_follow_the_log(ws)


def assert_states_follow_the_log(ws: Workspace) -> None:
    """Every card's schedule is py-fsrs replaying its logged ratings in order, and each log row's
    "before" is the previous row's "after": no rating was lost or applied to a stale state."""
    scheduler = fsrs.Scheduler()
    rows = ws.rows("SELECT card_id, rating, reviewed_at, before, after FROM reviews ORDER BY id")
    cards: dict[int, fsrs.Card] = {}
    last_after: dict[int, dict | None] = {}
    for n, (cid, rating, at, before, after) in enumerate(rows):
        assert (json.loads(before) if before else None) == last_after.get(cid), f"review {n}"
        card = cards.get(cid) or fsrs.Card(card_id=cid)
        random.seed(f"{cid}:{sum(1 for r in rows[:n] if r[0] == cid)}")
        cards[cid], _ = scheduler.review_card(card, fsrs.Rating(rating), parse_stamp(at))
        assert json.loads(after) == json.loads(json.dumps(cards[cid].to_dict()))
        last_after[cid] = json.loads(after)
    for cid, card in cards.items():
        state, stability, due = ws.rows("SELECT state, stability, due FROM cards WHERE id = ?", (cid,))[0]
        assert (state, stability, parse_stamp(due)) == (card.state.value, card.stability, card.due)


def test_an_unsuspended_leech_is_suspended_again_only_after_half_the_threshold(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.config("[review]\nnew_per_day = 0\nleech_lapses = 4\n")
    ws.ok("due", at=NOW)
    key = "alpha/step-time/task"
    make_review(ws, key, NOW - timedelta(days=1), stability=9)
    suspended_on = []
    for day in range(8):  # the day after each suspension only relearns: that answer is not a lapse
        if ws.card(key)["suspended"]:
            ws.ok("unsuspend", key)
        result = ws.review(["1", "3"], NOW + timedelta(days=day))  # lapse, then relearn
        if "tagged leech and suspended" in result.output:
            suspended_on.append(ws.card(key)["schedule"]["lapses"])
    assert suspended_on == [4, 6]  # as in Anki: at the threshold, then every half of it


def test_leech_rule() -> None:
    from srs.store import is_leech

    assert [n for n in range(1, 21) if is_leech(n, 8)] == [8, 12, 16, 20]
    assert [n for n in range(1, 5) if is_leech(n, 1)] == [1, 2, 3, 4]


def test_unusable_saved_parameters_are_a_clear_error_that_reset_clears(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.ok("due", at=NOW)
    with ws.db() as db:  # 19 values: FSRS-5's count, which py-fsrs 6 refuses
        db.execute("INSERT INTO meta (key, value) VALUES ('fsrs_parameters', ?)", (json.dumps([0.5] * 19),))
    for command in (["review"], ["stats"]):
        result = ws.srs(*command, at=NOW, input="3\n")
        assert result.exit_code == 1, result.output
        assert "the saved FSRS parameters are not usable" in result.output
        assert "srs optimize --reset" in result.output and "Traceback" not in result.output
    assert ws.ok("optimize", "--reset").output == "Back to the default FSRS parameters.\n"
    assert ws.review(["3"], NOW).exit_code == 0


def test_the_header_does_not_give_away_the_answer(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha", lp="Dive Deep", question=True)
    result = ws.review(["3"] * 6, NOW)
    headers = [line for line in result.output.splitlines() if line.startswith("[")]
    phrase = [h for h in headers if "phrase-lp" in h]
    question = [h for h in headers if "mcq" in h]
    timing = [h for h in headers if "step-time" in h]
    assert phrase and question and timing
    assert all("Dive Deep" not in h and "situation" not in h for h in phrase)  # the LP and step are asked
    assert all("Dive Deep" not in h for h in question)  # "which LP…?" questions are common
    assert all("Dive Deep" in h for h in timing)  # context, not the answer
    assert "Dive Deep" in result.output  # shown once answered
