"""Charts drawn with text: bars, a calendar heatmap and a column chart, for an 80-column terminal.

Every chart is plain Unicode (block and shade characters), no colour and no escape codes, so
it reads the same with ``NO_COLOR``, in a pipe and in a log file; shading carries the values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

_EIGHTHS_ACROSS = " ▏▎▍▌▋▊▉"
_EIGHTHS_UP = " ▁▂▃▄▅▆▇█"
SHADES = "·░▒▓█"  # no answers, then four levels of more
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def bar(fraction: float, width: int) -> str:
    """A horizontal bar ``width`` characters wide (padded), full at 1, to an eighth of a character."""
    units = round(min(max(fraction, 0.0), 1.0) * width * 8)
    full, part = divmod(units, 8)
    return ("█" * full + (_EIGHTHS_ACROSS[part] if part else "")).ljust(width)


def truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def hbars(rows: Sequence[tuple[str, int]], width: int) -> list[str]:
    """One line per (label, count): the label, a bar scaled to the largest count, the count."""
    if not rows:
        return []
    label_width = min(max(len(label) for label, _ in rows), width // 3)
    number_width = max(len(str(count)) for _, count in rows)
    bar_width = width - label_width - number_width - 4
    top = max(count for _, count in rows) or 1
    return [f"  {truncate(label, label_width):<{label_width}} {bar(count / top, bar_width)} {count:>{number_width}}"
            for label, count in rows]


def shade_level(count: int, top: int) -> int:
    """0 for no answers; else 1–4, each a quarter of the busiest day."""
    return 0 if count <= 0 else min(4, math.ceil(4 * count / top))


def shade_ranges(top: int) -> list[tuple[int, int, int]]:
    """(level, lowest, highest count) of each shade level that some count can reach."""
    out = []
    for level in range(1, 5):
        low, high = (level - 1) * top // 4 + 1, level * top // 4
        if low <= high:
            out.append((level, low, high))
    return out


def heatmap_weeks(per_day: Mapping[date, int], today: date, most: int = 26, least: int = 12) -> int:
    """How many weeks the heatmap shows: back to the first answer, within [least, most]."""
    first = min(per_day, default=today)
    return max(least, min(most, (today - first).days // 7 + 2))


def month_labels(first: date, weeks: int) -> list[tuple[int, str]]:
    """(week column, month) over a heatmap whose first column is the week of Monday ``first``: each
    column in which a month starts, and the first column's own month unless the second column
    starts one (a label is wider than a column, so the two would run into each other)."""
    mondays = [first + timedelta(weeks=week) for week in range(weeks)]
    starts = [week for week in range(1, weeks) if mondays[week].month != mondays[week - 1].month]
    return [(week, mondays[week].strftime("%b")) for week in ([] if 1 in starts else [0]) + starts]


def heatmap(per_day: Mapping[date, int], today: date, weeks: int) -> list[str]:
    """Answers per day for the last ``weeks`` weeks: a column per week (Monday on top), a row per weekday.

    Width: 5 + 2 × ``weeks`` characters (26 weeks fit in 57).
    """
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    top = max((n for day, n in per_day.items() if first <= day <= today), default=0)
    months = [" "] * (2 * weeks + 1)
    for week, label in month_labels(first, weeks):
        months[2 * week: 2 * week + len(label)] = label
    lines = ["     " + "".join(months).rstrip()]
    for weekday, name in enumerate(WEEKDAYS):
        cells = []
        for week in range(weeks):
            day = first + timedelta(weeks=week, days=weekday)
            cells.append(" " if day > today else SHADES[shade_level(per_day.get(day, 0), top)])
        lines.append(f"{name}  " + " ".join(cells).rstrip())
    legend = "   ".join([f"{SHADES[0]} none"] + [f"{SHADES[level]} {low}" + (f"–{high}" if high > low else "")
                                                    for level, low, high in shade_ranges(top)])
    lines.append("     " + legend)
    return lines


def columns(values: Sequence[int], start: date, height: int = 8) -> list[str]:
    """A column chart of one value per day from ``start``, ``height`` rows tall, dates every week below.

    Width: the largest value's digits + 2 + 2 × the number of values (30 days fit in 80).
    """
    top = max(values, default=0)
    scale = top or 1
    units = [0 if v <= 0 else max(1, round(v / scale * height * 8)) for v in values]
    gutter = len(str(top))
    lines = []
    for row in range(height):
        floor = (height - 1 - row) * 8
        cells = " ".join(_EIGHTHS_UP[min(max(u - floor, 0), 8)] for u in units)
        label = str(top) if row == 0 else ""
        lines.append(f"{label:>{gutter}} ┤{cells}".rstrip())
    lines.append(f"{'0':>{gutter}} └" + "─" * (2 * len(values)))
    marks = [" "] * (2 * len(values) + 6)
    for i in range(0, len(values), 7):
        label = (start + timedelta(days=i)).strftime("%d %b").lstrip("0")
        marks[2 * i: 2 * i + len(label)] = label
    lines.append(" " * (gutter + 2) + "".join(marks).rstrip())
    return lines
