"""Where banks are found, in which order, and how bad or clashing banks are skipped."""

from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path

import pytest
from bank_helpers import VALID_BANK, write_bank

from quiz import paths
from quiz.banks.diagnostics import Diagnostic
from quiz.banks.loader import bank_dirs, discover, find_bank_files, load_library


def bank_text(bank_id: str, title: str = "A bank") -> str:
    return VALID_BANK.replace("id: tiny", f"id: {bank_id}").replace("A tiny bank", title)


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the shipped banks folder, so tests do not depend on the real banks."""
    folder = tmp_path / "shipped"
    write_bank(folder, "shipped-one.yaml", bank_text("shipped-one"))
    monkeypatch.setattr(paths, "shipped_bank_dir", lambda: folder)
    return folder


def test_real_shipped_banks_are_found_and_load_cleanly() -> None:
    shipped_dir = paths.shipped_bank_dir()
    files = sorted(shipped_dir.glob("*.yaml"))
    assert files, f"no shipped banks in {shipped_dir}"
    library = discover(use_cache=False)
    assert not library.skipped, [d.format() for d in library.diagnostics]
    assert {loaded.path.resolve() for loaded in library.banks.values()} >= {
        file.resolve() for file in files
    }
    assert not library.diagnostics, "shipped banks have no warnings either"


def test_user_data_banks_folder(shipped: Path, isolated_home: Path) -> None:
    user_dir = isolated_home / "data" / "banks"
    assert paths.user_bank_dir() == user_dir
    write_bank(user_dir, "mine.yaml", bank_text("mine"))
    write_bank(user_dir, "sub" / Path("nested.yml"), bank_text("nested"))
    library = discover()
    assert set(library.banks) == {"shipped-one", "mine", "nested"}


def test_standard_folders_that_do_not_exist_are_left_out(shipped: Path) -> None:
    assert bank_dirs() == [shipped]


def test_ims_quiz_banks_path_list(
    shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "env-a", tmp_path / "env-b"
    write_bank(first, "a.yaml", bank_text("env-a"))
    write_bank(second, "b.yaml", bank_text("env-b"))
    monkeypatch.setenv("IMS_QUIZ_BANKS", os.pathsep.join([str(first), "", str(second)]))
    assert bank_dirs() == [shipped, first, second]
    assert set(discover().banks) == {"shipped-one", "env-a", "env-b"}


def test_extra_dirs_come_last_and_a_missing_one_is_reported(shipped: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    write_bank(extra, "x.yaml", bank_text("extra"))
    typo = tmp_path / "no-such-folder"
    assert bank_dirs([extra, typo]) == [shipped, extra, typo]
    library = discover([extra, typo])
    assert set(library.banks) == {"shipped-one", "extra"}
    assert [d.code for d in library.diagnostics] == ["file-unreadable"]
    assert library.diagnostics[0].path == str(typo)


def test_hidden_folders_and_files_and_other_suffixes_are_skipped(tmp_path: Path) -> None:
    root = tmp_path / "banks"
    write_bank(root, "visible.yaml", bank_text("visible"))
    write_bank(root, "Upper.YML", bank_text("upper"))
    write_bank(root, ".git/objects.yaml", bank_text("in-git"))
    write_bank(root, ".hidden.yaml", bank_text("hidden"))
    write_bank(root, "drafts/.wip/draft.yaml", bank_text("draft"))
    write_bank(root, "notes.txt", "not a bank")
    write_bank(root, "bank.yaml.bak", bank_text("backup"))
    (root / "folder.yaml").mkdir()
    found = find_bank_files([root])
    assert [path.relative_to(root).as_posix() for path in found] == ["Upper.YML", "visible.yaml"]


def test_a_folder_inside_a_hidden_parent_is_searched(tmp_path: Path) -> None:
    # Only folders below the named one count as hidden: ~/.local/share/... must still work.
    root = tmp_path / ".local" / "banks"
    write_bank(root, "b.yaml", bank_text("b"))
    assert len(find_bank_files([root])) == 1


def test_a_file_named_twice_is_loaded_once(tmp_path: Path) -> None:
    root = tmp_path / "banks"
    path = write_bank(root, "b.yaml", bank_text("b"))
    assert find_bank_files([root, path, root / "." / "b.yaml", tmp_path]) == [path]


def test_explicit_files_are_taken_as_given(tmp_path: Path) -> None:
    odd = write_bank(tmp_path, "bank.txt", bank_text("odd"))
    assert find_bank_files([odd]) == [odd]
    assert set(load_library([odd]).banks) == {"odd"}


def test_duplicate_bank_id_skips_the_second_with_a_located_diagnostic(tmp_path: Path) -> None:
    first = write_bank(tmp_path, "a/first.yaml", bank_text("same", "First"))
    second = write_bank(tmp_path, "b/second.yaml", bank_text("same", "Second"))
    library = load_library(find_bank_files([tmp_path / "a", tmp_path / "b"]))
    assert library.bank("same").title == "First"
    assert [loaded.path for loaded in library.skipped] == [second]
    (diagnostic,) = library.diagnostics
    assert (diagnostic.code, diagnostic.path, diagnostic.line, diagnostic.column) == (
        "duplicate-bank-id",
        str(second),
        2,
        5,
    )
    assert str(first) in diagnostic.message


def test_duplicate_bank_id_through_the_cache(tmp_path: Path) -> None:
    write_bank(tmp_path, "a/first.yaml", bank_text("same"))
    write_bank(tmp_path, "b/second.yaml", bank_text("same"))
    for _ in range(2):  # cold, then warm: the clash is found either way, and only once
        library = discover([tmp_path / "a", tmp_path / "b"])
        assert [d.code for d in library.diagnostics] == ["duplicate-bank-id"]


def test_a_bad_bank_is_skipped_while_the_good_ones_load(shipped: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    write_bank(folder, "a-good.yaml", bank_text("good-a"))
    unknown_topic = bank_text("bad").replace("topic: myotomes", "topic: nope")
    bad = write_bank(folder, "b-bad.yaml", unknown_topic)
    write_bank(folder, "c-broken-yaml.yaml", "format: 1\nid: [unclosed\n")
    write_bank(folder, "d-good.yaml", bank_text("good-d"))
    library = discover([folder])
    assert set(library.banks) == {"shipped-one", "good-a", "good-d"}
    assert [loaded.path.name for loaded in library.skipped] == ["b-bad.yaml", "c-broken-yaml.yaml"]
    assert library.skipped[0].errors[0].path == str(bad)
    with pytest.raises(KeyError):
        library.bank("bad")


def test_warnings_do_not_skip_a_bank(tmp_path: Path) -> None:
    text = bank_text("warned").replace("        why: That tests T1.\n", "")
    library = load_library([write_bank(tmp_path, "w.yaml", text)])
    assert set(library.banks) == {"warned"}
    assert [d.code for d in library.diagnostics] == ["missing-why"]


# --- paths that cannot be read: links that lead nowhere or round in a loop ----------------------


def _unreadable(library_diagnostics: list[Diagnostic]) -> dict[str, str]:
    """``{file name: message}`` of every file-unreadable diagnostic."""
    return {
        Path(d.path).name: d.message for d in library_diagnostics if d.code == "file-unreadable"
    }


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """A bank folder with one good bank and every kind of bad link."""
    folder = tmp_path / "banks"
    write_bank(folder, "good.yaml", bank_text("good"))
    write_bank(folder, "sub/nested.yaml", bank_text("nested"))
    (folder / "self.yaml").symlink_to("self.yaml")  # a file link loop
    (folder / "ping.yaml").symlink_to("pong.yaml")
    (folder / "pong.yaml").symlink_to("ping.yaml")
    (folder / "gone.yaml").symlink_to("nowhere/gone.yaml")  # dangling
    (folder / "loop").symlink_to(".")  # a folder link back to its own folder
    (folder / "sub" / "up").symlink_to("..")  # and to its parent
    (folder / "again").symlink_to("sub")  # a second way into a folder: not an error
    (folder / "notes.txt").symlink_to("missing.txt")  # not a bank: ignored
    return folder


def test_links_that_cannot_be_read_are_reported_and_hide_nothing(linked: Path) -> None:
    files = find_bank_files([linked])  # must not raise
    library = load_library(files)
    assert set(library.banks) == {"good", "nested"}
    reasons = _unreadable(library.diagnostics)
    assert set(reasons) == {"self.yaml", "ping.yaml", "pong.yaml", "gone.yaml", "loop", "up"}
    assert reasons["self.yaml"].startswith("a symbolic link loop")
    assert reasons["ping.yaml"].startswith("a symbolic link loop")
    assert reasons["gone.yaml"] == "a symbolic link to 'nowhere/gone.yaml', which does not exist"
    assert reasons["loop"].startswith("a symbolic link loop: it leads back to")
    assert reasons["up"].startswith("a symbolic link loop: it leads back to")
    for diagnostic in library.diagnostics:
        assert (diagnostic.line, diagnostic.column) == (0, 0)
        assert (
            diagnostic.format()
            == f"{diagnostic.path}: error[file-unreadable]: {diagnostic.message}"
        )


@pytest.mark.parametrize("name", ["self.yaml", "ping.yaml", "gone.yaml"])
def test_a_bad_link_named_on_the_command_line(linked: Path, name: str) -> None:
    path = linked / name
    library = load_library(find_bank_files([path, linked / "good.yaml"]))
    assert set(library.banks) == {"good"}
    assert [d.code for d in library.diagnostics] == ["file-unreadable"]
    assert library.diagnostics[0].path == str(path)


def test_a_link_to_a_folder_named_on_the_command_line_is_searched(linked: Path) -> None:
    # Named directly, `loop` is just another name for the bank folder.
    library = load_library(find_bank_files([linked / "loop"]))
    assert set(library.banks) == {"good", "nested"}


@pytest.mark.parametrize("command", ["validate", "banks"])
def test_commands_report_bad_links_without_a_traceback(linked: Path, command: str) -> None:
    from click.testing import CliRunner

    from quiz.cli import main

    args = [command, str(linked)] if command == "validate" else ["--bank-dir", str(linked), command]
    result = CliRunner().invoke(main, [*args, "--json"] if command == "banks" else args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    if command == "validate":
        assert result.exit_code == 1
        assert result.output.count("error[file-unreadable]") == 6
        assert (
            f"{linked / 'gone.yaml'}: error[file-unreadable]: a symbolic link to" in result.output
        )


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores modes")
def test_a_folder_that_cannot_be_read(tmp_path: Path) -> None:
    folder = tmp_path / "banks"
    write_bank(folder, "good.yaml", bank_text("good"))
    locked = folder / "locked"
    write_bank(locked, "hidden.yaml", bank_text("hidden"))
    locked.chmod(0)
    try:
        library = load_library(find_bank_files([folder]))
    finally:
        locked.chmod(0o755)
    assert set(library.banks) == {"good"}
    assert _unreadable(library.diagnostics) == {
        "locked": "a folder that cannot be read: Permission denied"
    }


def test_discovery_with_a_looping_bank_dir_loads_the_other_banks(
    shipped: Path, linked: Path
) -> None:
    library = discover([linked, linked / "self.yaml"], use_cache=False)
    assert set(library.banks) == {"shipped-one", "good", "nested"}
    assert len(_unreadable(library.diagnostics)) == 6


def test_a_very_deep_folder_tree_is_searched_without_recursion(tmp_path: Path) -> None:
    folder = tmp_path / "deep"
    path = folder
    for _ in range(300):
        path.mkdir()
        path = path / "d"
    write_bank(path, "bottom.yaml", bank_text("bottom"))
    # Deeper than the stack allows: a recursive search would raise RecursionError. (The tree is
    # kept shallow enough for pytest's own clean-up, which recurses.)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 150)
    try:
        found = find_bank_files([folder])
    finally:
        sys.setrecursionlimit(limit)
    assert [p.name for p in found] == ["bottom.yaml"]
