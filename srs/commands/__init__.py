"""One module per ``srs`` command, each defining ``command``; shared options live in ``common``."""
