"""``srs validate`` / ``srs cards`` on bad input: every class of mistake a story writer makes.

Each bad file is the seed scenario with a realistic edit. Every test checks the exit status,
the exact ``path:line:col`` of the offending node, the message, and that stderr holds exactly
the expected lines: nothing missing, nothing extra, no traceback.
"""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from srs import yamlfile
from srs.scenario import MAX_NODES, parse


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder, so problems are reported under the short names written there."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


NEWLINE, TAB = "\n", "\t"  # for f-strings, which cannot hold a backslash before Python 3.12


def edit(text: str, old: str, new: str) -> str:
    """``text`` with the one occurrence of ``old`` replaced: an edit that cannot silently miss."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def at(text: str, needle: str, after: str = "") -> str:
    """``line:col`` (1-based) of the first ``needle`` in ``text`` after the first ``after``."""
    start = text.index(after) if after else 0
    index = text.index(needle, start)
    line_start = text.rfind("\n", 0, index) + 1
    return f"{text.count(NEWLINE, 0, index) + 1}:{index - line_start + 1}"


def line(text: str, needle: str, after: str = "") -> int:
    return int(at(text, needle, after).split(":")[0])


def errors(count: int) -> str:
    return f"{count} error{'s' * (count > 1)}; nothing was changed."


def check(srs, files: dict[str, str | bytes], expected: list[str], command: str = "validate") -> None:
    """Write ``files``, run ``srs COMMAND --no-builtin`` on them: exit 1 and exactly ``expected``."""
    for name, content in files.items():
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    result = srs(command, "--no-builtin", *files)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [*expected, errors(len(expected))]


# --- YAML that does not parse --------------------------------------------------------------------

def test_yaml_syntax_error_points_at_the_place_and_at_where_the_construct_began(srs, here, seed_text):
    text = edit(seed_text, "\nlp: Ownership\n", "\nlp: [Ownership, Dive Deep\n")
    title_colon = at(text, ':', after="title")  # where libyaml finds the list unfinished
    check(srs, {"story.yaml": text},
          [f"story.yaml:{title_colon}: YAML syntax error: "
           f"the [ list opened at line {line(text, 'lp: [')} is not closed with ]"])


def test_colon_inside_unquoted_text_suggests_quotes(srs, here, seed_text):
    text = edit(seed_text, "focus: Find and fix the bug", "focus: Scope: find and fix the bug")
    check(srs, {"story.yaml": text},
          [f"story.yaml:{at(text, ': find and fix', after='Scope')}: YAML syntax error: a ': ' inside unquoted text, "
           "or a line indented too far? Put text that contains ': ' in quotes"])


SINGLE = ("the text goes on after its closing quote: put the whole text in one pair of quotes (inside "
          "'single quotes' write an apostrophe as two ('it''s'), or use \"double quotes\")")
DOUBLE = ("the text goes on after its closing quote: put the whole text in one pair of quotes (inside "
          "\"double quotes\" write a quote as \\\", or use 'single quotes')")


@pytest.mark.parametrize(("old", "new", "needle", "message"), [
    ("title: \"0.3% webhook", "title: “0.3% webhook", "“",
     "“ is a typographic quote, which YAML reads as text, not as a quote: use straight quotes \"…\" or '…'"),
    ("focus: Find and fix the bug", "focus: ‘Scope: find and fix the bug’", "‘",
     "‘ is a typographic quote, which YAML reads as text, not as a quote: use straight quotes \"…\" or '…'"),
    ("hint: Manager asks = ownership lost", "hint: 'It wasn't the manager'", "t the manager", SINGLE),
    ("hint: Manager asks = ownership lost", 'hint: "Manager asks" = ownership lost', "= ownership", DOUBLE),
    ("  - lp: Customer Obsession\n    lead: Open with", "  - lp: Customer Obsession\n    lead: [P0] Open with",
     "Open with", "text that starts with '[' is read as a YAML list, which ends at the ']' before here: "
                  "put the whole text in quotes"),
    ("hint: Manager asks = ownership lost", "hint: {manager} asks", "asks",
     "text that starts with '{' is read as a YAML mapping, which ends at the '}' before here: "
     "put the whole text in quotes"),
    ("hint: Manager asks = ownership lost", "hint: - manager asks", "- manager",
     "'- ' starts a list item, which cannot follow 'key: ' on the same line: put text that starts with '- ' "
     "in quotes"),
    ("hint: Manager asks = ownership lost", "hint: *manager* asks", "* asks",
     "text that starts with '*' or '&' is read as a YAML alias or anchor: put it in quotes"),
])
def test_quoting_mistakes_in_prose_say_how_to_quote(srs, here, seed_text, old, new, needle, message):
    text = edit(seed_text, old, new)
    check(srs, {"story.yaml": text}, [f"story.yaml:{at(text, needle, after=new)}: YAML syntax error: {message}"])


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("\nlp: Ownership\n", "\nlp:Ownership\n", "lp:Ownership"),  # no space after the colon
    ("  reflection:\n    target_seconds: 15\n", "  reflection:\n    target_seconds: 15\n  and more text\n",
     "and more text"),  # text continued less indented than its key
    ('"no alert", "no ticket"]', '"no alert", "no ticket"]\n    -no dash space', "-no dash space"),
])
def test_a_line_that_is_neither_key_nor_list_item_is_named(srs, here, seed_text, old, new, needle):
    text = edit(seed_text, old, new)
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, needle)}: YAML syntax error: this line is neither 'key: value' nor a '- ' list "
        "item: put a space after the ':' or '-', or, if it continues the text above, indent it further than "
        "its key"])


def test_unclosed_quote_names_the_line_it_opened_on(srs, here, seed_text):
    text = seed_text + 'x-note: "never closed\n'
    check(srs, {"story.yaml": text},
          [f"story.yaml:{text.count(NEWLINE) + 1}:1: YAML syntax error: the quoted text opened at line "
           f"{text.count(NEWLINE)} is never closed"])


@pytest.mark.parametrize("indent", ["\t", "  \t  "], ids=["tab", "spaces-then-tab"])
def test_tab_indentation(srs, here, seed_text, indent):
    text = edit(seed_text, "    target_seconds: 90\n", f"{indent}target_seconds: 90\n")
    check(srs, {"story.yaml": text},
          [f"story.yaml:{at(text, TAB)}: tab character in indentation: YAML indents with spaces only"])


def test_bytes_that_are_not_utf8(srs, here, seed_text):
    text = edit(seed_text, "a persistent 0.3%", "a persistent café 0.3%")
    data = text.encode("utf-8").replace("é".encode("utf-8"), b"\xe9")  # the same text saved as Latin-1
    check(srs, {"story.yaml": data},
          [f"story.yaml:{at(text, 'é')}: not UTF-8 text (byte 0xe9); save the file as UTF-8"])


def test_control_character(srs, here, seed_text):
    text = edit(seed_text, "I pulled the webhook", "I pulled\x00 the webhook")
    nul = at(text, "\x00")
    check(srs, {"story.yaml": text},
          [f"story.yaml:{nul}: control character U+0000 is not allowed in YAML; "
           "delete it (it is often invisible: retype the line)"])


@pytest.mark.parametrize("content", ["", "\n\n", "# a story about webhooks, to write later\n", "---\n"],
                         ids=["nothing", "blank-lines", "comment-only", "document-marker-only"])
def test_empty_file(srs, here, content):
    check(srs, {"story.yaml": content},
          ["story.yaml:1:1: file is empty: a scenario needs at least id, lp, title and steps"])


@pytest.mark.parametrize("command", ["validate", "cards"])
def test_several_documents_in_one_file(srs, here, seed_text, command):
    text = seed_text + "---\nid: ownership-second-story\nlp: Ownership\n"
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, '---')}: YAML syntax error: more than one YAML document "
        "(a '---' separator?): put one scenario per file",
    ], command=command)


# --- the wrong shape -----------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "found"), [
    ("- id: ownership-webhook-drop\n- lp: Ownership\n", "a list: remove the '- ' before each key"),
    ("Ownership webhook drop, to write up\n", "text 'Ownership webhook drop, to write up'"),
    ("42\n", "int 42"),
])
def test_top_level_not_a_mapping(srs, here, content, found):
    check(srs, {"story.yaml": content},
          [f"story.yaml:1:1: the scenario must be a mapping of 'key: value' lines, not {found}"], command="cards")


def test_missing_required_keys(srs, here, seed_text):
    text = edit(seed_text, seed_text[seed_text.index("title:"):seed_text.index("summary:")], "")
    text = edit(text, '    key_phrases: ["0.3% drop rate went to zero", "$8,000 per week recovered", '
                      '"adopted my dead letter queue pattern"]\n', "")
    text = edit(text, "      why: hides individual contribution\n", "")
    text = edit(text, "    bar: Less cross-team complexity, simpler impact metrics, clear individual "
                      "contribution.\n", "")
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, 'id: ownership')}: the scenario is missing required key 'title'",
        f"story.yaml:{at(text, 'target_seconds', after='  result:')}: step 'result' is missing required key "
        "'key_phrases'",
        f"story.yaml:{at(text, 'quote: worked')}: a disqualifier is missing required key 'why'",
        f"story.yaml:{at(text, 'level: SDE1')}: a level is missing required key 'bar'",
    ])


def test_a_mapping_missing_several_keys_is_one_line(srs, here, seed_text):
    text = seed_text[:seed_text.index("steps:")] + "steps: {}\n"
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, '{}')}: steps is missing required keys 'situation', 'task', 'action' and 'result'"])


def test_missing_example_and_missing_steps(srs, here, seed_text):
    text = edit(seed_text, "    by_level:\n", "    by_levels:\n")
    text = edit(text, seed_text[seed_text.index("    example: >\n      I pulled"):
                                seed_text.index('    key_phrases: ["I pulled"')], "")
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, 'target_seconds', after='  action:')}: step 'action' is missing required key "
        "'example'",
        f"story.yaml:{at(text, 'target_seconds', after='  reflection:')}: step 'reflection' is missing "
        "required key 'example' (or give 'by_level')",
        f"story.yaml:{at(text, 'by_levels')}: unknown key 'by_levels' in step 'reflection'; did you mean "
        "'by_level'?",
    ])
    gone = edit(seed_text, "  task:\n", "  tasks:\n")
    check(srs, {"story.yaml": gone}, [
        # One mistake, one message: not "missing 'task'" as well.
        f"story.yaml:{at(gone, 'tasks:')}: unknown key 'tasks' in steps; did you mean 'task'?",
    ])


def test_unknown_keys_suggest_the_nearest_valid_key(srs, here, seed_text):
    text = edit(seed_text, "summary: >", "sumary: >")
    text = edit(text, "    coaching: Give the metric", "    coachng: Give the metric")
    text = edit(text, "  - id: why-act\n", "  - id: why-act\n    colour: blue\n")
    text = edit(text, "    difficulty: medium\n    prompt: 'Which LP", "    dificulty: medium\n    prompt: 'Which LP")
    text += "x-reviewed-by: a friend\n"  # x- keys are kept and ignored
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, 'sumary')}: unknown key 'sumary' in the scenario; did you mean 'summary'?",
        f"story.yaml:{at(text, 'coachng')}: unknown key 'coachng' in step 'result'; did you mean 'coaching'?",
        f"story.yaml:{at(text, 'colour')}: unknown key 'colour' in a probe "
        "(expected one of: question, weak, strong, id, probes)",
        f"story.yaml:{at(text, 'dificulty')}: unknown key 'dificulty' in a question; did you mean 'difficulty'?",
    ])


def test_misplaced_keys_say_where_they_belong(srs, here, seed_text):
    text = edit(seed_text, "      takeaway: I decided to act without being asked.\n",
                "    takeaway: I decided to act without being asked.\n")
    text = edit(text, "    coaching: Give the metric", "    by_level: {SDE1: Fixed it.}\n    coaching: Give the metric")
    text += "situation:\n  target_seconds: 30\n"
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, 'by_level: {')}: 'by_level' does not belong in step 'result': "
        "only the reflection step has by_level",
        f"story.yaml:{at(text, 'takeaway: I decided')}: 'takeaway' does not belong in a probe: "
        "put it under 'strong:'",
        f"story.yaml:{at(text, 'situation:', after='collective-disqualifier')}: 'situation' does not belong in "
        "the scenario: indent it under 'steps:'",
    ])


def test_wrong_types(srs, here, seed_text):
    text = edit(seed_text, "tags: [payments, webhooks, cross-team]", "tags: payments")
    text = edit(text, "summary: >\n", "summary:\nx-summary: >\n")
    text = edit(text, "  task:\n    target_seconds: 20", "  task:\n    target_seconds: twenty")
    text = edit(text, "    target_seconds: 90\n", "    target_seconds: 1.5\n")
    text = edit(text, "    target_seconds: 15\n", "    target_seconds: !!int fifteen\n")
    text = edit(text, "weak_answer:\n  text: >", "weak_answer: It was fine.\nx-weak_answer:\n  text: >")
    text = edit(text, "options: [Bias for Action, Ownership, Deliver Results, Customer Obsession]",
                "options: {A: Bias for Action, B: Ownership}")
    text = edit(text, 'title: "0.3% webhook drop rate', 'title: |\n  Webhooks\n  0.3% webhook drop rate')
    check(srs, {"story.yaml": text}, [
        "story.yaml:4:8: title must be one line (it heads every card); put the rest in 'summary'",
        f"story.yaml:{line(text, 'summary:')}:9: summary is empty: write its text, or leave the key out "
        "if it is optional",
        f"story.yaml:{at(text, 'payments')}: tags must be a list ('- item' lines or [a, b]), not text 'payments'",
        f"story.yaml:{at(text, 'twenty')}: target_seconds of step 'task' must be a whole number of seconds, "
        "not text 'twenty'",
        f"story.yaml:{at(text, '1.5')}: target_seconds of step 'action' must be a whole number of seconds, "
        "not float 1.5",
        f"story.yaml:{at(text, '!!int')}: target_seconds of step 'reflection' must be a whole number of "
        "seconds, not int fifteen",
        f"story.yaml:{at(text, 'It was fine.')}: weak_answer must be a mapping of 'key: value' lines, "
        "not text 'It was fine.'",
        f"story.yaml:{at(text, '{A: Bias')}: options must be a list ('- item' lines or [a, b]), not a mapping",
    ])


def test_shape_mistakes_say_the_fix(srs, here, seed_text):
    """A step indented under the one before, a number in quotes, a list of steps, a note of one's own."""
    text = edit(seed_text, "  task:\n    target_seconds: 20", "    task:\n    target_seconds: '20'")
    text = edit(text, "summary: >\n", "context: written for the Amazon loop\nsummary: >\n")
    result = srs("validate", "--no-builtin", _write("story.yaml", text))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:4] == [
        f"story.yaml:{at(text, 'context:')}: unknown key 'context' in the scenario (expected one of: id, lp, title, "
        "steps, summary, level, tags, probes, weak_answer, concept_checks, angles, levels, questions; a key of "
        "your own, for notes, must start with 'x-')",
        f"story.yaml:{at(text, 'situation:')}: steps is missing required key 'task'",
        f"story.yaml:{at(text, 'task:')}: 'task' does not belong in step 'situation': it is a step of its own: "
        "indent it level with 'situation'",
        f"story.yaml:{at(text, 'target_seconds', after='    task:')}: duplicate key 'target_seconds' in step "
        f"'situation' (first at line {line(text, 'target_seconds: 30')})",
    ]  # (and the task's other keys, duplicates in the situation now)
    text = edit(seed_text, "  task:\n    target_seconds: 20", "  task:\n    target_seconds: '20'")
    text = edit(text, "\nlp: Ownership\n", "\nlp: [Ownership, Customer Obsession]\n")
    check(srs, {"story.yaml": text}, [
        "story.yaml:3:5: lp must be one Leadership Principle, not a list: the story's main one; reframe it for "
        "the others under 'angles'",
        f"story.yaml:{at(text, chr(39) + '20')}: target_seconds of step 'task' must be a whole number of seconds, "
        "not text '20': write it without quotes"])
    steps = "steps:\n" + "".join(f"  - {step}:\n      target_seconds: 20\n      example: I did it.\n"
                                 f"      key_phrases: [I did it {step}]\n" for step in ("situation", "task"))
    text = seed_text[:seed_text.index("steps:")] + steps
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, '- situation')}: steps must be a mapping of 'key: value' lines, not a list: remove "
        "the '- ' before each key"])


def test_numbers_out_of_range(srs, here, seed_text):
    text = edit(seed_text, "    target_seconds: 30\n", "    target_seconds: 900\n")
    text = edit(text, "    target_seconds: 15\n", "    target_seconds: 0\n")
    text = edit(text, "    target_seconds: 120\n", "    target_seconds: 7200\n")
    text = edit(text, "target_seconds: [150, 180]", "target_seconds: [180, 150]")
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, '900')}: target_seconds of step 'situation' must be between 1 and 600, not 900",
        f"story.yaml:{at(text, '0', after='  reflection:')}: target_seconds of step 'reflection' must be "
        "between 1 and 600, not 0",
        f"story.yaml:{at(text, '7200')}: target_seconds of a level must be between 1 and 3600, not 7200",
        f"story.yaml:{at(text, '[180')}: target_seconds of a level: min 180 is greater than max 150",
    ])


def test_lists_that_are_too_short(srs, here, seed_text):
    text = edit(seed_text, 'key_phrases: ["I noticed", "not on my sprint", "no alert", "no ticket"]',
                "key_phrases: []")
    text = edit(text, "    options: [Bias for Action, Invent and Simplify, Deliver Results, Ownership]\n"
                      "    answer: D", "    options: [Ownership]\n    answer: A")
    start, end = text.index("  disqualifiers:\n"), text.index("  verdict:")
    text = text[:start] + "  disqualifiers: []\n" + text[end:]
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, '[]')}: key_phrases of step 'situation' needs at least 1 phrase",
        f"story.yaml:{at(text, '[]', after='disqualifiers')}: disqualifiers needs at least 1 item",
        f"story.yaml:{at(text, '[Ownership]')}: a question needs 2 to 6 options, found 1",
    ])


def test_id_that_is_not_a_slug(srs, here, seed_text):
    text = edit(seed_text, "id: ownership-webhook-drop", "id: Ownership Webhook Drop")
    text = edit(text, "  - id: verify-fix", "  - id: verify_fix")
    check(srs, {"story.yaml": text}, [
        "story.yaml:2:5: scenario id 'Ownership Webhook Drop' may use only lowercase letters, digits and '-' "
        "(starting with a letter or digit, at most 80 characters); try 'ownership-webhook-drop'",
        f"story.yaml:{at(text, 'verify_fix')}: probe id 'verify_fix' may use only lowercase letters, digits and "
        "'-' (starting with a letter or digit, at most 80 characters); try 'verify-fix'",
    ])


@pytest.mark.parametrize("command", ["validate", "cards"])
def test_unknown_names_suggest_the_nearest(srs, here, seed_text, command):
    text = edit(seed_text, "\nlp: Ownership\n", "\nlp: Ownershp\n")
    text = edit(text, "level: SDE2", "level: Senor SDE")
    text = edit(text, "      SDE2: >", "      Principle: >")
    text = edit(text, "  - lp: Dive Deep", "  - lp: Dive Deeper")
    text = edit(text, "  - lp: Customer Obsession", "  - lp: Zebra")
    text = edit(text, "  - level: SDE1", "  - level: L9")
    text = edit(text, "difficulty: hard", "difficulty: hardest")
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, 'Ownershp')}: unknown Leadership Principle 'Ownershp'; did you mean 'Ownership'?",
        f"story.yaml:{at(text, 'Senor SDE')}: unknown level 'Senor SDE'; did you mean 'Senior SDE'?",
        f"story.yaml:{at(text, 'Principle: >')}: unknown level 'Principle'; did you mean 'Principal SDE'?",
        f"story.yaml:{at(text, 'Zebra')}: unknown Leadership Principle 'Zebra' (expected one of: Customer "
        "Obsession, Ownership, Invent and Simplify, Are Right, A Lot, Learn and Be Curious, Hire and Develop the "
        "Best, Insist on the Highest Standards, Think Big, Bias for Action, Frugality, Earn Trust, Dive Deep, "
        "Have Backbone; Disagree and Commit, Deliver Results, Strive to be Earth's Best Employer, Success and "
        "Scale Bring Broad Responsibility)",
        f"story.yaml:{at(text, 'Dive Deeper')}: unknown Leadership Principle 'Dive Deeper'; did you mean "
        "'Dive Deep'?",
        f"story.yaml:{at(text, 'L9')}: unknown level 'L9' (expected one of: SDE1, SDE2, Senior SDE, "
        "Principal SDE)",
        f"story.yaml:{at(text, 'hardest')}: unknown difficulty 'hardest'; did you mean 'hard'?",
    ], command=command)


def test_answer_not_among_the_options(srs, here, seed_text):
    text = edit(seed_text, "    answer: B\n", "    answer: E\n")
    text = edit(text, "    answer: C\n", "    answer: Manager-assigned initiation\n")
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, 'E', after='answer: E')}: answer 'E' is not among the options A–D "
        "(give the letter of the right option)",
        f"story.yaml:{at(text, 'Manager-assigned initiation', after='answer: Man')}: answer "
        "'Manager-assigned initiation' is not among the options A–D (give the letter of the right option)",
    ])


def test_disqualifier_quote_not_in_the_weak_answer(srs, here, seed_text):
    text = edit(seed_text, "    - quote: escalated\n", "    - quote: escalated it to my manager\n")
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, 'escalated it')}: quote 'escalated it to my manager' does not occur in the text "
        "of weak_answer; copy the words from there (case and punctuation may differ)",
    ])


def test_key_phrases_and_quotes_wrapped_in_quotes_yaml_keeps(srs, here, seed_text):
    """Pasted from a document, “curly quotes” are text to YAML: the card would show ““no alert””."""
    text = edit(seed_text, '"no alert", "no ticket"]', '“no alert”, \'"no ticket"\']')
    text = edit(text, "    - quote: escalated\n", "    - quote: ‘escalated’\n")
    straight = at(text, "'\"no ticket")
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{at(text, '“no alert”')}: “no alert” is wrapped in quotes that YAML keeps as part of the "
        "text, and cards add quotes of their own: write 'no alert', in straight quotes or none",
        f"story.yaml:{straight}: \"no ticket\" is wrapped in quotes that YAML keeps as part of "
        "the text, and cards add quotes of their own: write 'no ticket', in straight quotes or none",
        f"story.yaml:{at(text, '‘escalated’')}: ‘escalated’ is wrapped in quotes that YAML keeps as part of the "
        "text, and cards add quotes of their own: write 'escalated', in straight quotes or none",
    ])


def test_duplicate_mapping_keys(srs, here, seed_text):
    text = edit(seed_text, "\nlp: Ownership\n", "\nlp: Ownership\nlp: Dive Deep\n")
    text = edit(text, "    answer: B\n", "    answer: B\n    answer: C\n")
    text = edit(text, "      SDE2: >", "      SDE2: Learned to debug races.\n      SDE II: >")
    check(srs, {"story.yaml": text}, [
        "story.yaml:4:1: duplicate key 'lp' in the scenario (first at line 3)",
        f"story.yaml:{at(text, 'SDE II')}: 'SDE II' is level 'SDE2', which appears twice in by_level (first at "
        f"line {line(text, 'SDE2: Learned')})",
        f"story.yaml:{at(text, 'answer: C')}: duplicate key 'answer' in a question (first at line "
        f"{line(text, 'answer: B')})",
    ])


# --- problems across items and files -------------------------------------------------------------

def test_two_items_compiling_to_the_same_card_key(srs, here, seed_text):
    text = edit(seed_text, '"no alert", "no ticket"]', '"no alert", "no ticket", "No alert!"]')
    text = edit(text, '["I pulled", "I traced"', '["I pulled", "I Noticed", "I traced"')
    text = edit(text, "  - id: manager-asked-signal\n", "  - id: recurring-delay\n")
    text = edit(text, "  - level: Senior SDE\n", "  - level: sde1\n")
    text = edit(text, "  - lp: Dive Deep\n", "  - lp: DD\n")
    text = edit(text, "  - lp: Customer Obsession\n", "  - lp: dive deep\n")
    no_alert, again = at(text, '"no alert"'), at(text, '"No alert!"')
    noticed, noticed_again = at(text, '"I noticed"'), at(text, '"I Noticed"')
    check(srs, {"story.yaml": text}, [
        f"story.yaml:{again}: key phrase 'No alert!' gives the same card key as the one at line "
        f"{no_alert.replace(':', ', column ')} ('ownership-webhook-drop/phrase-lp/no-alert'); list each key "
        "phrase once per story (case and punctuation do not count)",
        f"story.yaml:{noticed_again}: key phrase 'I Noticed' gives the same card key as the one at line "
        f"{noticed.split(':')[0]} ('ownership-webhook-drop/phrase-lp/i-noticed'); list each key phrase once "
        "per story (case and punctuation do not count)",
        f"story.yaml:{at(text, 'lp: DD')}: angle for 'Dive Deep' gives the same card key as the one at "
        f"line {line(text, 'lp: dive deep')} ('ownership-webhook-drop/angle/dive-deep'); give each LP one angle",
        f"story.yaml:{line(text, 'level: sde1')}:5: level 'SDE1' gives the same card key as the one at "
        f"line {line(text, 'level: SDE1')} ('ownership-webhook-drop/step-time/level-sde1'); "
        "list each level once",  # once, though it clashes on its step-time and its level card
        f"story.yaml:{at(text, 'id: recurring-delay', after='manager-asked-weakness')}: question gives the same "
        f"card key as the one at line {line(text, 'id: recurring-delay')} "
        "('ownership-webhook-drop/mcq/recurring-delay'); give one of them a distinct id",
    ])


def test_clashing_card_keys_are_reported_with_the_files_other_errors(srs, here, seed_text):
    """One run shows them all: a clash is not held back until the rest of the file is fixed."""
    text = edit(seed_text, "\nlp: Ownership\n", "\nlp: Ownrship\n")
    text = edit(text, "  - id: verify-fix\n", "  - id: why-act\n")
    text = edit(text, "  - lp: Dive Deep\n", "  - lp: Dive Deeper\n")  # no LP, so no angle card to clash
    text = edit(text, "  - lp: Customer Obsession\n", "  - lp: Customer Obssession\n")
    check(srs, {"story.yaml": text}, [
        "story.yaml:3:5: unknown Leadership Principle 'Ownrship'; did you mean 'Ownership'?",
        f"story.yaml:{line(text, 'id: why-act', after='Motivation and ownership')}:5: probe gives the same card key as "
        f"the one at line {line(text, 'id: why-act')} ('ownership-webhook-drop/disqualifier/probe-why-act'); "
        "give one of them a distinct id",
        f"story.yaml:{at(text, 'Customer Obssession')}: unknown Leadership Principle 'Customer Obssession'; "
        "did you mean 'Customer Obsession'?",
        f"story.yaml:{at(text, 'Dive Deeper')}: unknown Leadership Principle 'Dive Deeper'; did you mean "
        "'Dive Deep'?",
    ])


def test_same_scenario_id_in_two_files_names_both_places(srs, here, seed_text):
    copy = edit(seed_text, "title: \"0.3%", "title: \"A copy: 0.3%")
    check(srs, {"mine/webhooks.yaml": seed_text, "mine/webhooks-copy.yml": copy}, [
        "mine/webhooks-copy.yml:2:5: scenario id 'ownership-webhook-drop' is already used at "
        "mine/webhooks.yaml:2:5; give this story an id of its own (review history is kept by id)",
    ])


def test_every_error_of_every_file_in_one_run(srs, here, seed_text):
    """Five broken files, several errors in one: all reported, in file order, then one count."""
    many = edit(seed_text, "id: ownership-webhook-drop", "id: Webhook Drop")
    many = edit(many, "\nlp: Ownership\n", "\nlp: Ownrship\n")
    many = edit(many, "    target_seconds: 30\n", "    target_seconds: 0\n")
    many = edit(many, "    answer: B\n", "    answer: F\n")
    many = edit(many, "    - quote: escalated\n", "    - quote: handed off\n")
    syntax = edit(seed_text, "  task:\n", "\ttask:\n")
    dup = edit(seed_text, "    coaching: Give the metric", "    coachng: Give the metric")
    files = {"stories/a-many.yaml": many, "stories/b-syntax.yaml": syntax, "stories/c-empty.yaml": "",
             "stories/d-original.yaml": seed_text, "stories/e-dup.yaml": dup, "stories/notes.txt": "not a story"}
    expected = [
        "stories/a-many.yaml:2:5: scenario id 'Webhook Drop' may use only lowercase letters, digits and '-' "
        "(starting with a letter or digit, at most 80 characters); try 'webhook-drop'",
        "stories/a-many.yaml:3:5: unknown Leadership Principle 'Ownrship'; did you mean 'Ownership'?",
        f"stories/a-many.yaml:{at(many, '0', after='situation:')}: target_seconds of step 'situation' must be "
        "between 1 and 600, not 0",
        f"stories/a-many.yaml:{at(many, 'handed off', after='quote: handed')}: quote 'handed off' does not "
        "occur in the text of weak_answer; copy the words from there (case and punctuation may differ)",
        f"stories/a-many.yaml:{at(many, 'F', after='answer: F')}: answer 'F' is not among the options A–D "
        "(give the letter of the right option)",
        f"stories/b-syntax.yaml:{at(syntax, TAB)}: tab character in indentation: YAML indents with spaces only",
        "stories/c-empty.yaml:1:1: file is empty: a scenario needs at least id, lp, title and steps",
        # A copy of a story: its clash with the original is found alongside its own mistakes.
        "stories/e-dup.yaml:2:5: scenario id 'ownership-webhook-drop' is already used at "
        "stories/d-original.yaml:2:5; give this story an id of its own (review history is kept by id)",
        f"stories/e-dup.yaml:{at(dup, 'coachng')}: unknown key 'coachng' in step 'result'; did you mean "
        "'coaching'?",
    ]
    for name, content in files.items():
        Path(name).parent.mkdir(exist_ok=True)
        Path(name).write_text(content, encoding="utf-8")
    for command in ("validate", "cards"):
        result = srs(command, "--no-builtin", "stories")  # a folder: its *.yaml and *.yml files
        assert result.exit_code == 1
        assert result.stdout == ""  # nothing but the problems: no cards, no summary
        assert result.stderr.splitlines() == [*expected, errors(len(expected))]
    # With its own id, the copy is a story of its own.
    Path("stories/e-dup.yaml").write_text(edit(seed_text, "id: ownership-webhook-drop", "id: ownership-copy"),
                                          encoding="utf-8")
    for name in ("a-many", "b-syntax", "c-empty"):
        Path(f"stories/{name}.yaml").unlink()
    result = srs("validate", "--no-builtin", "stories")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("OK: 2 scenarios, 116 cards ")


def test_missing_path(srs, here):
    result = srs("validate", "--no-builtin", "no-such-folder")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["no-such-folder: no such file or folder", errors(1)]


# --- alias bombs ---------------------------------------------------------------------------------

def billion_laughs(depth: int = 9, width: int = 9) -> str:
    """Anchors that would expand to ``width ** depth`` strings (10^9 for the defaults)."""
    lines = [f"x-lol0: &lol0 [{', '.join(['lol'] * width)}]"]
    lines += [f"x-lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * width)}]" for i in range(1, depth)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("where", ["x-key", "tags", "key_phrases"])
def test_alias_bomb_is_refused_without_expanding_it(srs, here, seed_text, where):
    bomb = billion_laughs()
    if where == "x-key":
        text = edit(seed_text, "tags:", bomb + "tags:")
    elif where == "tags":
        text = edit(seed_text, "tags: [payments, webhooks, cross-team]", bomb + "tags: [*lol8, *lol8]")
    else:
        text = edit(seed_text, "tags:", bomb + "tags:")
        text = edit(text, 'key_phrases: ["I noticed", "not on my sprint", "no alert", "no ticket"]',
                    "key_phrases: *lol8")
    result = srs("validate", "--no-builtin", _write("bomb.yaml", text))
    assert result.exit_code == 1
    [message, summary] = result.stderr.splitlines()
    assert message.startswith("bomb.yaml:")
    assert message.endswith(f": the anchors and aliases here expand the document past {MAX_NODES:,} values "
                            "(an alias bomb?); refusing to read it")
    line = int(message.split(":")[1])
    assert "lol" in text.splitlines()[line - 1]  # it points into the anchors, not at the document
    assert summary == errors(1)


def test_alias_bomb_parse_uses_bounded_memory(here, seed_text):
    """A billion strings would need gigabytes; refusing it must stay within a few megabytes."""
    path = Path(_write("bomb.yaml", edit(seed_text, "tags:", billion_laughs() + "tags:")))
    tracemalloc.start()
    try:
        node, problems = yamlfile.read(path, "bomb.yaml")
        scenario, problems = parse(node, "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert scenario is None and len(problems) == 1
    assert peak < 20 * 2**20


def test_anchors_and_aliases_within_reason_are_fine(srs, here, seed_text):
    text = edit(seed_text, "    options: [Bias for Action, Ownership, Deliver Results, Customer Obsession]",
                "    options: &four [Bias for Action, Ownership, Deliver Results, Customer Obsession]")
    text = edit(text, "    options: [Bias for Action, Invent and Simplify, Deliver Results, Ownership]\n"
                      "    answer: D", "    options: *four\n    answer: B")
    result = srs("validate", "--no-builtin", _write("story.yaml", text))
    assert result.exit_code == 0, result.output


def _write(name: str, text: str) -> str:
    Path(name).write_text(text, encoding="utf-8")
    return name


# --- the real command ----------------------------------------------------------------------------

def test_installed_command_reports_bad_input_without_a_traceback(tmp_path, seed_text):
    (tmp_path / "story.yaml").write_text(edit(seed_text, "level: SDE2", "level: SDE-2"), encoding="utf-8")
    srs_bin = Path(sys.executable).with_name("srs")
    run = subprocess.run([str(srs_bin), "validate", "--no-builtin", "story.yaml"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr.splitlines() == ["story.yaml:9:8: unknown level 'SDE-2'; did you mean 'SDE2'?", errors(1)]
