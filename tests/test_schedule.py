"""Scheduling through `srs review`: 60 days against py-fsrs, the review day, learning cards.

Every expectation here is computed independently: py-fsrs's ``Scheduler.review_card`` fed the
same ratings at the same times, and review days worked out with ``zoneinfo``.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo

import fsrs
import pytest
from reviewkit import Workspace, local_zone, shown, write_scenario, ws  # noqa: F401 (fixtures)

from srs.schedule import format_interval
from srs.store import stamp

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(text: str) -> datetime:
    """A Berlin wall-clock time as an aware UTC moment."""
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).astimezone(timezone.utc)


def review_day_end(moment: datetime, rollover: int = 4) -> datetime:
    local = moment.astimezone(BERLIN)
    day = local.date() - timedelta(days=local.hour < rollover)
    return datetime.combine(day + timedelta(days=1), time(rollover), BERLIN).astimezone(timezone.utc)


def stored_state(ws: Workspace) -> dict[int, tuple]:
    return {cid: tuple(rest) for cid, *rest in ws.rows(
        "SELECT id, state, stability, fsrs_difficulty, due, last_review FROM cards")}


@pytest.mark.parametrize("fuzz", [False, True], ids=["no-fuzz", "fuzz"])
def test_sixty_days_match_py_fsrs(ws: Workspace, local_zone: str, fuzz: bool) -> None:
    write_scenario(ws.src, "alpha", phrases=2)
    write_scenario(ws.src, "beta", phrases=1, lp="Dive Deep")
    ws.config(f"[scheduler]\nenable_fuzzing = {str(fuzz).lower()}\n[review]\nnew_per_day = 5\n")
    scheduler = fsrs.Scheduler(enable_fuzzing=fuzz)  # the defaults the issue asks for
    plain = fsrs.Scheduler(enable_fuzzing=False)
    expected: dict[int, fsrs.Card] = {}
    reps: dict[int, int] = {}
    fuzzed = longest = 0
    start = datetime(2026, 2, 10)  # crosses the switch to summer time on 29 March
    ws.ok("due", at=berlin(start.isoformat()))
    for day in range(60):
        at = berlin((start + timedelta(days=day, hours=7, minutes=day * 53 % 600)).isoformat())
        before = stored_state(ws)
        due_reviews = {cid for cid, card in expected.items() if card.due < review_day_end(at)}
        ratings = random.Random(day).choices("1234", weights=(15, 15, 60, 10), k=300)
        first_id = ws.rows("SELECT coalesce(max(id), 0) FROM reviews")[0][0]
        result = ws.review(ratings, at)

        log = ws.rows("SELECT card_id, rating, reviewed_at, state_before FROM reviews WHERE id > ? ORDER BY id",
                      (first_id,))
        assert [str(rating) for _, rating, _, _ in log] == ratings[: len(log)]
        assert {reviewed_at for _, _, reviewed_at, _ in log} <= {stamp(at)}
        reviewed = {cid for cid, _, _, state_before in log if state_before == fsrs.State.Review.value}
        assert reviewed == due_reviews, f"day {day}"
        assert sum(state_before is None for *_, state_before in log) == min(5, len(before) - len(expected))
        intervals = []
        for cid, rating, _, _ in log:
            card = expected.get(cid) or fsrs.Card(card_id=cid)
            random.seed(f"{cid}:{reps.get(cid, 0)}")
            expected[cid], _ = scheduler.review_card(card, fsrs.Rating(rating), at)
            unfuzzed, _ = plain.review_card(card, fsrs.Rating(rating), at)
            fuzzed += expected[cid].due != unfuzzed.due
            reps[cid] = reps.get(cid, 0) + 1
            intervals.append(expected[cid].due - at)
        said = [line for line in result.output.splitlines() if line.startswith("→ ")]
        assert said == [f"→ {fsrs.Rating(r).name}, next in {format_interval(i)}. Saved."
                        for (_, r, _, _), i in zip(log, intervals)]

        state = stored_state(ws)
        for cid, card in expected.items():
            assert state[cid] == (card.state.value, card.stability, card.difficulty, stamp(card.due),
                                  stamp(card.last_review)), f"card {cid} on day {day}"
            longest = max(longest, (card.due - card.last_review).days)
        untouched = set(before) - {cid for cid, *_ in log}
        assert all(state[cid] == before[cid] for cid in untouched)
    assert len(expected) == 16 and sum(reps.values()) > 100
    assert longest >= 20  # the study reached long intervals, not just learning steps
    assert (fuzzed > 0) == fuzz  # with fuzz on, the seeded fuzz really moved some intervals


def make_review(ws: Workspace, key: str, due: datetime, stability: float = 10.0, last: datetime | None = None,
                state: int = 2) -> None:
    """Put a card in a hand-built FSRS state."""
    last = last or due - timedelta(days=stability)
    with ws.db() as conn:
        assert conn.execute("UPDATE cards SET state = ?, fsrs_step = ?, stability = ?, fsrs_difficulty = 5.0, "
                            "due = ?, last_review = ? WHERE key = ?",
                            (state, None if state == 2 else 0, stability, stamp(due), stamp(last), key)).rowcount


@pytest.mark.parametrize(("rollover", "now", "due"), [
    (4, "2026-03-10T05:00", True),    # due at 15:00 today: due for the whole review day
    (4, "2026-03-10T04:00", True),
    (4, "2026-03-10T03:59", False),   # still yesterday's review day
    (4, "2026-03-10T00:30", False),
    (0, "2026-03-10T00:30", True),    # a midnight rollover
    (6, "2026-03-10T05:00", False),
    (6, "2026-03-10T06:00", True),
])
def test_review_day_rolls_over_at_the_configured_local_hour(ws: Workspace, local_zone: str, rollover: int,
                                                             now: str, due: bool) -> None:
    write_scenario(ws.src, "alpha")
    if rollover != 4:
        ws.config(f"[review]\nrollover_hour = {rollover}\nnew_per_day = 0\n")
    else:
        ws.config("[review]\nnew_per_day = 0\n")
    ws.ok("due", at=berlin("2026-03-01T12:00"))
    make_review(ws, "alpha/step-time/task", berlin("2026-03-10T15:00"))
    counts = ws.due(berlin(now))
    assert (counts["due_now"], counts["tomorrow"]) == ((1, 0) if due else (0, 1))
    result = ws.review(["3"], berlin(now))
    assert shown(result.output) == (["Task — Alpha"] if due else [])


@pytest.mark.parametrize(("zone", "rollover", "change"), [
    ("America/New_York", 2, "2026-03-08"),   # 02:00 is skipped: the day starts when the clock jumps to 03:00
    ("America/New_York", 1, "2026-11-01"),   # 01:00 comes twice: the first one starts the day
    ("Europe/Berlin", 2, "2026-03-29"),
    ("Australia/Lord_Howe", 2, "2026-10-04"),  # a half-hour change
    ("America/Santiago", 0, "2026-09-06"),   # midnight is skipped
])
def test_review_days_tile_time_when_dst_moves_the_clock_across_the_rollover(
        monkeypatch: pytest.MonkeyPatch, zone: str, rollover: int, change: str) -> None:
    import time as clock

    from srs.schedule import ReviewDay

    monkeypatch.setenv("TZ", zone)
    clock.tzset()
    try:
        moment = datetime.fromisoformat(change).replace(tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)
        moment -= timedelta(days=2)
        days = set()
        for _ in range(4 * 24 * 4):  # every 15 minutes for four days around the change
            day = ReviewDay.of(moment, rollover)
            assert day.start <= moment < day.end, (moment, day)
            assert day.next().start == day.end
            days.add(day)
            moment += timedelta(minutes=15)
        ordered = sorted(days, key=lambda d: d.start)
        assert all(a.end == b.start for a, b in pairwise(ordered))
        for day in ordered:  # each day starts at the first moment the clock reads the rollover hour or later
            local = day.start.astimezone(ZoneInfo(zone))
            before = (day.start - timedelta(minutes=1)).astimezone(ZoneInfo(zone))
            assert local.hour >= rollover and (before.hour < rollover or before.date() < local.date())
    finally:
        monkeypatch.undo()
        clock.tzset()


def test_due_tomorrow_is_counted_on_the_eve_of_a_skipped_rollover_hour(ws: Workspace,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import time as clock

    monkeypatch.setenv("TZ", "America/New_York")
    clock.tzset()
    try:
        write_scenario(ws.src, "alpha")
        ws.config("[review]\nrollover_hour = 2\nnew_per_day = 0\n")
        evening = "2026-03-07T20:00"  # the clocks skip 02:00 tonight
        ws.ok("due", at=evening)
        make_review(ws, "alpha/step-time/task", datetime(2026, 3, 8, 16, tzinfo=timezone.utc))
        counts = ws.due(evening)
        assert (counts["due_now"], counts["tomorrow"]) == (0, 1)
        assert ws.due("2026-03-08T01:30")["due_now"] == 0  # still Saturday's review day
        assert ws.due("2026-03-08T03:00")["due_now"] == 1
    finally:
        monkeypatch.undo()
        clock.tzset()


def test_learning_cards_are_due_at_their_exact_time(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.config("[review]\nnew_per_day = 0\n")
    ws.ok("due", at=berlin("2026-03-10T09:00"))
    make_review(ws, "alpha/step-time/task", berlin("2026-03-10T10:10"), stability=0.5, state=1)
    make_review(ws, "alpha/step-time/action", berlin("2026-03-10T09:30"), stability=20)  # a review, due today
    early = ws.due(berlin("2026-03-10T10:09"))
    assert (early["due_now"], early["later_today"]) == (1, 1)
    on_time = ws.due(berlin("2026-03-10T10:10"))
    assert (on_time["due_now"], on_time["later_today"]) == (2, 0)
    # a review card is waiting, so the learning card due in 5 minutes is not pulled ahead
    result = ws.review(["3"], berlin("2026-03-10T10:05"), "--limit", "1")
    assert shown(result.output) == ["Action — Alpha"]
    assert result.output.endswith("Next card due: Tue 10 Mar 10:10 (local time).\n")


def test_learning_cards_come_20_minutes_early_only_when_nothing_else_is_left(ws: Workspace,
                                                                            local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.config("[review]\nnew_per_day = 1\n")
    ws.ok("due", at=berlin("2026-03-10T09:00"))
    with ws.db() as conn:  # one new card and two learning cards
        conn.execute("UPDATE cards SET suspended = 1 WHERE key NOT LIKE 'alpha/step-time/%'")
    make_review(ws, "alpha/step-time/task", berlin("2026-03-10T10:15"), stability=0.5, state=1)
    make_review(ws, "alpha/step-time/result", berlin("2026-03-10T10:20"), stability=0.5, state=1)
    make_review(ws, "alpha/step-time/situation", berlin("2026-03-12T10:00"))
    result = ws.review(["4", "4", "4"], berlin("2026-03-10T09:55"))  # Easy: each graduates at once
    # the new card first; then, nothing else being left, the card due in 20 minutes but not the one in 25
    assert shown(result.output) == ["Action — Alpha", "Task — Alpha"]
    assert shown(ws.review(["4"], berlin("2026-03-10T10:00")).output) == ["Result — Alpha"]


def test_learn_ahead_minutes_is_configurable(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.config("[review]\nnew_per_day = 0\nlearn_ahead_minutes = 0\n")
    ws.ok("due", at=berlin("2026-03-10T09:00"))
    make_review(ws, "alpha/step-time/task", berlin("2026-03-10T10:15"), stability=0.5, state=1)
    assert shown(ws.review(["3"], berlin("2026-03-10T10:14")).output) == []
    assert shown(ws.review(["3"], berlin("2026-03-10T10:15")).output) == ["Task — Alpha"]


def test_due_json_counts_a_hand_built_state(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha", phrases=4)                     # 8 cards, Ownership
    write_scenario(ws.src, "beta", phrases=4, lp="Dive Deep", question=True)  # 9 cards, one mcq
    ws.config("[review]\nnew_per_day = 2\n")
    now = berlin("2026-03-10T12:00")
    ws.ok("due", at=now)
    make_review(ws, "alpha/step-time/situation", now - timedelta(days=3))                # overdue review: now
    make_review(ws, "alpha/step-time/task", berlin("2026-03-11T03:00"))                   # before rollover: now
    make_review(ws, "alpha/step-time/action", now - timedelta(minutes=1), 0.2, state=3)  # relearning: now
    make_review(ws, "alpha/step-time/result", now + timedelta(hours=3), 0.2, state=1)    # learning: later
    make_review(ws, "beta/step-time/task", berlin("2026-03-11T05:00"))                    # tomorrow
    make_review(ws, "beta/step-time/action", berlin("2026-03-12T05:00"))                  # day after: none
    make_review(ws, "beta/mcq/pick", berlin("2026-03-11T04:30"))                          # tomorrow
    make_review(ws, "beta/step-time/result", now - timedelta(days=1))  # due, but suspended
    make_review(ws, "beta/step-time/situation", now - timedelta(days=1))  # due, but retired
    with ws.db() as conn:
        conn.execute("UPDATE cards SET suspended = 1 WHERE key = 'beta/step-time/result'")
        conn.execute("UPDATE cards SET retired = 1 WHERE key = 'beta/step-time/situation'")
    counts = ws.due(now)
    assert {k: counts[k] for k in ("due_now", "later_today", "tomorrow", "new_total", "new_today")} == {
        "due_now": 3, "later_today": 1, "tomorrow": 2, "new_total": 8, "new_today": 2}
    assert counts["by_lp"] == {
        "Ownership": {"now": 3, "later_today": 1, "tomorrow": 0, "new": 4},
        "Dive Deep": {"now": 0, "later_today": 0, "tomorrow": 2, "new": 4}}
    assert counts["by_kind"]["mcq"] == {"now": 0, "later_today": 0, "tomorrow": 1, "new": 0}
    assert counts["by_kind"]["phrase-lp"] == {"now": 0, "later_today": 0, "tomorrow": 0, "new": 8}
    assert counts["at"] == now.isoformat()
    text = ws.ok("due", at=now).output
    assert text.startswith("3 due now, 1 later today, 2 tomorrow; 2 new today (of 8 unseen).")
    assert text.splitlines()[1] == "At Tue 10 Mar 12:00; the review day rolls over at Wed 11 Mar 04:00."  # local
    assert max(map(len, text.splitlines())) <= 80


def test_srs_now_without_an_offset_is_local_time_and_a_bad_one_is_an_error(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    assert ws.due("2026-03-10T10:00")["at"] == "2026-03-10T09:00:00+00:00"
    assert ws.due("2026-03-10T10:00:00Z")["at"] == "2026-03-10T10:00:00+00:00"
    for command in ("due", "review"):
        result = ws.srs(command, at="next tuesday")
        assert (result.exit_code, result.output) == (
            1, "SRS_NOW='next tuesday' is not an ISO-8601 time such as 2026-11-26T09:00:00Z\n")
