"""``srs stats --html``: the figures as one self-contained page, charts drawn as inline SVG.

The page loads nothing (no script, font, image or stylesheet from anywhere), so it opens the same
offline, from a mail attachment or years later. Every piece of text in it, card fronts and quiz
scopes included, is escaped: those come from scenario files anyone may have written.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import timedelta

from srs.charts import WEEKDAYS, heatmap_weeks, month_labels, shade_level, shade_ranges
from srs.names import counted
from srs.stats import CARD_STATES, Retention, Stats

SHADE_COLOURS = ("#e6e9ee", "#b7e4c0", "#6cc784", "#2f9e55", "#17693a")
STATE_COLOURS = {"new": "#9aa5b4", "learning": "#e3a33b", "review": "#2f9e55", "relearning": "#d9642b",
                 "suspended": "#7c6fcf", "leech": "#c0392b", "retired": "#c8ccd2"}
CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2430; background: #f6f7f9;
       margin: 0; padding: 24px; }
main { max-width: 920px; margin: 0 auto; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 12px; }
section { background: #fff; border-radius: 10px; padding: 18px 20px; margin: 16px 0;
          box-shadow: 0 1px 3px rgba(0, 0, 0, .08); }
.muted { color: #677180; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 16px; }
.tile { background: #fff; border-radius: 10px; padding: 12px 16px; min-width: 130px; flex: 1;
        box-shadow: 0 1px 3px rgba(0, 0, 0, .08); }
.tile b { display: block; font-size: 24px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px 4px 0; vertical-align: middle; }
th { font-weight: 600; color: #677180; font-size: 13px; border-bottom: 1px solid #e3e6ea; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
@media (max-width: 760px) { .grid { grid-template-columns: 1fr; } }
svg text { font: 11px system-ui, sans-serif; fill: #677180; }
ol li { margin-bottom: 6px; }
code { font-size: 13px; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def page(stats: Stats) -> str:
    """The whole HTML document."""
    overall = stats.overall
    weeks = heatmap_weeks(stats.per_day, stats.today)
    tiles = [("Streak", counted(stats.streak, "day")),
             ("Reviewed today", stats.reviews_today),
             ("True retention", _percent(overall.rate)),
             ("Mean recall now", _percent(overall.recall)),
             ("Due today", stats.forecast[0])]
    body = [
        "<h1>LP interview practice: progress</h1>",
        f'<p class="muted">{_e(stats.at.astimezone().strftime("%A %d %B %Y, %H:%M"))} · '
        f"{sum(stats.per_day.values())} answers in all</p>",
        '<div class="tiles">' + "".join(f'<div class="tile"><span class="muted">{_e(k)}</span><b>{_e(v)}</b></div>'
                                        for k, v in tiles) + "</div>",
        _section("Answers per day", _heatmap(stats, weeks),
                 f"The last {weeks} weeks; a day starts at the rollover hour."),
        '<div class="grid">',
        _section("Due in the next 30 days", _forecast(stats), "Today's column includes overdue cards."),
        _section("Cards by state", _states(stats)),
        "</div>",
        _section("By Leadership Principle", _retention_table(stats.by_lp, "Leadership Principle"),
                 "True retention: answers passed on cards in review state. Recall: FSRS's prediction now."),
        _section("By kind of card", _retention_table(stats.by_kind, "Kind")),
        _section("Weakest categories", _weakest(stats)),
        _section("Leeches", _leeches(stats)),
        _section("Quizzes", _quizzes(stats)),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            f"<title>lp-srs progress {_e(stats.today.isoformat())}</title>\n<style>{CSS}</style>\n</head>\n"
            "<body><main>\n" + "\n".join(body) + "\n</main></body>\n</html>\n")


def _section(title: str, content: str, note: str = "") -> str:
    note_html = f'<p class="muted">{_e(note)}</p>' if note else ""
    return f"<section><h2>{_e(title)}</h2>{content}{note_html}</section>"


def _svg(width: int, height: int, label: str, parts: Sequence[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(label)}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">' + "".join(parts) + "</svg>")


def _heatmap(stats: Stats, weeks: int) -> str:
    cell, gap, left, top_margin = 15, 3, 32, 18
    first = stats.today - timedelta(days=stats.today.weekday(), weeks=weeks - 1)
    top = max((n for day, n in stats.per_day.items() if first <= day <= stats.today), default=0)
    parts = [f'<text x="{left + week * (cell + gap)}" y="12">{_e(label)}</text>'
             for week, label in month_labels(first, weeks)]
    for week in range(weeks):
        monday = first + timedelta(weeks=week)
        x = left + week * (cell + gap)
        for weekday in range(7):
            day = monday + timedelta(days=weekday)
            if day > stats.today:
                continue
            count = stats.per_day.get(day, 0)
            parts.append(f'<rect x="{x}" y="{top_margin + weekday * (cell + gap)}" width="{cell}" height="{cell}" '
                         f'rx="2" fill="{SHADE_COLOURS[shade_level(count, top)]}">'
                         f'<title>{_e(day.strftime("%a %d %b %Y"))}: {counted(count, "answer")}</title>'
                         "</rect>")
    for weekday in (0, 2, 4, 6):
        parts.append(f'<text x="0" y="{top_margin + weekday * (cell + gap) + 11}">{WEEKDAYS[weekday]}</text>')
    legend_y = top_margin + 7 * (cell + gap) + 8
    x = left
    for level, label in [(0, "none")] + [(lvl, f"{lo}" + (f"–{hi}" if hi > lo else ""))
                                          for lvl, lo, hi in shade_ranges(top)]:
        parts.append(f'<rect x="{x}" y="{legend_y}" width="{cell}" height="{cell}" rx="2" '
                     f'fill="{SHADE_COLOURS[level]}"/><text x="{x + cell + 4}" y="{legend_y + 10}">{_e(label)}</text>')
        x += cell + 12 + 7 * len(label)
    width = max(left + weeks * (cell + gap), x)  # the legend may be the wider part
    return _svg(width, legend_y + cell + 2, "Answers per day, last weeks", parts)


def _forecast(stats: Stats) -> str:
    width, height, left, right, bottom = 420, 190, 30, 30, 34
    plot = height - bottom - 10
    top = max(stats.forecast, default=0) or 1
    step = (width - left - right) / len(stats.forecast)
    parts = [f'<line x1="{left}" y1="{10 + plot}" x2="{width - right}" y2="{10 + plot}" stroke="#c8ccd2"/>',
             f'<text x="0" y="18">{max(stats.forecast, default=0)}</text>', f'<text x="0" y="{10 + plot}">0</text>']
    for i, due in enumerate(stats.forecast):
        day = stats.today + timedelta(days=i)
        h = plot * due / top
        x = left + i * step + 1
        parts.append(f'<rect x="{x:.1f}" y="{10 + plot - h:.1f}" width="{step - 2:.1f}" height="{h:.1f}" '
                     f'fill="{"#d9642b" if i == 0 else "#3b7dd8"}"><title>{_e(day.strftime("%a %d %b"))}: '
                     f"{due} due</title></rect>")
        if i % 7 == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 14}">{_e(day.strftime("%d %b").lstrip("0"))}</text>')
    return _svg(width, height, "Cards due per day, next 30 days", parts)


def _states(stats: Stats) -> str:
    width, row, label_width = 400, 24, 90
    top = max(stats.states.values(), default=0) or 1
    parts = []
    for i, state in enumerate(CARD_STATES):
        count = stats.states[state]
        y = i * row
        w = (width - label_width - 50) * count / top
        parts.append(f'<text x="0" y="{y + 15}">{_e(state)}</text>'
                     f'<rect x="{label_width}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" rx="2" '
                     f'fill="{STATE_COLOURS[state]}"/>'
                     f'<text x="{label_width + w + 6:.1f}" y="{y + 15}">{count}</text>')
    return _svg(width, row * len(CARD_STATES), "Cards by state", parts)


def _meter(value: float | None) -> str:
    if value is None:
        return '<span class="muted">–</span>'
    colour = "#2f9e55" if value >= 0.85 else "#e3a33b" if value >= 0.7 else "#c0392b"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="12" viewBox="0 0 120 12" role="img" '
            f'aria-label="{value:.0%}"><rect width="120" height="12" rx="2" fill="#e6e9ee"/>'
            f'<rect width="{120 * value:.1f}" height="12" rx="2" fill="{colour}"/></svg> {value:.0%}')


def _retention_table(groups: Sequence[Retention], title: str) -> str:
    if not groups:
        return '<p class="muted">No cards yet.</p>'
    rows = "".join(f"<tr><td>{_e(g.name)}</td><td class=\"n\">{g.reviews}</td><td>{_meter(g.rate)}</td>"
                   f"<td class=\"n\">{g.cards}</td><td>{_meter(g.recall)}</td></tr>" for g in groups)
    return (f"<table><tr><th>{_e(title)}</th><th>Reviews</th><th>True retention</th><th>Cards seen</th>"
            f"<th>Recall now</th></tr>{rows}</table>")


def _weakest(stats: Stats) -> str:
    if not stats.weakest:
        return '<p class="muted">Not enough answers yet to judge any category.</p>'
    items = "".join(f"<li><b>{_e(e.category)}</b> — score {e.score_text()}{' (weak)' if e.weak else ''}<br>"
                    f'<span class="muted">{_e(e.why())}</span></li>' for e in stats.weakest)
    return f"<ol>{items}</ol><p class=\"muted\">Drill them with <code>srs drill --weak</code>.</p>"


def _leeches(stats: Stats) -> str:
    if not stats.leeches:
        return '<p class="muted">None.</p>'
    rows = "".join(f"<tr><td><code>{_e(l.key)}</code></td><td>{_e(l.front)}</td><td class=\"n\">{l.lapses}</td></tr>"
                   for l in stats.leeches)
    return f"<table><tr><th>Card</th><th>Front</th><th>Lapses</th></tr>{rows}</table>"


def _quizzes(stats: Stats) -> str:
    if not stats.quizzes:
        return '<p class="muted">No quizzes taken yet (<code>srs quiz</code>).</p>'
    rows = []
    for scope in stats.quizzes:
        last = scope.attempts[-1]
        history = " → ".join(f"{a.correct}/{a.total}" for a in scope.attempts)
        rows.append(f"<tr><td>{_e(scope.scope)}</td><td>{_e(last.taken_at.astimezone().strftime('%d %b %Y'))}</td>"
                    f"<td>{_meter(last.correct / last.total if last.total else None)}</td>"
                    f"<td>{_e(last.verdict)}</td><td>{_e(history)}</td></tr>")
    return ("<table><tr><th>Scope</th><th>Last taken</th><th>Last score</th><th>Verdict</th><th>All attempts</th></tr>"
            + "".join(rows) + "</table>")
