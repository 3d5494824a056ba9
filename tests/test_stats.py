"""``srs stats``: figures checked against the review log by hand, the terminal charts, the HTML page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from monthkit import END, WEAK_LP, in_utc, mine, month, recall_now  # noqa: F401 (fixtures)
from reviewkit import Workspace, local_zone, ws  # noqa: F401 (fixtures)

from srs import charts, stats
from srs.cli import main
from srs.history import History, QuizResult
from srs.store import Review, StoredCard, stamp

AT = END + timedelta(hours=2)
STATE_SQL = ("CASE WHEN retired THEN 'retired' WHEN leech THEN 'leech' WHEN suspended THEN 'suspended' "
             "WHEN state IS NULL THEN 'new' WHEN state = 1 THEN 'learning' WHEN state = 2 THEN 'review' "
             "ELSE 'relearning' END")


def add_quizzes(ws: Workspace, *rows: tuple[str, datetime, int, int, str]) -> None:
    with ws.db() as db:
        db.executemany("INSERT INTO quizzes (scope, taken_at, correct, total, verdict) VALUES (?, ?, ?, ?, ?)",
                       [(scope, stamp(at), correct, total, verdict) for scope, at, correct, total, verdict in rows])


@pytest.mark.usefixtures("in_utc")
def test_json_figures_match_a_hand_computation_from_the_log(mine: Workspace) -> None:
    mine.ok("drill", "--lp", "Ownership", "-n", "3", at=AT - timedelta(minutes=30), input="1\n3\n3\n")
    mine.ok("drill", "--lp", "Ownership", "-n", "2", "--no-reschedule", at=AT - timedelta(minutes=20),
            input="1\n1\n")
    (mine.src / "story-2.yaml").unlink()  # Customer Obsession's cards retire; their history stays
    add_quizzes(mine, ("scenario:story-0", AT - timedelta(days=9), 4, 10, "Not yet"),
                ("lp:Ownership", AT - timedelta(days=2), 9, 10, "Ready"),
                ("scenario:story-0", AT - timedelta(days=1), 7, 10, "Almost"))
    figures = json.loads(mine.ok("stats", "--json", at=AT).output)

    today = (AT - timedelta(hours=4)).date()
    states = dict(mine.rows(f"SELECT {STATE_SQL}, count(*) FROM cards GROUP BY 1"))
    assert states["retired"] == 9 and states["leech"] > 0 and states["review"] > 0
    assert figures["cards"] == {state: states.get(state, 0) for state in stats.CARD_STATES}

    per_day = dict(mine.rows("SELECT date(reviewed_at, '-4 hours'), count(*) FROM reviews GROUP BY 1"))
    assert len(per_day) > 10 and per_day[today.isoformat()] == 5
    assert figures["reviews"] == {"total": sum(per_day.values()), "today": 5, "per_day": per_day}
    streak, day = 0, today
    while day.isoformat() in per_day:
        streak, day = streak + 1, day - timedelta(days=1)
    assert figures["streak"] == streak >= 1

    due = [0] * 30
    for (day_text,) in mine.rows("SELECT date(due, '-4 hours') FROM cards WHERE retired = 0 AND suspended = 0 "
                                 "AND due IS NOT NULL"):
        offset = max((date.fromisoformat(day_text) - today).days, 0)
        if offset < 30:
            due[offset] += 1
    assert [f["due"] for f in figures["forecast"]] == due and sum(due) > 0
    assert [f["date"] for f in figures["forecast"]][::29] == [today.isoformat(), (today + timedelta(29)).isoformat()]

    recall = recall_now(mine, AT)
    for column, key in (("lp", "by_lp"), ("kind", "by_kind")):
        passed = {name: (n, p) for name, n, p in mine.rows(
            f"SELECT c.{column}, count(*), sum(r.rating > 1) FROM reviews r JOIN cards c ON c.id = r.card_id "
            "WHERE r.state_before = 2 AND r.mode != 'cram' AND c.retired = 0 GROUP BY 1")}
        active = {}
        for name, card_key in mine.rows(f"SELECT {column}, key FROM cards WHERE retired = 0 AND suspended = 0 "
                                        "AND state IS NOT NULL"):
            active.setdefault(name, []).append(recall[card_key])
        got = {g["name"]: g for g in figures["retention"][key]}
        assert set(got) == set(passed) | set(active)
        for name, g in got.items():
            n, p = passed.get(name, (0, 0))
            assert (g["reviews"], g["passed"], g["cards"]) == (n, p, len(active.get(name, [])))
            assert g["retention"] == pytest.approx(p / n)
            assert g["recall"] == pytest.approx(sum(active[name]) / len(active[name]))
    assert "Customer Obsession" not in {g["name"] for g in figures["retention"]["by_lp"]}
    overall = figures["retention"]["overall"]
    n, p = mine.rows("SELECT count(*), sum(r.rating > 1) FROM reviews r JOIN cards c ON c.id = r.card_id "
                     "WHERE r.state_before = 2 AND r.mode != 'cram' AND c.retired = 0")[0]
    assert (overall["reviews"], overall["passed"]) == (n, p) and overall["retention"] == pytest.approx(p / n)

    leeches = mine.rows("SELECT c.key, c.lp, (SELECT count(*) FROM reviews r WHERE r.card_id = c.id AND r.rating = 1 "
                        "AND r.state_before = 2 AND r.mode != 'cram') FROM cards c WHERE c.leech = 1 "
                        "AND c.retired = 0 ORDER BY 3 DESC, 1")
    assert [(l["key"], l["lp"], l["lapses"]) for l in figures["leeches"]] == leeches and leeches

    weakest = figures["weakest"][0]
    lapses, reviews = mine.rows("SELECT sum(r.rating = 1), count(*) FROM reviews r JOIN cards c ON c.id = r.card_id "
                                "WHERE c.lp = ? AND r.state_before = 2 AND r.mode != 'cram'", (WEAK_LP,))[0]
    assert (weakest["dimension"], weakest["value"], weakest["weak"]) == ("lp", WEAK_LP, True)
    assert (weakest["lapses"], weakest["review_answers"]) == (lapses, reviews)

    assert figures["quizzes"] == [  # the scope quizzed last first, each with its attempts oldest first
        {"scope": "scenario:story-0", "attempts": [
            {"taken_at": (AT - timedelta(days=9)).isoformat(), "correct": 4, "total": 10, "verdict": "Not yet"},
            {"taken_at": (AT - timedelta(days=1)).isoformat(), "correct": 7, "total": 10, "verdict": "Almost"}]},
        {"scope": "lp:Ownership", "attempts": [
            {"taken_at": (AT - timedelta(days=2)).isoformat(), "correct": 9, "total": 10, "verdict": "Ready"}]}]


@pytest.mark.usefixtures("in_utc")
def test_the_terminal_report_fits_80_columns_and_honours_no_color(month: Workspace) -> None:
    env = {**month.env(AT), "COLUMNS": "200"}
    plain = CliRunner().invoke(main, ["stats", "--no-builtin"], env=env, color=True)
    assert plain.exit_code == 0, plain.output
    assert "\x1b" not in plain.output
    lines = plain.output.splitlines()
    assert max(map(len, lines)) <= 80
    heatmap = [line for line in lines if line[:4] in {f"{d} " for d in charts.WEEKDAYS}]
    assert [line[:3] for line in heatmap] == list(charts.WEEKDAYS)
    assert sum(line.count(shade) for line in heatmap for shade in charts.SHADES[1:]) == len(
        month.rows("SELECT DISTINCT date(reviewed_at, '-4 hours') FROM reviews"))
    assert sum("┤" in line for line in lines) == 8 and any(line.lstrip().startswith("0 └") for line in lines)
    for text in ("Cards by state", "Answers per day", "Due in the next 30 days", "True retention",
                 f"1. LP {WEAK_LP}", "Leeches:", "Quizzes: 0"):
        assert text in plain.output

    del env["NO_COLOR"]
    coloured = CliRunner().invoke(main, ["stats", "--no-builtin"], env=env, color=True)
    assert "\x1b[1m" in coloured.output
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.output) == plain.output


@pytest.mark.usefixtures("in_utc")
def test_a_leech_key_is_printed_whole_so_it_can_be_unsuspended(ws: Workspace) -> None:
    from reviewkit import write_scenario

    story = "a-story-with-a-rather-long-identifier-as-some-people-write-them"
    write_scenario(ws.src, story)
    at = "2026-11-02T09:00:00Z"
    ws.ok("due", at=at)
    key = f"{story}/step-time/situation"
    with ws.db() as conn:
        conn.execute("UPDATE cards SET leech = 1, suspended = 1 WHERE key = ?", (key,))
    lines = ws.ok("stats", at=at).output.splitlines()
    assert f"  {key}" in lines and len(key) > 78
    assert lines[lines.index(f"  {key}") + 1].startswith("     0 lapses · Situation — ")
    assert max(len(line) for line in lines if line != f"  {key}") <= 80
    assert ws.ok("unsuspend", key).output == f"{key} is back in your reviews.\n"


@pytest.mark.usefixtures("in_utc")
def test_an_empty_store_has_figures_too(ws: Workspace) -> None:
    figures = json.loads(ws.ok("stats", "--json", at="2026-11-02T09:00:00Z").output)
    assert figures["cards"]["new"] == 0 and figures["streak"] == 0 and figures["weakest"] == []
    assert figures["forecast"][0] == {"date": "2026-11-02", "due": 0} and figures["reviews"]["total"] == 0
    assert figures["retention"]["overall"]["retention"] is None
    text = ws.ok("stats", at="2026-11-02T09:00:00Z").output
    assert "Not enough answers yet" in text and max(map(len, text.splitlines())) <= 80


# --- the HTML page ------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")


def render(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM headless Chromium builds from ``page``, and every console message it logged."""
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout, [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


@needs_chromium
def test_the_console_check_catches_a_script_error(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><svg></svg><script>missing();</script>", encoding="utf-8")
    dom, console = render(page, tmp_path / "profile")
    assert "<svg>" in dom and any("missing is not defined" in line for line in console)


@pytest.mark.usefixtures("in_utc")
@needs_chromium
def test_the_html_page_renders_in_chromium_with_every_chart(mine: Workspace, tmp_path: Path) -> None:
    add_quizzes(mine, ('<script>alert("scope")</script>', AT - timedelta(days=1), 3, 10, "<b>Not yet</b>"))
    page = tmp_path / "out" / "progress.html"
    page.parent.mkdir()
    page.write_text("an older page", encoding="utf-8")
    result = mine.srs("stats", "--html", str(page), at=AT)
    assert result.exit_code == 0 and f"Wrote {page}" in result.output
    assert [p.name for p in page.parent.iterdir()] == ["progress.html"]  # replaced, no temporary file left
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text and "&lt;script&gt;alert(&quot;scope&quot;)&lt;/script&gt;" in text
    assert not re.search(r"""(src|href)\s*=|url\(|@import""", text)  # loads nothing

    dom, console = render(page, tmp_path / "profile")
    assert console == []
    assert dom.count("<svg") >= 6 and "<b>Not yet</b>" not in dom and "&lt;b&gt;Not yet&lt;/b&gt;" in dom
    for label in ("Answers per day, last weeks", "Cards due per day, next 30 days", "Cards by state"):
        assert f'aria-label="{label}"' in dom
    days = len(mine.rows("SELECT DISTINCT date(reviewed_at, '-4 hours') FROM reviews"))
    assert len(re.findall(r"<title>[^<]*: [1-9]\d* answers?</title>", dom)) == days
    assert f"LP {WEAK_LP}" in dom


@pytest.mark.usefixtures("in_utc")
def test_an_unwritable_html_path_fails_cleanly(month: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "page.html"
    result = month.srs("stats", "--html", str(target), at=AT)
    assert result.exit_code == 1 and f"{target}: cannot write the page" in result.output
    assert not target.parent.exists()


# --- pure parts: days, streak, forecast, charts ------------------------------------------------

def _card(card_id: int, due: datetime | None, suspended: bool = False) -> StoredCard:
    return StoredCard(card_id, f"s/phrase-lp/{card_id}", "phrase-lp", "s", "Frugality", None, None, None,
                      {"front": "f"}, False, suspended, False, 2 if due else None, None, 5.0, 5.0,
                      stamp(due) if due else None, None)


def _review(card_id: int, at: datetime) -> Review:
    return Review(0, card_id, stamp(at), 3, None, "review", 2, None, None)


@pytest.mark.usefixtures("local_zone")
def test_days_streak_and_forecast_follow_the_local_rollover() -> None:
    berlin = datetime(2026, 11, 20, 2, 30).astimezone()  # 02:30 local: still the 19th's review day
    assert berlin.utcoffset() == timedelta(hours=1)
    reviews = (_review(1, berlin), _review(1, berlin.replace(hour=5)))  # the 19th, then the 20th
    cards = (_card(1, berlin - timedelta(days=3)), _card(2, berlin.replace(day=22, hour=3)),
             _card(3, berlin.replace(day=22, hour=5)), _card(4, berlin + timedelta(days=40)),
             _card(5, berlin, suspended=True), _card(6, None))

    def at(moment: datetime) -> stats.Stats:
        return stats.compute(History(moment.astimezone(timezone.utc), cards, {}, reviews, (), ()), 4)

    night = at(datetime(2026, 11, 21, 3, 0).astimezone())  # still the 20th
    assert night.today == date(2026, 11, 20) and night.reviews_today == 1 and night.streak == 2
    assert night.per_day == {date(2026, 11, 19): 1, date(2026, 11, 20): 1}
    # overdue → today; 03:00 on the 22nd → the 21st (tomorrow); 05:00 on the 22nd → the day after
    assert night.forecast[:3] == (1, 1, 1) and sum(night.forecast) == 3
    assert night.states == {"new": 1, "learning": 0, "review": 4, "relearning": 0, "suspended": 1, "leech": 0,
                            "retired": 0}
    assert at(datetime(2026, 11, 21, 10, 0).astimezone()).streak == 2  # nothing yet today: not broken
    assert at(datetime(2026, 11, 22, 10, 0).astimezone()).streak == 0  # a whole day missed


def test_quiz_history_is_grouped_by_scope_latest_first() -> None:
    t = datetime(2026, 11, 1, tzinfo=timezone.utc)
    quizzes = (QuizResult("lp:Ownership", t, 5, 10, "Not yet"),
               QuizResult("scenario:a", t + timedelta(1), 6, 10, "Almost"),
               QuizResult("lp:Ownership", t + timedelta(2), 8, 10, "Ready"))
    figures = stats.compute(History(t + timedelta(3), (), {}, (), (), quizzes), 4)
    assert [(q.scope, [a.correct for a in q.attempts]) for q in figures.quizzes] == [
        ("lp:Ownership", [5, 8]), ("scenario:a", [6])]


def test_heatmap_cells_shade_each_day_by_its_count() -> None:
    today = date(2026, 11, 26)  # a Thursday
    per_day = {today: 8, today - timedelta(days=1): 2, today - timedelta(days=7): 4, date(2026, 1, 1): 99}
    lines = charts.heatmap(per_day, today, weeks=4)
    rows = {line[:3]: line[5:] for line in lines[1:8]}
    assert [rows[d][6] if len(rows[d]) > 6 else " " for d in charts.WEEKDAYS] == ["·", "·", "░", "█", " ", " ", " "]
    assert rows["Thu"][4] == "▒"  # 4 of 8, a week before
    assert lines[8].split() == ["·", "none", "░", "1–2", "▒", "3–4", "▓", "5–6", "█", "7–8"]
    assert max(map(len, charts.heatmap({}, today, weeks=26))) <= 57


def test_heatmap_months_are_labelled_where_they_start() -> None:
    # 12 weeks back from 13 Apr starts on Mon 26 Jan: February starts in the second column
    assert charts.heatmap({}, date(2026, 4, 13), weeks=12)[0].split() == ["Feb", "Mar", "Apr"]
    # with room to spare, the first column's month is labelled too
    assert charts.heatmap({}, date(2026, 4, 27), weeks=12)[0].split() == ["Feb", "Mar", "Apr"]
    assert charts.heatmap({}, date(2026, 5, 4), weeks=12)[0].split() == ["Feb", "Mar", "Apr", "May"]
    assert charts.heatmap({}, date(2026, 4, 20), weeks=12)[0].split() == ["Feb", "Mar", "Apr"]
    # the page's heatmap is labelled the same way
    from srs.stats_html import page

    figures = stats.compute(History(datetime(2026, 4, 13, 12, tzinfo=timezone.utc), (), {}, (), (), ()), 4)
    assert re.findall(r'<text x="\d+" y="12">(\w+)</text>', page(figures)) == ["Feb", "Mar", "Apr"]


def test_column_chart_heights_are_proportional() -> None:
    lines = charts.columns([8, 4, 0, 1], date(2026, 11, 26), height=8)
    grid = [line[3:] for line in lines[:8]]  # after "8 ┤" / "  ┤"
    column = [[row[2 * i] if len(row) > 2 * i else " " for row in grid] for i in range(4)]
    assert column[0] == ["█"] * 8
    assert column[1] == [" "] * 4 + ["█"] * 4
    assert column[2] == [" "] * 8
    assert column[3] == [" "] * 7 + ["█"]
    assert lines[0].startswith("8 ┤") and lines[8] == "0 └────────" and lines[9].startswith("   26 Nov")
    assert max(map(len, charts.columns([3] * 30, date(2026, 11, 26)))) <= 80


def test_the_heatmap_reaches_back_to_the_first_answer_within_limits() -> None:
    today = date(2026, 11, 26)
    assert charts.heatmap_weeks({}, today) == 12
    assert charts.heatmap_weeks({today - timedelta(weeks=20): 1, today: 3}, today) == 22
    assert charts.heatmap_weeks({today - timedelta(weeks=80): 1}, today) == 26
