"""/documents on the seeds, on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.api.mentions import locate_in_text
from app.db.ids import stable_id
from tests.helpers import all_items, assert_problem

SEED_000_ID = stable_id("index_no", "11500000MB15895317/2023-00117")


def titles(resp_json: dict) -> set[str]:
    return {item["title"] for item in resp_json["items"]}


def test_publisher_filter_finds_the_science_bureaus_two_letters(client: TestClient) -> None:
    resp = client.get("/documents", params={"publisher": "市科技局"})
    assert resp.status_code == 200
    assert titles(resp.json()) == {
        "重庆市科学技术局关于市六届人大一次会议第1024号建议办理情况的答复函",
        "重庆市科学技术局关于市政协六届三次会议第0883号提案答复的函",
    }


def test_publisher_filter_accepts_the_full_name_of_an_abbreviated_publisher(client: TestClient) -> None:
    short = client.get("/documents", params={"publisher": "市科技局"}).json()
    full = client.get("/documents", params={"publisher": "重庆市科学技术局"}).json()
    assert titles(full) == titles(short)


def test_news_articles_are_kept_apart_from_reply_letters(client: TestClient) -> None:
    news = client.get("/documents", params={"kind": "news_article"}).json()
    assert titles(news) == {
        "全团建议 | 增强成渝地区双城经济圈协同创新能力",
        "深入推动创新发展 加快打造具有全国影响力的科创中心",
    }
    assert {item["source"] for item in news["items"]} == {"重庆日报"}


def test_filters_combine_proposal_type_year_and_topic(client: TestClient) -> None:
    proposals_2025 = client.get("/documents", params={"proposal_type": "proposal", "year": 2025}).json()
    assert [item["proposal"]["number"] for item in proposals_2025["items"]] == ["0883"]
    education = client.get("/documents", params={"topic": "教育"}).json()
    assert [item["id"] for item in education["items"]] == [SEED_000_ID]


def test_session_and_institution_filters_follow_the_proposal_and_its_co_handlers(client: TestClient) -> None:
    by_session = client.get("/documents", params={"session": "市六届人大一次会议"}).json()
    assert [item["id"] for item in by_session["items"]] == [SEED_000_ID]
    co_handled = client.get("/documents", params={"institution": "两江新区管委会"}).json()
    assert SEED_000_ID in {item["id"] for item in co_handled["items"]}


def test_published_date_range_is_inclusive(client: TestClient) -> None:
    resp = client.get("/documents", params={"published_from": "2023-07-26", "published_to": "2023-07-26"}).json()
    assert [item["id"] for item in resp["items"]] == [SEED_000_ID]


def test_full_text_search_finds_two_character_words_phrases_and_traditional_queries(client: TestClient) -> None:
    lab = titles(client.get("/documents", params={"q": "明月湖实验室"}).json())
    assert "重庆市科学技术局关于市六届人大一次会议第1024号建议办理情况的答复函" in lab
    traditional = titles(client.get("/documents", params={"q": "明月湖實驗室"}).json())
    assert traditional == lab
    both = titles(client.get("/documents", params={"q": "金凤实验室 冯纲"}).json())
    assert both == {"深入推动创新发展 加快打造具有全国影响力的科创中心"}
    assert client.get("/documents", params={"q": "量子计算机"}).json()["items"] == []


def test_sort_by_published_date_puts_undated_documents_last_and_pages_cover_everything(client: TestClient) -> None:
    newest_first = all_items(client, "/documents", sort="-published_date", limit=2)
    dates = [item["published_date"] for item in newest_first]
    assert len(newest_first) == 5 and len({item["id"] for item in newest_first}) == 5
    assert dates[-1] is None
    assert dates[:-1] == sorted(dates[:-1], reverse=True)
    oldest_first = all_items(client, "/documents", sort="published_date", limit=1)
    assert [i["published_date"] for i in oldest_first[:-1]] == sorted(dates[:-1])
    assert oldest_first[-1]["published_date"] is None


def test_detail_carries_the_whole_record_with_provenance(client: TestClient) -> None:
    doc = client.get(f"/documents/{SEED_000_ID}").json()
    assert doc["index_no"] == "11500000MB15895317/2023-00117"
    assert doc["signed_date"] == "2023-04-14" and doc["published_date"] == "2023-07-26"
    assert doc["approved_by"] == "明炬局长"
    assert doc["proposal"]["co_handlers"] == ["市发展改革委", "市经济信息委", "两江新区管委会"]
    assert [s["number"] for s in doc["sections"]] == ["一", "二", "三"]
    roles = {(i["name"], i["role"]) for i in doc["institutions"]}
    assert {("市科技局", "publisher"), ("市发展改革委", "co_handler")} <= roles
    assert {"name": "李谨", "role": "代表"}.items() <= next(p for p in doc["people"] if p["name"] == "李谨").items()
    assert len(doc["metrics"]) == 15
    for metric in doc["metrics"]:
        start, end = metric["span"]
        assert doc["text"][start:end] and doc["text"][start:end] in metric["sentence"]
    assert "當" not in doc["text"] and "dāng" not in doc["text"]


def test_unknown_document_is_a_404_problem(client: TestClient) -> None:
    problem = assert_problem(client.get("/documents/12345"), 404)
    assert problem.detail == "document 12345 does not exist"


def test_bad_parameters_are_422_problems_naming_the_parameter(client: TestClient) -> None:
    assert_problem(client.get("/documents", params={"limit": "abc"}), 422, "limit")
    assert_problem(client.get("/documents", params={"limit": 1000}), 422, "limit")
    assert_problem(client.get("/documents", params={"limit": 0}), 422, "limit")
    assert_problem(client.get("/documents", params={"published_from": "2023-13-01"}), 422, "published_from")
    assert_problem(client.get("/documents", params={"cursor": "not-a-cursor"}), 422, "cursor")
    assert_problem(client.get("/documents", params={"sort": "popularity"}), 422, "sort")
    assert_problem(client.get("/documents", params={"publsher": "市科技局"}), 422, "publsher")
    assert_problem(client.get("/documents/abc"), 422, "document_id")


def test_a_cursor_only_works_with_the_sort_that_issued_it(client: TestClient) -> None:
    cursor = client.get("/documents", params={"limit": 1, "sort": "title"}).json()["next_cursor"]
    assert cursor
    assert_problem(client.get("/documents", params={"cursor": cursor, "sort": "signed_date"}), 422, "cursor")
    assert_problem(client.get("/proposals", params={"cursor": cursor}), 422, "cursor")


def test_metadata_mentions_say_where_the_text_prints_them(client: TestClient) -> None:
    doc = client.get(f"/documents/{SEED_000_ID}").json()
    text = doc["text"]
    by_role = {(i["role"], i["name"]): i for i in doc["institutions"]}
    publisher = by_role[("publisher", "市科技局")]
    assert publisher["source"] == "text" and publisher["sentence"] == "[ 发布机构 ] 市科技局"
    signatory = by_role[("signatory", "重庆市科学技术局")]
    # The signature at the end of the letter, not the sender named in the title.
    assert signatory["span"][0] == text.rfind("重庆市科学技术局") > text.find("重庆市科学技术局")
    for name in ("市发展改革委", "市经济信息委", "两江新区管委会"):
        co_handler = by_role[("co_handler", name)]
        assert co_handler["sentence"].startswith("经与市发展改革委、市经济信息委、两江新区管委会等协办单位")
    proposer = next(p for p in doc["people"] if p["is_proposer"])
    assert (proposer["name"], proposer["sentence"]) == ("李谨", "李谨代表:")
    assert len(doc["institutions"]) >= 5 and len(doc["people"]) >= 2
    for entry in doc["institutions"] + doc["people"]:
        assert entry["source"] == "text"
        start, end = entry["span"]
        assert text[start:end] == entry["name"] and entry["name"] in entry["sentence"]


def test_a_name_the_text_does_not_print_is_marked_as_from_the_metadata() -> None:
    text = "重庆市科学技术局关于第1024号建议的答复\n经与市教委研究办理。\n重庆市科学技术局\n"
    assert locate_in_text(text, "市经济信息委", "co_handler", None, None, None) == {
        "span": None,
        "sentence": None,
        "source": "metadata",
    }
    signature = locate_in_text(text, "重庆市科学技术局", "signatory", None, None, None)
    assert signature["span"] == (text.rfind("重庆市科学技术局"), len(text) - 1) and signature["source"] == "text"
    assert locate_in_text(text, "市教委", "co_handler", None, None, None)["sentence"] == "经与市教委研究办理。"
    stored = locate_in_text(text, "市教委", "mentioned", 22, 25, "stored sentence")
    assert stored == {"span": (22, 25), "sentence": "stored sentence", "source": "text"}
