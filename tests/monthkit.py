"""A simulated month of study, shared by the drill and stats tests.

Three small stories, one per LP (9 cards each). Every day at 09:00 UTC the due queue is worked
through; the first answer of the day to a Dive Deep card is Again three times in five, to any
other card one time in nine (later answers the same day are Good, so relearning ends), and a
card becomes a leech at its 7th lapse, so most Dive Deep cards end the month as leeches. The
first day runs through ``srs review`` on the command line, the rest through ``Session``
directly, for speed. Local time is UTC throughout (``utc_zone``), so the tests' own SQL can
bucket days with ``date(reviewed_at, '-4 hours')``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from reviewkit import Workspace, write_scenario

START = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)
DAYS = 30
END = START + timedelta(days=DAYS - 1)  # the last simulated day, 09:00
WEAK_LP = "Dive Deep"
LPS = (WEAK_LP, "Ownership", "Customer Obsession")


@contextmanager
def utc_zone() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


def rating(lp: str, card_id: int, day: int, first_today: bool) -> int:
    if not first_today:
        return 3
    if lp == WEAK_LP:
        return 1 if (card_id + day) % 5 < 3 else 3
    return 1 if (card_id + day) % 9 == 0 else 3


def simulate(root: Path) -> Workspace:
    """Build the month under ``root``; returns its workspace (the store is closed)."""
    from srs import config
    from srs.session import Filters, Session, due_queue
    from srs.store import Store

    ws = Workspace(root)
    for n, lp in enumerate(LPS):
        write_scenario(ws.src, f"story-{n}", phrases=4, question=True, lp=lp)
    ws.config("[review]\nnew_per_day = 30\nleech_lapses = 7\n")
    ws.review(["3"] * 200, START)  # day 0 on the command line: every new card met and passed
    with Store.open(ws.home) as store:
        settings = config.load(ws.home)
        for day in range(1, DAYS):
            clock = [START + timedelta(days=day)]
            session = Session(store, settings, lambda: clock[0], [], Filters())
            session.queue = due_queue(store, settings, session.scheduler, clock[0], Filters())
            answered: set[int] = set()
            while (card := session.next()) is not None:
                session.answer(card, rating(card.lp, card.id, day, card.id not in answered), 4000)
                answered.add(card.id)
                clock[0] += timedelta(minutes=2)
    return ws


@pytest.fixture
def in_utc() -> Iterator[None]:
    with utc_zone():
        yield


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The simulated month, built once per test module; tests must not change it (see ``mine``)."""
    with utc_zone():
        return simulate(tmp_path_factory.mktemp("month"))


@pytest.fixture
def mine(month: Workspace, tmp_path: Path) -> Workspace:
    """A private copy of the simulated month, for a test that adds to it."""
    ws = Workspace(tmp_path)
    shutil.copytree(month.home, ws.home)
    shutil.copytree(month.src, ws.src, dirs_exist_ok=True)
    return ws


def recall_now(ws: Workspace, at: datetime) -> dict[str, float]:
    """Each seen card's retrievability at ``at``, by FSRS's forgetting curve with default parameters."""
    from fsrs.scheduler import DEFAULT_PARAMETERS

    decay = -DEFAULT_PARAMETERS[20]
    factor = 0.9 ** (1 / decay) - 1
    out = {}
    for key, stability, last in ws.rows("SELECT key, stability, last_review FROM cards WHERE state IS NOT NULL"):
        elapsed = (at - datetime.strptime(last, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)).days
        out[key] = (1 + factor * max(elapsed, 0) / stability) ** decay
    return out
