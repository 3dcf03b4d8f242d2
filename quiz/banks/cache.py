"""The parse cache: validated banks stored as msgpack, so a warm start skips YAML entirely.

An entry is keyed by the bank's resolved path and is used only when the file's size, mtime and
content digest all match, and when it was written by the same code (a change to the loader or
model invalidates every entry). Anything unreadable is treated as a miss and rebuilt; the cache
never decides whether a bank is valid.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import msgspec

from quiz import __version__
from quiz.banks.diagnostics import Diagnostic, SkippedQuestion
from quiz.domain.model import Bank

CACHE_FORMAT = 2


class CacheEntry(msgspec.Struct, array_like=True):
    """What is stored for one bank file."""

    stamp: str
    size: int
    mtime_ns: int
    digest: str
    bank: Bank | None
    diagnostics: list[Diagnostic]
    id_line: int = 0
    id_column: int = 0
    skipped_questions: list[SkippedQuestion] = []


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(CacheEntry)


def digest(raw: bytes) -> str:
    """Content digest of a bank file's bytes."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def code_stamp() -> str:
    """Identifies the code that produced an entry: version plus the loader's own source files."""
    here = Path(__file__).resolve().parent
    files = [
        here / "validate.py",
        here / "report.py",
        here / "shapecheck.py",
        here / "convert.py",
        here / "rules.py",
        here / "yamlread.py",
        here / "yamlbuild.py",
        here / "yamlchars.py",
        here / "shapes.py",
        here / "diagnostics.py",
        here / "loader.py",
        here / "cache.py",
        here.parent / "domain" / "text.py",
        here.parent / "domain" / "model.py",
    ]
    stamps = [str(CACHE_FORMAT), __version__]
    for file in files:
        try:
            stamps.append(str(file.stat().st_mtime_ns))
        except OSError:
            stamps.append("-")
    return hashlib.blake2b("|".join(stamps).encode(), digest_size=8).hexdigest()


class ParseCache:
    """A folder of cache entries, one file per bank path."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.stamp = code_stamp()

    def _entry_path(self, bank_path: Path) -> Path:
        name = hashlib.blake2b(str(bank_path).encode(), digest_size=12).hexdigest()
        return self.folder / f"{name}.msgpack"

    def get(self, bank_path: Path, size: int, mtime_ns: int, content: str) -> CacheEntry | None:
        """The entry for this exact file content, or ``None`` (missing, stale or corrupt)."""
        try:
            entry = _decoder.decode(self._entry_path(bank_path).read_bytes())
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return None
        if (entry.stamp, entry.size, entry.mtime_ns, entry.digest) != (
            self.stamp,
            size,
            mtime_ns,
            content,
        ):
            return None
        return entry

    def put(self, bank_path: Path, entry: CacheEntry) -> None:
        """Store ``entry`` atomically; a cache that cannot be written is simply not used."""
        target = self._entry_path(bank_path)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(_encoder.encode(entry))
                os.replace(temporary, target)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass
