"""An optional in-process cache of rendered responses, bounded in bytes, least recently used out.

Keyed by the ETag, which is made of the data version and the canonical URL: a body is found
only while the data it was rendered from is the newest, so it is never older than the data.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Cached:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[str, Cached] = OrderedDict()

    def get(self, key: str) -> Cached | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: str, start: MutableMapping[str, Any], body: bytes) -> None:
        if len(body) > self.max_bytes // 8:  # one body never crowds out most of the others
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self._entries[key] = Cached(start["status"], list(start.get("headers", [])), body)
        self.size += len(body)
        while self.size > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.size -= len(evicted.body)
