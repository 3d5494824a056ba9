"""``srs optimize``: review log → fsrs-rs items, fitting on a synthetic learner, and the command end to end."""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import fsrs
import pytest

from srs import optimize
from srs.config import Settings
from srs.optimize import Item, training_items
from srs.schedule import PARAMETERS_KEY
from srs.session import Session
from srs.store import Review, Store, stamp

# A learner unlike the average one FSRS's defaults describe: new cards stick much longer
# (w0–w3), a different forgetting curve (w20), lapses cost less (w11), and so on.
TRUE_PARAMETERS = (1.2, 3.5, 9.0, 25.0, 5.5, 1.2, 2.0, 0.01, 1.3, 0.12, 1.2, 1.8, 0.1, 0.35, 1.9, 0.5, 2.2,
                   0.6, 0.2, 0.1, 0.35)
START = datetime(2026, 1, 5, 12, tzinfo=timezone.utc)
DEFAULTS = fsrs.scheduler.DEFAULT_PARAMETERS


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set the local time zone (POSIX TZ, e.g. 'XST+5' = UTC-5) for this test only."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    use("UTC0")
    yield use
    monkeypatch.undo()
    time.tzset()


# --- the synthetic learner ------------------------------------------------------------------------

Rating = tuple[int, datetime, int, str, int | None]  # card id, when, rating, mode, state before


def learner(cards: int, days: int, seed: int) -> list[Rating]:
    """A learner whose memory follows FSRS with TRUE_PARAMETERS, reviewing what py-fsrs schedules.

    Each rating after the first is a recall drawn with the probability the true model gives at
    that moment (Hard/Good/Easy when recalled); reviews come 0–2 days late, as people do.
    """
    rng = random.Random(seed)
    scheduler = fsrs.Scheduler(parameters=TRUE_PARAMETERS, enable_fuzzing=False)
    log: list[Rating] = []
    for card_id in range(1, cards + 1):
        card = fsrs.Card(card_id=card_id)
        at = START + timedelta(days=card_id * days // (2 * cards), minutes=rng.randrange(600))
        state: int | None = None
        while at < START + timedelta(days=days):
            if state is None:
                rating = rng.choices((1, 2, 3, 4), (0.2, 0.1, 0.5, 0.2))[0]
            elif rng.random() < scheduler.get_card_retrievability(card, at):
                rating = rng.choices((2, 3, 4), (0.15, 0.75, 0.1))[0]
            else:
                rating = 1
            log.append((card_id, at, rating, "review", state))
            card, _ = scheduler.review_card(card, fsrs.Rating(rating), at)
            state = card.state.value
            late = timedelta(days=rng.choice((0, 0, 0, 1, 2))) if card.state == fsrs.State.Review else timedelta()
            at = card.due + late
    return log


def write(home: Path, log: list[Rating]) -> None:
    """Put ``log`` into a real store: a card row for each card, a reviews row for each rating."""
    with Store.open(home) as store, store.transaction() as c:
        for card_id in sorted({entry[0] for entry in log}):
            c.execute("INSERT INTO cards (id, key, kind, scenario, lp, content, content_hash) "
                      "VALUES (?, ?, 'concept', 'synthetic', 'Ownership', '{}', '')", (card_id, f"synthetic/{card_id}"))
        c.executemany("INSERT INTO reviews (card_id, reviewed_at, rating, mode, state_before) VALUES (?, ?, ?, ?, ?)",
                      [(card_id, stamp(at), rating, mode, state) for card_id, at, rating, mode, state in log])


def reviews(log: list[Rating]) -> list[Review]:
    return [Review(i, card_id, stamp(at), rating, None, mode, state, None, None)
            for i, (card_id, at, rating, mode, state) in enumerate(log, 1)]


# --- conversion -----------------------------------------------------------------------------------

def day(n: int, hour: int, minute: int = 0) -> datetime:
    """Day ``n`` of the test calendar at a local (TZ) wall-clock time."""
    return datetime(2026, 3, 2 + n, hour, minute).astimezone().astimezone(timezone.utc)


def test_first_review_starts_the_history_and_later_days_are_items(zone):
    log = [(7, day(0, 9), 3, "review", None), (7, day(3, 9), 3, "review", 2), (7, day(10, 20), 1, "review", 2)]
    assert training_items(reviews(log), 4) == [Item(7, ((3, 0), (3, 3))), Item(7, ((3, 0), (3, 3), (1, 7)))]


def test_same_day_ratings_stay_in_the_history_but_are_not_predicted(zone):
    log = [(1, day(0, 9), 1, "review", None), (1, day(0, 9, 1), 3, "review", 1), (1, day(0, 9, 11), 3, "review", 1),
           (1, day(1, 8), 1, "review", 2), (1, day(1, 8, 10), 3, "review", 3), (1, day(2, 8), 3, "review", 2)]
    assert training_items(reviews(log), 4) == [
        Item(1, ((1, 0), (3, 0), (3, 0), (1, 1))),
        Item(1, ((1, 0), (3, 0), (3, 0), (1, 1), (3, 0), (3, 1))),
    ]


def test_days_are_review_days_rolling_over_at_the_local_hour(zone):
    zone("XST+5")  # UTC-5: the times below are local, their UTC dates are a day later in the evening
    log = [(1, day(0, 22), 3, "review", None),   # evening of day 0
           (1, day(1, 3), 3, "review", 1),       # 3 am: still day 0's review day
           (1, day(1, 5), 3, "review", 2),       # 5 am: day 1
           (1, day(2, 23, 30), 3, "review", 2)]  # 23:30 local is 04:30 UTC next date: still day 2
    assert training_items(reviews(log), 4) == [Item(1, ((3, 0), (3, 0), (3, 1))),
                                               Item(1, ((3, 0), (3, 0), (3, 1), (3, 1)))]
    # with the day rolling over at midnight, the 3 am rating is a day after the evening one
    assert training_items(reviews(log), 0)[0] == Item(1, ((3, 0), (3, 1)))


def test_cram_is_left_out_and_drill_counts(zone):
    log = [(1, day(0, 9), 2, "cram", None),      # crammed while still new: not its first review
           (1, day(1, 9), 3, "review", None),
           (1, day(2, 9), 1, "cram", 2),         # cram leaves the schedule and the history alone
           (1, day(4, 9), 3, "drill", 2)]
    assert training_items(reviews(log), 4) == [Item(1, ((3, 0), (3, 3)))]


def test_cards_whose_first_rating_is_not_in_the_log_are_skipped(zone):
    log = [(1, day(0, 9), 3, "review", 2), (1, day(5, 9), 3, "review", 2),   # history began elsewhere
           (2, day(0, 9), 4, "review", None), (2, day(5, 9), 3, "review", 2)]
    assert training_items(reviews(log), 4) == [Item(2, ((4, 0), (3, 5)))]


def test_items_come_in_the_order_of_the_rating_they_predict(zone):
    log = [(1, day(0, 9), 3, "review", None), (2, day(0, 10), 3, "review", None),
           (2, day(2, 9), 3, "review", 2), (1, day(3, 9), 3, "review", 2)]
    shuffled = reviews(log)[::-1]
    assert [item.card_id for item in training_items(shuffled, 4)] == [2, 1]


# --- fitting ----------------------------------------------------------------------------------

def test_fitted_parameters_predict_a_synthetic_learner_better_than_the_defaults(zone, tmp_path):
    log = learner(cards=300, days=180, seed=1)
    write(tmp_path, log)
    with Store.open(tmp_path) as store:
        items = training_items(store.reviews(), 4)
    outcome = optimize.optimize(items, DEFAULTS, relearning_steps=1)
    assert outcome.parameters is not None and len(outcome.parameters) == 21
    truth = optimize.optimize(items, TRUE_PARAMETERS, relearning_steps=1).current
    assert outcome.fitted.log_loss < outcome.current.log_loss - 0.01
    assert outcome.fitted.rmse_bins < outcome.current.rmse_bins
    assert outcome.fitted.log_loss < truth.log_loss + 0.005  # about as good as the model that made the data
    assert outcome.improved
    # the learner's initial stability for Good (9 days) is recovered far better than the default's 2.3
    assert abs(outcome.parameters[2] - TRUE_PARAMETERS[2]) < abs(DEFAULTS[2] - TRUE_PARAMETERS[2]) / 2


def test_too_little_history_is_not_fitted(zone):
    # enough for fsrs-rs to fit the initial stabilities only (8 to 63 usable items): not a fit of the user
    items = training_items(reviews(learner(cards=80, days=60, seed=1)), 4)
    outcome = optimize.optimize(items, DEFAULTS, relearning_steps=1)
    assert outcome.parameters is None and outcome.fitted is None and not outcome.improved
    assert 8 <= outcome.usable < optimize.MIN_ITEMS < outcome.items  # fsrs-rs set some aside as outliers
    assert outcome.more_needed == optimize.MIN_ITEMS - outcome.usable


def second_days_only(cards: int) -> list[Rating]:
    """Each card rated on one day and once more the next: no card has a second later-day review yet."""
    return [entry for card_id in range(1, cards + 1) for entry in (
        (card_id, START, 3, "review", None), (card_id, START + timedelta(days=1), 3, "review", 2))]


def test_no_second_later_day_review_is_not_fitted(zone):
    outcome = optimize.optimize(training_items(reviews(second_days_only(80)), 4), DEFAULTS, relearning_steps=1)
    assert (outcome.usable, outcome.repeated, outcome.more_needed, outcome.parameters) == (80, 0, 0, None)


def test_fsrs5_parameters_are_converted_to_fsrs6_and_others_refused():
    fsrs5 = DEFAULTS[:19]
    converted = optimize.as_fsrs6(fsrs5)
    assert converted[:19] == DEFAULTS[:19] and converted[19:] == (0.0, 0.5)  # FSRS-5's short-term rule and decay
    fsrs.Scheduler(parameters=converted)
    assert optimize.as_fsrs6([0.21199999749660492, *DEFAULTS[1:]]) == DEFAULTS  # fsrs-rs's float32s, rounded
    with pytest.raises(optimize.OptimizeError, match="5 parameters"):
        optimize.as_fsrs6([1.0] * 5)


def test_retention_advice_simulates_the_users_deck():
    recommended, table = optimize.retention_advice(DEFAULTS, Settings(), deck_size=200)
    assert 0.7 <= recommended <= 0.95
    assert [row.retention for row in table] == list(optimize.RETENTIONS)
    minutes = [row.minutes_per_day for row in table]
    assert minutes == sorted(minutes) and minutes[-1] > minutes[0]  # higher retention, more work
    assert all(0 < row.remembered <= 200 for row in table)
    with pytest.raises(optimize.OptimizeError, match="new_per_day"):
        optimize.retention_advice(DEFAULTS, Settings(new_per_day=0), deck_size=200)


# --- the command --------------------------------------------------------------------------------

def saved(home: Path) -> str | None:
    with Store.open(home) as store:
        return store.get_meta(PARAMETERS_KEY)


@pytest.fixture
def history(zone, tmp_path: Path) -> Path:
    write(tmp_path, learner(cards=150, days=120, seed=3))
    return tmp_path


def test_dry_run_shows_both_and_saves_nothing(srs, history):
    result = srs("optimize", "--dry-run", "--home", str(history), "--no-builtin")
    assert result.exit_code == 0, result.output
    assert "current (default)" in result.output and "fitted" in result.output
    assert "w20  forgetting curve decay" in result.output and "Dry run: nothing saved" in result.output
    assert saved(history) is None


def test_saves_when_better_then_keeps_and_the_scheduler_uses_them(srs, history):
    first = srs("optimize", "--home", str(history), "--no-builtin")
    assert first.exit_code == 0, first.output
    assert "Saved" in first.output and "`srs optimize --reset`" in first.output  # never split over lines
    assert max(map(len, first.output.splitlines())) <= 80
    parameters = json.loads(saved(history))
    assert len(parameters) == 21 and parameters != list(DEFAULTS)
    with Store.open(history) as store:
        assert Session(store, Settings(), lambda: START, []).scheduler.parameters == tuple(parameters)

    again = srs("optimize", "--home", str(history), "--no-builtin")  # the fit is the one in use: not better
    assert again.exit_code == 0, again.output
    assert "current (saved)" in again.output and "Kept the saved parameters" in again.output
    assert json.loads(saved(history)) == parameters

    dry = srs("optimize", "--reset", "--dry-run", "--home", str(history), "--no-builtin")
    assert "would forget" in dry.output and saved(history) is not None
    reset = srs("optimize", "--reset", "--home", str(history), "--no-builtin")
    assert reset.exit_code == 0 and "default" in reset.output
    assert saved(history) is None


def test_too_little_history_says_how_much_more(srs, zone, tmp_path):
    write(tmp_path, learner(cards=10, days=20, seed=4))
    result = srs("optimize", "--home", str(tmp_path), "--no-builtin")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Not enough history" in text and "needs at least 64 usable items and has 0" in text
    assert max(map(len, result.output.splitlines())) <= 80
    assert saved(tmp_path) is None


def test_waiting_for_second_later_day_reviews_is_explained(srs, zone, tmp_path):
    write(tmp_path, second_days_only(80))
    result = srs("optimize", "--home", str(tmp_path), "--no-builtin")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "80 usable" in text and "no card has had a second review on a later day" in text
    assert saved(tmp_path) is None


def test_retention_option(srs, history):
    result = srs("optimize", "--dry-run", "--retention", "--home", str(history), "--no-builtin")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Simulated 365 days of 150 cards at 20 new a day, with the default parameters" in text
    assert "recommends a desired retention of at least 0." in text
    assert max(map(len, result.output.splitlines())) <= 80


def test_unusable_saved_parameters_are_reported(srs, history):
    with Store.open(history) as store:
        store.set_meta(PARAMETERS_KEY, "[1.0, 2.0, 3.0]")
    result = srs("optimize", "--home", str(history), "--no-builtin")
    assert result.exit_code == 1
    assert "cannot use the parameters [1.0, 2.0, 3.0]" in result.output and "srs optimize --reset" in result.output
    assert srs("optimize", "--reset", "--home", str(history), "--no-builtin").exit_code == 0
    assert saved(history) is None


def test_missing_engine_is_explained(srs, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # `import fsrs_rs_python` now fails
    result = srs("optimize", "--home", str(tmp_path), "--no-builtin")
    assert result.exit_code == 1
    assert "pip install 'lp-srs[optimize]'" in result.output
    assert not (tmp_path / "srs.db").exists()  # refused before touching anything
    assert srs("optimize", "--reset", "--home", str(tmp_path), "--no-builtin").exit_code == 0  # needs no engine
