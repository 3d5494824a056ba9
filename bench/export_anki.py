"""Benchmark: ``srs export anki`` against genanki alone writing the same notes.

The export (compiled cards → escaped fields, tags, notes, decks, the package written and swapped
into place) should take at most 1.3× what genanki alone takes to make the very same notes from
ready-made fields and tags and write them with ``Package.write_to_file``. The cards are the
bundled decks' cards, copied under new keys and with varied text until there are ``size`` of them.

    python bench/export_anki.py [SIZE] [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

TARGET = 1.3
MOD = 1_795_683_600  # a fixed modification time: both sides write identical notes


def cards(size: int) -> list:
    """``size`` distinct cards made from the bundled decks' cards."""
    from srs.sources import builtin_decks, find_files, load

    seed = load(find_files([builtin_decks()])[0]).cards
    return [replace(card, key=f"{card.key}-{n}", scenario=f"{card.scenario}-{n}", front=f"{card.front} ({n})")
            for n in range(size // len(seed) + 1) for card in seed][:size]


def _genanki_alone(deck: list, folder: Path) -> float:
    """Seconds for genanki to make and write the notes, given each one's deck, fields and tags ready-made.

    Making a note includes its GUID from the card key, as genanki makes one for every note.
    """
    import genanki

    from export import anki as apkg

    ready = [(apkg.deck_name(card), card.key, apkg.note(card)) for card in deck]
    tempfile.tempdir = str(folder)  # genanki never deletes the database it builds in the temp folder
    try:
        start = time.perf_counter()
        decks: dict[str, genanki.Deck] = {}
        for name, key, made in ready:
            if name not in decks:
                decks[name] = genanki.Deck(apkg.deck_id(name), name)
            decks[name].add_note(genanki.Note(model=made.model, fields=made.fields, tags=made.tags,
                                              guid=genanki.guid_for(apkg.GUID_NAMESPACE, key)))
        genanki.Package(list(decks.values())).write_to_file(str(folder / "genanki.apkg"), timestamp=MOD)
        return time.perf_counter() - start
    finally:
        tempfile.tempdir = None


def _export(deck: list, folder: Path) -> float:
    from export import anki as apkg

    start = time.perf_counter()
    apkg.write(deck, folder / "export.apkg", MOD)
    return time.perf_counter() - start


def measure(size: int = 30_000, runs: int = 7) -> dict:
    """Each side's median seconds over ``runs`` paired runs, and the median of the paired ratios.

    Pairing (in alternating order) keeps a busy machine's drift out of the ratio: both runs of a
    pair see about the same load.
    """
    deck = cards(size)
    export_times, genanki_times = [], []
    with tempfile.TemporaryDirectory(prefix="bench-export-anki-") as tmp:
        folder = Path(tmp)
        _export(deck, folder)  # warm-up: imports and caches on both sides
        _genanki_alone(deck, folder)
        for run in range(runs):
            if run % 2:
                genanki_times.append(_genanki_alone(deck, folder))
                export_times.append(_export(deck, folder))
            else:
                export_times.append(_export(deck, folder))
                genanki_times.append(_genanki_alone(deck, folder))
        sizes = {name: (folder / f"{name}.apkg").stat().st_size for name in ("export", "genanki")}
    ratio = statistics.median(e / g for e, g in zip(export_times, genanki_times))
    return {"name": "export_anki", "cards": len(deck), "runs": runs,
            "export_s": round(statistics.median(export_times), 3),
            "genanki_s": round(statistics.median(genanki_times), 3), "ratio": round(ratio, 3), "target": TARGET,
            "ok": ratio <= TARGET, "export_bytes": sizes["export"], "genanki_bytes": sizes["genanki"]}


if __name__ == "__main__":
    result = measure(*(int(arg) for arg in sys.argv[1:3]))
    print(f"export anki, {result['cards']} cards, median of {result['runs']} paired runs: {result['export_s']:.2f} s; "
          f"genanki alone {result['genanki_s']:.2f} s; ratio {result['ratio']:.2f} (target ≤ {TARGET}) "
          f"{'OK' if result['ok'] else 'SLOWER THAN TARGET'}")
    print(f"package size: {result['export_bytes'] / 1e6:.1f} MB "
          f"(genanki alone: {result['genanki_bytes'] / 1e6:.1f} MB)")
    sys.exit(0 if result["ok"] else 1)
