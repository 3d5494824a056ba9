"""Sync: sources → store. Edits keep history, removals retire, returns restore, nothing changed costs nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from reviewkit import Workspace, local_zone, scenario_text, shown, write_scenario, ws  # noqa: F401 (fixtures)
from test_schedule import berlin

import srs.sync
import srs.yamlfile

NOW = berlin("2026-03-10T10:00")
KEY = "alpha/step-time/task"


def snapshot(ws: Workspace) -> tuple[bytes, list[str]]:
    """The store file's bytes and a dump of every row: what "untouched" means."""
    with ws.db() as conn:
        dump = list(conn.iterdump())
    return (ws.home / "srs.db").read_bytes(), dump


def studied(ws: Workspace) -> dict:
    """alpha synced and its task card answered Easy once: a card with a schedule and a log."""
    write_scenario(ws.src, "alpha")
    write_scenario(ws.src, "beta")
    ws.config("[review]\nnew_per_day = 1\n")
    ws.review(["4"], NOW, "--kind", "step-time")
    assert ws.log()[0][0] == "alpha/step-time/situation"
    return ws.card("alpha/step-time/situation")


def test_an_edit_updates_the_content_and_keeps_schedule_and_history(ws: Workspace, local_zone: str) -> None:
    card = studied(ws)
    write_scenario(ws.src, "alpha", title="Alpha, retold")
    ws.ok("due", at=NOW)
    edited = ws.card("alpha/step-time/situation")
    assert edited["content"]["front"] == "Situation — Alpha, retold"
    assert (edited["schedule"], edited["log"]) == (card["schedule"], card["log"])
    assert ws.rows("SELECT count(*) FROM cards")[0][0] == 16


def test_a_removed_source_retires_its_cards_and_its_return_restores_them(ws: Workspace, local_zone: str) -> None:
    card = studied(ws)
    text = (ws.src / "alpha.yaml").read_text()
    (ws.src / "alpha.yaml").unlink()
    counts = ws.due(NOW)
    assert counts["new_total"] == 8 and list(counts["by_lp"]) == ["Ownership"]
    retired = ws.card("alpha/step-time/situation")
    assert retired["retired"] is True and retired["log"] == card["log"]
    later = berlin("2026-04-30T10:00")  # long after the card fell due
    assert ws.due(later)["due_now"] == 0
    assert shown(ws.review(["4"] * 5, later, "--kind", "step-time").output) == ["Situation — Beta"]  # a new card; alpha's is retired
    assert [key for key, _, _ in ws.log()] == ["alpha/step-time/situation", "beta/step-time/situation"]

    (ws.src / "alpha.yaml").write_text(text)
    back = ws.card("alpha/step-time/situation")
    assert back["retired"] is True  # show reads the store as it is; the next synced command restores it
    assert ws.due(later)["due_now"] >= 1
    back = ws.card("alpha/step-time/situation")
    assert back["retired"] is False
    assert (back["schedule"], back["log"]) == (card["schedule"], card["log"])


def test_an_item_removed_from_a_story_retires_only_its_card(ws: Workspace) -> None:
    write_scenario(ws.src, "alpha", phrases=5)  # the fifth phrase joins the situation step
    ws.ok("due", at=NOW)
    write_scenario(ws.src, "alpha", phrases=4)
    ws.ok("due", at=NOW)
    assert ws.rows("SELECT key FROM cards WHERE retired = 1") == [("alpha/phrase-lp/alpha-phrase-4",)]


def test_an_unchanged_tree_is_not_parsed_and_a_touched_file_is_not_reparsed(ws: Workspace,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_scenario(ws.src, "alpha")
    ws.ok("due", at=NOW)

    def refuse(*args: object) -> None:
        raise AssertionError("a YAML file was parsed")

    monkeypatch.setattr(srs.yamlfile, "read", refuse)
    with monkeypatch.context() as unread:  # same sizes and mtimes: not even read to hash
        unread.setattr(srs.sync, "_digest", refuse)
        ws.ok("due", at=NOW)
        ws.review(["4"], NOW)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # touched: same bytes, new mtime
    ws.ok("due", at=NOW)
    assert ws.rows("SELECT mtime_ns FROM sources") == [(st.st_mtime_ns + 5_000_000_000,)]
    path.write_text(scenario_text("alpha", title="Changed"))
    changed = ws.srs("due", at=NOW)  # now it must parse: the guard above really guards
    assert isinstance(changed.exception, AssertionError)


def test_due_imports_no_yaml_parser_when_nothing_changed(ws: Workspace) -> None:
    write_scenario(ws.src, "alpha")
    ws.ok("due", at=NOW)
    probe = ("import sys; from srs.cli import main\n"
             "try:\n    main(['due', '--no-builtin'])\nexcept SystemExit as done:\n    assert not done.code\n"
             "print(sorted(m for m in ('yaml', 'fsrs', 'srs.scenario') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], env={**os.environ, **ws.env(NOW)}, check=True,
                         capture_output=True, text=True).stdout
    assert out.splitlines()[-1] == "[]"
    write_scenario(ws.src, "alpha", title="Changed")  # the probe notices a parse when there is one
    out = subprocess.run([sys.executable, "-c", probe], env={**os.environ, **ws.env(NOW)}, check=True,
                         capture_output=True, text=True).stdout
    assert "yaml" in out.splitlines()[-1]


@pytest.mark.parametrize("command", [["due"], ["review"]])
def test_a_source_with_errors_stops_the_command_and_leaves_the_store_untouched(ws: Workspace,
                                                                              command: list[str]) -> None:
    studied(ws)
    before = snapshot(ws)
    (ws.src / "broken.yaml").write_text(scenario_text("broken").replace("lp: Ownership", "lp: Ownershp"))
    write_scenario(ws.src, "alpha", title="Edited too")  # a good edit alongside is not applied either
    result = ws.srs(*command, at=NOW, input="3\n3\n")
    assert result.exit_code == 1
    assert "broken.yaml:2:5: " in result.output and "did you mean 'Ownership'?" in result.output
    assert result.output.rstrip().endswith("1 error in the scenario sources; the store was not changed.")
    assert snapshot(ws) == before


def test_a_missing_source_folder_is_an_error(ws: Workspace) -> None:
    result = ws.srs("due", "--source", str(ws.src / "nowhere"), at=NOW)
    assert result.exit_code == 1 and "nowhere: no such file or folder" in result.output
    assert not (ws.home / "srs.db").exists() or ws.rows("SELECT count(*) FROM cards") == [(0,)]


def test_the_bundled_decks_sync_and_a_second_sync_reads_nothing(ws: Workspace, monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    first = ws.ok("due", "--json", at=NOW, builtin=True)
    assert '"new_total": 0' not in first.output
    monkeypatch.setattr(srs.yamlfile, "read", lambda *a: (_ for _ in ()).throw(AssertionError("parsed")))
    assert ws.ok("due", "--json", at=NOW, builtin=True).output == first.output


def test_an_unreadable_source_is_a_clear_error(ws: Workspace) -> None:
    write_scenario(ws.src, "alpha")
    ws.ok("due", at=NOW)
    before = (ws.home / "srs.db").read_bytes()
    dangling = ws.src / "moved-away.yaml"  # unreadable for every user, root included
    dangling.symlink_to(ws.src / "nowhere" / "story.yaml")
    result = ws.srs("due", at=NOW)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"{dangling}: cannot read file: No such file or directory" in result.output
    assert "Traceback" not in result.output
    assert (ws.home / "srs.db").read_bytes() == before
