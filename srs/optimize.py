"""Personal FSRS parameters: the review log as fsrs-rs training items, fitting, evaluation.

The fitting engine is fsrs-rs, the Rust FSRS that Anki embeds, through its Python binding
``fsrs-rs-python`` (an optional extra: py-fsrs's own optimizer needs PyTorch). fsrs-rs-python
0.9 fits FSRS-6, the 21 parameters py-fsrs 6 schedules with; an engine fitting an older FSRS
is converted the way fsrs-rs converts (FSRS-5 is FSRS-6 with w19 = 0 and decay w20 = 0.5), and
anything py-fsrs would not accept is refused.

How the log becomes training items (what fsrs-rs's trainer expects, and what Anki does):

- Cram ratings are left out: they leave the schedule alone, so they are no part of the memory
  history the scheduler sees. Review and drill ratings count.
- A card's history starts at its rating as a new card (``state_before`` NULL). A card whose first
  rating is not in the log (its history came from elsewhere) is skipped: FSRS replays a card
  from its first rating or not at all.
- Time is counted in review days, which roll over at ``rollover_hour`` local time: a rating at
  1 am belongs to the evening before. The first rating has delta_t 0, and so does a rating on
  the same review day as the card's previous one.
- Each rating on a later review day than the card's previous one is one item: the card's history
  up to and including it. FSRS predicts that last rating (recalled or not) from what came before.
  Same-day ratings stay in the history, where they shape short-term stability, but are not
  predicted themselves. Items are in the order of the rating they predict, because fsrs-rs
  weighs later items more (recent reviews describe the learner better).

How much history fsrs-rs needs (``compute_parameters`` in fsrs-rs 6): it first drops rare first
intervals as outliers (per first rating, the rarest groups up to at least 20 items, and groups of
fewer than 6), then with fewer than 8 items left returns the defaults unchanged; with fewer than
64, or when no card has a second review on a later day, it fits only the four initial
stabilities; otherwise all 21 parameters. ``srs optimize`` fits only in that last case, so what
it saves is a model of the user, never the defaults relabelled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING, Any

from srs.config import Settings
from srs.schedule import ReviewDay
from srs.store import Review, parse_stamp

if TYPE_CHECKING:
    import fsrs_rs_python

MIN_ITEMS = 64  # fsrs-rs fits all parameters from this many usable items
RETENTIONS = (0.70, 0.80, 0.85, 0.90, 0.95)  # the workload table of `srs optimize --retention`
SIMULATED_DAYS = 365
SIMULATION_SEED = 42


class OptimizeError(Exception):
    """Optimizing cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Item:
    """One training item: a card's history up to a rating on a later review day than the one before.

    ``reviews`` holds (rating, review days since the card's previous rating); the first has 0.
    """

    card_id: int
    reviews: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Evaluation:
    """How well parameters predict the history: log loss, and RMSE over retrievability bins (0–1)."""

    log_loss: float
    rmse_bins: float


@dataclass(frozen=True)
class Outcome:
    """What fitting on the history gave; ``parameters`` is None when the history is too short."""

    items: int  # training items in the log
    usable: int  # left after fsrs-rs's outlier filter
    repeated: int  # usable items beyond a card's first review on a later day
    current: Evaluation | None  # the parameters in use; None with no items at all
    parameters: tuple[float, ...] | None
    fitted: Evaluation | None

    @property
    def more_needed(self) -> int:
        """How many more usable items fsrs-rs needs for a full fit (0: enough)."""
        return max(MIN_ITEMS - self.usable, 0)

    @property
    def improved(self) -> bool:
        """The fitted parameters predict the history better (lower log loss) than the current ones."""
        return self.fitted is not None and self.current is not None and self.fitted.log_loss < self.current.log_loss


@dataclass(frozen=True)
class Workload:
    """A simulated year at one desired retention."""

    retention: float
    minutes_per_day: float
    remembered: float  # cards expected to be recalled on the last day


def engine() -> ModuleType:
    """The fsrs-rs binding, or an OptimizeError saying how to install it."""
    try:
        import fsrs_rs_python
    except ImportError:
        raise OptimizeError("`srs optimize` needs the fsrs-rs engine, an optional extra: "
                            "pip install 'lp-srs[optimize]'") from None
    return fsrs_rs_python


def training_items(reviews: Iterable[Review], rollover_hour: int) -> list[Item]:
    """The review log as fsrs-rs training items (see the module docstring for the rules)."""
    histories: dict[int, list[tuple[int, int]]] = {}
    last_day: dict[int, date] = {}
    items: list[Item] = []
    for review in sorted(reviews, key=lambda r: (r.reviewed_at, r.id)):
        if review.mode == "cram":
            continue
        card = review.card_id
        if review.state_before is None:
            histories[card] = []
        elif card not in histories:
            continue  # the card's first rating is not in the log
        day = ReviewDay.of(parse_stamp(review.reviewed_at), rollover_hour).local_date
        history = histories[card]
        delta = (day - last_day[card]).days if history else 0
        history.append((review.rating, delta))
        last_day[card] = day
        if delta > 0:
            items.append(Item(card, tuple(history)))
    return items


def optimize(items: Sequence[Item], current: Sequence[float], relearning_steps: int) -> Outcome:
    """Fit parameters to ``items`` and evaluate them and the ``current`` ones on the same items."""
    rs = engine()
    converted = [rs.FSRSItem([rs.FSRSReview(rating, delta) for rating, delta in item.reviews]) for item in items]
    # fsrs-rs's own outlier filter, as compute_parameters applies it: what is left is what it trains on
    first = [item for item in converted if item.long_term_review_cnt() == 1]
    _, usable = rs.filter_outlier(first, converted)
    repeated = sum(item.long_term_review_cnt() > 1 for item in usable)
    now = _evaluate(rs, converted, current) if converted else None
    if len(usable) < MIN_ITEMS or not repeated:
        return Outcome(len(items), len(usable), repeated, now, None, None)
    raw = rs.FSRS(rs.DEFAULT_PARAMETERS).compute_parameters(
        converted, enable_short_term=True, num_relearning_steps=relearning_steps)
    parameters = as_fsrs6(raw)
    return Outcome(len(items), len(usable), repeated, now, parameters, _evaluate(rs, converted, parameters))


def _evaluate(rs: ModuleType, items: list[fsrs_rs_python.FSRSItem], parameters: Sequence[float]) -> Evaluation:
    try:
        result = rs.FSRS(list(parameters)).evaluate(items)
    except ValueError as err:
        raise OptimizeError(f"fsrs-rs cannot use the parameters {list(parameters)} ({err}); "
                            "`srs optimize --reset` returns to the defaults") from None
    return Evaluation(result.log_loss, result.rmse_bins)


def as_fsrs6(parameters: Sequence[float]) -> tuple[float, ...]:
    """fsrs-rs's parameters as the FSRS-6 parameters py-fsrs schedules with, to 4 places as Anki shows them.

    fsrs-rs works in 32-bit floats (0.212 comes back as 0.21199999749…); rounding keeps the saved
    values readable and, the bounds having at most 4 places, inside py-fsrs's bounds.
    """
    import fsrs

    try:
        full = engine().check_and_fill_parameters(list(parameters))
    except ValueError:
        full = list(parameters)
    rounded = tuple(round(value, 4) for value in full)
    try:
        fsrs.Scheduler(parameters=rounded)
    except ValueError as err:
        raise OptimizeError(f"fsrs-rs returned {len(full)} parameters that py-fsrs cannot schedule with "
                            f"({err}); upgrade the engine: pip install -U 'lp-srs[optimize]'") from None
    return rounded


def _simulator_config(settings: Settings, deck_size: int) -> Any:
    """fsrs-rs's simulator set up like this user: deck size, daily limits, steps, leech threshold."""
    config = engine().default_simulator_config()
    config.deck_size = deck_size
    config.learn_span = SIMULATED_DAYS
    config.learn_limit = settings.new_per_day
    config.review_limit = settings.reviews_per_day
    config.max_ivl = float(settings.maximum_interval)
    config.learning_step_count = len(settings.learning_steps)
    config.relearning_step_count = len(settings.relearning_steps)
    config.suspend_after_lapses = settings.leech_lapses
    return config


def retention_advice(parameters: Sequence[float], settings: Settings, deck_size: int) -> tuple[float, list[Workload]]:
    """fsrs-rs's recommended desired retention, and the simulated workload at a few retentions.

    The recommendation minimises study time per card remembered at the end of a simulated year;
    below it, forgotten cards cost more relearning than the longer intervals save.
    """
    if deck_size < 1 or settings.new_per_day < 1:
        raise OptimizeError("nothing to simulate: no active cards, or new_per_day is 0 in config.toml")
    rs = engine()
    config = _simulator_config(settings, deck_size)
    recommended = round(rs.optimal_retention(config, list(parameters)), 2)  # fsrs-rs answers in float32
    table = []
    for retention in RETENTIONS:
        result = rs.simulate(list(parameters), retention, config, SIMULATION_SEED)
        table.append(Workload(retention, sum(result.cost_per_day) / 60 / SIMULATED_DAYS,
                              result.memorized_cnt_per_day[-1]))
    return recommended, table
