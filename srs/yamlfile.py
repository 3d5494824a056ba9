"""Reading one YAML file into a node tree that remembers where everything came from.

We compose (never construct) the document: nodes carry line and column, mapping keys
stay in order with duplicates visible, and aliases stay shared references, so an alias
bomb costs nothing until something walks it (see ``scenario.Reader``'s budget).
"""

from __future__ import annotations

import os
import re

import yaml

from srs.problems import Problem

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when compiled in
_STR = "tag:yaml.org,2002:str"
# A plain scalar can only resolve to null, bool, a number, a timestamp, a merge or a value
# key if it starts with one of these; the rest is text, which is most of a scenario.
_MAYBE_NOT_TEXT = frozenset("~nNtTfFyYoO0123456789+-.<=")


class _Loader(_Base):
    """The safe loader, minus the regular-expression tag resolution of plain prose.

    PyYAML resolves every plain scalar against a dozen patterns in Python, which costs
    about as much as libyaml's whole parse; the first character rules most of them out.
    """

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and value and value[0] not in _MAYBE_NOT_TEXT:
            return _STR
        return super().resolve(kind, value, implicit)

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass  # no path-based resolvers are registered: skip the bookkeeping for every node

    def ascend_resolver(self) -> None:
        pass


def read(path: str | os.PathLike[str], display: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The composed document of ``path``, or None and the problems that stopped it."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        return None, [Problem(display, 0, 0, f"cannot read file: {err.strerror or err}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = data[: err.start].decode("utf-8-sig")
        line, col = _line_col(before, len(before))
        return None, [Problem(display, line, col,
                              f"not UTF-8 text (byte 0x{data[err.start]:02x}); save the file as UTF-8")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        return None, [_syntax_problem(err, text, display)]
    except yaml.reader.ReaderError as err:
        return None, [_character_problem(err, text, display)]
    except yaml.YAMLError as err:
        return None, [Problem(display, 1, 1, f"YAML error: {' '.join(str(err).split())}")]
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        return None, [Problem(display, 1, 1, "file is empty: a scenario needs at least id, lp, title and steps")]
    return node, []


def _character_problem(err: yaml.reader.ReaderError, text: str, display: str) -> Problem:
    """A character YAML forbids (NUL, other control characters): the reader's offset is in bytes
    under libyaml and in characters otherwise, so find the character itself."""
    index = text.find(chr(err.character)) if isinstance(err.character, int) else -1
    line, col = _line_col(text, max(index, 0))
    return Problem(display, line, col, f"control character U+{err.character:04X} is not allowed in YAML; "
                                       "delete it (it is often invisible: retype the line)")


def _line_col(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


# libyaml finds a line that is not 'key: value' only at the next line; it is reported where it starts.
_NOT_A_KEY = "could not find expected ':'"
# libyaml's wording for the mistakes people make most, as (problem starts with, advice); the
# advice may name the line where the unfinished construct began (``{start}``) or the character.
_ADVICE: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed", "a ': ' inside unquoted text, or a line indented too far? "
                                       "Put text that contains ': ' in quotes"),
    ("did not find expected key", "this line does not fit the block that starts at line {start}: "
                                  "check its indentation, and that quoted text is quoted as a whole"),
    ("did not find expected '-' indicator", "this line does not fit the list that starts at line {start}: "
                                            "check its indentation, and start each item with '- '"),
    ("did not find expected ',' or ']'", "the [ list opened at line {start} is not closed with ]"),
    ("did not find expected ',' or '}'", "the {{ mapping opened at line {start} is not closed with }}"),
    ("found unexpected end of stream", "the quoted text opened at line {start} is never closed"),
    ("found character that cannot start any token", "{char!r} cannot start unquoted text: put the text in quotes"),
    ("found unknown escape character", "unknown backslash escape in \"double-quoted\" text: "
                                       "write \\\\ for a backslash, or use 'single quotes'"),
    ("found undefined alias", "'*' starts an alias of an '&' anchor, and no such anchor is defined above: "
                              "put text that starts with '*' in quotes"),
    ("did not find expected alphabetic or numeric character", "text that starts with '*' or '&' is read as a "
                                                              "YAML alias or anchor: put it in quotes"),
    ("block sequence entries are not allowed", "'- ' starts a list item, which cannot follow 'key: ' on the "
                                               "same line: put text that starts with '- ' in quotes"),
    (_NOT_A_KEY, "this line is neither 'key: value' nor a '- ' list item: put a space after the ':' or '-', "
                 "or, if it continues the text above, indent it further than its key"),
    ("second occurrence", "this '&' anchor name is already used at line {start}; give each anchor its own name"),
    ("but found another document", "more than one YAML document (a '---' separator?): put one scenario per file"),
)


def _syntax_problem(err: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    problem = err.problem or "invalid YAML"
    mark = err.context_mark if problem.startswith(_NOT_A_KEY) else None
    mark = mark or err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip())]
    char = source_line[col - 1] if 0 < col <= len(source_line) else ""
    if "\t" in indent or "tab" in problem or char == "\t":
        tab = source_line.find("\t")
        return Problem(display, line, tab + 1 if tab >= 0 else col,
                       "tab character in indentation: YAML indents with spaces only")
    quoting = _quoting_problem(source_line, col)
    if quoting:
        return Problem(display, line, quoting[0], f"YAML syntax error: {quoting[1]}")
    start = err.context_mark.line + 1 if err.context_mark else line
    for prefix, advice in _ADVICE:
        if problem.startswith(prefix):
            return Problem(display, line, col, f"YAML syntax error: {advice.format(start=start, char=char)}")
    context = f" ({err.context}, line {start})" if err.context else ""
    return Problem(display, line, col, f"YAML syntax error: {problem}{context}")


# Indentation, list dashes and a key (which may hold spaces: 'Senior SDE:'), then the value.
_VALUE_START = re.compile(r"\s*(?:-\s+)*(?:[^\s\"'\[{#&*!|>%@`-][^:#]*?:\s+)?")
_CURLY = "“”‘’„«»"
_CLOSER = {'"': '"', "'": "'", "[": "]", "{": "}"}


def _quoting_problem(source_line: str, col: int) -> tuple[int, str] | None:
    """(column, advice) when the value on the error's line was quoted or bracketed the wrong way.

    These are the commonest mistakes in prose: quotes pasted from a word processor, which YAML
    does not treat as quotes, and text that goes on after its closing quote or bracket
    (``'It wasn't mine'``, ``"A" and "B"``, ``[P0] outage fixed``).
    """
    value_at = _VALUE_START.match(source_line).end()
    first = source_line[value_at:value_at + 1]
    if first and first in _CURLY:
        return value_at + 1, (f"{first} is a typographic quote, which YAML reads as text, not as a quote: "
                              "use straight quotes \"…\" or '…'")
    before = source_line[:col - 1].rstrip()
    closer = _CLOSER.get(first)
    if closer is None or len(before) <= value_at + 1 or not before.endswith(closer) or not source_line[col - 1:].strip():
        return None
    if first in "[{":
        return col, (f"text that starts with {first!r} is read as a YAML {'list' if first == '[' else 'mapping'}, "
                     f"which ends at the {closer!r} before here: put the whole text in quotes")
    inside = ("inside 'single quotes' write an apostrophe as two ('it''s'), or use \"double quotes\"" if first == "'"
              else "inside \"double quotes\" write a quote as \\\", or use 'single quotes'")
    return col, f"the text goes on after its closing quote: put the whole text in one pair of quotes ({inside})"
