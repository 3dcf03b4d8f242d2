"""The parse cache: a warm load skips YAML; any change, corruption or failure falls back to it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bank_helpers import VALID_BANK, brief, write_bank

import quiz.banks.loader as loader
from quiz.banks import yamlread
from quiz.banks.cache import ParseCache
from quiz.banks.loader import load_bank_file


@pytest.fixture
def cache(tmp_path: Path) -> ParseCache:
    return ParseCache(tmp_path / "cache")


@pytest.fixture
def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts calls of the YAML parser made by the loader."""
    calls: list[int] = []
    real = yamlread.parse

    def counting(raw: bytes):  # type: ignore[no-untyped-def]
        calls.append(len(raw))
        return real(raw)

    monkeypatch.setattr(yamlread, "parse", counting)
    return calls


def forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(raw: bytes) -> None:
        raise AssertionError("parsed although the cache holds this file")

    monkeypatch.setattr(yamlread, "parse", fail)


def test_warm_load_returns_an_equal_bank_without_parsing(
    tmp_path: Path, cache: ParseCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_bank(tmp_path, "bank.yaml", VALID_BANK)
    cold = load_bank_file(path, cache)
    assert cold.ok and cold.bank is not None
    forbid_parsing(monkeypatch)
    warm = load_bank_file(path, ParseCache(cache.folder))  # a new process, the same folder
    assert warm.bank == cold.bank
    assert warm.diagnostics == cold.diagnostics
    assert (warm.id_line, warm.id_column) == (cold.id_line, cold.id_column) == (2, 5)


def test_diagnostics_are_cached_too_and_shown_with_the_path_as_named(
    tmp_path: Path, cache: ParseCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_bank(tmp_path, "bank.yaml", VALID_BANK.replace("topic: myotomes", "topic: x", 1))
    cold = load_bank_file(path, cache)
    assert not cold.ok
    forbid_parsing(monkeypatch)
    monkeypatch.chdir(tmp_path)
    warm = load_bank_file(Path("bank.yaml"), cache)
    assert brief(warm.diagnostics) == brief(cold.diagnostics)
    assert warm.diagnostics[0].path == "bank.yaml"


def test_content_change_with_same_size_and_mtime_is_noticed(
    tmp_path: Path, cache: ParseCache, count_parses: list[int]
) -> None:
    path = write_bank(tmp_path, "bank.yaml", VALID_BANK)
    load_bank_file(path, cache)
    stat = path.stat()
    path.write_text(VALID_BANK.replace("A tiny bank", "A tidy bank"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    reloaded = load_bank_file(path, cache)
    assert reloaded.bank is not None and reloaded.bank.title == "A tidy bank"
    assert len(count_parses) == 2


def test_mtime_change_alone_reparses(
    tmp_path: Path, cache: ParseCache, count_parses: list[int]
) -> None:
    path = write_bank(tmp_path, "bank.yaml", VALID_BANK)
    load_bank_file(path, cache)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    load_bank_file(path, cache)
    load_bank_file(path, cache)  # and the new entry is used
    assert len(count_parses) == 2


def test_size_change_reparses(tmp_path: Path, cache: ParseCache, count_parses: list[int]) -> None:
    path = write_bank(tmp_path, "bank.yaml", VALID_BANK)
    load_bank_file(path, cache)
    path.write_text(VALID_BANK + "# a comment\n", encoding="utf-8")
    load_bank_file(path, cache)
    assert len(count_parses) == 2


def test_fixing_a_broken_bank_is_noticed(tmp_path: Path, cache: ParseCache) -> None:
    path = write_bank(tmp_path, "bank.yaml", "format: 1\nid: [")
    assert not load_bank_file(path, cache).ok
    path.write_text(VALID_BANK, encoding="utf-8")
    assert load_bank_file(path, cache).ok


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01garbage", b"\x93\xa1x\x01", b"\xc1" * 100])
def test_corrupt_cache_entry_is_rebuilt_silently(
    tmp_path: Path, cache: ParseCache, count_parses: list[int], garbage: bytes
) -> None:
    path = write_bank(tmp_path, "bank.yaml", VALID_BANK)
    first = load_bank_file(path, cache)
    entries = list(cache.folder.glob("*.msgpack"))
    assert len(entries) == 1
    entries[0].write_bytes(garbage)
    rebuilt = load_bank_file(path, cache)
    assert rebuilt.ok and rebuilt.bank == first.bank and not rebuilt.diagnostics
    load_bank_file(path, cache)
    assert len(count_parses) == 2, "the rebuilt entry is written back and used"


def test_truncated_cache_entry_is_rebuilt(tmp_path: Path, cache: ParseCache) -> None:
    path = write_bank(tmp_path, "bank.yaml", VALID_BANK)
    first = load_bank_file(path, cache)
    (entry,) = cache.folder.glob("*.msgpack")
    entry.write_bytes(entry.read_bytes()[:-7])
    assert load_bank_file(path, cache).bank == first.bank


def test_entry_from_other_code_is_not_used(
    tmp_path: Path, cache: ParseCache, count_parses: list[int]
) -> None:
    path = write_bank(tmp_path, "bank.yaml", VALID_BANK)
    load_bank_file(path, cache)
    newer = ParseCache(cache.folder)
    newer.stamp = "another-version"
    load_bank_file(path, newer)
    assert len(count_parses) == 2


def test_unwritable_cache_dir_still_loads(tmp_path: Path, count_parses: list[int]) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    cache = ParseCache(blocker / "banks")
    path = write_bank(tmp_path, "bank.yaml", VALID_BANK)
    assert load_bank_file(path, cache).ok
    assert load_bank_file(path, cache).ok
    assert len(count_parses) == 2  # nothing cached, nothing broken
    assert blocker.read_text().startswith("a file")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores modes")
def test_read_only_cache_dir_still_loads(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        path = write_bank(tmp_path, "bank.yaml", VALID_BANK)
        assert load_bank_file(path, ParseCache(folder)).ok
    finally:
        folder.chmod(0o700)


def test_no_temporary_files_are_left_behind(tmp_path: Path, cache: ParseCache) -> None:
    for index in range(3):
        text = VALID_BANK.replace("id: tiny", f"id: t{index}")
        path = write_bank(tmp_path, f"bank{index}.yaml", text)
        load_bank_file(path, cache)
    assert sorted(p.suffix for p in cache.folder.iterdir()) == [".msgpack"] * 3


def test_default_cache_lives_under_ims_quiz_home(isolated_home: Path) -> None:
    assert loader.default_cache().folder == isolated_home / "cache" / "banks"


def test_a_start_served_from_the_cache_does_not_import_the_yaml_reader(tmp_path: Path) -> None:
    """Start-up time: yaml and the validator are imported only for a file that needs parsing."""
    path = write_bank(tmp_path, "bank.yaml", VALID_BANK)
    script = (
        "import sys; from pathlib import Path; "
        "from quiz.banks.cache import ParseCache; from quiz.banks.loader import load_library; "
        f"cache = ParseCache(Path({str(tmp_path / 'c')!r})); "
        f"library = load_library([Path({str(path)!r})], cache); "
        "print(len(library.banks), 'yaml' in sys.modules, 'quiz.banks.validate' in sys.modules)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert [run.stdout.split() for run in runs] == [["1", "True", "True"], ["1", "False", "False"]]
