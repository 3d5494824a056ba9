"""Reading one YAML file into a node tree that remembers where everything came from.

We compose (never construct) the document: nodes carry line and column, mapping keys
stay in order with duplicates visible, and aliases stay shared references, so an alias
bomb costs nothing until something walks it (see ``scenario.Reader``'s budget).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from srs.problems import Problem

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # libyaml not compiled in: same results, slower
    _Loader = yaml.SafeLoader


def read(path: Path, display: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The composed document of ``path``, or None and the problems that stopped it."""
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [Problem(display, 0, 0, f"cannot read file: {err.strerror or err}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        return None, [Problem(display, line, col,
                              f"not UTF-8 text (byte 0x{data[err.start]:02x}); save the file as UTF-8")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        return None, [_syntax_problem(err, text, display)]
    except yaml.YAMLError as err:  # e.g. a control character the reader rejects
        return None, [Problem(display, 1, 1, f"YAML error: {err}")]
    if node is None:
        return None, [Problem(display, 1, 1, "file is empty: a scenario needs at least id, lp, title and steps")]
    return node, []


def _syntax_problem(err: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip())]
    if "\t" in indent or "tab" in str(err.problem):
        tab = source_line.find("\t")
        return Problem(display, line, tab + 1 if tab >= 0 else col,
                       "tab character in indentation: YAML indents with spaces only")
    message = err.problem or "invalid YAML"
    if err.context and err.problem:
        message = f"{err.problem} ({err.context})"
    if "mapping values are not allowed" in message:
        message += ": a ': ' inside unquoted text? Put the text in quotes"
    if "expected a single document" in str(err.context or ""):
        message = "more than one YAML document (a '---' separator?): put one scenario per file"
    return Problem(display, line, col, f"YAML syntax error: {message}")
