"""Finding bank files, loading them (through the parse cache) and assembling the library.

One bad bank never hides the good ones: each file is loaded on its own, and a file whose own
keys (or YAML, or format) are broken is listed in :attr:`Library.skipped` with its diagnostics.
One bad question never hides its bank: a bank whose errors are all inside questions loads with
its valid questions, and the ones left out are in :attr:`LoadedBank.skipped_questions` (and,
for the whole library, :attr:`Library.skipped_questions`).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from stat import S_ISDIR, S_ISREG

import msgspec

from quiz import collector, paths
from quiz.banks.cache import CacheEntry, ParseCache, digest
from quiz.banks.diagnostics import (
    Diagnostic,
    Severity,
    SkippedQuestion,
    YamlProblem,
    check_size,
    clip,
)
from quiz.domain.model import Bank
from quiz.domain.text import visible

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

    Each file appears once even when two locations overlap; hidden folders and files are
    skipped. Symbolic links are followed, except round a loop. Never raises: a path that cannot
    be searched or read (a folder without permission, a dangling link, a link loop) is listed
    too, so that loading it reports why (``file-unreadable``) instead of dropping it unseen.
    """
    found: list[Path] = []
    seen: set[str] = set()
    searched: set[tuple[int, int]] = set()
    for location in locations:
        try:
            is_dir = S_ISDIR(location.stat().st_mode)
        except OSError:
            is_dir = False  # loading it says why it cannot be read
        candidates: list[Path] = []
        if is_dir:
            _search(location, candidates, searched)
            candidates.sort()
        else:
            candidates = [location]
        for candidate in candidates:
            key = _dedup_key(candidate)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _dedup_key(path: Path) -> str:
    """A file by its real path (two links to one bank load it once); anything else that was
    listed (to be reported) by its own path, so that each bad link is reported."""
    try:
        if S_ISREG(path.stat().st_mode):
            return os.path.realpath(path)
    except OSError:
        pass
    return str(path.absolute())


def _search(
    top: Path,
    found: list[Path],
    searched: set[tuple[int, int]],
) -> None:
    """Add the bank files under ``top`` to ``found``, and any path that cannot be searched.

    Depth first, without recursion (a folder tree can be deeper than Python's stack), real
    folders before links to them.
    """
    stack: list[tuple[Path, tuple[tuple[int, int], ...]]] = [(top, ())]
    while stack:
        folder, ancestors = stack.pop()
        try:
            identity = _identity(folder.stat())
            with os.scandir(folder) as listing:
                # Real folders before links, so that a bank is shown under its own folder.
                entries = sorted(listing, key=lambda entry: (entry.is_symlink(), entry.name))
        except OSError:
            found.append(folder)  # loading it reports the reason
            continue
        if identity in searched:
            continue  # reached again by another path (a link to a folder already searched)
        searched.add(identity)
        inside = (*ancestors, identity)
        folders: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            suffix = path.suffix.lower()
            try:
                stat = os.stat(entry.path)
            except OSError:
                # A dangling link or a link loop; one with no suffix may have meant a folder.
                if suffix in BANK_SUFFIXES or (entry.is_symlink() and not suffix):
                    found.append(path)
                continue
            if S_ISDIR(stat.st_mode):
                if _identity(stat) in inside:
                    found.append(path)  # a link back to a folder that contains it
                else:
                    folders.append(path)
            elif suffix in BANK_SUFFIXES:
                found.append(path)
        stack.extend((path, inside) for path in reversed(folders))


def _identity(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_dev, stat.st_ino


def unreadable_reason(path: Path, error: OSError | None = None) -> str:
    """Why ``path`` cannot be loaded as a bank, in a user's words.

    ``error`` is what reading it raised, or ``None`` when it was found to be something other
    than a file.
    """
    if error is not None:
        if error.errno == errno.ELOOP:
            return "a symbolic link loop: the link leads back to itself, through other links"
        if error.errno == errno.ENOENT and path.is_symlink():
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return f"a symbolic link to '{clip(target)}', which does not exist"
        return error.strerror or type(error).__name__
    real = os.path.realpath(path)
    parent = os.path.realpath(path.parent)
    if path.is_symlink() and (parent == real or parent.startswith(real.rstrip(os.sep) + os.sep)):
        return f"a symbolic link loop: it leads back to '{clip(real)}', a folder that contains it"
    try:
        with os.scandir(path):
            pass
    except OSError as listing:
        return f"a folder that cannot be read: {listing.strerror or type(listing).__name__}"
    return "a folder, not a file"


def load_bank_file(path: Path, cache: ParseCache | None = None) -> LoadedBank:
    """Load and validate one bank file, through ``cache`` when one is given.

    Never raises for a problem in the file: every problem becomes a diagnostic.
    """
    # Parsing a large bank makes about a million objects (YAML nodes, then data, then Structs).
    with collector.paused():
        return _load_file(path, cache)


def _load_file(path: Path, cache: ParseCache | None) -> LoadedBank:
    shown = str(path)
    try:
        stat = path.stat()
        if not S_ISREG(stat.st_mode):
            # A folder, a pipe or a device: reading it could block or never end.
            reason = unreadable_reason(path) if S_ISDIR(stat.st_mode) else "not a regular file"
            return LoadedBank(path, None, [_file_diagnostic(shown, "file-unreadable", reason)])
        check_size(stat.st_size)  # before reading a huge file into memory
        raw = path.read_bytes()
    except OSError as error:
        reason = unreadable_reason(path, error)
        return LoadedBank(path, None, [_file_diagnostic(shown, "file-unreadable", reason)])
    except YamlProblem as problem:
        return LoadedBank(path, None, [_file_diagnostic(shown, problem.code, problem.message)])
    content = digest(raw)
    resolved = Path(os.path.realpath(path))
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
                shown,
                problem.line,
                problem.column,
                Severity.ERROR,
                problem.code,
                visible(problem.message),
            )
            for problem in stopped.every()
        ]
        return LoadedBank(path, None, diagnostics)
    validated = validate_bank(shown, parsed)
    line, column = parsed.locate(("id",))
    return LoadedBank(path, validated.bank, validated.diagnostics, line, column, validated.skipped)


def _file_diagnostic(path: str, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, 0, 0, Severity.ERROR, code, visible(message))


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
                    f"bank id '{clip(loaded.bank.id)}' is already used by "
                    f"{clip(str(first.path), 200)}; "
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
