"""Settings for scheduling and daily review, read from ``config.toml`` in the data home.

Every setting has the default Anki users expect; the file only needs the ones you change::

    [scheduler]
    desired_retention = 0.9
    learning_steps = ["1m", "10m"]
    relearning_steps = ["10m"]
    maximum_interval = 36500   # days
    enable_fuzzing = true

    [review]
    rollover_hour = 4          # the review day starts at 4 am local time
    new_per_day = 20
    reviews_per_day = 200
    leech_lapses = 8
    learn_ahead_minutes = 20
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace
from datetime import timedelta

from srs.names import nearest

CONFIG_FILE = "config.toml"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500
    enable_fuzzing: bool = True
    rollover_hour: int = 4
    new_per_day: int = 20
    reviews_per_day: int = 200
    leech_lapses: int = 8
    learn_ahead_minutes: int = 20


_SECTIONS = {
    "scheduler": ("desired_retention", "learning_steps", "relearning_steps", "maximum_interval", "enable_fuzzing"),
    "review": ("rollover_hour", "new_per_day", "reviews_per_day", "leech_lapses", "learn_ahead_minutes"),
}
_RANGES = {
    "desired_retention": (0.7, 0.99), "maximum_interval": (1, 36500), "rollover_hour": (0, 23),
    "new_per_day": (0, 9999), "reviews_per_day": (0, 99999), "leech_lapses": (1, 999),
    "learn_ahead_minutes": (0, 1440),
}
_DURATION = re.compile(r"(\d+)\s*([smhd])\Z")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def load(home: str | os.PathLike[str]) -> Settings:
    """The settings in ``home/config.toml``, or the defaults when there is no such file."""
    path = os.path.join(home, CONFIG_FILE)
    if not os.path.isfile(path):
        return Settings()
    import tomllib  # only when there is a file: keeps `srs due` quick

    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: {err}") from None

    def error(message: str, *name: str) -> ConfigError:
        line = _line(text, ".".join(name))
        return ConfigError(f"{path}{f':{line}' if line else ''}: {message}")

    changes: dict[str, object] = {}
    for section, values in data.items():
        home_section = next((name for name, keys in _SECTIONS.items() if section in keys), None)
        if home_section and not isinstance(values, dict):
            raise error(f"'{section}' belongs in the [{home_section}] section", section)
        if section not in _SECTIONS or not isinstance(values, dict):
            hint = nearest(section, list(_SECTIONS))
            raise error(f"unknown section [{section}]" + (f"; did you mean [{hint}]?" if hint else ""), section)
        for key, value in values.items():
            if key not in _SECTIONS[section]:
                hint = nearest(key, _SECTIONS[section])
                raise error(f"unknown setting '{key}' in [{section}]" + (f"; did you mean '{hint}'?" if hint else ""),
                            section, key)
            problem = _problem(key, value)
            if problem:
                raise error(problem, section, key)
            changes[key] = tuple(map(_duration, value)) if isinstance(value, list) else value
    return replace(Settings(), **changes)


def _line(text: str, name: str) -> int | None:
    """The line of ``text`` that opens the table or sets the key ``name`` ("review.new_per_day"), if any."""
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        if header := re.match(r"\s*\[([^\[\]]+)\]", line):
            table = re.sub(r"[\s\"']", "", header.group(1))
            found = table
        elif assignment := re.match(r"\s*([\w\s.\"'-]+?)\s*=", line):
            found = ".".join(filter(None, (table, re.sub(r"[\s\"']", "", assignment.group(1)))))
        else:
            continue
        if found == name:
            return number
    return None


def _problem(key: str, value: object) -> str | None:
    """What is wrong with ``value`` for the setting ``key``, or None."""
    default = next(f.default for f in fields(Settings) if f.name == key)
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) and _DURATION.match(v.strip()) for v in value):
            return f'{key} must be a list of durations such as ["1m", "10m"]'
        return None
    if isinstance(default, bool):
        return None if isinstance(value, bool) else f"{key} must be true or false"
    if isinstance(value, bool) or not isinstance(value, type(default)) and not (
            isinstance(default, float) and isinstance(value, int)):
        kind = "whole number" if isinstance(default, int) else "number"
        return f"{key} must be a {kind}, not {value!r}"
    low, high = _RANGES[key]
    if not low <= value <= high:
        return f"{key} must be between {low} and {high}, not {value}"
    return None


def _duration(text: str) -> timedelta:
    amount, unit = _DURATION.match(text.strip()).groups()
    return timedelta(**{_UNITS[unit]: int(amount)})
