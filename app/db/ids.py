"""Stable public ids: derived from what a thing is, never from insertion order."""

from __future__ import annotations

import hashlib

_MAX_SAFE = 2**53 - 1  # the largest integer a JavaScript client holds exactly


def stable_id(*parts: str) -> int:
    """A positive 53-bit id for the identity given by `parts` (e.g. ("index_no", "1150…/2023-00117"))."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return (int.from_bytes(digest[:8], "big") & _MAX_SAFE) or 1
