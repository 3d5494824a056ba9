"""The store file: migrations from every earlier schema, refusing files that are not ours, config.toml."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import fsrs
import pytest
from reviewkit import Workspace, local_zone, write_scenario, ws  # noqa: F401 (fixtures)
from test_schedule import berlin, make_review

from srs.store import MIGRATIONS, SCHEMA_VERSION, Store, stamp

NOW = berlin("2026-03-10T10:00")
PARAMETERS = [round(w * 1.01, 4) for w in fsrs.Scheduler().parameters]  # as `srs optimize` would save them
COMMANDS = (["due"], ["review"], ["show", "alpha/step-time/task"], ["unsuspend", "alpha/step-time/task"])


def old_store(path: Path, version: int) -> None:
    """A store as lp-srs at schema ``version`` left it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Store(path, sqlite3.connect(path, isolation_level=None)).migrate(target=version)


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        names = {name for name, in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    return names


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
def test_every_earlier_schema_migrates_in_place(ws: Workspace, version: int) -> None:
    old_store(ws.home / "srs.db", version)
    write_scenario(ws.src, "alpha")
    ws.ok("due", at=NOW)
    with ws.db() as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"cards", "reviews", "sources", "meta", "rehearsals", "quizzes"} <= tables(ws.home / "srs.db")


def test_a_version_1_store_keeps_its_cards_schedule_and_log(ws: Workspace, local_zone: str) -> None:
    path = ws.home / "srs.db"
    old_store(path, 1)
    assert tables(path) == {"cards", "reviews", "sources", "meta"}
    due = NOW + timedelta(days=3)
    with sqlite3.connect(path) as conn:  # a card reviewed once, written the way version 1 wrote it
        conn.execute(
            "INSERT INTO cards (id, key, kind, scenario, lp, step, content, content_hash, state, stability, "
            "fsrs_difficulty, due, last_review) VALUES (7, 'alpha/step-time/task', 'step-time', 'alpha', "
            "'Ownership', 'task', ?, 'old', 2, 3.5, 4.25, ?, ?)",
            ('{"front": "Task, as it was", "prompt": "p", "back": "b", "options": [], "details": []}',
             stamp(due), stamp(NOW)))
        after = {"card_id": 7, "state": 2, "step": None, "stability": 3.5, "difficulty": 4.25,
                 "due": due.isoformat(), "last_review": NOW.isoformat()}
        conn.execute("INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, mode, state_before, before, "
                     "after) VALUES (7, ?, 4, 2500, 'review', NULL, NULL, ?)", (stamp(NOW), json.dumps(after)))
        conn.execute("INSERT INTO meta VALUES ('fsrs_parameters', ?)", (json.dumps(PARAMETERS),))
    conn.close()
    shown = ws.card("alpha/step-time/task")  # show reads it as it is, after migrating
    assert shown["content"]["front"] == "Task, as it was"
    assert (shown["schedule"]["state"], shown["schedule"]["stability"], shown["schedule"]["reviews"]) == (
        "Review", 3.5, 1)
    assert [(e["rating_name"], e["duration_ms"]) for e in shown["log"]] == [("Easy", 2500)]
    with ws.db() as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT value FROM meta").fetchall() == [(json.dumps(PARAMETERS),)]
    write_scenario(ws.src, "alpha")  # the next sync refreshes the content and keeps the rest
    ws.ok("due", at=NOW)
    synced = ws.card("alpha/step-time/task")
    assert synced["content"]["front"] == "Task — Alpha"
    assert (synced["schedule"], synced["log"]) == (shown["schedule"], shown["log"])


def test_a_version_2_store_keeps_its_rehearsals_and_quizzes_and_counts_from_an_index(ws: Workspace) -> None:
    assert len(MIGRATIONS) == 3, "add a test for the store as the previous version left it"
    path = ws.home / "srs.db"
    old_store(path, 2)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO rehearsals VALUES (1, 'alpha', 'SDE2', ?, 171.5, 150, 180)", (stamp(NOW),))
        conn.execute("INSERT INTO quizzes VALUES (1, 'scenario:alpha', ?, 42, 9, 10, 'strong')", (stamp(NOW),))
    conn.close()
    write_scenario(ws.src, "alpha")
    counts = ws.due(NOW)
    assert counts["new_total"] == 8  # 4 phrase cards and 4 step-time cards
    with ws.db() as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT scenario, total_seconds FROM rehearsals").fetchall() == [("alpha", 171.5)]
        assert conn.execute("SELECT scope, verdict FROM quizzes").fetchall() == [("scenario:alpha", "strong")]
        plan = " ".join(row[-1] for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT lp, kind, count(*) FROM cards WHERE retired = 0 AND suspended = 0 "
            "GROUP BY lp, kind"))
        assert "COVERING INDEX cards_by_category" in plan or "USING INDEX cards_by_category" in plan


def unchanged_after(ws: Workspace, command: list[str]) -> str:
    """Run ``command``; assert it failed with status 1 and no traceback and left srs.db as it was."""
    path = ws.home / "srs.db"
    before = path.read_bytes()
    result = ws.srs(*command, at=NOW, input="3\n")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert path.read_bytes() == before
    assert not (ws.home / "srs.db-wal").exists() or not (ws.home / "srs.db-wal").stat().st_size
    return result.output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_file_that_is_not_a_database_is_refused(ws: Workspace, command: list[str]) -> None:
    write_scenario(ws.src, "alpha")
    ws.home.mkdir()
    (ws.home / "srs.db").write_bytes(b"my notes, not a database\n" * 200)
    output = unchanged_after(ws, command)
    assert f"{ws.home / 'srs.db'}: not a usable lp-srs store (file is not a database)" in output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_store_damaged_inside_is_refused(ws: Workspace, command: list[str]) -> None:
    write_scenario(ws.src, "alpha", phrases=4)
    ws.ok("due", at=NOW)
    make_review(ws, "alpha/step-time/task", NOW - timedelta(days=1))
    path = ws.home / "srs.db"
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) >= 4 * page
    data[page:len(data)] = b"\xde\xad\xbe\xef" * ((len(data) - page) // 4)  # the header survives, the rest not
    path.write_bytes(bytes(data))
    output = unchanged_after(ws, command)
    assert f"{path}: " in output and "malformed" in output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_another_programs_sqlite_file_is_refused(ws: Workspace, command: list[str]) -> None:
    write_scenario(ws.src, "alpha")
    ws.home.mkdir()
    with sqlite3.connect(ws.home / "srs.db") as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('bread')")
    conn.close()
    output = unchanged_after(ws, command)
    assert f"{ws.home / 'srs.db'}: this SQLite file is not an lp-srs store; it was left untouched" in output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_store_from_a_newer_version_is_refused(ws: Workspace, command: list[str]) -> None:
    write_scenario(ws.src, "alpha")
    ws.ok("due", at=NOW)
    with ws.db() as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    output = unchanged_after(ws, command)
    assert f"{ws.home / 'srs.db'}: made by a newer lp-srs (schema {SCHEMA_VERSION + 1}" in output


def test_show_and_unsuspend_need_an_existing_store(ws: Workspace) -> None:
    for command in COMMANDS[2:]:
        result = ws.srs(*command)
        assert result.exit_code == 1
        assert f"{ws.home / 'srs.db'}: no store yet; run `srs review` first" in result.output
    assert not ws.home.exists()


# --- config.toml ----------------------------------------------------------------------------------

def test_config_values_are_applied(ws: Workspace, local_zone: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.config("[scheduler]\ndesired_retention = 0.8\nlearning_steps = [\"5m\", \"1h\"]\nmaximum_interval = 4\n"
              "enable_fuzzing = false\n\n[review]\nnew_per_day = 2\nreviews_per_day = 7\n")
    counts = ws.due(NOW)
    assert (counts["new_today"], counts["reviews_left_today"]) == (2, 7)
    result = ws.review(["1", "3", "q"], NOW, "--kind", "step-time")
    assert "→ Again, next in 5m. Saved." in result.output
    assert "→ Good, next in 1h. Saved." in result.output  # first step done: the second is an hour
    make_review(ws, "alpha/step-time/action", NOW - timedelta(days=2), stability=3)
    ws.review(["3"], NOW, "--kind", "step-time", "--limit", "1")
    card = ws.card("alpha/step-time/action")
    scheduler = fsrs.Scheduler(desired_retention=0.8, learning_steps=(timedelta(minutes=5), timedelta(hours=1)),
                               maximum_interval=4, enable_fuzzing=False)
    before = fsrs.Card(card_id=1, state=fsrs.State.Review, stability=3.0, difficulty=5.0,
                       due=NOW - timedelta(days=2), last_review=NOW - timedelta(days=5))
    expected, _ = scheduler.review_card(before, fsrs.Rating.Good, NOW)
    assert card["schedule"]["stability"] == expected.stability
    assert card["schedule"]["due"] == expected.due.astimezone().isoformat(timespec="seconds")
    assert expected.due - NOW == timedelta(days=4)  # capped by maximum_interval


@pytest.mark.parametrize(("text", "where", "message"), [
    ("[review]\nnew_per_dya = 5\n", ":2", "unknown setting 'new_per_dya' in [review]; did you mean 'new_per_day'?"),
    ("[reveiw]\nnew_per_day = 5\n", ":1", "unknown section [reveiw]; did you mean [review]?"),
    ("new_per_day = 5\n", ":1", "'new_per_day' belongs in the [review] section"),
    ("[review]\nnew_per_day = \"ten\"\n", ":2", "new_per_day must be a whole number, not 'ten'"),
    ("[review]\nnew_per_day = 2.5\n", ":2", "new_per_day must be a whole number, not 2.5"),
    ("# my limits\n\n[review]\nnew_per_day = 5\nrollover_hour = 24\n", ":5",
     "rollover_hour must be between 0 and 23, not 24"),
    ("[scheduler]\ndesired_retention = 1.5\n", ":2", "desired_retention must be between 0.7 and 0.99, not 1.5"),
    ("[scheduler]\nenable_fuzzing = \"yes\"\n", ":2", "enable_fuzzing must be true or false"),
    ("[scheduler]\nlearning_steps = [\"1 minute\"]\n", ":2", "learning_steps must be a list of durations"),
    ("[scheduler]\nlearning_steps = \"1m\"\n", ":2", "learning_steps must be a list of durations"),
    ("[scheduler]\nenable_fuzzing = true\n[review]\nlearning_steps = [\"1m\"]\n", ":4",
     "unknown setting 'learning_steps' in [review]"),
    ("review.new_per_day = -1\n", ":1", "new_per_day must be between 0 and 9999, not -1"),
    ("[review\nnew_per_day = 5\n", "", "(at line 1, column 8)"),
])
def test_a_bad_config_is_a_clear_error_at_its_line(ws: Workspace, text: str, where: str, message: str) -> None:
    write_scenario(ws.src, "alpha")
    ws.config(text)
    result = ws.srs("due", at=NOW)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith(f"{ws.home / 'config.toml'}{where}: ")
    assert message in result.output


@pytest.mark.parametrize("command", [["review"], ["show", "alpha/step-time/task"]], ids=lambda c: c[0])
def test_review_and_show_refuse_a_bad_config_too(ws: Workspace, command: list[str]) -> None:
    write_scenario(ws.src, "alpha")
    ws.ok("due", at=NOW)
    ws.config("[review]\nnew_per_day = -1\n")
    result = ws.srs(*command, at=NOW, input="3\n")
    assert (result.exit_code, result.output) == (
        1, f"{ws.home / 'config.toml'}:2: new_per_day must be between 0 and 9999, not -1\n")
    assert ws.log() == []
