"""Where scenarios come from, and loading all of them into one deck of cards.

Sources are the bundled decks, ``SRS_SOURCE`` (paths joined by the OS path separator) and
``--source`` folders. ``load`` is pure apart from reading the files: it reports every
problem in every file and never stops at the first.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from srs.problems import Problem

if TYPE_CHECKING:  # at run time these load only with the deck, keeping quick commands quick
    from srs.compile import Card
    from srs.scenario import Scenario

SUFFIXES = (".yaml", ".yml")


def builtin_decks() -> str:
    """The bundled scenarios: ``srs/decks`` when installed, ``decks_src/`` in a checkout."""
    here = os.path.dirname(os.path.realpath(__file__))
    installed = os.path.join(here, "decks")
    return installed if os.path.isdir(installed) else os.path.join(os.path.dirname(here), "decks_src")


def source_roots(extra: tuple[str, ...] = (), no_builtin: bool = False) -> list[str]:
    roots = [] if no_builtin else [builtin_decks()]
    roots += [p for p in os.environ.get("SRS_SOURCE", "").split(os.pathsep) if p]
    return roots + list(extra)


def find_files(roots: Sequence[str | os.PathLike[str]]) -> tuple[list[str], list[Problem]]:
    """The scenario files under ``roots`` (files named directly are taken whatever their suffix).

    Hidden files and folders are skipped; the suffix may be in any case (``Story.YAML``). A
    folder that holds files but no scenario file gets a warning naming some of them, since a
    story saved as ``story.yaml.txt`` would otherwise just be missing from every command (an
    empty folder is fine: no story written yet). Paths
    below the current folder come back relative to it, for shorter error lines. This runs
    before every command, so it walks the folders with ``os.walk`` and resolves each root once
    rather than every file. Paths are plain strings (``os.path``), for the same reason.
    """
    cwd = os.getcwd() + os.sep
    found: dict[str, None] = {}  # absolute paths in order, without repeats
    problems = []
    for root in map(os.fspath, roots):
        if os.path.isdir(root):
            here = []
            others = []  # what a folder without scenario files holds instead, for its warning
            for folder, subfolders, names in os.walk(os.path.realpath(root)):
                subfolders[:] = [d for d in subfolders if not d.startswith(".")]
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    if name.lower().endswith(SUFFIXES):
                        here.append(os.path.join(folder, name))
                    elif len(others) < 3:
                        others.append(name)
            if others and not here:
                problems.append(Problem(root, 0, 0, "no scenario files (*.yaml or *.yml) in this folder, "
                                        f"only {', '.join(others)}", warning=True))
            found.update(dict.fromkeys(sorted(here, key=lambda p: p.split(os.sep))))
        elif os.path.isfile(root):
            found[os.path.realpath(root)] = None
        else:
            problems.append(Problem(root, 0, 0, "no such file or folder"))
    return [p[len(cwd):] if p.startswith(cwd) else p for p in found], problems


@dataclass(frozen=True)
class Deck:
    scenarios: tuple[Scenario, ...]
    cards: tuple[Card, ...]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]


def load(files: Sequence[str | os.PathLike[str]], problems: list[Problem] | None = None) -> Deck:
    """Parse, validate and compile ``files`` into one deck, with every problem found.

    Each file's problems come in the order of its lines. Card keys that clash and a scenario id
    used twice are caught even when the file has other problems, so a copied template shows
    every mistake at once.
    """
    # The cyclic garbage collector is off meanwhile: node trees and cards hold no cycles, so
    # reference counting frees everything, while each collection would rescan every card built
    # so far; that made loading 1,000 files take twice as long as 100 files ten times.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(files, problems)
    finally:
        if enabled:
            gc.enable()


def _load(files: Sequence[str | os.PathLike[str]], problems: list[Problem] | None) -> Deck:
    from srs import yamlfile
    from srs.compile import ambiguous_phrases, compile_scenario
    from srs.scenario import by_position, declared_id, parse

    problems = list(problems or [])
    scenarios = []
    cards = []
    owner: dict[str, str] = {}  # scenario id → where the first file to use it says so
    for path in files:
        node, found = yamlfile.read(path, os.fspath(path))
        if node is None:
            problems += found
            continue
        scenario, found = parse(node, os.fspath(path), partial=True)
        compiled: list[Card] = []
        if scenario is not None:
            compiled, clashes = compile_scenario(scenario)
            found += clashes
        declared = declared_id(node)
        if declared is not None:
            ident, at = declared
            here = f"{path}:{at.line}:{at.col}"
            first = owner.setdefault(ident, here)
            if first != here:
                found.append(Problem(os.fspath(path), at.line, at.col,
                                     f"scenario id '{ident}' is already used at {first}; give this "
                                     "story an id of its own (review history is kept by id)"))
        problems += sorted(found, key=by_position)
        if scenario is not None and not found:
            scenarios.append(scenario)
            cards += compiled
    problems += ambiguous_phrases(cards)
    return Deck(tuple(scenarios), tuple(cards), tuple(problems))
