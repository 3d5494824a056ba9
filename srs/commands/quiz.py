"""``srs quiz``: test one story or one LP — N questions across easy, medium and hard, and a verdict.

Each answer is graded at once, with the solution and hint. A finished quiz is stored with its
time (``quizzes`` and ``quiz_answers``, one transaction): ``srs stats`` shows the history and
``srs drill --weak`` counts the misses against their cards' categories, while the cards' FSRS
schedules stay as they were. Quitting early stores nothing: a verdict on part of a test would
not mean what a verdict means, and an unfinished quiz should not leave half a record.
"""

from __future__ import annotations

import json
import shlex
import textwrap
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import click

from srs.commands.common import fail, home_option, load_deck, local_time, lp_option, now, open_synced, source_options
from srs.names import LABELS

if TYPE_CHECKING:
    from datetime import datetime

    from srs.commands.study import Input
    from srs.quiz import Answer, Question, Result
    from srs.scenario import Scenario
    from srs.sources import Deck


@click.command()
@click.argument("scenario_id", required=False)
@lp_option
@click.option("-n", "count", type=click.IntRange(min=1), default=10, show_default=True, help="How many questions.")
@click.option("--seed", type=int, help="Draw and shuffle with this seed: the same seed gives the same quiz "
                                       "(default: a new one, shown so you can retake it).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the result as JSON on stdout (the questions and feedback go to stderr).")
@source_options
@home_option
def command(scenario_id: str | None, lp: str | None, count: int, seed: int | None, as_json: bool,
            sources: tuple[str, ...], no_builtin: bool, home: str | None) -> None:
    """Test a story (SCENARIO_ID) or every story of an LP (--lp): questions and a verdict.

    About 3 easy, 4 medium and 3 hard questions in 10: the stories' own multiple-choice
    questions, plus phrase → LP, step → speaking time and spot-the-disqualifier questions made
    from their cards. Answer with an option letter; q quits (and stores nothing). With standard
    input not a terminal, give one letter per line. The verdict: strong at 80% or more with
    every hard question right, weak below 50%, shaky in between.
    """
    import secrets

    from srs import quiz
    from srs.commands.study import Input, say, wrapped

    if (scenario_id is None) == (lp is None):
        fail("Give a scenario id or --lp (one of them): e.g. `srs quiz ownership-webhook-drop` "
             "or `srs quiz --lp 'Dive Deep'`.")
    deck = load_deck(sources=sources, no_builtin=no_builtin)
    scope, scope_key, title = _scope(deck, scenario_id, lp)
    if seed is None:
        seed = secrets.randbelow(1_000_000)  # short enough to retype
    questions = quiz.build(scope, deck.scenarios, deck.cards, count, seed)
    store, _ = open_synced(home, sources, no_builtin, deck)  # synced, so every question's card key is in the store
    out = partial(say, err=as_json)
    retake = ("srs quiz " + (scenario_id or f"--lp {shlex.quote(lp)}") + (f" -n {count}" if count != 10 else "")
              + f" --seed {seed}")
    with store:
        mix = " · ".join(f"{n} {d}" for d, n in _mix(questions).items())
        out(wrapped(f"Quiz: {title}: {len(questions)} questions ({mix}), seed {seed}."), bold=True)
        if len(questions) < count:
            out(f"Only {len(questions)} questions can be made from {'this story' if scenario_id else 'these stories'}.",
                fg="yellow")
        answers = _ask_all(questions, Input(err=as_json), out)
        if len(answers) < len(questions):
            out()
            out(f"Stopped after {len(answers)} of {len(questions)} questions: nothing was stored "
                "(a quiz counts only when finished).", fg="yellow")
            if as_json:
                click.echo(json.dumps({"complete": False, "scope": scope_key, "seed": seed,
                                       "answered": len(answers), "total": len(questions),
                                       "questions": [_answer_json(i, a) for i, a in enumerate(answers, 1)]},
                                      indent=2, ensure_ascii=False))
            return
        result = quiz.Result(tuple(answers))
        moment = now()
        quiz_id = store.add_quiz(scope_key, moment, seed, result)
    _summary(result, out)
    out(f"Saved as quiz {quiz_id} ({local_time(moment)}).", dim=True)
    out(f"Retake the same questions: {retake}", dim=True)
    if as_json:
        click.echo(json.dumps(_result_json(result, quiz_id, scope_key, moment, seed), indent=2, ensure_ascii=False))


def _scope(deck: Deck, scenario_id: str | None, lp: str | None) -> tuple[list[Scenario], str, str]:
    """The scenarios quizzed, the scope as stored ('scenario:<id>' or 'lp:<LP>'), and a title."""
    if lp is not None:
        scope = [s for s in deck.scenarios if s.lp == lp]
        if not scope:
            fail(f"No story is filed under {lp}; write one (see `srs validate`) or pick another LP.")
        return scope, f"lp:{lp}", f"{lp} ({len(scope)} stor{'ies' if len(scope) > 1 else 'y'})"
    found = [s for s in deck.scenarios if s.id == scenario_id]
    if not found:
        from srs.names import nearest

        hint = nearest(scenario_id, [s.id for s in deck.scenarios])
        fail(f"Unknown scenario {scenario_id!r}" + (f"; did you mean '{hint}'?" if hint else
                                                     "; `srs cards` lists the scenarios and their cards."))
    story = found[0]
    return found, f"scenario:{story.id}", f"“{story.title}” ({story.lp})"


def _mix(questions: list[Question]) -> dict[str, int]:
    from srs.names import DIFFICULTIES

    return {d: n for d in DIFFICULTIES if (n := sum(q.difficulty == d for q in questions))}


def _ask_all(questions: list[Question], keys: Input, out: Callable[..., None]) -> list[Answer]:
    """Ask each question and grade it at once; stops early (shorter list) when the user quits."""
    from srs.commands.study import wrapped
    from srs.quiz import Answer

    answers = []
    for position, q in enumerate(questions, 1):
        out()
        out(f"[{position}/{len(questions)}] {q.difficulty} · {q.kind}", fg="cyan")
        out(wrapped(q.prompt), dim=True)
        out(wrapped(q.front), bold=True)
        for label, option in zip(LABELS, q.options):
            out(wrapped(option, f"  {label}. "))
        labels = LABELS[: len(q.options)].lower()
        while True:
            key = keys.read(f"Your answer ({labels[0].upper()}–{labels[-1].upper()}), q to quit")
            if key == "q":
                return answers
            if len(key) == 1 and key in labels:
                break
            out(f"Answer with a letter {labels[0].upper()}–{labels[-1].upper()}, or q to quit.", fg="yellow")
        answer = Answer(q, labels.index(key))
        answers.append(answer)
        right = f"{LABELS[q.answer]}. {q.options[q.answer]}"
        if answer.correct:
            out(wrapped(f"✓ Correct: {right}"), fg="green", bold=True)
        else:
            out(wrapped(f"✗ You chose {LABELS[answer.chosen]}; the answer is {right}"), fg="red", bold=True)
        for line in q.solution:
            out(wrapped(line, "  • "))
        if q.hint:
            out(wrapped(f"Hint: {q.hint}", hang="  "), dim=True)
    return answers


def _summary(result: Result, out: Callable[..., None]) -> None:
    from srs.commands.study import wrapped

    parts = " · ".join(f"{d} {right}/{asked}" for d, (right, asked) in result.by_difficulty().items())
    colour = {"strong": "green", "shaky": "yellow", "weak": "red"}[result.verdict]
    out()
    out(f"Score: {result.correct}/{result.total} ({result.share:.0%}): {parts}", bold=True)
    out(wrapped(f"Verdict: {result.verdict.upper()}: {result.reason()}", hang="  "), fg=colour, bold=True)
    if result.missed:
        out("Missed:")
        for position, answer in enumerate(result.answers, 1):
            if answer.correct:
                continue
            q = answer.question
            label = f"  {position}. [{q.difficulty} {q.kind}] "
            out(label + textwrap.shorten(q.front, max(80 - len(label), 30), placeholder="…"))
            out(wrapped(f"you chose {LABELS[answer.chosen]}. {q.options[answer.chosen]}; "
                        f"the answer is {LABELS[q.answer]}. {q.options[q.answer]}", "     "))
        # a command on a line of its own: wrapped, it could not be copied whole
        out(f"Next: {result.suggestion()}")
        out("  or `srs drill --weak`, which counts these misses.")


def _answer_json(position: int, answer: Answer) -> dict:
    return {"position": position, **answer.question.to_json(), "chosen": LABELS[answer.chosen],
            "correct": answer.correct}


def _result_json(result: Result, quiz_id: int, scope: str, moment: datetime, seed: int) -> dict:
    return {"complete": True, "quiz_id": quiz_id, "scope": scope, "taken_at": moment.isoformat(), "seed": seed,
            "correct": result.correct, "total": result.total, "score": round(result.share, 4),
            "by_difficulty": {d: {"correct": right, "total": asked}
                              for d, (right, asked) in result.by_difficulty().items()},
            "verdict": result.verdict, "reason": result.reason(),
            "missed": [position for position, a in enumerate(result.answers, 1) if not a.correct],
            "suggestion": result.suggestion(),
            "questions": [_answer_json(position, a) for position, a in enumerate(result.answers, 1)]}
