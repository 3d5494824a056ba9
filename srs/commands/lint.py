"""``srs lint``: coach a candidate's own stories, one finding per line with the reason for it."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from srs.commands.common import fail, report, source_options
from srs.names import counted

if TYPE_CHECKING:
    from srs.lint import Finding


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@source_options
@click.option("--strict", is_flag=True, help="Exit 1 if there is any finding (for CI and pre-commit).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of finding objects, for editors.")
def command(paths: tuple[str, ...], sources: tuple[str, ...], no_builtin: bool, strict: bool, as_json: bool) -> None:
    """Check stories in PATHS (or the configured sources) against the interview coaching.

    Each finding is one line, PATH:LINE:COL: RULE: MESSAGE (WHY). Drafts need only id, lp,
    title and the four STAR steps' examples. To silence a finding, justify it in the story:

    \b
        x-lint-ignore:
          - {rule: action-we, step: action, quote: "Together with", why: "..."}

    Exit status: 0 (even with findings), 1 with --strict and any finding, 2 if a file cannot be read.
    """
    from srs import yamlfile
    from srs.lint import lint
    from srs.scenario import parse
    from srs.sources import find_files, source_roots

    roots = list(paths) if paths else source_roots(sources, no_builtin)
    files, problems = find_files(roots)
    findings = []
    scenarios = ignored = 0
    for path in files:
        node, found = yamlfile.read(path, str(path))
        problems += found
        if node is None:
            continue
        scenario, found = parse(node, str(path), lenient=True)
        problems += found
        if scenario is None:
            continue
        kept, skipped = lint(scenario)
        findings += kept
        scenarios += 1
        ignored += skipped

    if as_json:
        click.echo(json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            click.echo(str(finding))
    report(problems)
    errors = [p for p in problems if not p.warning]
    if errors:
        fail(f"{counted(len(errors), 'error')} in the files; fix them and lint again.", 2)
    click.echo(_summary(findings, scenarios, ignored), err=True)
    if strict and findings:
        sys.exit(1)


def _summary(findings: list[Finding], scenarios: int, ignored: int) -> str:
    """``3 findings in 1 of 4 scenarios; 2 ignored by x-lint-ignore``."""
    if findings:
        flagged = len({f.path for f in findings})
        head = f"{counted(len(findings), 'finding')} in {flagged} of {counted(scenarios, 'scenario')}"
    else:
        head = f"OK: {counted(scenarios, 'scenario')}, no findings"
    return head + (f"; {ignored} ignored by x-lint-ignore" if ignored else "")
