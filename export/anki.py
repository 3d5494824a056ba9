"""Compiled cards → an Anki package (``.apkg``) that re-imports in place.

Anki matches an imported note to one it already has by GUID, and replaces it only when the
incoming modification time is newer; a note whose note type changed shape under the same id is
kept aside as "conflicting". So GUIDs come from card keys, the note type ids below are fixed
(a new id for every change to a note type's fields or templates, recorded in CHANGELOG.md), and
every export is stamped at least a second after the one before it (``stamp``).
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki

from srs.atomic import replace_atomically
from srs.compile import Card, Detail
from srs.names import LABELS, tag

DEFAULT_FILE = "lp-srs.apkg"
STATE_FILE = "anki-export.json"  # in the data home: the last modification time written
GUID_NAMESPACE = "lp-srs"
DECK_PREFIX = "Amazon LP"

# Fixed for good: Anki recognises a note type by its id. Adding, removing or renaming a field or a
# template needs a new id (and a CHANGELOG.md entry); template text and CSS may change under the same id.
BASIC_MODEL_ID = 1461329990
MCQ_MODEL_ID = 1853256454


def _html(text: str) -> str:
    """``text`` shown as typed: HTML-escaped (quotes too), braces as entities so no ``{{`` reaches Anki's
    template engine, line breaks kept."""
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;").replace("\n", "<br>")


def _lines(lines: Sequence[str], list_tag: str = "ul") -> str:
    if len(lines) == 1:
        return f"<div>{_html(lines[0])}</div>"
    items = "".join(f"<li>{_html(line)}</li>" for line in lines)
    return f"<{list_tag}>{items}</{list_tag}>"


def _details(details: Iterable[Detail]) -> str:
    return "".join(f'<div class="detail"><div class="label">{_html(d.label)}</div>{_lines(d.lines)}</div>'
                   for d in details)


CSS = """\
.card {
  --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --accent: #8a4b00; --line: #d1d9e0;
  --panel: #f6f8fa; --ok: #1a7f37; --ok-bg: #dafbe1;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.45; text-align: left; color: var(--fg); background-color: var(--bg);
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --fg: #e6edf3; --bg: #1e2228; --muted: #9198a1; --accent: #f0b86e; --line: #3d444d;
  --panel: #262c36; --ok: #3fb950; --ok-bg: #15301f;
}
.srs { max-width: 40em; margin: 0 auto; padding: 0 .25em; }
.prompt { color: var(--muted); font-size: .8em; margin-bottom: .6em; }
.front { font-size: 1.1em; }
hr#answer { border: none; border-top: 1px solid var(--line); margin: 1em 0; }
.back { font-weight: 600; font-size: 1.1em; }
.back li + li { margin-top: .35em; }
.detail, .solution, .tip, .peek { margin-top: .8em; }
.label { color: var(--accent); font-size: .75em; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; }
.tip, .peek div.hint { background: var(--panel); border-radius: 6px; padding: .4em .7em; }
.peek a.hint { display: inline-block; color: var(--accent); font-size: .75em; font-weight: 700;
  text-transform: uppercase; letter-spacing: .04em; text-decoration: none;
  border: 1px dashed var(--line); border-radius: 6px; padding: .35em .8em; }
.peek a.hint::before { content: "Show "; }
.reveal .peek { display: none; }
ul, ol { margin: .2em 0; padding-left: 1.3em; }
.options { list-style: none; padding: 0; margin: .8em 0 0; }
.options li { display: flex; gap: .6em; border: 1px solid var(--line); border-radius: 8px;
  padding: .45em .7em; margin: .45em 0; }
.options li > span:last-child { min-width: 0; overflow-wrap: anywhere; }
.options .letter { font-weight: 700; color: var(--accent); min-width: 1.1em; }
.reveal .options li { opacity: .55; }
%(right)s { opacity: 1; border: 2px solid var(--ok); background: var(--ok-bg); }
%(right_letter)s { color: var(--ok); }
%(right_mark)s { content: "✓"; margin-left: auto; color: var(--ok); font-weight: 700; }
.meta { color: var(--muted); font-size: .7em; margin-top: 1.4em; overflow-wrap: anywhere; }
@media (max-width: 520px) { .card { font-size: 17px; } .options li { padding: .6em .7em; } }
""" % {  # the right option is marked by CSS alone: no script, so it works in every Anki client
    name: ",\n".join(f'.reveal[data-answer="{x}"] li[data-letter="{x}"]{suffix}' for x in LABELS)
    for name, suffix in (("right", ""), ("right_letter", " .letter"), ("right_mark", "::after"))
}

# Each side is one centred column (.srs); font sizes are set only inside it, since a column's width
# in em would follow its own font size and shift its left edge on a wide screen.
_FRONT = """\
<div class="srs">
<div class="prompt">{{Prompt}}</div>
<div class="front">{{%s}}</div>%s
</div>"""

_BACK = """\
<hr id="answer">
<div class="srs">
<div class="back">%s</div>%s
{{Details}}
<div class="meta">{{#Story}}{{Story}} · {{/Story}}{{Key}}</div>
</div>"""

_OPTIONS = "\n<ol class=\"options\">\n%s\n</ol>" % "\n".join(
    f'{{{{#Option{x}}}}}<li data-letter="{x}"><span class="letter">{x}</span><span>{{{{Option{x}}}}}</span></li>'
    f"{{{{/Option{x}}}}}" for x in LABELS)

BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID, "LP-SRS Card",
    fields=[{"name": name} for name in ("Key", "Prompt", "Front", "Back", "Details", "Story")],
    templates=[{
        "name": "Card",
        "qfmt": _FRONT % ("Front", ""),
        "afmt": "{{FrontSide}}\n" + _BACK % ("{{Back}}", ""),
    }],
    css=CSS, sort_field_index=2)

MCQ_MODEL = genanki.Model(
    MCQ_MODEL_ID, "LP-SRS Multiple Choice",
    fields=[{"name": name} for name in ("Key", "Prompt", "Question", *(f"Option{x}" for x in LABELS),
                                        "Answer", "Solution", "Hint", "Details", "Story")],
    templates=[{
        "name": "Multiple choice",
        # The hint is Anki's own tap-to-show link on the front; the back hides that link and shows the hint.
        "qfmt": _FRONT % ("Question", _OPTIONS + '\n{{#Hint}}<div class="peek">{{hint:Hint}}</div>{{/Hint}}'),
        "afmt": '<div class="reveal" data-answer="{{Answer}}">{{FrontSide}}</div>\n' + _BACK % (
            "Answer: {{Answer}}",
            ('\n{{#Solution}}<div class="solution"><div class="label">Solution</div>{{Solution}}</div>{{/Solution}}'
             '\n{{#Hint}}<div class="tip"><div class="label">Hint</div>{{Hint}}</div>{{/Hint}}')),
    }],
    css=CSS, sort_field_index=2)


def _basic_fields(card: Card) -> list[str]:
    # The Story field shows the scenario's title on every card, so a detail repeating it is dropped.
    details = [d for d in card.details if not (d.label == "Story" and d.lines == (card.title,))]
    # A back of several lines is several answers (a weak answer's disqualifiers): a list, not a wall of text.
    back = [line for line in card.back.split("\n") if line]
    return [_html(card.key), _html(card.prompt), _html(card.front), _lines(back), _details(details),
            _html(card.title)]


def _mcq_fields(card: Card) -> list[str]:
    by_label = {d.label: d for d in card.details}
    solution, hint = by_label.pop("Solution", None), by_label.pop("Hint", None)
    options = [_html(option) for option in card.options]
    options += [""] * (len(LABELS) - len(options))
    answer = LABELS[card.answer] if card.answer is not None else ""
    return [_html(card.key), _html(card.prompt), _html(card.front), *options, answer,
            _lines(solution.lines, "ol") if solution else "", _lines(hint.lines) if hint else "",
            _details(by_label.values()), _html(card.title)]


_tag = functools.lru_cache(maxsize=None)(tag)  # a few LP, level and story tag names, tagged for every card


def tags(card: Card) -> list[str]:
    """Hierarchical tags for filtered decks and searches: ``lp::Dive_Deep``, ``kind::mcq``, …, and
    the story's own tags as ``tag::payments``."""
    pairs = (("lp", _tag(card.lp)), ("kind", card.kind), ("step", card.step), ("difficulty", card.difficulty),
             ("level", card.level and _tag(card.level)), ("scenario", card.scenario),
             *(("tag", _tag(own)) for own in card.tags))
    return [f"{name}::{value}" for name, value in pairs if value]


def deck_name(card: Card) -> str:
    return f"{DECK_PREFIX}::{card.lp}"


def deck_id(name: str) -> int:
    """A stable id for the deck ``name``, in the range genanki recommends (never 1, the Default deck)."""
    digest = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big")
    return (1 << 30) + digest % (1 << 30)


def note(card: Card) -> genanki.Note:
    model, fields = (MCQ_MODEL, _mcq_fields(card)) if card.options else (BASIC_MODEL, _basic_fields(card))
    return genanki.Note(model=model, fields=fields, tags=tags(card), guid=genanki.guid_for(GUID_NAMESPACE, card.key))


def package(cards: Iterable[Card]) -> genanki.Package:
    """One genanki deck per LP, holding a note for each card."""
    decks: dict[str, genanki.Deck] = {}
    for card in cards:
        name = deck_name(card)
        if name not in decks:
            decks[name] = genanki.Deck(deck_id(name), name)
        decks[name].add_note(note(card))
    return genanki.Package(list(decks.values()))


@dataclass(frozen=True)
class Written:
    path: Path
    notes: int
    cards: int
    decks: dict[str, int]  # deck name → notes in it


def write(cards: Sequence[Card], path: Path, mod: int) -> Written:
    """Write ``cards`` to ``path`` with modification time ``mod`` (seconds); ``path`` is whole or untouched.

    genanki's own ``write_to_file`` builds its database in a temporary file it never deletes and
    writes straight to the target, so this writes the database in a folder of its own and swaps
    the finished package into place.
    """
    pkg = package(cards)
    with tempfile.TemporaryDirectory(prefix="lp-srs-") as tmp:
        db = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db)
        try:
            conn.execute("PRAGMA journal_mode = OFF")  # a scratch file: no rollback journal, no syncing
            conn.execute("PRAGMA synchronous = OFF")
            pkg.write_to_db(conn.cursor(), mod, itertools.count(mod * 1000))
            conn.commit()
        finally:
            conn.close()

        def zip_to(target: Path) -> None:
            with zipfile.ZipFile(target, "w") as out:  # stored, as genanki stores it: deflating adds ~15% time
                out.write(db, "collection.anki2")
                out.writestr("media", "{}")

        replace_atomically(path, zip_to)
    decks = {deck.name: len(deck.notes) for deck in pkg.decks}
    return Written(path, sum(decks.values()), sum(len(n.cards) for deck in pkg.decks for n in deck.notes), decks)


def stamp(state_file: Path, now: int) -> int:
    """A modification time later than any earlier export's: ``max(now, last + 1)``, remembered in ``state_file``.

    genanki writes whole seconds and Anki updates a note only from a newer one, so a second export
    within the same second (or after the clock went back) must still be newer. A missing or damaged
    state file counts as no earlier export: at worst one update within the same second is skipped.
    """
    try:
        last = int(json.loads(state_file.read_text(encoding="utf-8"))["last_mod"])
    except (OSError, ValueError, KeyError, TypeError):
        last = 0
    mod = max(now, last + 1)
    state_file.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(state_file, lambda p: p.write_text(json.dumps({"last_mod": mod}) + "\n", encoding="utf-8"))
    return mod
