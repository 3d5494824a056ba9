"""``srs drill``: the weak categories it picks and why, the cards it drills, and what it logs."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from monthkit import END, WEAK_LP, in_utc, mine, month, recall_now  # noqa: F401 (fixtures)
from reviewkit import Workspace, shown, write_scenario, ws  # noqa: F401 (fixture)

from srs import weak
from srs.config import Settings
from srs.history import History, QuizAnswer, read
from srs.schedule import make_scheduler
from srs.store import Review, Store, StoredCard, stamp

AT = END + timedelta(hours=1)  # the last simulated day, after its reviews
pytestmark = pytest.mark.usefixtures("in_utc")


def keys_of(ws: Workspace, fronts: list[str]) -> list[str]:
    by_front = dict(ws.rows("SELECT json_extract(content, '$.front'), key FROM cards"))
    return [by_front[front] for front in fronts]


def test_weak_drill_picks_the_failed_lp_first_says_why_and_drills_it_weakest_first(mine: Workspace) -> None:
    # The figures it should give, from the log: lapses on review-state cards, outside cram.
    lapses, reviews = mine.rows(
        "SELECT sum(r.rating = 1), count(*) FROM reviews r JOIN cards c ON c.id = r.card_id "
        "WHERE c.lp = ? AND r.state_before = 2 AND r.mode != 'cram'", (WEAK_LP,))[0]
    recall = recall_now(mine, AT)
    out = mine.ok("drill", "--weak", "-n", "20", at=AT, input="3\n" * 40).output
    chosen = re.findall(r"^  \d\. (.+) — score \d\.\d\d$", out, re.M)
    assert chosen == [f"LP {WEAK_LP}"], out  # nothing else is weak outside it
    assert f"lapsed {lapses} of {reviews} reviews ({lapses / reviews:.0%})" in " ".join(out.split())
    assert lapses / reviews > 0.4
    # It drills the weak LP's active cards (leeches are suspended), lowest recall first, as drill answers.
    drilled = keys_of(mine, shown(out))
    active = {key for (key,) in mine.rows("SELECT key FROM cards WHERE lp = ? AND suspended = 0", (WEAK_LP,))}
    assert drilled == sorted(active, key=lambda k: (recall[k], k)) and len(set(recall[k] for k in drilled)) > 1
    logged = mine.rows("SELECT c.key, r.mode FROM reviews r JOIN cards c ON c.id = r.card_id "
                       "WHERE r.reviewed_at >= ? ORDER BY r.id", (stamp(AT),))
    assert logged == [(key, "drill") for key in drilled]


def test_missed_quiz_answers_count_toward_weak_categories(mine: Workspace) -> None:
    with mine.db() as db:
        quiz = db.execute("INSERT INTO quizzes (scope, taken_at, correct, total, verdict) VALUES "
                          "('lp:Ownership', ?, 1, 12, 'Not yet')", (stamp(AT - timedelta(days=1)),)).lastrowid
        db.executemany("INSERT INTO quiz_answers (quiz_id, position, question, card_key, lp, kind, difficulty, "
                       "correct) VALUES (?, ?, 'pick', 'story-1/mcq/pick', 'Ownership', 'mcq', 'easy', ?)",
                       [(quiz, n, int(n == 0)) for n in range(12)])
        # A question made from a phrase card: the quiz rated it hard, but phrase cards have no difficulty.
        db.execute("INSERT INTO quiz_answers (quiz_id, position, question, card_key, lp, kind, step, difficulty, "
                   "correct) VALUES (?, 12, 'p', 'story-1/phrase-lp/story-1-phrase-0', 'Ownership', 'phrase-lp', "
                   "'situation', 'hard', 0)", (quiz,))
    with Store.open(mine.home) as store:
        answers = read(store, make_scheduler(Settings()), AT).quiz_answers
    assert answers[0] == QuizAnswer(stamp(AT - timedelta(days=1)), "Ownership", "mcq", None, "easy", None, True)
    assert (answers[-1].kind, answers[-1].step, answers[-1].difficulty) == ("phrase-lp", "situation", None)

    out = mine.ok("drill", "--weak", "-n", "1", at=AT, input="3\n").output
    chosen = re.findall(r"^  \d\. (.+) — score", out, re.M)
    # On reviews alone only Dive Deep is weak; the misses make a category of the quiz's weak too.
    assert f"LP {WEAK_LP}" in chosen and len(chosen) > 1, out
    assert set(chosen) - {f"LP {WEAK_LP}"} <= {"LP Ownership", "kind mcq", "difficulty easy"}
    assert "quiz missed 11 of 12 (92%)" in " ".join(out.split())  # the reasons are wrapped to fit


def test_weak_drill_with_too_little_evidence_drills_nothing(ws: Workspace) -> None:
    write_scenario(ws.src, "fresh", phrases=8)
    start = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
    ws.review(["1"] * 6 + ["q"], start)  # first sight of six new cards: meeting them, not forgetting
    result = ws.ok("drill", "--weak", at=start + timedelta(hours=1), input="3\n")
    assert "Not enough answers yet" in result.output and f"{weak.MIN_ANSWERS} answers" in result.output
    assert ws.rows("SELECT count(*) FROM reviews WHERE mode != 'review'") == [(0,)]


def test_weak_drill_when_nothing_is_weak_says_so_and_suggests_a_selection(ws: Workspace) -> None:
    write_scenario(ws.src, "solid", phrases=8, lp="Are Right, A Lot")
    start = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
    ws.review(["3"] * 40, start)  # every card met, then passed again from learning
    out = ws.ok("drill", "--weak", at=start + timedelta(hours=1), input="3\n").output
    assert out.startswith("No weak category: the weakest, ") and "scores 0.0" in out
    assert re.search(r"`srs drill --\w+ [^`]+`", " ".join(out.split())) and "[1/" not in out
    assert max(map(len, out.splitlines())) <= 80


def test_drill_answers_reschedule_and_cram_leaves_the_schedule_alone(mine: Workspace) -> None:
    schedule = "SELECT key, state, stability, fsrs_difficulty, due, last_review FROM cards WHERE lp = 'Ownership'"
    before = {row[0]: row for row in mine.rows(schedule)}
    out = mine.ok("drill", "--lp", "own", "-n", "3", "--no-reschedule", at=AT, input="1\n1\n1\n").output
    assert "Practice only" in out and "Reviewed 3 cards" in out
    assert {row[0]: row for row in mine.rows(schedule)} == before
    assert mine.rows("SELECT mode, after IS NULL FROM reviews WHERE reviewed_at >= ?", (stamp(AT),)) == [
        ("cram", 1)] * 3

    later = AT + timedelta(minutes=5)
    out = mine.ok("drill", "--lp", "Ownership", "-n", "2", at=later, input="1\n4\n").output
    drilled = keys_of(mine, shown(out))
    after = {row[0]: row for row in mine.rows(schedule)}
    # the card failed comes back after the others, as its relearning step allows (here: 20 minutes early)
    assert len(drilled) == 3 and drilled[2] == drilled[0] and all(after[k] != before[k] for k in drilled)
    assert after[drilled[0]][1] == 3  # Again: relearning
    rows = mine.rows("SELECT c.key, r.rating, r.mode, r.after FROM reviews r JOIN cards c ON c.id = r.card_id "
                     "WHERE r.reviewed_at >= ? ORDER BY r.id", (stamp(later),))
    assert [(k, rating, mode) for k, rating, mode, _ in rows] == [(drilled[0], 1, "drill"), (drilled[1], 4, "drill")]
    assert all(json.loads(after_json)["state"] for *_, after_json in rows)


def test_a_drill_brings_back_only_the_cards_it_asked(ws: Workspace) -> None:
    from test_schedule import make_review

    write_scenario(ws.src, "alpha")
    at = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
    ws.ok("due", at=at)
    make_review(ws, "alpha/step-time/task", at - timedelta(minutes=1), stability=0.5, state=3)  # relearning, due
    out = ws.ok("drill", "--kind", "step-time", "--step", "action", at=at, input="1\n3\n3\n").output
    assert shown(out) == ["Action — Alpha"] * 3  # failed, then back through its learning steps; not Task
    assert [key for key, _, _ in ws.log()] == ["alpha/step-time/action"] * 3


def test_explicit_selection_takes_seen_cards_by_recall_then_new_ones(ws: Workspace) -> None:
    write_scenario(ws.src, "mixed", phrases=6, question=True, lp="Earn Trust")
    start = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
    ws.config("[review]\nnew_per_day = 3\n")
    ws.review(["3"] * 12, start)
    ws.review(["1", "3", "3", "3"] * 6, start + timedelta(days=3))
    at = start + timedelta(days=3, hours=2)
    out = ws.ok("drill", "--lp", "ET", "-n", "50", "--no-reschedule", at=at, input="3\n" * 50).output
    drilled = keys_of(ws, shown(out))
    recall = recall_now(ws, at)
    seen = [k for k in drilled if k in recall]
    assert seen == sorted(recall, key=lambda k: (recall[k], k))
    assert drilled[: len(seen)] == seen and len(drilled) == ws.rows("SELECT count(*) FROM cards")[0][0]


def test_selection_options(ws: Workspace) -> None:
    write_scenario(ws.src, "opts", phrases=8, question=True, lp="Think Big")
    at = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
    out = ws.ok("drill", "--step", "Action", "--kind", "phrase-lp", "--no-reschedule", at=at, input="3\n" * 9).output
    drilled = keys_of(ws, shown(out))
    assert drilled and ws.rows(
        f"SELECT DISTINCT step, kind FROM cards WHERE key IN ({','.join('?' * len(drilled))})", tuple(drilled)) == [
        ("action", "phrase-lp")]
    assert "Drill: 2 cards of kind phrase-lp and step action" in out
    out = ws.ok("drill", "--difficulty", "easy", "-n", "1", "--no-reschedule", at=at, input="b\n").output
    assert keys_of(ws, shown(out)) == ["opts/mcq/pick"] and "✓ Correct" in out

    none = ws.srs("drill", "--level", "L6", at=at)
    assert none.exit_code == 1 and "No cards to drill in level Senior SDE" in none.output
    bad = ws.srs("drill", "--level", "SDE 4", at=at)
    assert bad.exit_code == 2 and "unknown level 'SDE 4'" in bad.output
    both = ws.srs("drill", "--weak", "--lp", "TB", at=at)
    assert both.exit_code == 2 and "--weak chooses the categories itself" in both.output
    assert ws.rows("SELECT count(*) FROM reviews WHERE mode != 'cram'") == [(0,)]


# --- the judging itself, on hand-made histories -------------------------------------------------

NOW = datetime(2026, 11, 20, 9, tzinfo=timezone.utc)


def card(card_id: int, lp: str, kind: str = "phrase-lp", state: int | None = 2, suspended: bool = False) -> StoredCard:
    return StoredCard(card_id, f"s/{kind}/{card_id}", kind, "s", lp, None, None, None, {}, False, suspended, False,
                      state, None, None, None, None, None)


def answer(card_id: int, rating: int, days_ago: float, state_before: int | None = 2, mode: str = "review") -> Review:
    return Review(0, card_id, stamp(NOW - timedelta(days=days_ago)), rating, None, mode, state_before, None, None)


def history(cards: list[StoredCard], reviews: list[Review], recall: dict[int, float],
            quiz: tuple[QuizAnswer, ...] = ()) -> History:
    return History(NOW, tuple(cards), recall, tuple(reviews), quiz, ())


def evidence_on(h: History, dimension: str, value: str) -> weak.Evidence:
    return next(e for e in weak.judge(h) if e.category == weak.Category(dimension, value))


def test_a_category_needs_enough_answers_before_it_is_judged() -> None:
    cards = [card(1, "Frugality")]
    nine = history(cards, [answer(1, 1, 20)] * (weak.MIN_ANSWERS - 1), {1: 0.5})
    assert not evidence_on(nine, "lp", "Frugality").judged and weak.rank(nine, 3) == []
    ten = history(cards, [answer(1, 1, 20)] * weak.MIN_ANSWERS, {1: 0.5})
    judged = evidence_on(ten, "lp", "Frugality")
    assert judged.judged and judged.weak
    assert judged.lapse_rate == 1 and judged.recent_fail_rate is None
    assert judged.score == pytest.approx((weak.MIN_ANSWERS + 0.5) / (weak.MIN_ANSWERS + 1))


def test_a_score_just_under_weak_never_reads_as_the_weak_score() -> None:
    category = weak.Category("lp", "Frugality")
    under = weak.Evidence(category, answers=1000, review_answers=1000, lapses=199)  # 0.199
    at = weak.Evidence(category, answers=100, review_answers=100, lapses=20)
    above = weak.Evidence(category, answers=100, review_answers=100, lapses=29)
    assert (under.score_text(), under.weak) == ("0.19", False)  # not "0.20", which is weak
    assert (at.score_text(), at.weak) == ("0.20", True)
    assert (above.score_text(), above.weak) == ("0.29", True)


def test_new_cards_are_unknown_not_weak() -> None:
    cards = [card(1, "Think Big", state=None), card(2, "Think Big", state=1)]
    first_sight = [answer(2, 1, 1, state_before=None)] * 30  # failing a card on first sight is not forgetting
    e = evidence_on(history(cards, first_sight, {2: 0.9}), "lp", "Think Big")
    assert e.answers == 0 and e.new == 1 and e.seen == 1 and not e.judged
    assert "1 new not judged" in e.why()


def test_score_pools_failures_over_evidence_and_cram_is_no_lapse() -> None:
    cards = [card(1, "Dive Deep"), card(2, "Dive Deep")]
    reviews = ([answer(1, 1, 30)] * 4 + [answer(1, 3, 30)] * 4  # old: lapses 4 of 8
               + [answer(2, 1, 2, mode="cram")] * 2 + [answer(2, 3, 1, state_before=3)] * 2)  # recent: 2 of 4 Again
    quiz = tuple(QuizAnswer(stamp(NOW), "Dive Deep", "mcq", None, "hard", None, correct) for correct in (0, 1, 1, 1))
    e = evidence_on(history(cards, reviews, {1: 0.7, 2: 0.9}, quiz), "lp", "Dive Deep")
    assert (e.lapses, e.review_answers, e.recent_failed, e.recent_answers, e.quiz_missed, e.quiz_answers) == (
        4, 8, 2, 4, 1, 4)
    assert e.recall == pytest.approx(0.8)
    # lapses + recent Agains + quiz misses + predicted forgetting, over all of that evidence
    assert e.score == pytest.approx((4 + 2 + 1 + (0.3 + 0.1)) / (8 + 4 + 4 + 2))
    assert e.answers == 16


def test_ranking_judges_each_category_outside_the_ones_before_it() -> None:
    # Every Dive Deep card fails; the mcq cards fail only because two of them are Dive Deep's.
    cards = [card(1, "Dive Deep", "mcq"), card(2, "Dive Deep", "phrase-lp"), card(3, "Ownership", "mcq"),
             card(4, "Ownership", "phrase-lp")]
    reviews = [answer(i, 1 if i <= 2 else 3, 20) for i in (1, 2, 3, 4) for _ in range(12)]
    h = history(cards, reviews, {1: 0.4, 2: 0.4, 3: 0.95, 4: 0.95})
    assert evidence_on(h, "kind", "mcq").weak  # on its own, mcq looks weak…
    ranked = weak.rank(h, 3)
    assert [(str(e.category), e.weak) for e in ranked] == [("LP Dive Deep", True), ("LP Ownership", False)]
    assert ranked[1].outside == (weak.Category("lp", "Dive Deep"),)
    mcq = next(e for e in weak.judge(h, (ranked[0].category,)) if e.category == weak.Category("kind", "mcq"))
    assert not mcq.weak and mcq.why().startswith("outside LP Dive Deep: lapsed 0 of 12")  # …not outside Dive Deep
    assert [c.id for c in weak.weakest_cards(h, ranked[:1], 5)] == [1, 2]


def test_weakest_cards_skip_new_suspended_and_other_categories() -> None:
    cards = [card(1, "Frugality"), card(2, "Frugality", state=None), card(3, "Frugality", suspended=True),
             card(4, "Ownership"), card(5, "Frugality")]
    h = history(cards, [], {1: 0.8, 3: 0.1, 4: 0.1, 5: 0.3})
    chosen = [weak.Evidence(weak.Category("lp", "Frugality"))]
    assert [c.id for c in weak.weakest_cards(h, chosen, 10)] == [5, 1]
    assert [c.id for c in weak.weakest_cards(h, chosen, 1)] == [5]
