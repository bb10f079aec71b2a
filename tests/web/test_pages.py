"""The explorer's pages on the seeds, through TestClient on SQLite and PostgreSQL: what each page
shows, that it shows what its JSON twin gives, and that document text cannot inject markup."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api.app import create_app
from app.db.ids import stable_id
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import SEEDS, recorded_statements

SEED_000_ID = stable_id("index_no", "11500000MB15895317/2023-00117")
"""Answers 第1024号 of 市六届人大一次会议 from 李谨."""
LETTER_0883_ID = 2154602035075802
"""States 科技型企业 69820家 (actual, 2024) and 7.5万家 (target, 2025)."""
SCIENCE_BUREAU_ID = 7030021567835984
PROPOSAL_1024_ID = 4174543302254997


def html_of(client: TestClient, url: str, status: int = 200) -> str:
    resp = client.get(url)
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("text/html")
    return resp.text


def hrefs(html: str, pattern: str) -> list[str]:
    """Every link of `html` whose (unescaped) href matches `pattern`."""
    links = [unquote(unescape(h)) for h in re.findall(r'href="([^"]*)"', html)]
    return [link for link in links if re.search(pattern, link)]


def test_every_page_is_chinese_strict_about_scripts_and_names_its_api_twin(client: TestClient) -> None:
    pages = {
        "/": "/documents?kind=reply_letter&limit=5",
        "/explore/documents?q=實驗室": "/documents?q=",
        f"/explore/documents/{SEED_000_ID}": f"/documents/{SEED_000_ID}",
        f"/explore/proposals/{PROPOSAL_1024_ID}": f"/proposals/{PROPOSAL_1024_ID}",
        f"/explore/institutions/{SCIENCE_BUREAU_ID}": f"/institutions/{SCIENCE_BUREAU_ID}/related",
        "/explore/metrics/series?indicator=科技型企业": "/metrics/series?indicator=",
    }
    for url, twin in pages.items():
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.text)
        assert '<html lang="zh-CN">' in resp.text
        assert 'name="viewport"' in resp.text
        csp = resp.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "style-src 'self';" in csp
        # No inline script and no inline style anywhere: the CSP would refuse them.
        assert re.findall(r"<script(?![^>]*\bsrc=)", resp.text) == []
        assert " style=" not in resp.text and "<style" not in resp.text
        twins = [unescape(link) for link in re.findall(r'<a class="api-link" href="([^"]+)"', resp.text)]
        assert any(link.startswith(twin) for link in twins), (url, twins)
        for link in twins:
            assert client.get(link).headers["content-type"] == "application/json", link


def test_home_counts_every_resource_as_its_api_total_and_lists_the_newest_letters(client: TestClient) -> None:
    html = html_of(client, "/")
    counts = dict(re.findall(r'<a href="(/\w+)\?limit=1&amp;total=true"><strong class="count">(\d+)</strong>', html))
    assert set(counts) == {"/documents", "/proposals", "/institutions", "/metrics"}
    for path, count in counts.items():
        assert int(count) == client.get(path, params={"limit": 1, "total": "true"}).json()["total"]
    assert counts["/documents"] == "5"
    letters = client.get("/documents", params={"kind": "reply_letter", "limit": 5}).json()["items"]
    assert len(letters) == 3
    listed = re.findall(r'<a class="title" href="/explore/documents/(\d+)">', html)
    assert listed == [str(letter["id"]) for letter in letters]
    assert 'action="/explore/documents"' in html and 'name="q"' in html


def test_a_traditional_search_lists_what_the_api_finds_with_marked_snippets(client: TestClient) -> None:
    html = html_of(client, "/explore/documents?q=實驗室")
    api = client.get("/documents", params={"q": "實驗室", "total": "true"}).json()
    listed = re.findall(r'<a class="title" href="/explore/documents/(\d+)">', html)
    assert listed == [str(item["id"]) for item in api["items"]]
    assert str(SEED_000_ID) in listed
    assert re.search(r'<span class="total" id="total">(\d+)</span>', html).group(1) == str(api["total"])  # type: ignore[union-attr]
    assert "<mark>实验室</mark>" in html
    assert 'value="實驗室"' in html  # the search box keeps what was asked


def test_each_facet_value_links_to_the_results_with_its_filter_added(client: TestClient) -> None:
    html = html_of(client, "/explore/documents?q=實驗室")
    facets = client.get(
        "/documents", params=[("q", "實驗室"), ("facet", "topic"), ("facet", "proposal_type"), ("facet", "institution")]
    ).json()["facets"]
    topic = next(item for item in facets["topic"] if item["value"] == "科技")
    link = hrefs(html, r"topic=科技")
    assert link == ["/explore/documents?q=實驗室&topic=科技"]
    assert f'<span class="facet-value">科技</span> <span class="facet-count">{topic["count"]}</span>' in html
    filtered = html_of(client, link[0])
    assert f'<span class="total" id="total">{topic["count"]}</span>' in filtered
    # A facet on an institution adds `institution`, and the value shown for a code is its label.
    assert "/explore/documents?q=實驗室&institution=明月湖实验室" in hrefs(html, "institution=")
    assert '<span class="facet-value">人大代表建议</span>' in html
    # The documents with no proposal are counted but cannot be a filter: no link.
    unknown = next(item for item in facets["proposal_type"] if item["value"] is None)
    assert f'<li class="unknown"><span>未注明</span> <span class="facet-count">{unknown["count"]}</span></li>' in html


def test_next_page_links_follow_the_api_cursor_and_downloads_keep_the_query(client: TestClient) -> None:
    first = html_of(client, "/explore/documents?kind=reply_letter&limit=1")
    api_first = client.get("/documents", params={"kind": "reply_letter", "limit": 1}).json()
    (next_link,) = hrefs(first, "cursor=")
    assert next_link == f"/explore/documents?kind=reply_letter&limit=1&cursor={api_first['next_cursor']}"
    api_second = client.get(
        "/documents", params={"kind": "reply_letter", "limit": 1, "cursor": api_first["next_cursor"]}
    )
    second = html_of(client, next_link)
    assert re.findall(r'href="/explore/documents/(\d+)">', second)[0] == str(api_second.json()["items"][0]["id"])
    downloads = hrefs(first, "format=")
    assert downloads == ["/documents?kind=reply_letter&format=csv", "/documents?kind=reply_letter&format=ndjson"]
    csv = client.get(downloads[0])
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.count("\n") == 1 + 3  # the header and the three letters, not one page of them


def test_downloads_keep_the_sort_and_the_chips_show_only_what_narrows_the_results(client: TestClient) -> None:
    html = html_of(client, "/explore/documents?kind=reply_letter&sort=title&limit=2")
    assert hrefs(html, "format=") == [
        "/documents?kind=reply_letter&sort=title&format=csv",
        "/documents?kind=reply_letter&sort=title&format=ndjson",
    ]
    chips = re.findall(r'<ul class="active-filters">(.*?)</ul>', html, re.S)[0]
    assert re.findall(r"<span>([^<]+)</span>", chips) == ["类型:答复函"]
    assert hrefs(chips, "") == ["/explore/documents?sort=title&limit=2"]


@pytest.mark.parametrize(
    "page, statements",
    [
        ("/explore/documents?q=實驗室&kind=reply_letter", 8),  # the page, its total and six facets
        (f"/explore/documents/{LETTER_0883_ID}", 5),  # the letter, its proposal, institutions, people, figures
        (f"/explore/proposals/{PROPOSAL_1024_ID}", 2),
        (f"/explore/institutions/{SCIENCE_BUREAU_ID}", 4),  # the institution and its links; again and related
        ("/explore/metrics/series?indicator=科技型企业", 1),
    ],
)
def test_a_page_runs_the_statements_of_its_json_twins(client: TestClient, page: str, statements: int) -> None:
    twins = [unescape(link) for link in re.findall(r'<a class="api-link" href="([^"]+)"', html_of(client, page))]
    with recorded_statements(client) as for_page:
        client.get(page)
    with recorded_statements(client) as for_twins:
        for twin in twins:
            client.get(twin)
    assert len(for_page.queries) == statements
    assert sorted(for_page.queries) == sorted(for_twins.queries)


def test_empty_form_fields_are_no_filter(client: TestClient) -> None:
    empty = html_of(client, "/explore/documents?q=&kind=&publisher=&proposal_type=&session=&year=&topic=&institution=")
    assert '<span class="total" id="total">5</span>' in empty
    assert "active-filters" not in empty


def test_the_letters_page_shows_its_proposal_proposers_and_co_handlers_as_links(client: TestClient) -> None:
    html = html_of(client, f"/explore/documents/{SEED_000_ID}")
    assert "<h1>重庆市科学技术局关于市六届人大一次会议第1024号建议办理情况的答复函</h1>" in html
    assert '<dd class="field-index_no">11500000MB15895317/2023-00117</dd>' in html
    assert '<dd class="field-publisher">市科技局</dd>' in html
    assert f'<a href="/explore/proposals/{PROPOSAL_1024_ID}">市六届人大一次会议第1024号:' in html
    assert hrefs(html, "^/explore/documents\\?q=李谨$") != []
    co_handlers = re.search(r'<dd class="co-handlers">(.*?)</dd>', html).group(1)  # type: ignore[union-attr]
    assert re.findall(r">([^<>]+)</a>", co_handlers) == ["市发展改革委", "市经济信息委", "两江新区管委会"]
    assert "/explore/documents?institution=两江新区管委会" in hrefs(co_handlers, "institution=")


def test_the_letters_text_marks_each_figure_person_and_institution_at_its_span(client: TestClient) -> None:
    html = html_of(client, f"/explore/documents/{LETTER_0883_ID}")
    document = client.get(f"/documents/{LETTER_0883_ID}").json()
    figure = re.search(r'<a class="mark figure" href="([^"]+)" title="([^"]+)"[^>]*>69820家<span class="tip"', html)
    assert figure is not None
    assert unquote(unescape(figure.group(1))) == "/explore/metrics/series?indicator=科技型企业&unit=家"
    assert figure.group(2) == "指标:科技型企业;数值:69820家;时间:2024;类别:实际值;限定:累计"
    person = re.search(r'<a class="mark person" href="([^"]+)"[^>]*>孙宽<span', html)
    assert person is not None and unquote(unescape(person.group(1))) == "/explore/documents?q=孙宽"
    institutions = re.findall(r'<a class="mark institution" href="/explore/institutions/(\d+)"', html)
    spanned = {str(i["id"]) for i in document["institutions"] if i["span"]}
    assert institutions and set(institutions) <= spanned
    # The text is all there, once: the marks' tooltips aside, the page's text is the document's.
    text = re.search(r'<div class="text" id="text">(.*?)</div>', html, re.S).group(1)  # type: ignore[union-attr]
    assert unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span class="tip"[^>]*>.*?</span>', "", text))) == document["text"]


def test_the_proposals_page_lists_its_replies(client: TestClient) -> None:
    html = html_of(client, f"/explore/proposals/{PROPOSAL_1024_ID}")
    assert "<h1>关于支持在两江协同创新区布局高能级产业创新平台的建议</h1>" in html
    assert "<dd>第1024号</dd>" in html and "人大代表建议" in html
    assert hrefs(html, r"^/explore/documents/\d+$") == [f"/explore/documents/{SEED_000_ID}"]
    assert "/explore/documents?session=市六届人大一次会议" in hrefs(html, "session=")


def test_the_institutions_page_shows_its_aliases_documents_by_role_and_related_institutions(client: TestClient) -> None:
    html = html_of(client, f"/explore/institutions/{SCIENCE_BUREAU_ID}")
    assert "<h1>重庆市科学技术局</h1>" in html and "<dd>政府机关</dd>" in html
    assert re.findall(r'<span class="alias">([^<]+)</span>', html) == ["市科技局", "重庆市科学技术局", "重庆市科技局"]
    roles = re.findall(r'<section class="role" data-role="(\w+)">', html)
    assert roles[:2] == ["publisher", "signatory"]
    detail = client.get(f"/institutions/{SCIENCE_BUREAU_ID}").json()
    assert {r for r in roles} == {link["role"] for link in detail["documents"]}
    related = client.get(f"/institutions/{SCIENCE_BUREAU_ID}/related").json()["related"]
    section = html.split('<section class="related">')[1]
    assert re.findall(r'href="/explore/institutions/(\d+)"', section) == [str(r["id"]) for r in related]
    assert "重庆市经济和信息化委员会" in section


def test_the_series_chart_draws_actual_values_and_targets_differently_each_linking_its_document(
    client: TestClient,
) -> None:
    html = html_of(client, "/explore/metrics/series?indicator=科技型企业")
    points = re.findall(
        r'<a class="point (\w+)" href="/explore/documents/(\d+)" data-kind="\w+" data-value="(\d+)">', html
    )
    assert points == [("actual", str(LETTER_0883_ID), "69820"), ("target", str(LETTER_0883_ID), "75000")]
    svg = html.split("<svg")[1].split("</svg>")[0]
    assert svg.count("<circle") == 1 and svg.count("<polygon") == 1  # a dot for the actual, a diamond for the target
    table = html.split('<table class="points">')[1]
    assert re.findall(r'<tr class="(\w+)">', table) == ["actual", "target"]
    assert "累计69820家" in table and "超75000家" in table


def test_bad_parameters_get_an_html_page_with_the_apis_status_naming_the_parameter(client: TestClient) -> None:
    for url, param in [
        ("/explore/documents?year=abc", "year"),
        ("/explore/documents?limit=0", "limit"),
        ("/explore/documents?q=实", "q"),
        ("/explore/documents?cursor=forged", "cursor"),
        ("/explore/documents?format=csv", "format"),
        ("/explore/documents?colour=red", "colour"),
        ("/explore/metrics/series", "indicator"),
        (f"/explore/documents/{SEED_000_ID}?x=1", "x"),
    ]:
        html = html_of(client, url, 422)
        assert f'<code class="param">{param}</code>' in html, url
        assert '<html lang="zh-CN">' in html
    missing = html_of(client, "/explore/documents/1", 404)
    assert "document 1 does not exist" in missing
    assert "does not exist" in html_of(client, "/explore/institutions/1", 404)
    assert html_of(client, "/explore/no-such-page", 404)
    # The API keeps answering problem+json on its own paths.
    assert client.get("/documents?year=abc").headers["content-type"] == "application/problem+json"


def test_a_page_revalidated_by_etag_keeps_the_pages_policy(client: TestClient) -> None:
    url = f"/explore/documents/{SEED_000_ID}"
    etag = client.get(url).headers["etag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    # A 304 replaces the stored headers: with the API's policy the page would lose its stylesheet.
    assert "style-src 'self'" in again.headers["content-security-policy"]


def test_assets_are_served_by_the_app(client: TestClient) -> None:
    css = client.get("/explore/static/explorer.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    js = client.get("/explore/static/explorer.js")
    assert js.status_code == 200 and "requestSubmit" in js.text


@pytest.fixture
def hostile_client(engine: Engine, tmp_path: Path) -> TestClient:
    """Seed 000 with markup in its text, ingested alone."""
    source = (SEEDS / "000_3f149416e4b38c5d.txt").read_text(encoding="utf-8")
    hostile = source.replace("收悉。", '收悉。<script>alert("x")</script><img src=x onerror=alert(1)>', 1)
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "000_hostile.txt").write_text(hostile, encoding="utf-8")
    assert run_ingest(engine, find_sources([folder])).counts["failed"] == 0
    return TestClient(create_app(engine))


def test_markup_in_a_documents_text_is_shown_as_text_never_run(hostile_client: TestClient) -> None:
    assert "<script>alert" in hostile_client.get(f"/documents/{SEED_000_ID}").json()["text"]
    for url in (f"/explore/documents/{SEED_000_ID}", "/explore/documents?q=收悉"):
        html = html_of(hostile_client, url)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert re.search(r"&lt;script&gt;alert\((&#34;|&quot;)x(&#34;|&quot;)\)&lt;/script&gt;", html), url
    document = html_of(hostile_client, f"/explore/documents/{SEED_000_ID}")
    assert "&lt;img src=x onerror=alert(1)&gt;" in document
