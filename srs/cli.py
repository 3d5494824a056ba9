"""The ``srs`` command: a thin click group that imports each command only when it runs.

Startup time matters for a command run every day, so the group knows its commands by
module path and short help, and imports nothing heavy until one is chosen.
"""

from __future__ import annotations

import importlib

import click

# name → (module defining ``command``, one-line help for ``srs --help``)
COMMANDS: dict[str, tuple[str, str]] = {
    "review": ("srs.commands.review", "Review the cards due today."),
    "due": ("srs.commands.due", "Count the cards due now, later today and tomorrow."),
    "drill": ("srs.commands.drill", "Practise your weakest categories or a chosen selection."),
    "quiz": ("srs.commands.quiz", "Test a story or an LP: 10 questions and a verdict."),
    "stats": ("srs.commands.stats", "Progress: states, heatmap, forecast, retention, weak spots."),
    "show": ("srs.commands.show", "One card: its content, FSRS state and review log."),
    "unsuspend": ("srs.commands.unsuspend", "Bring back a suspended (leech) card."),
    "lint": ("srs.commands.lint", "Coach your own stories: findings with the reason for each."),
    "rehearse": ("srs.commands.rehearse", "Tell a story out loud against the clock."),
    "validate": ("srs.commands.validate", "Check scenario files and report every problem."),
    "cards": ("srs.commands.cards", "List the cards compiled from the scenarios."),
    "export": ("srs.commands.export", "Export cards (to Anki)."),
    "optimize": ("srs.commands.optimize", "Fit FSRS parameters to your own review history."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        import importlib.util

        return [name for name, (module, _) in COMMANDS.items() if importlib.util.find_spec(module)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, _ = COMMANDS[name]
        return importlib.import_module(module).command

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; a store that turns out unusable midway is a clear error, not a traceback."""
        try:
            return super().invoke(ctx)
        except Exception as err:
            from srs.store import StoreError  # already loaded if ``err`` is one

            if not isinstance(err, StoreError):
                raise
            click.echo(str(err), err=True)
            ctx.exit(1)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lp-srs", prog_name="srs")
def main() -> None:
    """Spaced repetition for Amazon Leadership Principles interviews.

    Scenarios written in YAML become flashcards, scheduled with FSRS. Start with
    `srs review`; write your own stories and check them with `srs validate` and `srs lint`.
    """
