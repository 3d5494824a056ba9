"""Bring the store in line with the scenario sources, and do nothing costly when nothing changed.

Each source file's size, mtime and content hash are remembered. When every file has the
same size and mtime as last time, sync reads no YAML (and imports no YAML parser); when
only mtimes moved, the hashes show the content is the same and only the mtimes are noted.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from srs.problems import Problem
from srs.sources import Deck, find_files, load
from srs.store import Store, SyncSummary


class SourceErrors(Exception):
    """The sources have errors: the command stops and the store is left untouched."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def sync(store: Store, roots: Sequence[str | os.PathLike[str]],
         deck: Deck | None = None) -> tuple[SyncSummary, list[Problem]]:
    """Sync the cards compiled from ``roots`` into ``store``; returns the summary and any warnings.

    ``deck``, when given, is what ``load`` makes of those roots, already in hand: it is used
    instead of parsing again if anything changed.
    """
    files, missing = find_files(roots)
    if any(not p.warning for p in missing):
        raise SourceErrors(missing)
    stats = {os.path.abspath(path): _size_and_mtime(path) for path in files}
    known = store.source_fingerprints()
    if stats.keys() == known.keys() and all(stat == known[path][:2] for path, stat in stats.items()):
        return SyncSummary(), missing
    prints = {path: (*stat, _digest(path)) for path, stat in stats.items()}
    if prints.keys() == known.keys() and all(prints[p][2] == known[p][2] for p in prints):
        store.save_fingerprints(prints)  # touched, not changed
        return SyncSummary(), missing
    deck = deck or load(files, missing)
    if deck.errors:
        raise SourceErrors(list(deck.problems))
    return store.apply_cards(deck.cards, prints), list(deck.problems)


def _size_and_mtime(path: str) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (-1, -1)  # gone or a dangling link: never matches, so loading reports it
    return (stat.st_size, stat.st_mtime_ns)


def _digest(path: str) -> str:
    import hashlib

    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "blake2b").hexdigest()
    except OSError:
        return ""  # unreadable: never matches, so the file is loaded and its problem reported
