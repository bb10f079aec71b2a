"""The parsed record: what one source document becomes.

The field names follow the record contract (`record.schema.json` beside this file) so that
one name serves from parse to column to JSON key. Beyond the contract, a record carries its
cleaned text and, for every metric, institution and person, where in that text it was found
(`span`, `sentence`), so a reader can check each extracted fact against its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args

# The contract's value sets, each defined here once: schemas, queries and the loader import them.
Kind = Literal["reply_letter", "news_article", "other"]
ProposalType = Literal["suggestion", "proposal"]
Level = Literal["national", "provincial", "prefecture", "county"]
MetricKind = Literal["actual", "target"]

# Institution types, coarse on purpose: what a user filters by, not an ontology.
InstitutionType = Literal[
    "government",  # 委、局、厅、办、政府、管委会、人大/政协 bodies
    "party",  # 党委 bodies and democratic parties (致公党市委会)
    "lab",  # 实验室
    "university",  # 大学、学院
    "institute",  # 研究院、研究所、科学院
    "centre",  # 中心、平台、基地 run as an organisation
    "company",  # 公司、集团 and enterprises named in the text
    "media",  # newspapers, broadcasters, news sites
    "group",  # 工作组、领导小组、代表团、协会 and other bodies
    "other",
]
INSTITUTION_TYPES: tuple[InstitutionType, ...] = get_args(InstitutionType)

InstitutionRole = Literal["publisher", "signatory", "co_handler", "proposer", "mentioned"]
"""What a document makes of an institution it names: its fields (发布机构, the signature), its
proposal's co-handlers and proposing bodies, or a mention in the text."""
INSTITUTION_ROLES: tuple[InstitutionRole, ...] = get_args(InstitutionRole)

PROPOSER_GROUPS = frozenset({"组织", "代表团"})
"""The `role` of a proposer that is a body (a party committee, a delegation), not a person."""

Span = tuple[int, int]
"""Half-open character offsets [start, end) into `Record.text`."""


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: str | None
    span: Span | None = None
    sentence: str | None = None


@dataclass(frozen=True, slots=True)
class InstitutionMention:
    """One distinct institution name as written, with the first place it occurs.

    `canonical` is the name all of an institution's names resolve to (the full form when the
    alias table or the text says which one it is), so `市科技局` and `重庆市科学技术局` share one.
    """

    name: str
    canonical: str
    type: str
    span: Span | None = None
    sentence: str | None = None


@dataclass(frozen=True, slots=True)
class Metric:
    indicator: str
    value: float
    unit: str
    as_of: str | None
    kind: MetricKind
    qualifier: str | None
    sentence: str
    span: Span

    def as_tuple(self) -> tuple[str, float, str, str | None, str, str | None]:
        return (self.indicator, self.value, self.unit, self.as_of, self.kind, self.qualifier)


@dataclass(frozen=True, slots=True)
class Section:
    number: str
    heading: str


@dataclass(frozen=True, slots=True)
class Proposal:
    type: ProposalType
    level: Level | None
    session: str | None
    term: int | None
    session_no: int | None
    number: str | None
    title: str | None
    proposers: tuple[Person, ...] = ()
    co_handlers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Record:
    kind: Kind
    title: str
    index_no: str | None = None
    doc_no: str | None = None
    genre: str | None = None
    topics: tuple[str, ...] = ()
    publisher: str | None = None
    written_date: date | None = None
    published_date: date | None = None
    signed_date: date | None = None
    signatory: str | None = None
    addressee: str | None = None
    approved_by: str | None = None
    source: str | None = None
    proposal: Proposal | None = None
    sections: tuple[Section, ...] = ()
    institutions: tuple[InstitutionMention, ...] = ()
    people: tuple[Person, ...] = ()
    metrics: tuple[Metric, ...] = ()
    text: str = ""
    """The cleaned text (Simplified, noise removed); every span points into it."""

    def canonical_institution(self, name: str) -> str:
        """The canonical name for a name this record uses (publisher, co-handler...)."""
        for mention in self.institutions:
            if mention.name == name:
                return mention.canonical
        return name

    def institution_type(self, name: str) -> str:
        for mention in self.institutions:
            if mention.name == name or mention.canonical == name:
                return mention.type
        return "other"

    def to_contract(self) -> dict[str, Any]:
        """The record as `record.schema.json` describes it: JSON-ready, nothing extra."""
        proposal = self.proposal
        return {
            "kind": self.kind,
            "title": self.title,
            "index_no": self.index_no,
            "doc_no": self.doc_no,
            "genre": self.genre,
            "topics": list(self.topics),
            "publisher": self.publisher,
            "written_date": _iso(self.written_date),
            "published_date": _iso(self.published_date),
            "signed_date": _iso(self.signed_date),
            "signatory": self.signatory,
            "addressee": self.addressee,
            "approved_by": self.approved_by,
            "source": self.source,
            "proposal": None
            if proposal is None
            else {
                "type": proposal.type,
                "level": proposal.level,
                "session": proposal.session,
                "term": proposal.term,
                "session_no": proposal.session_no,
                "number": proposal.number,
                "title": proposal.title,
                "proposers": [{"name": p.name, "role": p.role} for p in proposal.proposers],
                "co_handlers": list(proposal.co_handlers),
            },
            "sections": [{"number": s.number, "heading": s.heading} for s in self.sections],
            "institutions": [m.name for m in self.institutions],
            "people": [{"name": p.name, "role": p.role} for p in self.people],
            "metrics": [
                {
                    "indicator": m.indicator,
                    "value": whole_if_whole(m.value),
                    "unit": m.unit,
                    "as_of": m.as_of,
                    "kind": m.kind,
                    "qualifier": m.qualifier,
                }
                for m in self.metrics
            ],
        }


class ParseFailure(Exception):
    """A document that cannot become a record, with a reason a person can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def whole_if_whole(value: float) -> int | float:
    """69820.0 → 69820: figures are stored as floats, but most are counts and read better whole
    (in the record contract and in the API alike)."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value
