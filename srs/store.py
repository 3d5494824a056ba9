"""The local store: one SQLite file holding cards, their FSRS state and every review.

Durability is the point: WAL with ``synchronous=FULL``, and each rating is its own
``BEGIN IMMEDIATE`` transaction that re-reads the card, so a killed process loses nothing
it had confirmed and two processes reviewing at once both keep their ratings. A file that
is not ours, is corrupt or comes from a newer version is refused, never overwritten.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from srs.compile import Card
    from srs.quiz import Result
    from srs.rehearse import Rehearsal

STORE_FILE = "srs.db"
APPLICATION_ID = 0x4C505352  # "LPSR": marks the file as ours

# Each entry upgrades the schema from version i to i + 1; never edit a released one.
MIGRATIONS: tuple[str, ...] = (
    # 1: cards with their FSRS state, the review log, source fingerprints, settings.
    """
    CREATE TABLE cards (
        id INTEGER PRIMARY KEY,            -- the stable FSRS card id
        key TEXT NOT NULL UNIQUE,          -- <scenario>/<kind>/<item>
        kind TEXT NOT NULL,
        scenario TEXT NOT NULL,
        lp TEXT NOT NULL,
        step TEXT,
        difficulty TEXT,
        level TEXT,
        content TEXT NOT NULL,             -- the compiled card as JSON
        content_hash TEXT NOT NULL,
        retired INTEGER NOT NULL DEFAULT 0,   -- its source is gone; history kept
        suspended INTEGER NOT NULL DEFAULT 0,
        leech INTEGER NOT NULL DEFAULT 0,
        state INTEGER,                     -- NULL: new; else fsrs.State (1 learning, 2 review, 3 relearning)
        fsrs_step INTEGER,
        stability REAL,
        fsrs_difficulty REAL,
        due TEXT,                          -- UTC, '%Y-%m-%dT%H:%M:%S.%fZ' so text order is time order
        last_review TEXT
    );
    CREATE INDEX cards_due ON cards (due) WHERE retired = 0 AND suspended = 0;
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES cards (id),
        reviewed_at TEXT NOT NULL,
        rating INTEGER NOT NULL,           -- 1 Again, 2 Hard, 3 Good, 4 Easy
        duration_ms INTEGER,
        mode TEXT NOT NULL,                -- review | drill | cram (cram leaves the schedule alone)
        state_before INTEGER,              -- NULL: the card was new
        before TEXT,                       -- FSRS card JSON before (NULL when new)
        after TEXT                         -- FSRS card JSON after (NULL for cram)
    );
    CREATE INDEX reviews_card ON reviews (card_id);
    CREATE INDEX reviews_time ON reviews (reviewed_at);
    CREATE TABLE sources (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                          hash TEXT NOT NULL);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: rehearsals of telling a story, and quiz results.
    """
    CREATE TABLE rehearsals (
        id INTEGER PRIMARY KEY,
        scenario TEXT NOT NULL,
        level TEXT,
        started_at TEXT NOT NULL,
        total_seconds REAL NOT NULL,
        budget_low INTEGER,
        budget_high INTEGER
    );
    CREATE TABLE rehearsal_steps (
        rehearsal_id INTEGER NOT NULL REFERENCES rehearsals (id),
        step TEXT NOT NULL,
        seconds REAL NOT NULL,
        target_seconds INTEGER NOT NULL,
        PRIMARY KEY (rehearsal_id, step)
    );
    CREATE TABLE quizzes (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL,               -- 'scenario:<id>' or 'lp:<LP>'
        taken_at TEXT NOT NULL,
        seed INTEGER,
        correct INTEGER NOT NULL,
        total INTEGER NOT NULL,
        verdict TEXT NOT NULL
    );
    CREATE TABLE quiz_answers (
        quiz_id INTEGER NOT NULL REFERENCES quizzes (id),
        position INTEGER NOT NULL,
        question TEXT NOT NULL,            -- the question's key
        card_key TEXT,                     -- the card behind it, if any
        lp TEXT NOT NULL,
        kind TEXT NOT NULL,
        step TEXT,
        difficulty TEXT NOT NULL,
        level TEXT,
        correct INTEGER NOT NULL,
        PRIMARY KEY (quiz_id, position)
    );
    CREATE INDEX quiz_answers_card ON quiz_answers (card_key);
    """,
    # 3: counting due cards by LP and kind from an index alone: `srs due` reads no card content.
    """
    CREATE INDEX cards_by_category ON cards (lp, kind, state, due) WHERE retired = 0 AND suspended = 0;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
ACTIVE = "retired = 0 AND suspended = 0"  # cards that can be shown
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class StoreError(Exception):
    """The store cannot be used; the message names the file and what to do."""


def stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(TIME_FORMAT)


def parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=timezone.utc)


class StoredCard(NamedTuple):
    """A card as the store holds it: the compiled content plus its schedule.

    Rows read from the store are named tuples rather than dataclasses: just as immutable and
    typed, and several times cheaper to define, which `srs due` pays on every start.
    """

    id: int
    key: str
    kind: str
    scenario: str
    lp: str
    step: str | None
    difficulty: str | None
    level: str | None
    content: dict[str, Any]
    retired: bool
    suspended: bool
    leech: bool
    state: int | None
    fsrs_step: int | None
    stability: float | None
    fsrs_difficulty: float | None
    due: str | None
    last_review: str | None

    @property
    def is_new(self) -> bool:
        return self.state is None

    def fsrs_dict(self) -> dict[str, Any] | None:
        """The py-fsrs ``Card.to_dict()`` form of the schedule, None for a new card."""
        if self.state is None:
            return None
        return {"card_id": self.id, "state": self.state, "step": self.fsrs_step, "stability": self.stability,
                "difficulty": self.fsrs_difficulty, "due": _iso(self.due),
                "last_review": _iso(self.last_review) if self.last_review else None}


def _statements(script: str) -> Iterator[str]:
    """The statements of ``script`` (``executescript`` would commit our transaction midway)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""


def is_leech(lapses: int, threshold: int) -> bool:
    """Anki's rule: a leech at ``threshold`` lapses, then again every half of it (8, 12, 16…),
    so a card brought back with `srs unsuspend` gets a fair run before it is suspended again."""
    return lapses >= threshold and (lapses - threshold) % max(threshold // 2, 1) == 0


def _loads(text: str) -> Any:
    import json  # imported on first use: `srs due` never needs it, and it runs many times a day

    return json.loads(text)


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _iso(text: str | None) -> str | None:
    return parse_stamp(text).isoformat() if text else None


CARD_COLUMNS = ("id, key, kind, scenario, lp, step, difficulty, level, content, retired, suspended, leech, "
                "state, fsrs_step, stability, fsrs_difficulty, due, last_review")


def _card(row: tuple) -> StoredCard:
    values = list(row)
    values[8] = _loads(values[8])
    values[9:12] = (bool(v) for v in values[9:12])
    return StoredCard(*values)


class Review(NamedTuple):
    id: int
    card_id: int
    reviewed_at: str
    rating: int
    duration_ms: int | None
    mode: str
    state_before: int | None
    before: str | None
    after: str | None


@dataclass(frozen=True)
class SyncSummary:
    added: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    parsed: bool = False  # False: nothing had changed, no YAML was read


class Store:
    """One open store. Use ``Store.open(home)``; close it (or use ``with``) when done."""

    def __init__(self, path: str | os.PathLike[str], conn: sqlite3.Connection) -> None:
        self.path = os.fspath(path)
        self.conn = conn

    @classmethod
    def open(cls, home: str | os.PathLike[str], create: bool = True) -> Store:
        path = os.path.join(home, STORE_FILE)
        if not os.path.exists(path) and not create:
            raise StoreError(f"{path}: no store yet; run `srs review` first")
        try:
            os.makedirs(home, exist_ok=True)
            conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"{path}: cannot open the store: {err}") from None
        store = cls(path, conn)
        try:
            store._prepare()
        except sqlite3.DatabaseError as err:
            conn.close()
            raise store._unusable(err) from None
        except StoreError:
            conn.close()
            raise
        return store

    def _unusable(self, err: sqlite3.Error) -> StoreError:
        return StoreError(f"{self.path}: not a usable lp-srs store ({err}); it was left untouched. "
                          "Move it aside to start afresh, or restore a backup.")

    def check(self, err: BaseException) -> None:
        """Raise a ``StoreError`` naming the file if ``err`` says it is damaged.

        Damage past the first page only shows when a query reaches it, in the middle of a
        command; this turns that into the same clear error as a file refused on opening.
        """
        if type(err) is sqlite3.DatabaseError:  # SQLITE_CORRUPT, SQLITE_NOTADB (subclasses are bugs or locks)
            raise self._unusable(err) from None

    def _prepare(self) -> None:
        c = self.conn
        app, version = c.execute("PRAGMA application_id").fetchone()[0], c.execute("PRAGMA user_version").fetchone()[0]
        if app not in (0, APPLICATION_ID) or (app == 0 and c.execute(
                "SELECT count(*) FROM sqlite_master").fetchone()[0]):
            raise StoreError(f"{self.path}: this SQLite file is not an lp-srs store; it was left untouched")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: made by a newer lp-srs (schema {version}, this one knows "
                             f"{SCHEMA_VERSION}); upgrade lp-srs")
        c.execute("PRAGMA journal_mode = WAL")
        c.execute("PRAGMA synchronous = FULL")  # a rating shown as accepted survives even a power cut
        c.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            self.migrate()

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        """Upgrade in place, one version per transaction, from whatever version the file has."""
        with self.transaction():
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, target):
                for statement in _statements(MIGRATIONS[number]):
                    self.conn.execute(statement)
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version = {target}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: object) -> None:
        self.close()
        if err is not None:
            self.check(err)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the lock up front, so two writers queue instead of failing."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- meta -------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self.transaction() as c:
            if value is None:
                c.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # --- sync -------------------------------------------------------------------------------

    def source_fingerprints(self) -> dict[str, tuple[int, int, str]]:
        return {path: (size, mtime, digest) for path, size, mtime, digest
                in self.conn.execute("SELECT path, size, mtime_ns, hash FROM sources")}

    def save_fingerprints(self, prints: dict[str, tuple[int, int, str]]) -> None:
        with self.transaction() as c:
            self._write_fingerprints(c, prints)

    @staticmethod
    def _write_fingerprints(c: sqlite3.Connection, prints: dict[str, tuple[int, int, str]]) -> None:
        c.execute("DELETE FROM sources")
        c.executemany("INSERT INTO sources (path, size, mtime_ns, hash) VALUES (?, ?, ?, ?)",
                      [(path, *values) for path, values in prints.items()])

    def apply_cards(self, cards: tuple[Card, ...], prints: dict[str, tuple[int, int, str]]) -> SyncSummary:
        """Make the active cards exactly ``cards``: add, update in place, retire, restore."""
        counts = {"added": 0, "updated": 0, "retired": 0, "restored": 0}
        with self.transaction() as c:
            existing = {key: (cid, digest, retired) for cid, key, digest, retired
                        in c.execute("SELECT id, key, content_hash, retired FROM cards")}
            for card in cards:
                digest = card.content_hash()
                row = (card.kind, card.scenario, card.lp, card.step, card.difficulty, card.level,
                       _dumps(card.to_json()), digest)
                if card.key not in existing:
                    c.execute("INSERT INTO cards (kind, scenario, lp, step, difficulty, level, content, "
                              "content_hash, key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (*row, card.key))
                    counts["added"] += 1
                    continue
                cid, old_digest, retired = existing[card.key]
                if old_digest != digest or retired:
                    c.execute("UPDATE cards SET kind = ?, scenario = ?, lp = ?, step = ?, difficulty = ?, level = ?, "
                              "content = ?, content_hash = ?, retired = 0 WHERE id = ?", (*row, cid))
                    counts["restored" if retired else "updated"] += 1
            gone = set(existing) - {card.key for card in cards}
            stale = [(existing[key][0],) for key in gone if not existing[key][2]]
            c.executemany("UPDATE cards SET retired = 1 WHERE id = ?", stale)
            counts["retired"] = len(stale)
            self._write_fingerprints(c, prints)
        return SyncSummary(parsed=True, **counts)

    # --- cards ------------------------------------------------------------------------------

    def card(self, key: str) -> StoredCard | None:
        row = self.conn.execute(f"SELECT {CARD_COLUMNS} FROM cards WHERE key = ?", (key,)).fetchone()
        return _card(row) if row else None

    def card_by_id(self, card_id: int) -> StoredCard:
        return _card(self.conn.execute(f"SELECT {CARD_COLUMNS} FROM cards WHERE id = ?", (card_id,)).fetchone())

    def cards(self, where: str = "1", params: tuple = ()) -> list[StoredCard]:
        """Cards matching an SQL condition over the ``cards`` columns (for internal callers only)."""
        return [_card(row) for row in self.conn.execute(f"SELECT {CARD_COLUMNS} FROM cards WHERE {where}", params)]

    def set_suspended(self, key: str, suspended: bool) -> bool:
        with self.transaction() as c:
            changed = c.execute("UPDATE cards SET suspended = ?, leech = CASE WHEN ? THEN leech ELSE 0 END "
                                "WHERE key = ?", (int(suspended), int(suspended), key)).rowcount
        return bool(changed)

    # --- reviews ----------------------------------------------------------------------------

    def today_counts(self, start: datetime, end: datetime) -> tuple[int, int]:
        """(new cards introduced, review-state cards reviewed) by ``srs review`` in [start, end)."""
        new, reviews = self.conn.execute(
            "SELECT count(CASE WHEN state_before IS NULL THEN 1 END), count(CASE WHEN state_before = 2 THEN 1 END) "
            "FROM reviews WHERE mode = 'review' AND reviewed_at >= ? AND reviewed_at < ?",
            (stamp(start), stamp(end))).fetchone()
        return new, reviews

    def reviews(self, card_id: int | None = None) -> list[Review]:
        where, params = ("WHERE card_id = ?", (card_id,)) if card_id is not None else ("", ())
        return [Review(*row) for row in self.conn.execute(
            f"SELECT id, card_id, reviewed_at, rating, duration_ms, mode, state_before, before, after "
            f"FROM reviews {where} ORDER BY reviewed_at, id", params)]

    def counts(self, card_id: int) -> tuple[int, int]:
        """(reviews, lapses) of a card, counted from its log; cram practice is not counted."""
        reps, lapses = self.conn.execute(
            "SELECT count(*), count(CASE WHEN rating = 1 AND state_before = 2 THEN 1 END) "
            "FROM reviews WHERE card_id = ? AND mode != 'cram'", (card_id,)).fetchone()
        return reps, lapses

    def record(self, card_id: int, rating: int, at: datetime, duration_ms: int | None, mode: str,
               update: Any, leech_lapses: int) -> tuple[int, StoredCard, bool]:
        """Log one rating and store the card's new schedule, atomically.

        ``update(card) -> (after_dict | None)`` is called inside the transaction with the
        card as it is *now* in the file (another process may have reviewed it meanwhile);
        None leaves the schedule alone (cram). Returns (review id, card after, became leech).
        """
        with self.transaction() as c:
            card = self.card_by_id(card_id)
            before = card.fsrs_dict()
            after = update(card)
            cursor = c.execute(
                "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, mode, state_before, before, after) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (card_id, stamp(at), rating, duration_ms, mode, card.state,
                 _dumps(before) if before else None, _dumps(after) if after else None))
            leeched = False
            if after is not None:
                self._write_schedule(c, card_id, after)
                if rating == 1 and card.state == 2 and not card.leech:
                    lapses = self.counts(card_id)[1]
                    if is_leech(lapses, leech_lapses):
                        c.execute("UPDATE cards SET leech = 1, suspended = 1 WHERE id = ?", (card_id,))
                        leeched = True
            return cursor.lastrowid, self.card_by_id(card_id), leeched

    def undo(self, review_id: int) -> StoredCard:
        """Take back one rating: drop its log entry and restore the schedule it replaced."""
        with self.transaction() as c:
            row = c.execute("SELECT card_id, before, after FROM reviews WHERE id = ?", (review_id,)).fetchone()
            if row is None:
                raise StoreError("that rating is already undone")
            card_id, before, after = row
            latest = c.execute("SELECT max(id) FROM reviews WHERE card_id = ?", (card_id,)).fetchone()[0]
            if latest != review_id:
                raise StoreError("the card was reviewed again since (in another session); cannot undo")
            c.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
            if after is not None:
                self._write_schedule(c, card_id, _loads(before) if before else None)
                c.execute("UPDATE cards SET leech = 0, suspended = 0 WHERE id = ? AND leech = 1", (card_id,))
            return self.card_by_id(card_id)

    @staticmethod
    def _write_schedule(c: sqlite3.Connection, card_id: int, fsrs: dict[str, Any] | None) -> None:
        if fsrs is None:
            c.execute("UPDATE cards SET state = NULL, fsrs_step = NULL, stability = NULL, fsrs_difficulty = NULL, "
                      "due = NULL, last_review = NULL WHERE id = ?", (card_id,))
            return
        c.execute("UPDATE cards SET state = ?, fsrs_step = ?, stability = ?, fsrs_difficulty = ?, due = ?, "
                  "last_review = ? WHERE id = ?",
                  (fsrs["state"], fsrs["step"], fsrs["stability"], fsrs["difficulty"],
                   stamp(datetime.fromisoformat(fsrs["due"])),
                   stamp(datetime.fromisoformat(fsrs["last_review"])) if fsrs["last_review"] else None, card_id))

    # --- rehearsals -------------------------------------------------------------------------

    def add_rehearsal(self, rehearsal: Rehearsal) -> int:
        """Save one finished telling and its step times together; returns its id."""
        with self.transaction() as c:
            rehearsal_id = c.execute(
                "INSERT INTO rehearsals (scenario, level, started_at, total_seconds, budget_low, budget_high) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (rehearsal.scenario, rehearsal.level, stamp(rehearsal.started_at), rehearsal.total,
                 *rehearsal.budget)).lastrowid
            c.executemany("INSERT INTO rehearsal_steps (rehearsal_id, step, seconds, target_seconds) "
                          "VALUES (?, ?, ?, ?)",
                          [(rehearsal_id, s.step, s.seconds, s.target_seconds) for s in rehearsal.steps])
        return rehearsal_id

    def rehearsals(self, scenario: str, limit: int) -> list[Rehearsal]:
        """The last ``limit`` tellings of a story saved, newest first (saving order: a pinned clock
        may well have stamped a later one earlier)."""
        from srs.rehearse import Rehearsal, StepTime

        rows = self.conn.execute(
            "SELECT id, level, started_at, budget_low, budget_high FROM rehearsals WHERE scenario = ? "
            "ORDER BY id DESC LIMIT ?", (scenario, limit)).fetchall()
        out = []
        for rehearsal_id, level, started_at, low, high in rows:
            steps = tuple(StepTime(*row) for row in self.conn.execute(
                "SELECT step, seconds, target_seconds FROM rehearsal_steps WHERE rehearsal_id = ? "
                "ORDER BY rowid", (rehearsal_id,)))
            out.append(Rehearsal(scenario, level, parse_stamp(started_at), steps, (low, high)))
        return out

    # --- quizzes ----------------------------------------------------------------------------

    def add_quiz(self, scope: str, taken_at: datetime, seed: int, result: Result) -> int:
        """Save one finished quiz and every answer, filed under its card's categories; returns its id.

        Answers go to ``quiz_answers`` only: a quiz never changes a card's FSRS schedule.
        """
        with self.transaction() as c:
            quiz_id = c.execute(
                "INSERT INTO quizzes (scope, taken_at, seed, correct, total, verdict) VALUES (?, ?, ?, ?, ?, ?)",
                (scope, stamp(taken_at), seed, result.correct, result.total, result.verdict)).lastrowid
            rows = []
            for position, answer in enumerate(result.answers, 1):
                q = answer.question  # its key is the key of the card behind it
                rows.append((quiz_id, position, q.key, q.key, q.lp, q.kind, q.step, q.difficulty, q.level,
                             int(answer.correct)))
            c.executemany("INSERT INTO quiz_answers (quiz_id, position, question, card_key, lp, kind, step, "
                          "difficulty, level, correct) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return quiz_id
