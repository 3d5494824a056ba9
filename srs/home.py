"""The data home: where the store, the config file and other per-user state live."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def data_home(option: str | None = None) -> Path:
    """``--home DIR``, else ``SRS_HOME``, else the platform's user data folder."""
    if option:
        return Path(option)
    if os.environ.get("SRS_HOME"):
        return Path(os.environ["SRS_HOME"])
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "lp-srs"
