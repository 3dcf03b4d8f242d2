"""Finding bank files, loading them (through the parse cache) and assembling the library.

One bad bank never hides the good ones: each file is loaded on its own, and a file whose own
keys (or YAML, or format) are broken is listed in :attr:`Library.skipped` with its diagnostics.
One bad question never hides its bank: a bank whose errors are all inside questions loads with
its valid questions, and the ones left out are in :attr:`LoadedBank.skipped_questions` (and,
for the whole library, :attr:`Library.skipped_questions`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from stat import S_ISDIR, S_ISREG

import msgspec

from quiz import paths
from quiz.banks.cache import CacheEntry, ParseCache, digest
from quiz.banks.diagnostics import (
    Diagnostic,
    Severity,
    SkippedQuestion,
    YamlProblem,
    check_size,
)
from quiz.domain.model import Bank

BANK_SUFFIXES = (".yaml", ".yml")


class LoadedBank(msgspec.Struct):
    """One bank file after loading: the bank if it is usable, and what was found.

    ``bank`` is set whenever the bank can be used, even if some of its questions could not:
    those are left out of ``bank.questions`` and listed in ``skipped_questions``, each with its
    diagnostics. ``diagnostics`` holds every diagnostic of the file, theirs included.
    """

    path: Path
    bank: Bank | None
    diagnostics: list[Diagnostic] = msgspec.field(default_factory=list)
    id_line: int = 0
    id_column: int = 0
    skipped_questions: list[SkippedQuestion] = msgspec.field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the bank loaded whole, without errors (warnings allowed)."""
        return self.bank is not None and not self.errors

    @property
    def usable(self) -> bool:
        """True when the bank can be practised, perhaps without some skipped questions."""
        return self.bank is not None

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics that stop this bank from being used."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


class Library(msgspec.Struct):
    """Every discovered bank: the usable ones by id, and the skipped ones with reasons.

    A bank in ``banks`` may still have left some questions out; see :attr:`skipped_questions`.
    """

    banks: dict[str, LoadedBank] = msgspec.field(default_factory=dict)
    skipped: list[LoadedBank] = msgspec.field(default_factory=list)

    @property
    def skipped_questions(self) -> list[tuple[LoadedBank, SkippedQuestion]]:
        """Each question left out of a usable bank, with the bank it belongs to, in library
        order (``loaded.bank.id``, ``loaded.path``; ``skipped.id``, ``skipped.line`` and
        ``skipped.errors`` say which and why)."""
        return [
            (loaded, skipped)
            for loaded in self.banks.values()
            for skipped in loaded.skipped_questions
        ]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """All diagnostics of all files, usable and skipped."""
        every = [*self.banks.values(), *self.skipped]
        return [d for loaded in every for d in loaded.diagnostics]

    def usable(self) -> list[Bank]:
        """The usable banks, in library order."""
        return [loaded.bank for loaded in self.banks.values() if loaded.bank is not None]

    def bank(self, bank_id: str) -> Bank:
        """The usable bank ``bank_id``; raises ``KeyError`` if there is none."""
        loaded = self.banks[bank_id].bank
        assert loaded is not None
        return loaded


def bank_dirs(extra: Sequence[Path] = ()) -> list[Path]:
    """Where banks are looked for, in order: shipped, the user's data dir, env, ``--bank-dir``.

    The two standard folders are left out when they do not exist; folders the user named are
    kept, so that a typo in one is reported rather than silently ignored.
    """
    standard = [paths.shipped_bank_dir(), paths.user_bank_dir()]
    return [d for d in standard if d.is_dir()] + [*paths.env_bank_dirs(), *extra]


def find_bank_files(locations: Iterable[Path]) -> list[Path]:
    """Bank files under ``locations`` (files are taken as given; folders are searched).

    Each file appears once even when two locations overlap; hidden folders are skipped.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for location in locations:
        if location.is_dir():
            candidates = sorted(
                candidate
                for candidate in location.rglob("*")
                if candidate.suffix.lower() in BANK_SUFFIXES
                and candidate.is_file()
                and not any(part.startswith(".") for part in candidate.relative_to(location).parts)
            )
        else:
            candidates = [location]
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(candidate)
    return found


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a bank is built.

    Parsing a large bank makes about a million objects (YAML nodes, then data, then Structs) and
    none of them needs the cycle collector: left on, it runs every 700 allocations over an ever
    larger heap and takes most of the load time. Reference counting still frees memory.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def load_bank_file(path: Path, cache: ParseCache | None = None) -> LoadedBank:
    """Load and validate one bank file, through ``cache`` when one is given.

    Never raises for a problem in the file: every problem becomes a diagnostic.
    """
    with _collector_paused():
        return _load_file(path, cache)


def _load_file(path: Path, cache: ParseCache | None) -> LoadedBank:
    shown = str(path)
    try:
        stat = path.stat()
        if not S_ISREG(stat.st_mode):
            # A folder, a pipe or a device: reading it could block or never end.
            reason = "a folder, not a file" if S_ISDIR(stat.st_mode) else "not a regular file"
            return LoadedBank(path, None, [_file_diagnostic(shown, "file-unreadable", reason)])
        check_size(stat.st_size)  # before reading a huge file into memory
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return LoadedBank(path, None, [_file_diagnostic(shown, "file-unreadable", reason)])
    except YamlProblem as problem:
        return LoadedBank(path, None, [_file_diagnostic(shown, problem.code, problem.message)])
    content = digest(raw)
    resolved = path.resolve()
    if cache is not None:
        entry = cache.get(resolved, stat.st_size, stat.st_mtime_ns, content)
        if entry is not None:
            diagnostics = [_relocated(d, shown) for d in entry.diagnostics]
            skipped = [
                msgspec.structs.replace(
                    question, diagnostics=[_relocated(d, shown) for d in question.diagnostics]
                )
                for question in entry.skipped_questions
            ]
            return LoadedBank(
                path, entry.bank, diagnostics, entry.id_line, entry.id_column, skipped
            )
    loaded = _load_bytes(path, raw)
    if cache is not None:
        cache.put(
            resolved,
            CacheEntry(
                cache.stamp,
                stat.st_size,
                stat.st_mtime_ns,
                content,
                loaded.bank,
                loaded.diagnostics,
                loaded.id_line,
                loaded.id_column,
                loaded.skipped_questions,
            ),
        )
    return loaded


def _load_bytes(path: Path, raw: bytes) -> LoadedBank:
    # Imported here: a start-up with every bank in the parse cache needs neither (nor yaml).
    from quiz.banks.validate import validate_bank
    from quiz.banks.yamlread import parse

    shown = str(path)
    try:
        parsed = parse(raw)
    except YamlProblem as stopped:
        diagnostics = [
            Diagnostic(
                shown, problem.line, problem.column, Severity.ERROR, problem.code, problem.message
            )
            for problem in stopped.every()
        ]
        return LoadedBank(path, None, diagnostics)
    validated = validate_bank(shown, parsed)
    line, column = parsed.locate(("id",))
    return LoadedBank(path, validated.bank, validated.diagnostics, line, column, validated.skipped)


def _file_diagnostic(path: str, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, 0, 0, Severity.ERROR, code, message)


def _relocated(diagnostic: Diagnostic, path: str) -> Diagnostic:
    # The cache is keyed by resolved path; show the path the way the user named it this time.
    if diagnostic.path == path:
        return diagnostic
    return msgspec.structs.replace(diagnostic, path=path)


def load_library(files: Iterable[Path], cache: ParseCache | None = None) -> Library:
    """Load every file and check what spans banks (bank ids must be unique)."""
    library = Library()
    for path in files:
        loaded = load_bank_file(path, cache)
        if loaded.bank is None:
            library.skipped.append(loaded)
            continue
        assert loaded.bank is not None
        first = library.banks.get(loaded.bank.id)
        if first is not None:
            loaded.diagnostics.append(
                Diagnostic(
                    str(path),
                    loaded.id_line,
                    loaded.id_column,
                    Severity.ERROR,
                    "duplicate-bank-id",
                    f"bank id '{loaded.bank.id}' is already used by {first.path}; "
                    "bank ids must be unique across all loaded banks",
                )
            )
            library.skipped.append(loaded)
            continue
        library.banks[loaded.bank.id] = loaded
    return library


def default_cache() -> ParseCache:
    """The parse cache in the user's cache dir (``IMS_QUIZ_HOME/cache`` when set)."""
    return ParseCache(paths.cache_dir() / "banks")


def discover(extra_dirs: Sequence[Path] = (), *, use_cache: bool = True) -> Library:
    """Load every bank from the standard locations plus ``extra_dirs``."""
    cache = default_cache() if use_cache else None
    return load_library(find_bank_files(bank_dirs(extra_dirs)), cache)
