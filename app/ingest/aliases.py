"""Institution aliases: short and former names → one canonical full name, per region.

The table is a readable TSV (data/institution_aliases.tsv: canonical, alias, region) so that
adding an alias is a one-line change reviewed like any data. An alias with a region applies only
to documents of that region: `市科技局` is 重庆市科学技术局 in a Chongqing letter and something
else in a Beijing one; an alias without a region (`中科院`) means the same body everywhere.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple


class Alias(NamedTuple):
    canonical: str
    alias: str
    region: str


@lru_cache(maxsize=1)
def load_aliases() -> tuple[Alias, ...]:
    """The alias table, read once."""
    text = resources.files("app.ingest").joinpath("data/institution_aliases.tsv").read_text(encoding="utf-8")
    rows: list[Alias] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [*line.split("\t"), "", ""][:3]
        rows.append(Alias(parts[0].strip(), parts[1].strip(), parts[2].strip()))
    # A zone's committee goes by the zone's customary name too: `重庆高新区管委会` → `重庆高新区`
    # (`重庆高新区会同…`), `两江新区管委会` → `两江新区`.
    rows += [
        Alias(row.canonical, row.alias.removesuffix("管委会"), row.region)
        for row in rows
        if (zone := _ZONE_COMMITTEE.search(row.alias)) and zone.start() > 0  # not a bare `高新区`
    ]
    return tuple(rows)


_ZONE_COMMITTEE = re.compile(r"(?:高新区|经开区|新区|开发区)(?=管委会$)")


@lru_cache(maxsize=1)
def _by_alias() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for row in load_aliases():
        table.setdefault(row.alias, {})[row.region] = row.canonical
        table.setdefault(row.canonical, {})[row.region] = row.canonical
    return table


_SPACE = re.compile(r"\s+")


def _compact(name: str) -> str:
    return _SPACE.sub("", name).strip("“”\"'《》")


@lru_cache(maxsize=4096)
def resolve_alias(name: str, region: str | None) -> str | None:
    """The canonical name the table gives for `name` in `region`, or None when it has none."""
    regions = _by_alias().get(_compact(name))
    if not regions:
        return None
    if region and region in regions:
        return regions[region]
    return regions.get("")


def canonical_in_document(name: str, region: str | None, names: set[str]) -> str:
    """Canonical name for a name a document uses: the alias table for the document's region; else,
    for `市科技局`-style short forms, the region-prefixed full form if the same text uses it
    (`市X` beside `重庆市X`); else the name itself."""
    found = resolve_alias(name, region)
    if found:
        return found
    if region and name[:1] in "市省" and len(name) > 2:
        for prefix in (f"{region}{name[0]}", region):
            candidate = prefix + name[1:]
            if candidate in names:
                return resolve_alias(candidate, region) or candidate
    return name


def canonical_institution_name(name: str, region: str | None = None) -> str:
    """Resolve a user's query string to a canonical institution name, for the database layer.

    With a region, that region's aliases apply; without one, an alias resolves only when every
    region agrees on it (`中科院` → 中国科学院; `市科技局` stays as typed, it is ambiguous)."""
    compact = _compact(name)
    if region:
        return resolve_alias(compact, region) or compact
    regions = _by_alias().get(compact)
    if not regions:
        return compact
    targets = set(regions.values())
    return targets.pop() if len(targets) == 1 else compact
