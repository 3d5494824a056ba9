"""`srs show`: a card's content, its FSRS state and its review log, in local time."""

from __future__ import annotations

import json
from datetime import timedelta

import fsrs
from reviewkit import Workspace, local_zone, write_scenario, ws  # noqa: F401 (fixtures)
from test_schedule import berlin

from srs.schedule import format_interval

NOW = berlin("2026-01-15T09:30")  # 08:30 UTC: local times differ from UTC by an hour
KEY = "alpha/step-time/situation"


def studied(ws: Workspace) -> None:
    """One card: new, Again, then Good twice (graduating), then a lapse three days later."""
    write_scenario(ws.src, "alpha", question=True)
    ws.config("[scheduler]\nenable_fuzzing = false\n[review]\nnew_per_day = 1\n")
    ws.review(["1", "3", "3"], NOW, "--kind", "step-time")
    with ws.db() as conn:
        conn.execute("UPDATE reviews SET duration_ms = 4200")
    ws.review(["1", "q"], NOW + timedelta(days=3), "--kind", "step-time")
    assert {key for key, _, _ in ws.log()} == {KEY}


def expected_card() -> fsrs.Card:
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(card_id=1)
    for rating, at in ((1, NOW), (3, NOW), (3, NOW), (1, NOW + timedelta(days=3))):
        card, _ = scheduler.review_card(card, fsrs.Rating(rating), at)
    return card


def test_show_json_has_content_state_and_log_in_local_time(ws: Workspace, local_zone: str) -> None:
    studied(ws)
    later = NOW + timedelta(days=3, hours=1)
    card = json.loads(ws.ok("show", KEY, "--json", at=later).output)
    expected = expected_card()
    assert card["key"] == KEY and card["content"]["front"] == "Situation — Alpha"
    assert (card["lp"], card["kind"], card["step"], card["retired"], card["suspended"]) == (
        "Ownership", "step-time", "situation", False, False)
    schedule = card["schedule"]
    assert schedule == {
        "state": "Relearning", "due": expected.due.astimezone().isoformat(timespec="seconds"),
        "stability": expected.stability, "difficulty": expected.difficulty,
        "retrievability": fsrs.Scheduler().get_card_retrievability(expected, later),
        "last_review": "2026-01-18T09:30:00+01:00", "reviews": 4, "lapses": 1}
    assert schedule["due"] == "2026-01-18T09:40:00+01:00"  # a 10-minute relearning step, local time
    assert [(e["at"], e["rating_name"], e["state_before"], e["state_after"], e["mode"], e["duration_ms"])
            for e in card["log"]] == [
        ("2026-01-15T09:30:00+01:00", "Again", "New", "Learning", "review", 4200),
        ("2026-01-15T09:30:00+01:00", "Good", "Learning", "Learning", "review", 4200),
        ("2026-01-15T09:30:00+01:00", "Good", "Learning", "Review", "review", 4200),
        ("2026-01-18T09:30:00+01:00", "Again", "Review", "Relearning", "review", card["log"][3]["duration_ms"])]
    assert card["log"][1]["due_after"] == "2026-01-15T09:40:00+01:00"


def test_show_prints_the_card_and_its_history(ws: Workspace, local_zone: str) -> None:
    studied(ws)
    out = ws.ok("show", KEY, at=NOW + timedelta(days=3, minutes=4)).output
    expected = expected_card()
    lines = out.splitlines()
    assert lines[1] == f"{KEY} Ownership · step-time · situation"
    assert lines[3:5] == ["Situation — Alpha", "30 seconds"]
    assert "  state           Relearning" in lines
    assert "  due             2026-01-18 09:40 (in 6m)" in lines
    assert f"  stability       {expected.stability:.2f} days" in lines
    assert "  reviews         4" in lines and "  lapses          1" in lines
    assert "  2026-01-15 09:30  review Again  New → Learning, next in 1m  4.2s" in lines
    graduated = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(card_id=1)
    for rating in (1, 3, 3):
        card, _ = graduated.review_card(card, fsrs.Rating(rating), NOW)
    assert (f"  2026-01-15 09:30  review Good   Learning → Review, next in {format_interval(card.due - NOW)}  4.2s"
            in lines)


def test_a_new_card_shows_no_schedule_and_a_suspended_one_says_so(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha", question=True)
    ws.ok("due", at=NOW)
    with ws.db() as conn:
        conn.execute("UPDATE cards SET suspended = 1, leech = 1 WHERE key = 'alpha/mcq/pick'")
    out = ws.ok("show", "alpha/mcq/pick", at=NOW).output
    assert "alpha/mcq/pick [suspended, leech] Ownership · mcq · easy" in out
    assert "  B. second\n" in out and "B. second\n" in out.split("  C. third\n")[1]
    assert "  state           New\n" in out and "Never reviewed." in out and "stability" not in out


def test_an_unknown_key_suggests_the_nearest(ws: Workspace) -> None:
    write_scenario(ws.src, "alpha")
    ws.ok("due", at=NOW)
    db = ws.home / "srs.db"
    for typed, hint in (("alpha/step-time/tsak", "alpha/step-time/task"),
                        ("alpha-phrase-0", "alpha/phrase-lp/alpha-phrase-0")):
        result = ws.srs("show", typed)
        assert (result.exit_code, result.output) == (1, f"no card {typed!r} in {db}; did you mean '{hint}'?\n")
    for typed in ("zzz", "", "/", "a"):  # nothing to go on: no arbitrary suggestion
        result = ws.srs("show", typed)
        assert (result.exit_code, result.output) == (1, f"no card {typed!r} in {db}; `srs cards` lists the keys\n")
