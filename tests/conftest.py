"""Shared fixtures: the seed scenario's text and an in-process ``srs`` runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from srs.cli import main

SEED = Path(__file__).resolve().parents[1] / "decks_src" / "ownership-webhook-drop.yaml"


@pytest.fixture
def seed_path() -> Path:
    """The walkthrough scenario that ships in decks_src/."""
    return SEED


@pytest.fixture
def seed_text() -> str:
    """The seed scenario's YAML, as written."""
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def srs(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``srs ARGS`` through CliRunner, with no SRS_SOURCE leaking in from the outside.

    A Python exception escaping the command is re-raised: bad input must end in a message and
    an exit status, never a traceback.
    """
    monkeypatch.delenv("SRS_SOURCE", raising=False)

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        result = CliRunner().invoke(main, list(args), env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run
