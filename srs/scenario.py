"""The scenario format (``shared/scenario-format.md``): typed, validated, with positions.

``parse`` turns one composed YAML document into a ``Scenario`` or reports every problem in
it at once, each at ``path:line:col``. Values keep the text as the user wrote it; anything
identifying (ids, phrases, questions) keeps its position so later checks (duplicate card
keys, ambiguous phrases, duplicate scenario ids) can point back at the source.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from srs import names
from srs.names import LABELS
from srs.problems import Problem

STEPS: tuple[str, ...] = ("situation", "task", "action", "result", "reflection")
STAR: tuple[str, ...] = STEPS[:4]
MAX_NODES = 20_000  # a seed-sized scenario has ~400; anything near this is an alias bomb
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_WRAPPING_QUOTES = frozenset({("“", "”"), ("‘", "’"), ("„", "“"), ("«", "»"), ('"', '"'), ("'", "'")})


@dataclass(frozen=True)
class Where:
    line: int
    col: int


@dataclass(frozen=True)
class Phrase:
    text: str
    at: Where


@dataclass(frozen=True)
class Step:
    name: str
    at: Where
    target_seconds: int  # 0 only in a lenient (lint) parse where it was left out
    example: str
    key_phrases: tuple[Phrase, ...]
    coaching: str = ""
    common_mistake: str = ""
    by_level: dict[str, str] = field(default_factory=dict)
    example_at: Where | None = None  # where each spoken text starts, for lint findings
    by_level_at: dict[str, Where] = field(default_factory=dict)

    def texts(self) -> tuple[str, ...]:
        """Everything the candidate would say in this step: the example and each level's version."""
        return tuple(t for t in (self.example, *self.by_level.values()) if t)


@dataclass(frozen=True)
class Probe:
    key: str
    at: Where
    question: str
    tests: str
    weak_answer: str
    weak_why: str
    strong_answer: str
    takeaway: str


@dataclass(frozen=True)
class Disqualifier:
    quote: str
    why: str
    at: Where


@dataclass(frozen=True)
class WeakAnswer:
    text: str
    disqualifiers: tuple[Disqualifier, ...]
    verdict: str
    at: Where


@dataclass(frozen=True)
class ConceptCheck:
    key: str
    at: Where
    question: str
    answer: str


@dataclass(frozen=True)
class Angle:
    lp: str
    at: Where
    lead: str
    emphasize: str
    downplay: str


@dataclass(frozen=True)
class LevelCalibration:
    level: str
    at: Where
    focus: str
    reflection: str
    bar: str
    target_seconds: tuple[int, int]  # (min, max); equal when one number was given


@dataclass(frozen=True)
class Question:
    key: str
    at: Where
    difficulty: str
    prompt: str
    options: tuple[str, ...]
    answer: int  # index into options
    solution: tuple[str, ...]
    hint: str
    common_mistakes: tuple[str, ...]


@dataclass(frozen=True)
class Scenario:
    path: str
    at: Where
    id: str
    lp: str
    title: str
    summary: str
    level: str | None
    tags: tuple[str, ...]
    steps: dict[str, Step]  # in STEPS order
    probes: tuple[Probe, ...] = ()
    weak_answer: WeakAnswer | None = None
    concept_checks: tuple[ConceptCheck, ...] = ()
    angles: tuple[Angle, ...] = ()
    levels: tuple[LevelCalibration, ...] = ()
    questions: tuple[Question, ...] = ()
    extras: dict[str, Any] = field(default_factory=dict)  # the ``x-`` keys, kept and ignored
    # Where each ``x-`` value starts (each item's place for a list), for tools that read one: lint's ignores.
    extras_at: dict[str, tuple[Where, ...]] = field(default_factory=dict)


class _TooBig(Exception):
    """Raised with the node being read when the walk passes ``MAX_NODES``."""


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag.endswith(":null"):
        return "an empty value"
    if node.tag.endswith(":str"):
        return f"text {_clip(node.value)!r}"
    return f"{node.tag.rsplit(':', 1)[-1]} {_clip(node.value)}"


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def fold(text: str) -> str:
    """``text`` lowercased with punctuation dropped and white space folded, for phrase matching."""
    return " ".join(re.sub(r"[^\w%$]+", " ", text.lower()).split())


class Reader:
    """Walks a composed document, collecting problems instead of stopping at the first."""

    def __init__(self, path: str, lenient: bool = False) -> None:
        self.path = path
        self.lenient = lenient
        self.problems: list[Problem] = []
        self._visits = 0
        self._constructor = yaml.constructor.SafeConstructor()

    def where(self, node: yaml.Node) -> Where:
        return Where(node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: yaml.Node, message: str) -> None:
        at = self.where(node)
        self.problems.append(Problem(self.path, at.line, at.col, message))

    def _visit(self, node: yaml.Node) -> None:
        self._visits += 1
        if self._visits > MAX_NODES:
            raise _TooBig(node)

    def mapping(self, node: yaml.Node, what: str, required: tuple[str, ...],
                optional: tuple[str, ...] = (), extras: dict[str, Any] | None = None,
                draft: tuple[str, ...] = (), elsewhere: dict[str, str] | None = None,
                extras_at: dict[str, tuple[Where, ...]] | None = None) -> dict[str, yaml.Node] | None:
        """The known keys of a mapping; reports unknown, duplicate and missing keys.

        ``extras`` (and ``extras_at``) receive the ``x-`` keys' values (and where they are);
        ``draft`` names the required keys a lenient (draft) parse still requires;
        ``elsewhere`` says where keys that people often misplace belong instead.
        """
        self._visit(node)
        if not isinstance(node, yaml.MappingNode):
            dashed = isinstance(node, yaml.SequenceNode) and node.value and all(
                isinstance(item, yaml.MappingNode) for item in node.value)
            self.error(node, f"{what} must be a mapping of 'key: value' lines, not {_describe(node)}"
                       + (": remove the '- ' before each key" if dashed else ""))
            return None
        allowed = (*required, *optional)
        found: dict[str, yaml.Node] = {}
        first_line: dict[str, int] = {}
        suggested: set[str] = set()  # a misspelt required key is one mistake: not "missing" as well
        for key_node, value in node.value:
            self._visit(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, f"a key in {what} must be plain text, not {_describe(key_node)}")
                continue
            key = key_node.value
            if key in first_line:
                self.error(key_node, f"duplicate key '{key}' in {what} (first at line {first_line[key]})")
                continue
            first_line[key] = key_node.start_mark.line + 1
            if key.startswith("x-"):
                if extras is not None:
                    extras[key] = self.plain(value, key)
                if extras_at is not None:
                    items = value.value if isinstance(value, yaml.SequenceNode) else [value]
                    extras_at[key] = tuple(self.where(item) for item in items)
                continue
            if elsewhere and key in elsewhere:
                self.error(key_node, f"'{key}' does not belong in {what}: {elsewhere[key]}")
                continue
            if key not in allowed:
                hint = names.nearest(key, allowed)
                self.error(key_node, f"unknown key '{key}' in {what}"
                           + (f"; did you mean '{hint}'?" if hint else f" (expected one of: {', '.join(allowed)}"
                              + ("; a key of your own, for notes, must start with 'x-')" if extras is not None else ")")))
                suggested.add(hint or "")
                continue
            found[key] = value
        missing = [f"'{key}'" for key in required
                   if key not in found and key not in suggested and (not self.lenient or key in draft)]
        if missing:  # one line for the mapping, however many keys it lacks
            keys = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
            self.error(node, f"{what} is missing required key{'s' * (len(missing) > 1)} {keys}")
        return found

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        self._visit(node)
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list ('- item' lines or [a, b]), not {_describe(node)}")
            return []
        return list(node.value)

    def text(self, node: yaml.Node | None, what: str) -> str:
        """A scalar as written (``yes`` stays "yes"); "" with an error for anything else."""
        if node is None:
            return ""
        self._visit(node)
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} must be text, not {_describe(node)}")
            return ""
        value = "" if node.tag.endswith(":null") else node.value.strip()
        if not value:
            self.error(node, f"{what} is empty: write its text, or leave the key out if it is optional")
        return value

    def texts(self, node: yaml.Node | None, what: str, minimum: int = 0) -> tuple[str, ...]:
        if node is None:
            return ()
        items = [self.text(item, f"each item of {what}") for item in self.sequence(node, what)]
        if isinstance(node, yaml.SequenceNode) and len(items) < minimum:
            self.error(node, f"{what} needs at least {minimum} item{'s' * (minimum > 1)}, found {len(items)}")
        return tuple(items)

    def quoted_words(self, node: yaml.Node | None, what: str) -> str:
        """Words that cards show in quotes of their own (a key phrase, a flagged quote): text
        wrapped in quotes YAML keeps, typically typographic ones pasted in, would show twice."""
        value = self.text(node, what)
        if len(value) > 2 and (value[0], value[-1]) in _WRAPPING_QUOTES:
            self.error(node, f"{value} is wrapped in quotes that YAML keeps as part of the text, and cards add "
                             f"quotes of their own: write {value[1:-1].strip()!r}, in straight quotes or none")
        return value

    def integer(self, node: yaml.Node | None, what: str, low: int, high: int) -> int:
        if node is None:
            return 0
        self._visit(node)
        value = self._scalar(node)
        if isinstance(value, bool) or not isinstance(value, int):
            quoted = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"') and node.value.strip().isdigit()
            self.error(node, f"{what} must be a whole number of seconds, not {_describe(node)}"
                       + (": write it without quotes" if quoted else ""))
            return 0
        if not low <= value <= high:
            self.error(node, f"{what} must be between {low} and {high}, not {value}")
            return 0
        return value

    def slug(self, node: yaml.Node, what: str) -> str:
        value = self.text(node, what)
        if value and (not _SLUG.match(value) or len(value) > 80):
            suggestion = names.slug(value)
            self.error(node, f"{what} {value!r} may use only lowercase letters, digits and '-' (starting "
                             "with a letter or digit, at most 80 characters)"
                             + (f"; try '{suggestion}'" if suggestion else ""))
            return ""
        return value

    def lp(self, node: yaml.Node | None, what: str = "lp") -> str:
        if what == "lp" and isinstance(node, yaml.SequenceNode):  # a story told for several LPs
            self.error(node, "lp must be one Leadership Principle, not a list: the story's main one; "
                             "reframe it for the others under 'angles'")
            return ""
        return self._name(node, what, names.canonical_lp)

    def level(self, node: yaml.Node | None, what: str = "level") -> str:
        return self._name(node, what, names.canonical_level)

    def _name(self, node: yaml.Node | None, what: str, canonical: Callable[[str], str]) -> str:
        value = self.text(node, what) if node is not None else ""
        if not value:
            return ""
        try:
            return canonical(value)
        except names.UnknownName as err:
            self.error(node, str(err))
            return ""

    def item_key(self, fields: dict[str, yaml.Node], text_key: str, what: str) -> str:
        """An item's identity: its explicit ``id``, else a slug of its identifying text."""
        if "id" in fields:
            return self.slug(fields["id"], f"{what} id")
        return names.slug(fields[text_key].value) if isinstance(fields.get(text_key), yaml.ScalarNode) else ""

    def plain(self, node: yaml.Node, what: str) -> Any:
        """A plain Python value for an ``x-`` key, walked under the same node budget."""
        self._visit(node)
        if isinstance(node, yaml.MappingNode):
            out = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    out[self._scalar(key)] = self.plain(value, what)
                else:
                    self.error(key, f"a key under {what} must be plain text, not {_describe(key)}")
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.plain(item, what) for item in node.value]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return None
        try:
            return self._constructor.construct_object(node, deep=True)
        except Exception:  # the constructors raise assorted errors for e.g. ``!!int thirty``
            return node.value


def parse(node: yaml.Node, path: str, lenient: bool = False,
          partial: bool = False) -> tuple[Scenario | None, list[Problem]]:
    """The scenario in ``node``, or None and every problem found in it.

    ``lenient`` is for ``srs lint`` on a draft: only id, lp, title and the four STAR steps'
    examples are required, so a story can be coached before it is complete. ``partial`` returns
    what could be read even with problems (each invalid value left empty), so that checks of
    the whole story, such as card keys that clash, report their problems in the same run;
    such a scenario must not be used for anything else.
    """
    reader = Reader(path, lenient)
    try:
        scenario = _scenario(reader, node, path)
    except _TooBig as err:
        at = reader.where(err.args[0])
        return None, [Problem(path, at.line, at.col,
                              f"the anchors and aliases here expand the document past {MAX_NODES:,} values "
                              "(an alias bomb?); refusing to read it")]
    return (None if reader.problems and not partial else scenario), sorted(reader.problems, key=by_position)


def declared_id(node: yaml.Node) -> tuple[str, Where] | None:
    """The top-level ``id`` as written and where, even in a document that is otherwise invalid."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "id" and isinstance(value, yaml.ScalarNode):
                ident = value.value.strip()
                return (ident, Where(value.start_mark.line + 1, value.start_mark.column + 1)) if ident else None
    return None


def by_position(problem: Problem) -> tuple[int, int]:
    """Sort key for one file's problems: top to bottom, in the order found where they share a place."""
    return problem.line, problem.col


def _scenario(r: Reader, node: yaml.Node, path: str) -> Scenario | None:
    extras: dict[str, Any] = {}
    extras_at: dict[str, tuple[Where, ...]] = {}
    f = r.mapping(node, "the scenario", ("id", "lp", "title", "steps"),
                  ("summary", "level", "tags", "probes", "weak_answer", "concept_checks",
                   "angles", "levels", "questions"), extras, draft=("id", "lp", "title", "steps"),
                  elsewhere={step: "indent it under 'steps:'" for step in STEPS}, extras_at=extras_at)
    if f is None:
        return None
    weak = f.get("weak_answer")
    title = r.text(f.get("title"), "title")
    if "\n" in title:
        r.error(f["title"], "title must be one line (it heads every card); put the rest in 'summary'")
    return Scenario(
        path=path,
        at=r.where(f.get("id", node)),
        id=r.slug(f["id"], "scenario id") if "id" in f else "",
        lp=r.lp(f.get("lp")),
        title=title,
        summary=r.text(f.get("summary"), "summary"),
        level=r.level(f.get("level")) or None,
        tags=r.texts(f.get("tags"), "tags"),
        steps=_steps(r, f["steps"]) if "steps" in f else {},
        probes=tuple(filter(None, (_probe(r, n) for n in _items(r, f, "probes")))),
        weak_answer=_weak_answer(r, weak) if weak is not None else None,
        concept_checks=tuple(filter(None, (_concept(r, n) for n in _items(r, f, "concept_checks")))),
        angles=tuple(filter(None, (_angle(r, n) for n in _items(r, f, "angles")))),
        levels=tuple(filter(None, (_level(r, n) for n in _items(r, f, "levels")))),
        questions=tuple(filter(None, (_question(r, n) for n in _items(r, f, "questions")))),
        extras=extras,
        extras_at=extras_at,
    )


def _items(r: Reader, fields: dict[str, yaml.Node], key: str) -> list[yaml.Node]:
    return r.sequence(fields[key], key) if key in fields else []


def _steps(r: Reader, node: yaml.Node) -> dict[str, Step]:
    f = r.mapping(node, "steps", STAR, ("reflection",), draft=STAR)
    if f is None:
        return {}
    return {name: _step(r, name, f[name]) for name in STEPS if name in f}


def _step(r: Reader, name: str, node: yaml.Node) -> Step:
    what = f"step '{name}'"
    by_level_key = ("by_level",) if name == "reflection" else ()
    elsewhere = {other: f"it is a step of its own: indent it level with '{name}'" for other in STEPS if other != name}
    if not by_level_key:
        elsewhere["by_level"] = "only the reflection step has by_level"
    f = r.mapping(node, what, ("target_seconds", "key_phrases"),
                  ("example", "coaching", "common_mistake", *by_level_key), elsewhere=elsewhere) or {}
    by_level, by_level_at = _by_level(r, f["by_level"]) if "by_level" in f else ({}, {})
    if "example" not in f and not by_level and not (r.lenient and name == "reflection"):
        r.error(node, f"{what} is missing required key 'example'"
                + (" (or give 'by_level')" if name == "reflection" else ""))
    phrases = tuple(Phrase(r.quoted_words(p, f"each key phrase of {what}"), r.where(p))
                    for p in (r.sequence(f["key_phrases"], f"key_phrases of {what}") if "key_phrases" in f else []))
    if "key_phrases" in f and isinstance(f["key_phrases"], yaml.SequenceNode) and not phrases:
        r.error(f["key_phrases"], f"key_phrases of {what} needs at least 1 phrase")
    return Step(
        name=name,
        at=r.where(node),
        target_seconds=r.integer(f.get("target_seconds"), f"target_seconds of {what}", 1, 600),
        example=r.text(f.get("example"), f"example of {what}"),
        key_phrases=phrases,
        coaching=r.text(f.get("coaching"), f"coaching of {what}"),
        common_mistake=r.text(f.get("common_mistake"), f"common_mistake of {what}"),
        by_level=by_level,
        example_at=r.where(f["example"]) if "example" in f else None,
        by_level_at=by_level_at,
    )


def _by_level(r: Reader, node: yaml.Node) -> tuple[dict[str, str], dict[str, Where]]:
    """Each level's text, and where it starts."""
    r._visit(node)
    if not isinstance(node, yaml.MappingNode):
        r.error(node, f"by_level must be a mapping of level: text, not {_describe(node)}")
        return {}, {}
    out: dict[str, str] = {}
    at: dict[str, Where] = {}
    for key_node, value in node.value:
        level = r.level(key_node, "by_level key")
        if level in out:
            written = key_node.value.strip() if isinstance(key_node, yaml.ScalarNode) else level
            r.error(key_node, (f"'{written}' is level '{level}', which" if written != level else f"level '{level}'")
                    + f" appears twice in by_level (first at line {at[level].line})")
        elif level:
            out[level] = r.text(value, f"by_level text for {level}")
            at[level] = r.where(value)
    return out, at


def _probe(r: Reader, node: yaml.Node) -> Probe | None:
    f = r.mapping(node, "a probe", ("question", "weak", "strong"), ("id", "probes"),
                  elsewhere={"answer": "put it under 'weak:' or 'strong:'",
                             "why": "put it under 'weak:'", "takeaway": "put it under 'strong:'"})
    if f is None:
        return None
    weak = r.mapping(f["weak"], "'weak' of a probe", ("answer", "why")) or {} if "weak" in f else {}
    strong = r.mapping(f["strong"], "'strong' of a probe", ("answer",), ("takeaway",)) or {} if "strong" in f else {}
    return Probe(
        key=r.item_key(f, "question", "probe"),
        at=r.where(node),
        question=r.text(f.get("question"), "question of a probe"),
        tests=r.text(f.get("probes"), "probes (what the probe tests)"),
        weak_answer=r.text(weak.get("answer"), "weak.answer of a probe"),
        weak_why=r.text(weak.get("why"), "weak.why of a probe"),
        strong_answer=r.text(strong.get("answer"), "strong.answer of a probe"),
        takeaway=r.text(strong.get("takeaway"), "strong.takeaway of a probe"),
    )


def _weak_answer(r: Reader, node: yaml.Node) -> WeakAnswer | None:
    f = r.mapping(node, "weak_answer", ("text", "disqualifiers"), ("verdict",))
    if f is None:
        return None
    text = r.text(f.get("text"), "text of weak_answer")
    disqualifiers = []
    items = _items(r, f, "disqualifiers")
    if "disqualifiers" in f and isinstance(f["disqualifiers"], yaml.SequenceNode) and not items:
        r.error(f["disqualifiers"], "disqualifiers needs at least 1 item")
    for item in items:
        d = r.mapping(item, "a disqualifier", ("why",), ("quote",))
        if d is None:
            continue
        quote = r.quoted_words(d.get("quote"), "quote of a disqualifier")
        if quote and text and fold(quote) not in fold(text):
            r.error(d["quote"], f"quote {_clip(quote)!r} does not occur in the text of weak_answer; "
                                "copy the words from there (case and punctuation may differ)")
        disqualifiers.append(Disqualifier(quote, r.text(d.get("why"), "why of a disqualifier"), r.where(item)))
    return WeakAnswer(text, tuple(disqualifiers), r.text(f.get("verdict"), "verdict of weak_answer"),
                      r.where(node))


def _concept(r: Reader, node: yaml.Node) -> ConceptCheck | None:
    f = r.mapping(node, "a concept check", ("question", "answer"), ("id",))
    if f is None:
        return None
    return ConceptCheck(r.item_key(f, "question", "concept check"), r.where(node),
                        r.text(f.get("question"), "question of a concept check"),
                        r.text(f.get("answer"), "answer of a concept check"))


def _angle(r: Reader, node: yaml.Node) -> Angle | None:
    f = r.mapping(node, "an angle", ("lp", "lead", "emphasize", "downplay"))
    if f is None:
        return None
    return Angle(r.lp(f.get("lp"), "lp of an angle"), r.where(node), r.text(f.get("lead"), "lead of an angle"),
                 r.text(f.get("emphasize"), "emphasize of an angle"), r.text(f.get("downplay"), "downplay of an angle"))


def _level(r: Reader, node: yaml.Node) -> LevelCalibration | None:
    f = r.mapping(node, "a level", ("level", "focus", "bar", "target_seconds"), ("reflection",))
    if f is None:
        return None
    return LevelCalibration(r.level(f.get("level")), r.where(node), r.text(f.get("focus"), "focus of a level"),
                            r.text(f.get("reflection"), "reflection of a level"),
                            r.text(f.get("bar"), "bar of a level"),
                            _budget(r, f.get("target_seconds")))


def _budget(r: Reader, node: yaml.Node | None) -> tuple[int, int]:
    """A level's ``target_seconds``: one number, or ``[min, max]``."""
    what = "target_seconds of a level"
    if isinstance(node, yaml.SequenceNode):
        items = r.sequence(node, what)
        if len(items) != 2:
            r.error(node, f"{what} must be a number or [min, max], not a list of {len(items)}")
            return (0, 0)
        low, high = (r.integer(item, what, 1, 3600) for item in items)
        if low and high and low > high:
            r.error(node, f"{what}: min {low} is greater than max {high}")
        return (low, high)
    value = r.integer(node, what, 1, 3600)
    return (value, value)


def _question(r: Reader, node: yaml.Node) -> Question | None:
    f = r.mapping(node, "a question", ("difficulty", "prompt", "options", "answer"),
                  ("id", "solution", "hint", "common_mistakes"))
    if f is None:
        return None
    difficulty = r.text(f.get("difficulty"), "difficulty of a question").lower()
    if difficulty and difficulty not in names.DIFFICULTIES:
        hint = names.nearest(difficulty, names.DIFFICULTIES)
        r.error(f["difficulty"], f"unknown difficulty {difficulty!r}"
                + (f"; did you mean '{hint}'?" if hint else " (expected easy, medium or hard)"))
    options = r.texts(f.get("options"), "options")
    option_nodes = f["options"].value if isinstance(f.get("options"), yaml.SequenceNode) else None
    if option_nodes is not None and not 2 <= len(options) <= 6:
        r.error(f["options"], f"a question needs 2 to 6 options, found {len(options)}")
    seen: set[str] = set()
    for option_node, option in zip(option_nodes or (), options):
        if option and fold(option) in seen:
            r.error(option_node, f"option {_clip(option)!r} appears twice in this question")
        seen.add(fold(option))
    return Question(
        key=r.item_key(f, "prompt", "question"),
        at=r.where(node),
        difficulty=difficulty,
        prompt=r.text(f.get("prompt"), "prompt of a question"),
        options=options,
        answer=_answer(r, f.get("answer"), len(options)),
        solution=r.texts(f.get("solution"), "solution of a question"),
        hint=r.text(f.get("hint"), "hint of a question"),
        common_mistakes=r.texts(f.get("common_mistakes"), "common_mistakes of a question"),
    )


def _answer(r: Reader, node: yaml.Node | None, count: int) -> int:
    written = r.text(node, "answer of a question")
    label = written.upper()
    if not label or count < 2:
        return -1
    labels = LABELS[: min(count, len(LABELS))]
    if len(label) != 1 or label not in labels:
        r.error(node, f"answer {_clip(written)!r} is not among the options {labels[0]}–{labels[-1]}"
                      " (give the letter of the right option)")
        return -1
    return labels.index(label)
