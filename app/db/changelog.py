"""The change log the ingest writes: which resource rows changed, appended in the transaction of
those rows, so `/changes` never shows a change whose data is not visible, nor misses one that is.

The log is kept exact and bounded by two rules: appending an entry for a row deletes the row's
earlier one, and delete tombstones older than CHANGES_RETENTION_DAYS are pruned (the highest seq
pruned is kept in `data_version.changes_pruned`, the feed's horizon). Replaying the log from the
start therefore gives an upsert for every row there is and a delete only for rows that are gone.

What counts as a change is what a resource serves, compared before and after a batch: a
proposal's list fields, a person's roles and document count; institutions only ever gain rows
and aliases, which their inserts report; documents and figures are compared in `app.db.load`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    Connection,
    DateTime,
    Table,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal_column,
    select,
    update,
)

from app.config import get_settings
from app.db.models import PROPOSAL_SERVED, Change, ChangeOp, ChangeResource, DataVersion, DocumentPerson, Proposal

CHUNK = 5000
"""Ids per expanding IN: well under SQLite's 32,766 parameters and PostgreSQL's 65,535."""


@dataclass(slots=True)
class Changes:
    """The changes of one transaction, the last op per row winning, all at the moment `at`."""

    at: datetime
    ops: dict[tuple[ChangeResource, int], ChangeOp] = field(default_factory=dict)

    def upsert(self, resource: ChangeResource, ids: Iterable[int]) -> None:
        for row_id in ids:
            self.ops[(resource, row_id)] = "upsert"

    def delete(self, resource: ChangeResource, ids: Iterable[int]) -> None:
        for row_id in ids:
            self.ops[(resource, row_id)] = "delete"

    def ids(self, resource: ChangeResource, op: ChangeOp) -> set[int]:
        return {row_id for (r, row_id), o in self.ops.items() if r == resource and o == op}


_FORGET = delete(Change).where(
    Change.resource == bindparam("resource"), Change.resource_id.in_(bindparam("ids", expanding=True))
)
_TABLE = cast(Table, Change.__table__)


def record_changes(db: Connection, changes: Changes) -> None:
    """Append `changes` to the log in the caller's transaction, replacing each row's earlier entry,
    and prune the tombstones past retention.

    Call it last, after `bump_data_version`: on PostgreSQL that update holds the data version's row
    lock until commit, so concurrent writers (a shared ingest) take their seqs one transaction after
    another, and seq order is commit order. A reader can then never see seq n+1 before seq n."""
    if not changes.ops:
        return
    keys = sorted(changes.ops)
    by_resource: dict[ChangeResource, list[int]] = {}
    for resource, row_id in keys:
        by_resource.setdefault(resource, []).append(row_id)
    for resource, ids in by_resource.items():
        for chunk in chunks(ids):
            db.execute(_FORGET, {"resource": resource, "ids": chunk})
    db.execute(
        insert(_TABLE),
        [{"resource": r, "resource_id": i, "op": changes.ops[(r, i)], "at": changes.at} for r, i in keys],
    )
    prune_tombstones(db, changes.at - timedelta(days=get_settings().changes_retention_days))


def prune_tombstones(db: Connection, before: datetime) -> int | None:
    """Delete the delete tombstones older than `before`, raising the feed's horizon to the highest
    seq among them; that seq, or None when there was none."""
    # One DELETE … RETURNING through the partial index of tombstones: `max(seq)` over the same
    # condition would walk the log back from its newest entry. The op is a literal, as the index
    # states it, so both planners see that it applies.
    pruned = max(db.scalars(_PRUNE, {"before": before}), default=None)
    if pruned is None:
        return None
    horizon = DataVersion.changes_pruned
    raised = case((horizon < pruned, pruned), else_=horizon)
    db.execute(update(DataVersion).where(DataVersion.id == 1).values(changes_pruned=raised))
    return pruned


_PRUNE = (
    delete(Change)
    .where(Change.op == literal_column("'delete'"), Change.at < bindparam("before", type_=DateTime(timezone=True)))
    .returning(Change.seq)
)


def chunks(ids: Sequence[int] | set[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


BRIEF_FIELDS = slice(0, 7)
"""Of PROPOSAL_SERVED, what a document's list item shows of its proposal (type … title): a change
there changes the proposal's documents too. (term and session_no ride along: no brief without them.)"""

_PROPOSAL_STATE = select(Proposal.id, *PROPOSAL_SERVED).where(Proposal.id.in_(bindparam("ids", expanding=True)))
_PERSON_DOCUMENTS = (
    select(DocumentPerson.person_id, func.count(func.distinct(DocumentPerson.document_id)))
    .where(DocumentPerson.person_id.in_(bindparam("ids", expanding=True)))
    .group_by(DocumentPerson.person_id)
)
_PERSON_ROLES = (
    select(DocumentPerson.person_id, DocumentPerson.role)
    .where(DocumentPerson.person_id.in_(bindparam("ids", expanding=True)), DocumentPerson.role.is_not(None))
    .distinct()
)
_PEOPLE_OF = (
    select(DocumentPerson.person_id).where(DocumentPerson.document_id.in_(bindparam("ids", expanding=True))).distinct()
)


def proposal_state(db: Connection, ids: set[int]) -> dict[int, tuple[Any, ...]]:
    """What each of the proposals `ids` serves, for those that exist."""
    state: dict[int, tuple[Any, ...]] = {}
    for chunk in chunks(ids):
        for row in db.execute(_PROPOSAL_STATE, {"ids": chunk}):
            state[row[0]] = tuple(row[1:])
    return state


def people_of(db: Connection, document_ids: set[int]) -> set[int]:
    """The people the stored documents `document_ids` name."""
    people: set[int] = set()
    for chunk in chunks(document_ids):
        people.update(db.scalars(_PEOPLE_OF, {"ids": chunk}))
    return people


def person_state(db: Connection, ids: set[int]) -> dict[int, tuple[int, frozenset[str]]]:
    """What each of the people `ids` serves that documents decide: how many name them, in which roles.
    A person no document names is absent (as one never stored)."""
    documents: dict[int, int] = {}
    roles: dict[int, set[str]] = {}
    for chunk in chunks(ids):
        for person_id, count in db.execute(_PERSON_DOCUMENTS, {"ids": chunk}):
            documents[person_id] = int(count)
        for person_id, role in db.execute(_PERSON_ROLES, {"ids": chunk}):
            roles.setdefault(person_id, set()).add(cast(str, role))
    return {person_id: (count, frozenset(roles.get(person_id, ()))) for person_id, count in documents.items()}


def differing(before: dict[int, Any], after: dict[int, Any]) -> set[int]:
    """Ids whose state is new or other than it was (not those gone: see `gone`)."""
    return {row_id for row_id, state in after.items() if before.get(row_id) != state}


def touch(db: Connection, model: Any, ids: set[int], at: datetime) -> None:
    """Set `updated_at` of the rows `ids` of `model` to `at`."""
    for chunk in chunks(ids):
        db.execute(_touching(model), {"ids": chunk, "at": at})


@lru_cache(maxsize=8)
def _touching(model: Any) -> Any:
    return (
        update(model)
        .where(model.id.in_(bindparam("ids", expanding=True)))
        .values(updated_at=bindparam("at", type_=DateTime(timezone=True)))
    )
