""""Now", in UTC. ``SRS_NOW`` (ISO-8601) pins it, so tests and simulations control time."""

from __future__ import annotations

import os
from datetime import datetime, timezone


class ClockError(ValueError):
    pass


def now() -> datetime:
    """The current time as an aware UTC datetime (the only kind py-fsrs accepts)."""
    pinned = os.environ.get("SRS_NOW")
    if not pinned:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(pinned.replace("Z", "+00:00"))
    except ValueError:
        raise ClockError(f"SRS_NOW={pinned!r} is not an ISO-8601 time such as 2026-11-26T09:00:00Z") from None
    if moment.tzinfo is None:  # a bare local time, as a person would write it
        moment = moment.astimezone()
    return moment.astimezone(timezone.utc)

