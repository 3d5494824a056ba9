"""``srs export anki``, proven by importing every package into a real Anki collection."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from click.testing import CliRunner

from export import anki as apkg
from srs.atomic import replace_atomically
from srs.cli import main
from srs.compile import Card
from srs.names import LABELS
from srs.sources import builtin_decks, find_files, load

NOW = "2026-11-26T09:00:00Z"
NOW_SECONDS = 1795683600


@pytest.fixture(autouse=True)
def _no_user_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SRS_SOURCE", raising=False)
    monkeypatch.delenv("SRS_HOME", raising=False)
    monkeypatch.delenv("SRS_NOW", raising=False)


def story(sid: str, lp: str = "Ownership", *, answer: str = "I wrote the fix myself and shipped it.",
          solution: str = "Self-initiated work is Ownership.", title: str | None = None,
          weak: str = "We fixed it together.\nThen it was fine.") -> dict:
    """A small valid scenario with cards of every kind."""
    return {
        "id": sid, "lp": lp, "title": title or f"Story {sid}",
        "steps": {name: {"target_seconds": 30, "example": f"{name} of {sid}.",
                         "key_phrases": [f"{sid} {name} signal"], "coaching": f"Coach the {name}."}
                  for name in ("situation", "task", "action", "result")},
        "probes": [{"id": "verify", "question": f"How did you verify it in {sid}?", "probes": "Rigor",
                    "weak": {"answer": "We checked.", "why": "No individual step."},
                    "strong": {"answer": answer, "takeaway": "Own the proof."}}],
        "weak_answer": {"text": weak, "disqualifiers": [{"quote": "We fixed it", "why": "hides who did what"}],
                        "verdict": "No hire."},
        "concept_checks": [{"id": "core", "question": f"What is the core of {sid}?", "answer": "Acting unasked."}],
        "angles": [{"lp": "Dive Deep", "lead": "Open with the logs.", "emphasize": "Rigor.",
                    "downplay": "Politics."}],
        "levels": [{"level": "Senior SDE", "focus": "Systems.", "bar": "Org-wide fix.", "target_seconds": [150, 180]}],
        "questions": [{"id": "which-lp", "difficulty": "hard", "prompt": f"Which LP is {sid}?",
                       "options": ["Bias for Action", "Ownership", "Dive Deep"], "answer": "B",
                       "solution": [solution, "Nobody asked."], "hint": "Who started it?",
                       "common_mistakes": ["Picking Bias for Action"]}],
    }


def write(folder: Path, *stories: dict) -> Path:
    folder.mkdir(exist_ok=True)
    for s in stories:
        (folder / f"{s['id']}.yaml").write_text(yaml.safe_dump(s, allow_unicode=True, sort_keys=False),
                                                encoding="utf-8")
    return folder


def compiled(folder: Path) -> dict[str, Card]:
    deck = load(find_files([folder])[0])
    assert not deck.errors, deck.errors
    return {card.key: card for card in deck.cards}


def export(tmp_path: Path, src: Path, *args: str, now: str = NOW, out: str = "out.apkg"):
    """``srs export anki`` of the scenarios in ``src`` alone, to ``tmp_path/out``, at the time ``now``."""
    return CliRunner().invoke(main, ["export", "anki", "-o", str(tmp_path / out), "--home", str(tmp_path / "home"),
                                     "--no-builtin", "--source", str(src), *args], env={"SRS_NOW": now})


def collection(tmp_path: Path, name: str = "col") -> Collection:
    (tmp_path / name).mkdir()
    return Collection(str(tmp_path / name / "collection.anki2"))


def import_into(col: Collection, path: Path):
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def text(field: str) -> str:
    """What a field shows: line breaks as newlines, markup between items as newlines, entities decoded."""
    return html.unescape(re.sub(r"(<[^>]+>)+", "\n", field.replace("<br>", "\n"))).strip("\n")


def keys(notes) -> set[str]:
    return {html.unescape(n.fields[0]) for n in notes}


def notes_by_key(col: Collection) -> dict:
    notes = (col.get_note(nid) for nid in col.find_notes(""))
    return {html.unescape(n["Key"]): n for n in notes}


def test_every_card_imports_renders_and_carries_its_fields_deck_and_tags(tmp_path: Path) -> None:
    src = write(tmp_path / "src", {**story("webhook-drop"), "tags": ["payments", "cross team"]},
                story("checkout-fee", "CO"))
    cards = compiled(src)
    result = export(tmp_path, src)
    assert result.exit_code == 0, result.output
    assert f"Wrote {len(cards)} notes ({len(cards)} cards) in 3 decks to {tmp_path / 'out.apkg'}" in result.output
    assert "Amazon LP::Customer Obsession" in result.output

    col = collection(tmp_path)
    log = import_into(col, tmp_path / "out.apkg")
    assert (len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)) == (len(cards), 0, 0, 0)
    assert col.note_count() == col.card_count() == len(cards)

    notes = notes_by_key(col)
    assert set(notes) == set(cards)
    for key, card in cards.items():
        note = notes[key]
        (anki_card,) = note.cards()
        assert col.decks.name(anki_card.did) == f"Amazon LP::{card.lp}"
        rendered = anki_card.render_output(reload=True)
        assert text(rendered.question_text).strip(), key
        for side in (rendered.question_text, rendered.answer_text):
            assert "{{" not in side and "}}" not in side, key
            assert "errors.html" not in side, key  # how Anki shows a template error
        assert text(note["Prompt"]) == card.prompt
        assert text(note["Story"]) == card.title
        if card.kind == "mcq":
            assert note.note_type()["name"] == "LP-SRS Multiple Choice"
            assert text(note["Question"]) == card.front
            assert [text(note[f"Option{x}"]) for x in LABELS] == [*card.options, "", "", ""]
            assert note["Answer"] == "B"
            assert text(note["Solution"]).split("\n") == ["Self-initiated work is Ownership.", "Nobody asked."]
            assert text(note["Hint"]) == "Who started it?"
            assert "Picking Bias for Action" in text(note["Details"])
            assert '<div class="reveal" data-answer="B">' in rendered.answer_text
            assert "Answer: B" in rendered.answer_text
            assert '<li data-letter="B">' in rendered.question_text
        else:
            assert note.note_type()["name"] == "LP-SRS Card"
            assert (text(note["Front"]), text(note["Back"])) == (card.front, card.back)
            shown = text(note["Details"])
            for detail in card.details:
                if detail.label != "Story":  # the Story field shows it
                    assert detail.label in shown and all(line in shown for line in detail.lines), key
            assert card.title not in shown
            assert card.back.split("\n")[0] in html.unescape(rendered.answer_text)
        assert card.front.split("\n")[0] in html.unescape(rendered.question_text)

    assert set(notes["checkout-fee/mcq/which-lp"].tags) == {
        "lp::Customer_Obsession", "kind::mcq", "difficulty::hard", "scenario::checkout-fee"}
    story_tags = {"tag::payments", "tag::cross_team"}  # the story's own tags, without spaces
    assert set(notes["webhook-drop/phrase-lp/webhook-drop-action-signal"].tags) == {
        "lp::Ownership", "kind::phrase-lp", "step::action", "scenario::webhook-drop", *story_tags}
    assert set(notes["webhook-drop/level/senior-sde"].tags) == {
        "lp::Ownership", "kind::level", "level::Senior_SDE", "scenario::webhook-drop", *story_tags}
    assert set(notes["webhook-drop/angle/dive-deep"].tags) == {
        "lp::Dive_Deep", "kind::angle", "scenario::webhook-drop", *story_tags}
    css = col.models.by_name("LP-SRS Multiple Choice")["css"]
    assert all(f'.reveal[data-answer="{x}"] li[data-letter="{x}"]' in css for x in LABELS)
    assert ".nightMode" in css and ".night_mode" in css
    col.close()


def test_reexport_updates_notes_in_place_and_keeps_review_progress(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    first = write(tmp_path / "v1", story("webhook-drop"), story("checkout-fee", "CO"))
    assert export(tmp_path, first, out="v1.apkg").exit_code == 0
    col = collection(tmp_path)
    import_into(col, tmp_path / "v1.apkg")
    reviewed = notes_by_key(col)["webhook-drop/probe/verify"].cards()[0]
    reviewed.start_timer()
    col.sched.answerCard(reviewed, 3)
    col.set_user_flag_for_cards(2, [reviewed.id])  # the user's own marks on the card: a flag, a suspension
    col.sched.suspend_cards([reviewed.id])
    before = col.get_card(reviewed.id)
    progress = (before.nid, before.type, before.queue, before.due, before.ivl, before.reps, before.did,
                before.user_flag())
    assert before.reps == 1 and before.queue == -1

    # Edit answers in one story, add a third, restyle the cards; exported within the same (pinned) second.
    (template,) = apkg.MCQ_MODEL.templates
    monkeypatch.setattr(apkg.MCQ_MODEL, "templates", [{**template, "afmt": template["afmt"] + "<!-- v2 -->"}])
    monkeypatch.setattr(apkg.MCQ_MODEL, "css", apkg.CSS + "/* v2 */")
    second = write(tmp_path / "v2", story("webhook-drop", answer="I replayed the failures & watched <p99>.",
                                          solution="Nobody assigned it: Ownership."),
                   story("checkout-fee", "CO"), story("runbook", "Invent and Simplify"))
    result = export(tmp_path, second, out="v2.apkg")
    assert result.exit_code == 0, result.output
    old, new = compiled(first), compiled(second)
    changed = {key for key in old if old[key].content_hash() != new[key].content_hash()}
    assert changed == {"webhook-drop/probe/verify", "webhook-drop/disqualifier/probe-verify",
                       "webhook-drop/mcq/which-lp"}

    log = import_into(col, tmp_path / "v2.apkg")
    assert keys(log.new) == set(new) - set(old) == {k for k in new if k.startswith("runbook/")}
    assert changed <= keys(log.updated)
    assert keys(log.updated) | keys(log.new) == set(new)
    assert (len(log.duplicate), len(log.conflicting)) == (0, 0)
    assert col.note_count() == col.card_count() == len(new)

    notes = notes_by_key(col)
    assert text(notes["webhook-drop/probe/verify"]["Back"]) == "I replayed the failures & watched <p99>."
    assert text(notes["webhook-drop/mcq/which-lp"]["Solution"]).startswith("Nobody assigned it: Ownership.")
    after = col.get_card(reviewed.id)
    assert (after.nid, after.type, after.queue, after.due, after.ivl, after.reps, after.did,
            after.user_flag()) == progress
    # Template text and CSS changes reach a collection under the same note type id (as CHANGELOG.md says).
    rendered = notes["webhook-drop/mcq/which-lp"].cards()[0].render_output(reload=True)
    assert rendered.css.endswith("/* v2 */") and rendered.answer_text.endswith("<!-- v2 -->")
    col.close()


@pytest.mark.filterwarnings("error")  # genanki warns about raw HTML in a field: none may reach it
def test_user_text_survives_the_round_trip_as_typed(tmp_path: Path) -> None:
    weak = "We fixed it <script>alert('x')</script> & more\nSecond line: {{Front}} and {{x}}\n"
    title = 'Fees < 5% & "quoted" \'single\' {{Story}}'
    src = write(tmp_path / "src", story("escapes", title=title, weak=weak,
                                        answer='Use <b>bold</b>? No: "a < b" & {{c1::cloze}}'))
    cards = compiled(src)
    assert export(tmp_path, src).exit_code == 0
    col = collection(tmp_path)
    import_into(col, tmp_path / "out.apkg")
    notes = notes_by_key(col)

    weak_card = cards["escapes/disqualifier/weak-answer"]
    note = notes["escapes/disqualifier/weak-answer"]
    assert "\n" in weak_card.front and "<script>" in weak_card.front
    assert text(note["Front"]) == weak_card.front
    assert text(note["Story"]) == title
    assert text(notes["escapes/probe/verify"]["Back"]) == 'Use <b>bold</b>? No: "a < b" & {{c1::cloze}}'
    for key, card in cards.items():
        rendered = notes[key].cards()[0].render_output(reload=True)
        for side in (rendered.question_text, rendered.answer_text):
            assert "<script" not in side and "<b>" not in side
            assert "{{" not in side and "}}" not in side and "errors.html" not in side
    front = notes["escapes/disqualifier/weak-answer"].cards()[0].render_output(reload=True).question_text
    shown = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more<br>Second line: &#123;&#123;Front&#125;&#125;"
    assert shown in front
    col.close()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Measures each rendered side in the browser: the left edge of every block of the column (one
# column, one edge), whether anything sticks out sideways, the text colour (night mode), and what
# tapping the hint does. Anki puts "card" (and "nightMode night_mode" at night) on the page's body;
# here each side is a <section> carrying them, which the CSS allows for too.
_MEASURE = """<script>
const report = {};
for (const side of document.querySelectorAll("section")) {
  const peek = side.querySelector(".peek");
  const shown = peek && getComputedStyle(peek).display !== "none";
  if (shown) peek.querySelector("a.hint").click();
  report[side.id] = {
    edges: [...new Set([...side.querySelectorAll(".prompt, .back, .detail, .solution, .tip, .meta")]
                       .map(e => Math.round(e.getBoundingClientRect().left)))],
    color: getComputedStyle(side).color,
    peek: peek ? (shown ? side.querySelector(".peek div.hint").innerText : "hidden") : null,
  };
}
report.overflow = document.documentElement.scrollWidth > document.documentElement.clientWidth;
document.getElementById("report").textContent = JSON.stringify(report);
</script>"""


def measure_in_chromium(sides: dict[str, tuple[str, bool]], css: str, width: int, tmp_path: Path) -> dict:
    """Each side's HTML (with its night-mode flag) on one page ``width`` pixels wide, measured."""
    sections = "".join(f'<section id="{name}" class="card{" nightMode night_mode" if night else ""}">{body}</section>'
                       for name, (body, night) in sides.items())
    page = tmp_path / f"cards-{width}.html"
    page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" '
                    f'content="width=device-width"><style>body {{ margin: 20px; overflow-wrap: break-word; }}'
                    f'</style><style>{css}</style></head><body>{sections}<pre id="report"></pre>{_MEASURE}'
                    f'</body></html>', encoding="utf-8")
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},900", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(html.unescape(re.search(r'<pre id="report">(.*?)</pre>', done.stdout, re.DOTALL).group(1)))


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_cards_read_as_one_column_on_a_phone_and_a_desktop_by_day_and_night(tmp_path: Path) -> None:
    long_url = "https://example.com/" + "/".join(["pathsegment"] * 12)
    src = write(tmp_path / "src", story("layout", weak="We fixed it.", title="A story " + "long " * 30))
    data = yaml.safe_load((src / "layout.yaml").read_text(encoding="utf-8"))
    data["questions"][0]["options"][2] = f"Dive Deep, see {long_url}"
    data["weak_answer"]["disqualifiers"].append({"why": "no numbers at all"})
    write(src, data)
    assert export(tmp_path, src).exit_code == 0
    col = collection(tmp_path)
    import_into(col, tmp_path / "out.apkg")
    notes = notes_by_key(col)
    mcq = notes["layout/mcq/which-lp"].cards()[0].render_output(reload=True)
    weak = notes["layout/disqualifier/weak-answer"].cards()[0].render_output(reload=True)
    col.close()
    # The weak answer's two disqualifiers are a list, not two lines of bold text run together.
    assert re.search(r'<div class="back"><ul><li>hides who did what</li><li>no numbers at all</li></ul>',
                     weak.answer_text)

    sides = {"mcq-front": (mcq.question_text, False), "mcq-back": (mcq.answer_text, True),
             "weak-back": (weak.answer_text, False)}
    for width in (390, 1100):
        shown = measure_in_chromium(sides, mcq.css, width, tmp_path)
        assert not shown["overflow"], width  # a long unbroken option wraps inside the phone's width
        for name in sides:
            assert len(shown[name]["edges"]) == 1, (width, name, shown[name])
        assert shown["mcq-front"]["peek"] == "Who started it?"  # the hint is one tap away on the front
        assert shown["mcq-back"]["peek"] == "hidden"  # and not twice on the back, which shows it anyway
        assert shown["mcq-back"]["color"] == "rgb(230, 237, 243)" and shown["weak-back"]["color"] == "rgb(31, 35, 40)"
    assert "Who started it?" in text(mcq.answer_text)


def test_filters_choose_the_cards(tmp_path: Path) -> None:
    src = write(tmp_path / "src", story("webhook-drop"), story("checkout-fee", "CO"))
    cards = compiled(src)
    cases = {
        ("--lp", "customer obsession"): {k for k, c in cards.items() if c.lp == "Customer Obsession"},
        ("--kind", "mcq"): {k for k, c in cards.items() if c.kind == "mcq"},
        ("--scenario", "webhook-drop"): {k for k in cards if k.startswith("webhook-drop/")},
        ("--scenario", "webhook-drop", "--kind", "probe"): {"webhook-drop/probe/verify"},
    }
    for i, (args, expected) in enumerate(cases.items()):
        result = export(tmp_path, src, *args, out=f"{i}.apkg")
        assert result.exit_code == 0, result.output
        col = collection(tmp_path, f"col{i}")
        assert keys(import_into(col, tmp_path / f"{i}.apkg").new) == expected
        col.close()
    with sqlite3.connect(tmp_path / "home" / "srs.db") as db:  # export syncs the store, whatever it filters
        assert {key for (key,) in db.execute("SELECT key FROM cards WHERE retired = 0")} == set(cards)

    result = export(tmp_path, src, "--scenario", "webhook-drops", out="none.apkg")
    assert result.exit_code == 2 and "did you mean 'webhook-drop'?" in result.output
    result = export(tmp_path, src, "--scenario", "checkout-fee", "--lp", "Ownership", out="none.apkg")
    assert result.exit_code == 1 and "No cards match; nothing was written." in result.output
    assert not (tmp_path / "none.apkg").exists()


def test_a_package_name_always_ends_in_apkg_as_anki_needs(tmp_path: Path) -> None:
    src = write(tmp_path / "src", story("webhook-drop"))
    for given, written in (("prep", "prep.apkg"), ("prep.zip", "prep.zip.apkg"), ("Prep.APKG", "Prep.APKG")):
        result = export(tmp_path, src, "--kind", "concept", out=given)
        assert result.exit_code == 0 and f"to {tmp_path / written}\n" in result.output, result.output
        assert (tmp_path / written).is_file()
    assert not (tmp_path / "prep").exists() and not (tmp_path / "prep.zip").exists()


def test_failures_leave_the_previous_package_untouched(tmp_path: Path) -> None:
    src = write(tmp_path / "src", story("webhook-drop"))
    assert export(tmp_path, src).exit_code == 0
    before = (tmp_path / "out.apkg").read_bytes()

    (src / "broken.yaml").write_text("id: broken\nlp: Ownership\ntitle: [unclosed\n", encoding="utf-8")
    result = export(tmp_path, src)
    assert result.exit_code == 1 and "broken.yaml:4:1: YAML syntax error" in result.output
    assert "Traceback" not in result.output
    (src / "broken.yaml").unlink()

    (tmp_path / "a-file").touch()
    result = CliRunner().invoke(main, ["export", "anki", "-o", str(tmp_path / "out.apkg"), "--no-builtin",
                                       "--source", str(src), "--home", str(tmp_path / "a-file" / "home")])
    assert result.exit_code == 1 and "cannot open the store" in result.output  # the data folder is unusable
    (tmp_path / "a-file").unlink()

    state = tmp_path / "home" / apkg.STATE_FILE  # the export's own state cannot be written
    saved_state = state.read_bytes()
    state.unlink()
    state.mkdir()
    result = export(tmp_path, src)
    assert result.exit_code == 1 and f"cannot write {state}" in result.output
    state.rmdir()
    state.write_bytes(saved_state)

    result = export(tmp_path, src, out="missing-folder/out.apkg")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"cannot write {tmp_path / 'missing-folder' / 'out.apkg'}: No such file or directory; nothing was written." \
        in result.output

    def fail_midway(path: Path) -> None:
        path.write_bytes(b"half a package")
        raise OSError(28, "No space left on device", str(path))

    with pytest.raises(OSError):
        replace_atomically(tmp_path / "out.apkg", fail_midway)
    assert (tmp_path / "out.apkg").read_bytes() == before

    # A real failure while the package is being written: its temporary file's name is taken by a folder.
    blocker = tmp_path / f".out.apkg.{os.getpid()}.tmp"
    blocker.mkdir()
    result = export(tmp_path, src)
    assert result.exit_code == 1 and "cannot write" in result.output
    assert (tmp_path / "out.apkg").read_bytes() == before
    blocker.rmdir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "out.apkg", "src"]


def package_meta(path: Path) -> tuple[set[int], dict[str, int]]:
    """The note modification times and the deck ids by name, read from the package itself."""
    with zipfile.ZipFile(path) as z:
        (path.parent / "peek.anki2").write_bytes(z.read("collection.anki2"))
    conn = sqlite3.connect(path.parent / "peek.anki2")
    try:
        mods = {mod for (mod,) in conn.execute("SELECT mod FROM notes")}
        decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
    finally:
        conn.close()
        (path.parent / "peek.anki2").unlink()
    return mods, {d["name"]: d["id"] for d in decks.values()}


def test_each_export_is_newer_than_the_last_and_deck_ids_are_stable(tmp_path: Path) -> None:
    src = write(tmp_path / "src", story("webhook-drop"), story("checkout-fee", "CO"))
    stamps = []
    deck_ids = []
    for i, now in enumerate([NOW, NOW, NOW, "2026-11-26T08:00:00Z", "2026-11-26T10:00:00+01:00",
                             "2026-11-26T10:00:00Z"]):
        assert export(tmp_path, src, now=now, out=f"{i}.apkg").exit_code == 0
        (mod,), decks = package_meta(tmp_path / f"{i}.apkg")
        stamps.append(mod)
        deck_ids.append({name: i for name, i in decks.items() if name.startswith("Amazon LP")})
    # Same second, same second, clock set back, an hour later in another zone (= NOW again), later.
    assert stamps == [NOW_SECONDS, NOW_SECONDS + 1, NOW_SECONDS + 2, NOW_SECONDS + 3, NOW_SECONDS + 4,
                      NOW_SECONDS + 3600]
    assert json.loads((tmp_path / "home" / apkg.STATE_FILE).read_text()) == {"last_mod": NOW_SECONDS + 3600}
    assert all(ids == deck_ids[0] for ids in deck_ids)
    ids = deck_ids[0]
    assert set(ids) == {"Amazon LP::Ownership", "Amazon LP::Customer Obsession", "Amazon LP::Dive Deep"}
    assert len(set(ids.values())) == 3 and 1 not in ids.values()

    (tmp_path / "home" / apkg.STATE_FILE).write_text("{not json")  # damaged: counts as no earlier export
    assert export(tmp_path, src, now="2026-11-27T09:00:00Z", out="x.apkg").exit_code == 0
    assert package_meta(tmp_path / "x.apkg")[0] == {NOW_SECONDS + 86400}

    result = export(tmp_path, src, now="yesterday", out="y.apkg")
    assert result.exit_code == 1 and "SRS_NOW='yesterday'" in result.output and "Traceback" not in result.output


# Anki keeps notes whose note type changed shape (field or template names) under the same id as
# "conflicting". If this fails, give the changed note type a new id and say so in CHANGELOG.md.
SCHEMAS = {
    1461329990: ("LP-SRS Card", "Key Prompt Front Back Details Story", "Card"),
    1853256454: ("LP-SRS Multiple Choice", "Key Prompt Question OptionA OptionB OptionC OptionD OptionE OptionF "
                 "Answer Solution Hint Details Story", "Multiple choice"),
}


def test_note_type_ids_are_fixed_to_their_fields_and_templates() -> None:
    for model in (apkg.BASIC_MODEL, apkg.MCQ_MODEL):
        schema = (model.name, " ".join(f["name"] for f in model.fields), " ".join(t["name"] for t in model.templates))
        assert SCHEMAS.get(model.model_id) == schema, f"note type {model.name!r} changed: it needs a new model id"
    changelog = (Path(__file__).parent.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    assert all(str(model_id) in changelog for model_id in SCHEMAS)


def test_bundled_decks_export_and_import_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cards = load(find_files([builtin_decks()])[0]).cards
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "anki", "--home", str(tmp_path / "home")], env={"SRS_NOW": NOW})
    assert result.exit_code == 0, result.output
    assert f"Wrote {len(cards)} notes ({len(cards)} cards)" in result.output
    col = collection(tmp_path)
    log = import_into(col, tmp_path / "lp-srs.apkg")  # the default name, in the current folder
    assert (len(log.new), len(log.conflicting)) == (len(cards), 0)
    assert col.note_count() == col.card_count() == len(cards)
    assert {col.decks.name(did) for did in {c.did for c in map(col.get_card, col.find_cards(""))}} == {
        f"Amazon LP::{card.lp}" for card in cards}
    for cid in col.find_cards(""):
        rendered = col.get_card(cid).render_output(reload=True)
        assert text(rendered.question_text).strip()
        assert not re.search(r"\{\{|\}\}|errors\.html", rendered.question_text + rendered.answer_text)
    # Nothing for Tools › Check Database to repair, and the Browser's sort column is never blank.
    assert col.db.scalar("SELECT count() FROM notes WHERE sfld = '' OR flds LIKE char(31) || '%'") == 0
    problems, ok = col.fix_integrity()
    assert ok, problems
    col.close()
