"""Problems found in a user's files, each pointing at ``path:line:col``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One error or warning about a source file. ``line``/``col`` are 1-based; 0 means unknown."""

    path: str
    line: int
    col: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = self.path if self.line == 0 else f"{self.path}:{self.line}:{self.col}"
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"
