"""lp-srs: spaced repetition for Amazon Leadership Principles interviews."""

__version__ = "0.1.0"
