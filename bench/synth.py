"""Synthetic data for the benchmarks: scenario trees of any size, and a large store.

Scenarios are the seed (decks_src/ownership-webhook-drop.yaml) under new ids, so every file
is a realistic, valid, seed-sized scenario. The large store gets its cards by a real sync
and its review history written straight into SQLite, the way years of use would leave it.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "decks_src" / "ownership-webhook-drop.yaml"


def scenarios(folder: Path, count: int) -> Path:
    """Write ``count`` seed-sized scenarios into ``folder`` (made if needed); returns it."""
    text = SEED.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"story-{n:05d}.yaml").write_text(
            text.replace("id: ownership-webhook-drop", f"id: ownership-webhook-drop-{n}"), encoding="utf-8")
    return folder


def big_store(home: Path, sources: Path, cards: int, reviews: int, now: datetime) -> None:
    """A synced store of about ``cards`` cards from ``sources`` with ``reviews`` logged reviews.

    Most cards are in review state with due dates spread over the past and next months,
    some learning, some new, as in a long-used collection.
    """
    from srs.store import Store, stamp
    from srs.sync import sync

    per_scenario = 58  # the seed compiles to 58 cards
    scenarios(sources, -(-cards // per_scenario))
    with Store.open(home) as store:
        sync(store, [sources])
        ids = [row[0] for row in store.conn.execute("SELECT id FROM cards")]
    rng = random.Random(7)
    conn = sqlite3.connect(home / "srs.db")
    with conn:
        schedule = []
        for card_id in ids:
            roll = rng.random()
            if roll < 0.1:
                continue  # new
            state = 1 if roll < 0.15 else 2
            due = now + timedelta(days=rng.uniform(-10, 60) if state == 2 else rng.uniform(-0.01, 0.02))
            last = now - timedelta(days=rng.uniform(1, 30))
            schedule.append((state, 0 if state == 1 else None, rng.uniform(1, 90), rng.uniform(1, 10),
                             stamp(due), stamp(last), card_id))
        conn.executemany("UPDATE cards SET state = ?, fsrs_step = ?, stability = ?, fsrs_difficulty = ?, due = ?, "
                         "last_review = ? WHERE id = ?", schedule)
        start = now - timedelta(days=730)
        rows = ((rng.choice(ids), stamp(start + timedelta(seconds=i * 730 * 86400 / reviews)),
                 rng.choice((1, 3, 3, 3, 4)), rng.randint(2000, 20000), "review", 2, None, None)
                for i in range(reviews))
        conn.executemany("INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, mode, state_before, "
                         "before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.close()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
