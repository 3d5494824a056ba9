"""Canonical Leadership Principle and level names, their aliases, and slugs.

Users type LPs and levels the way they say them ("are right a lot", "CO", "L6"), so every
name is matched on a normalised form and unknown names come back with the nearest real one.
"""

from __future__ import annotations

import re

LPS: tuple[str, ...] = (
    "Customer Obsession",
    "Ownership",
    "Invent and Simplify",
    "Are Right, A Lot",
    "Learn and Be Curious",
    "Hire and Develop the Best",
    "Insist on the Highest Standards",
    "Think Big",
    "Bias for Action",
    "Frugality",
    "Earn Trust",
    "Dive Deep",
    "Have Backbone; Disagree and Commit",
    "Deliver Results",
    "Strive to be Earth's Best Employer",
    "Success and Scale Bring Broad Responsibility",
)

_LP_ALIASES: dict[str, tuple[str, ...]] = {
    "Customer Obsession": ("CO", "Customer"),
    "Ownership": ("Own",),
    "Invent and Simplify": ("I&S", "Invent", "Simplify"),
    "Are Right, A Lot": ("ARAL", "Right a Lot"),
    "Learn and Be Curious": ("LBC", "L&BC", "Curiosity", "Curious"),
    "Hire and Develop the Best": ("HDB", "Hire and Develop"),
    "Insist on the Highest Standards": ("IHS", "Highest Standards", "High Standards"),
    "Think Big": ("TB",),
    "Bias for Action": ("BFA", "Bias"),
    "Frugality": ("Frugal",),
    "Earn Trust": ("ET", "Trust"),
    "Dive Deep": ("DD",),
    "Have Backbone; Disagree and Commit": (
        "Backbone", "Disagree and Commit", "Have Backbone", "HBDC", "DAC",
    ),
    "Deliver Results": ("DR", "Results"),
    "Strive to be Earth's Best Employer": ("Earth's Best Employer", "Best Employer", "EBE"),
    "Success and Scale Bring Broad Responsibility": (
        "Broad Responsibility", "Success and Scale", "SSBBR",
    ),
}

LEVELS: tuple[str, ...] = ("SDE1", "SDE2", "Senior SDE", "Principal SDE")

_LEVEL_ALIASES: dict[str, tuple[str, ...]] = {
    "SDE1": ("SDE I", "L4"),
    "SDE2": ("SDE II", "L5"),
    "Senior SDE": ("SDE3", "SDE III", "Senior", "L6"),
    "Principal SDE": ("Principal", "L7"),
}

DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
LABELS = "ABCDEF"  # multiple-choice options, in order

# Card kinds, in the order the format's table lists them (``srs.compile`` makes them).
KINDS: tuple[str, ...] = ("phrase-lp", "disqualifier", "step-time", "mcq", "probe", "concept", "angle", "level")


def _norm_lp(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("&", "and"))


def _norm_level(text: str) -> str:
    return re.sub(r"\s+", "", text.lower())


def _table(names: tuple[str, ...], aliases: dict[str, tuple[str, ...]], norm) -> dict[str, str]:
    table = {norm(name): name for name in names}
    for name, extra in aliases.items():
        table.update({norm(alias): name for alias in extra})
    return table


_LP_TABLE = _table(LPS, _LP_ALIASES, _norm_lp)
_LEVEL_TABLE = _table(LEVELS, _LEVEL_ALIASES, _norm_level)


def _nearest(text: str, table: dict[str, str], norm) -> str | None:
    import difflib  # only when a name is wrong: keeps start-up quick

    close = difflib.get_close_matches(norm(text), list(table), n=1, cutoff=0.6)
    return table[close[0]] if close else None


def lp_name(text: str) -> str | None:
    """The canonical LP for ``text`` (any case, punctuation or alias), or None."""
    return _LP_TABLE.get(_norm_lp(text))


def nearest_lp(text: str) -> str | None:
    """The LP ``text`` most likely means: the same words in another order ("Deep Dive"), else
    the nearest spelling."""
    def words(name: str) -> list[str]:
        return sorted(re.findall(r"[a-z0-9]+", name.lower().replace("&", " and ")))

    wanted = words(text)
    for name in LPS:
        if any(words(alias) == wanted for alias in (name, *_LP_ALIASES[name])):
            return name
    return _nearest(text, _LP_TABLE, _norm_lp)


def level_name(text: str) -> str | None:
    """The canonical level for ``text`` (any case or spacing, or an alias), or None."""
    return _LEVEL_TABLE.get(_norm_level(text))


def nearest_level(text: str) -> str | None:
    return _nearest(text, _LEVEL_TABLE, _norm_level)


class UnknownName(ValueError):
    """A name that is no LP (or level); the message suggests the nearest real one."""


def canonical_lp(text: str) -> str:
    """The canonical LP for ``text``; ``UnknownName`` with the nearest LP suggested otherwise."""
    canonical = lp_name(text)
    if canonical is None:
        raise UnknownName(_unknown("Leadership Principle", text, nearest_lp(text), LPS))
    return canonical


def canonical_level(text: str) -> str:
    """The canonical level for ``text``; ``UnknownName`` with the nearest level suggested otherwise."""
    canonical = level_name(text)
    if canonical is None:
        raise UnknownName(_unknown("level", text, nearest_level(text), LEVELS))
    return canonical


def _unknown(what: str, text: str, hint: str | None, choices: tuple[str, ...]) -> str:
    return f"unknown {what} {text!r}" + (f"; did you mean '{hint}'?" if hint else f" (expected one of: {', '.join(choices)})")


def nearest(text: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The closest of ``choices`` to ``text``, for "did you mean" hints."""
    import difflib

    close = difflib.get_close_matches(text, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def slug(text: str, limit: int = 80) -> str:
    """A lowercase ``a-z0-9-`` slug of ``text``: the item part of a card key.

    Accents fold away ("résumé" → "resume"). Text with no Latin letter or digit at all (other
    scripts, emoji) gets ``h-`` and a short hash of its words instead of an empty slug, so it
    still has a key of its own that stays put while the rest of the item is edited.
    """
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = plain.replace("&", " and ").replace("%", " percent ").replace("$", " usd ")
    out = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:limit].strip("-")
    if out:
        return out
    words = " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split()) or " ".join(text.split())
    if not words:
        return ""
    import hashlib

    return "h-" + hashlib.blake2b(words.encode(), digest_size=4).hexdigest()


def counted(count: int, noun: str) -> str:
    """``3 cards``, ``1 card``, ``0 cards``: a count with its noun, plural unless it is one."""
    return f"{count} {noun}{'s' * (count != 1)}"


def tag(name: str) -> str:
    """``name`` as a tag without spaces or punctuation Anki dislikes: ``Senior_SDE``."""
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")
