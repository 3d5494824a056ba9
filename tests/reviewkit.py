"""Helpers shared by the store, sync, schedule and review tests.

Scenario files are written small on purpose: a story with ``phrases`` key phrases compiles to
``phrases`` phrase-lp cards plus four step-time cards (one per STAR step), and ``question=True``
adds one multiple-choice card whose right answer is B. Commands run through CliRunner with
the data home and sources in the environment, so each call reads like a user's command line.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from queue import Empty, Queue
from threading import Thread

import pytest
from click.testing import CliRunner, Result

from srs.cli import main

STEPS = ("situation", "task", "action", "result")


def scenario_text(ident: str, phrases: int = 1, question: bool = False, lp: str = "Ownership",
                  title: str | None = None, back: str = "It worked.") -> str:
    """A valid scenario; its phrases are spread over the STAR steps, each step gets at least one."""
    words = [f"{ident} phrase {n}" for n in range(max(phrases, 1))]
    by_step = {step: [w for i, w in enumerate(words) if i % 4 == n] or [f"{ident} {step} phrase"]
               for n, step in enumerate(STEPS)}
    lines = [f"id: {ident}", f"lp: {lp}", f"title: {title or ident.title()}", "steps:"]
    for step in STEPS:
        example = back if step == "result" else f"The {step} of {ident}."
        lines += [f"  {step}:", "    target_seconds: 30", f"    example: {json.dumps(example)}", "    key_phrases:"]
        lines += [f"      - {json.dumps(w)}" for w in by_step[step]]
    if question:
        lines += ["questions:", "  - id: pick", "    difficulty: easy", f"    prompt: Which one, {ident}?",
                  "    options: [first, second, third]", "    answer: B"]
    return "\n".join(lines) + "\n"


def write_scenario(folder: Path, ident: str, **kw: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{ident}.yaml"
    path.write_text(scenario_text(ident, **kw), encoding="utf-8")  # type: ignore[arg-type]
    return path


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


class Workspace:
    """A data home and a source folder under tmp_path, and a way to run ``srs`` against them."""

    def __init__(self, root: Path) -> None:
        self.home = root / "home"
        self.src = root / "src"
        self.src.mkdir(parents=True, exist_ok=True)

    def env(self, at: datetime | str | None = None) -> dict[str, str]:
        env = {"SRS_HOME": str(self.home), "SRS_SOURCE": str(self.src), "NO_COLOR": "1"}
        if at is not None:
            env["SRS_NOW"] = at if isinstance(at, str) else iso(at)
        return env

    def srs(self, *args: str, at: datetime | str | None = None, input: str | None = None,
            builtin: bool = False) -> Result:
        extra = [] if builtin or args[0] in ("show", "unsuspend") else ["--no-builtin"]
        return CliRunner().invoke(main, [*args, *extra], input=input, env=self.env(at))

    def ok(self, *args: str, **kw: object) -> Result:
        result = self.srs(*args, **kw)  # type: ignore[arg-type]
        assert result.exit_code == 0, (result.output, result.exception)
        return result

    def review(self, answers: list[str] | str, at: datetime | str, *args: str) -> Result:
        text = answers if isinstance(answers, str) else "".join(f"{a}\n" for a in answers)
        return self.ok("review", *args, at=at, input=text)

    def config(self, text: str) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "config.toml").write_text(text, encoding="utf-8")

    @contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        """A connection to the store that commits and is closed (so the next close checkpoints)."""
        conn = sqlite3.connect(self.home / "srs.db")
        try:
            with conn:
                yield conn
        finally:
            conn.close()

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self.db() as conn:
            return conn.execute(sql, params).fetchall()

    def log(self) -> list[tuple[str, int, str]]:
        """(card key, rating, reviewed_at) of every logged rating, in the order they were made."""
        return self.rows("SELECT c.key, r.rating, r.reviewed_at FROM reviews r JOIN cards c ON c.id = r.card_id "
                         "ORDER BY r.id")

    def card(self, key: str) -> dict:
        return json.loads(self.ok("show", key, "--json").output)

    def due(self, at: datetime | str) -> dict:
        return json.loads(self.ok("due", "--json", at=at).output)

    def popen(self, at: datetime | str, *args: str) -> Reviewer:
        env = {**os.environ, **self.env(at), "PYTHONUNBUFFERED": "1"}
        return Reviewer(subprocess.Popen(
            [sys.executable, "-m", "srs", "review", "--no-builtin", *args], env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE))


def shown(output: str) -> list[str]:
    """The fronts of the cards a session showed, in order (the line after the prompt)."""
    lines = output.splitlines()
    return [lines[i + 2] for i, line in enumerate(lines) if line.startswith("[") and "] " in line]


class Reviewer:
    """``srs review`` as a real process: answers go in one line at a time, output is read as it comes."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.lines: Queue[str | None] = Queue()
        self.seen: list[str] = []
        Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def send(self, answer: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(answer + "\n")
        self.process.stdin.flush()

    def wait_for(self, marker: str, timeout: float = 20) -> str:
        """Read output until a line containing ``marker``; returns that line."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except Empty:
                raise AssertionError(f"no {marker!r} within {timeout}s; output so far: {self.seen}") from None
            if line is None:
                raise AssertionError(f"process ended before {marker!r}: {self.seen} {self.stderr()}")
            self.seen.append(line)
            if marker in line:
                return line

    def drain(self) -> list[str]:
        """The lines printed so far and not yet read, without waiting."""
        lines = []
        while not self.lines.empty():
            line = self.lines.get()
            if line is not None:
                lines.append(line)
        self.seen += lines
        return lines

    def front(self) -> str:
        """Wait for the next card and return its front."""
        self.wait_for("] ")
        self.wait_for("")  # the prompt line
        return self.wait_for("")

    def stderr(self) -> str:
        return self.process.stderr.read() if self.process.poll() is not None and self.process.stderr else ""

    def finish(self, timeout: float = 20) -> int:
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        code = self.process.wait(timeout)
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()
        return code


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    for name in ("SRS_HOME", "SRS_SOURCE", "SRS_NOW"):
        monkeypatch.delenv(name, raising=False)
    return Workspace(tmp_path)


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Local time is Europe/Berlin (UTC+1 in winter) for this test, so local ≠ UTC."""
    zone = "Europe/Berlin"
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    yield zone
    monkeypatch.undo()
    time.tzset()
