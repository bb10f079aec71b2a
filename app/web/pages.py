"""The explorer's pages: thin routes over the JSON API's own readers (`read_page`, `read_document`…),
so a page and its JSON twin run the same statements and cannot disagree."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api import documents, institutions, metrics, proposals
from app.api.deps import reader_of
from app.api.errors import invalid_param
from app.api.listing import read_page
from app.api.params import refuse_unknown, validate_query
from app.db.queries.documents import document_query
from app.db.queries.institutions import institution_query
from app.db.queries.metrics import metric_query
from app.db.queries.proposals import proposal_query
from app.db.read import Reader
from app.ingest.record import INSTITUTION_ROLES
from app.schemas.common import ResourceId
from app.schemas.documents import DocumentFacet, DocumentFilters
from app.schemas.institutions import InstitutionFilters
from app.schemas.metrics import MetricFilters, SeriesFilters
from app.schemas.proposals import ProposalFilters
from app.web.chart import draw_series
from app.web.highlight import highlighted_runs, series_url
from app.web.render import PAGES, page, query_url

router = APIRouter(include_in_schema=False)

NEWEST = 5
"""Letters on the home page."""
RESULT_FACETS = [
    DocumentFacet.kind,
    DocumentFacet.proposal_type,
    DocumentFacet.year,
    DocumentFacet.topic,
    DocumentFacet.publisher,
    DocumentFacet.institution,
]
"""Beside the results; each facet's name is also the filter its values add."""
FACET_SHOWN = 12
"""Values per facet on the page; the JSON twin has all of them (up to the API's 50)."""
PAGE_SETS = frozenset(("format", "facet", "total"))
"""Parameters of /documents that the results page chooses itself."""
EXPORTS = ("csv", "ndjson")
ROLES = INSTITUTION_ROLES


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    refuse_unknown(request)
    reader = reader_of(request)
    newest = DocumentFilters(kind="reply_letter", limit=NEWEST)
    letters = await read_page(
        documents.LISTING, request, *_document_statements(newest, reader), newest, sort=newest.sort.value
    )
    return page(
        "home.html",
        {
            "counts": await corpus_counts(reader),
            "letters": letters["items"],
            "api": [("最新答复函", f"/documents?kind=reply_letter&limit={NEWEST}")],
        },
    )


async def corpus_counts(reader: Reader) -> list[tuple[str, str, int]]:
    """(what, its list's API URL with the count, how many) for each resource: the `total=true`
    statement of each list with no filters, in one snapshot."""
    totals = [
        ("文件", "/documents", document_query(DocumentFilters(), reader).shape.total()),
        ("建议与提案", "/proposals", proposal_query(ProposalFilters(), reader).shape.total()),
        ("机构", "/institutions", institution_query(InstitutionFilters(), reader).shape.total()),
        ("数据", "/metrics", metric_query(MetricFilters(), reader).shape.total()),
    ]
    async with reader.snapshot() as snapshot:
        return [
            (what, f"{url}?limit=1&total=true", int(await snapshot.scalar(stmt) or 0)) for what, url, stmt in totals
        ]


@router.get(f"{PAGES}/documents", response_class=HTMLResponse)
async def search_documents(request: Request) -> HTMLResponse:
    # A form sends every field, filled or not: an empty one is no filter.
    asked = [(name, value) for name, value in request.query_params.multi_items() if value.strip()]
    for name, _ in asked:
        if name in PAGE_SETS:
            raise invalid_param(
                name, "set by the page, which always counts and facets; downloads are its CSV and NDJSON links"
            )
    f = validate_query(asked, DocumentFilters)
    f = f.model_copy(update={"facet": RESULT_FACETS, "total": True})
    reader = reader_of(request)
    body = await read_page(
        documents.LISTING, request, *_document_statements(f, reader), f, sort=f.sort.value, facets=f.facet
    )
    links = ResultLinks(asked, body["next_cursor"])
    return page(
        "documents.html",
        {
            "f": f,
            "asked": dict(asked),  # the form shows what was typed (the filters hold it normalised)
            "q": dict(asked).get("q"),
            "body": body,
            "facets": {name: values[:FACET_SHOWN] for name, values in (body["facets"] or {}).items()},
            "links": links,
            "api": [("同一查询", links.twin)],
        },
    )


class ResultLinks:
    """The links of a results page, each the query as asked with one change."""

    def __init__(self, asked: list[tuple[str, str]], next_cursor: str | None) -> None:
        self.same_query = [(name, value) for name, value in asked if name != "cursor"]
        self.filters = [(name, value) for name, value in self.same_query if name not in ("limit", "sort")]
        """What narrows the results: the chips above them."""
        self.next_page = self._results([*self.same_query, ("cursor", next_cursor)]) if next_cursor else None
        self.twin = query_url("/documents", [*asked, *(("facet", facet) for facet in RESULT_FACETS), ("total", "true")])
        """The same query in the API, with the page's facets and total: the data the page shows."""
        whole = [(name, value) for name, value in self.same_query if name != "limit"]  # an export ignores paging
        self.downloads = [(fmt.upper(), query_url("/documents", [*whole, ("format", fmt)])) for fmt in EXPORTS]

    def add_filter(self, name: str, value: Any) -> str:
        """The results with `name` set to `value` (replacing its value, if it had one), from the first page."""
        return self._results([*((n, v) for n, v in self.same_query if n != name), (name, value)])

    def drop_filter(self, name: str) -> str:
        return self._results([(n, v) for n, v in self.same_query if n != name])

    @staticmethod
    def _results(items: list[tuple[str, Any]]) -> str:
        return query_url(f"{PAGES}/documents", items)


def _document_statements(f: DocumentFilters, reader: Reader) -> tuple[Any, dict[str, Any]]:
    return document_query(f, reader)


Id = ResourceId


@router.get(f"{PAGES}/documents/{{document_id}}", response_class=HTMLResponse)
async def document_page(request: Request, document_id: Id) -> HTMLResponse:
    refuse_unknown(request)
    document = await documents.read_document(reader_of(request), document_id)
    return page(
        "document.html",
        {
            "d": document,
            "runs": highlighted_runs(document),
            "series_url": series_url,
            "api": [("这份文件", f"/documents/{document_id}")],
        },
    )


@router.get(f"{PAGES}/proposals/{{proposal_id}}", response_class=HTMLResponse)
async def proposal_page(request: Request, proposal_id: Id) -> HTMLResponse:
    refuse_unknown(request)
    proposal = await proposals.read_proposal(reader_of(request), proposal_id)
    return page("proposal.html", {"p": proposal, "api": [("这件建议或提案", f"/proposals/{proposal_id}")]})


@router.get(f"{PAGES}/institutions/{{institution_id}}", response_class=HTMLResponse)
async def institution_page(request: Request, institution_id: Id) -> HTMLResponse:
    refuse_unknown(request)
    reader = reader_of(request)
    institution = await institutions.read_institution(reader, institution_id, 100)
    related = await institutions.read_related(reader, institution_id, None, 20)
    by_role: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for link in institution["documents"]:
        by_role[link["role"]].append(link)
    return page(
        "institution.html",
        {
            "i": institution,
            "by_role": [(role, by_role[role]) for role in ROLES if by_role.get(role)],
            "related": related["related"],
            "api": [
                ("这个机构", f"/institutions/{institution_id}"),
                ("相关机构", f"/institutions/{institution_id}/related"),
            ],
        },
    )


@router.get(f"{PAGES}/metrics/series", response_class=HTMLResponse)
async def series_page(request: Request) -> HTMLResponse:
    f = validate_query(request.query_params.multi_items(), SeriesFilters)
    series = await metrics.read_series(reader_of(request), f)
    return page(
        "series.html",
        {
            "series": series,
            "chart": draw_series(series["points"]),
            "api": [("这组数据", query_url("/metrics/series", request.query_params.multi_items()))],
        },
    )
