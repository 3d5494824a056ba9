"""Exporters: they read compiled cards (``srs.compile.Card``) and write other formats."""
