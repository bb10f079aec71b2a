"""The Draft: what the parser knows about one document between two steps.

Every step of `pipeline.STEPS` takes a frozen Draft and returns a new one (`Draft.replace`),
so a step can be run alone in a test and two steps cannot quietly share mutable state. The record
under construction rides along in `record`; steps fill its fields with `with_record`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from app.ingest.record import Record


class MetaLine(NamedTuple):
    pairs: tuple[tuple[str, str], ...]
    """(label as printed, value) in the order printed."""
    byline: bool
    """Read by its shape (`• 四川日报 2021-03-09 10:05`), not by a label it opens with."""


@dataclass(frozen=True)
class Draft:
    name: str
    raw: bytes
    text: str = ""
    """Decoded text; after `clean` it is the cleaned text, one paragraph per line."""
    is_html: bool = False
    page_title: str | None = None
    """An HTML page's `<title>`, a fallback for pages without a title line."""
    lines: tuple[str, ...] = ()
    """The cleaned lines; `text == "\\n".join(lines)` once `clean` has run."""
    meta: Mapping[str, str] = field(default_factory=dict)
    """Metadata by canonical key (index_no, doc_no, genre, topics, publisher, written_date...)."""
    meta_lines: Mapping[int, MetaLine] = field(default_factory=dict)
    """The lines that held metadata (not body text), by index, with what each was read as."""
    body_start: int = 0
    """Index of the first body line: after the title, date line and salutation."""
    region: str | None = None
    """Province-level region of the document (`重庆`, `北京`...), for levels and aliases."""
    record: Record = field(default_factory=lambda: Record(kind="other", title="-"))
    trace: tuple[str, ...] = ()

    def note(self, message: str) -> Draft:
        """The same draft with one more line in its trace."""
        return _replaced(self, {"trace": (*self.trace, message)})

    def with_record(self, **changes: Any) -> Draft:
        """The same draft with record fields replaced."""
        return _replaced(self, {"record": _replaced(self.record, changes)})

    def replace(self, **changes: Any) -> Draft:
        return _replaced(self, changes)

    @property
    def line_offsets(self) -> tuple[int, ...]:
        """Start offset of every line in `text` (lines are joined by one newline)."""
        offsets: list[int] = []
        position = 0
        for line in self.lines:
            offsets.append(position)
            position += len(line) + 1
        return tuple(offsets)

    @property
    def body_lines(self) -> list[tuple[int, str]]:
        """(offset, line) for the body lines that are not metadata."""
        offsets = self.line_offsets
        return [
            (offsets[i], line) for i, line in enumerate(self.lines) if i >= self.body_start and i not in self.meta_lines
        ]


Step = Callable[[Draft], Draft]


_Frozen = TypeVar("_Frozen", Draft, Record)


def _replaced(item: _Frozen, changes: Mapping[str, Any]) -> _Frozen:
    """`dataclasses.replace` for these frozen classes without running `__init__` again: every
    step makes a few new drafts, and `dataclasses.replace` was a twentieth of a parse. (They keep
    their fields in `__dict__`, not slots, so the copy is two dict updates.)"""
    unknown = changes.keys() - item.__dict__.keys()
    if unknown:
        raise TypeError(f"{type(item).__name__} has no field {sorted(unknown)}")
    new = object.__new__(type(item))
    new.__dict__.update(item.__dict__)
    new.__dict__.update(changes)
    return new
