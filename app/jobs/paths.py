"""Source paths as clients send them: checked before anything touches the disk.

A name from a request is a path relative to the source folder, with `/` between folders. Anything
that could reach outside that folder or that some filesystem treats specially is refused with a
reason: `..`, absolute paths, drive letters, NUL and control characters, backslashes, Windows device
names (CON, NUL, COM1…), hidden names. After that, the resolved path must still lie in the folder,
which also stops a symlink inside it from pointing elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from app.sources import SourceFile

# Device names Windows reserves in every folder, with any extension (CON.txt is the console too).
RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"{dev}{n}" for dev in ("COM", "LPT") for n in range(1, 10)}
)
_FORBIDDEN_CHARS = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')
_MAX_PART_BYTES = 255  # the limit of ext4, APFS and NTFS alike


class InvalidSourcePath(ValueError):
    """A client-given path we refuse; `param` names the request field it came in."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


def relative_source_path(name: str, *, param: str) -> PurePosixPath:
    """`name` as a path relative to the source folder, or InvalidSourcePath saying why not."""
    if not name:
        raise InvalidSourcePath(param, "is empty")
    if "\x00" in name:
        raise InvalidSourcePath(param, "contains a NUL byte")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise InvalidSourcePath(param, "must be relative to the source folder, not absolute")
    if "\\" in name:
        raise InvalidSourcePath(param, "must separate folders with /, not \\")
    parts = name.split("/")
    for part in parts:
        if part in ("", ".", ".."):
            raise InvalidSourcePath(param, "must not contain '..', '.' or empty path segments")
        if _FORBIDDEN_CHARS.search(part):
            raise InvalidSourcePath(param, 'must not contain control characters or any of : * ? " < > |')
        if part.startswith("."):
            raise InvalidSourcePath(param, f"{part!r} is a hidden name")
        if part.split(".")[0].rstrip(" ").upper() in RESERVED_NAMES or part.endswith((" ", ".")):
            raise InvalidSourcePath(param, f"{part!r} is a reserved file name")
        if len(part.encode("utf-8")) > _MAX_PART_BYTES:
            raise InvalidSourcePath(param, f"each part must be at most {_MAX_PART_BYTES} bytes")
    return PurePosixPath(*parts)


def resolve_under(root: Path, relative: PurePosixPath, *, param: str) -> Path:
    """The real location of `relative` in `root`; refused if it resolves outside (a symlink)."""
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        raise InvalidSourcePath(param, "points outside the source folder")
    return target


def relative_to_root(root: Path, sources: Iterable[SourceFile]) -> Iterator[SourceFile]:
    """Sources found under parts of `root`, named relative to `root` itself, so a document found by
    a partial run has the same source path, and so the same identity, as in a full run."""
    base = root.resolve()
    for source in sources:
        yield SourceFile(source.path, source.path.relative_to(base).as_posix())
