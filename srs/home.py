"""The data home: where the store, the config file and other per-user state live."""

from __future__ import annotations

import os
import sys


def data_home(option: str | None = None) -> str:
    """``--home DIR``, else ``SRS_HOME``, else the platform's user data folder.

    A plain string built with ``os.path``: `srs due` runs many times a day, and pathlib's
    imports would be a tenth of its start-up.
    """
    if option:
        return option
    if os.environ.get("SRS_HOME"):
        return os.environ["SRS_HOME"]
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or os.path.join(home, "AppData", "Roaming")
    elif sys.platform == "darwin":
        base = os.path.join(home, "Library", "Application Support")
    else:
        base = os.environ.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share")
    return os.path.join(base, "lp-srs")
