"""Finding source documents on disk: the one walk the CLI, the ingest job and the tests share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.ingest import SOURCE_SUFFIXES


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    relative: str
    """The path relative to the folder it was found under: a document's identity when it has no 索引号."""

    @property
    def name(self) -> str:
        return self.path.stem


class MissingSource(Exception):
    def __init__(self, path: Path) -> None:
        super().__init__(f"no such file or folder: {path}")
        self.path = path


def find_sources(paths: list[Path]) -> Iterator[SourceFile]:
    """Yield the source documents named by `paths` (files, or folders searched recursively),
    sorted within each folder. Every path is checked before anything is yielded."""
    for path in paths:
        if not path.exists():
            raise MissingSource(path)
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file() and file.suffix.lower() in SOURCE_SUFFIXES:
                    yield SourceFile(file, file.relative_to(path).as_posix())
        else:
            yield SourceFile(path, path.name)
