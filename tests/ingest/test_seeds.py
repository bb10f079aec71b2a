"""Rules checked on the real letters, with values a reader can confirm on the page."""

from __future__ import annotations

from datetime import date

from app.ingest import Record
from tests.ingest.conftest import parsed


def test_reply_names_the_suggestion_it_answers_and_its_co_handlers(record_000: Record) -> None:
    proposal = record_000.proposal
    assert proposal is not None
    assert (proposal.session, proposal.number, proposal.term, proposal.session_no) == (
        "市六届人大一次会议",
        "1024",
        6,
        1,
    )
    assert [(p.name, p.role) for p in proposal.proposers] == [("李谨", "代表")]
    assert proposal.co_handlers == ("市发展改革委", "市经济信息委", "两江新区管委会")
    assert proposal.level == "provincial"  # 重庆 is a municipality: its 市 sessions are provincial


def test_metadata_block_printed_twice_keeps_the_first_copy(record_000: Record) -> None:
    assert record_000.index_no == "11500000MB15895317/2023-00117"
    assert record_000.doc_no == "渝科局函〔2023〕302号"
    assert record_000.topics == ("科技", "教育")
    assert record_000.written_date == record_000.published_date == date(2023, 7, 26)


def test_sign_off_date_differs_from_published_date(record_000: Record) -> None:
    assert (record_000.signatory, record_000.signed_date) == ("重庆市科学技术局", date(2023, 4, 14))
    assert record_000.approved_by == "明炬局长"


def test_title_is_never_the_spam_line_and_loses_layout_spaces(record_000: Record) -> None:
    assert record_000.title == "重庆市科学技术局关于市六届人大一次会议第1024号建议办理情况的答复函"
    assert "三级" not in record_000.text and "扫一扫" not in record_000.text


def test_traditional_text_and_pinyin_glosses_become_plain_simplified(record_000: Record) -> None:
    assert "當" not in record_000.text and "(dāng)" not in record_000.text
    assert "李谨代表" in record_000.text


def test_seed_001_counts_technology_enterprises_to_the_end_of_2024(record_001: Record) -> None:
    facts = [m.as_tuple() for m in record_001.metrics]
    assert ("科技型企业", 69820, "家", "2024", "actual", "累计") in facts
    assert ("高新技术企业", 10000, "家", "2025", "target", "超") in facts
    assert ("科技型企业", 75000, "家", "2025", "target", "超") in facts


def test_blank_doc_number_is_null_and_proposal_number_keeps_its_zeros(record_001: Record) -> None:
    assert record_001.doc_no is None
    assert record_001.proposal is not None and record_001.proposal.number == "0883"
    assert record_001.proposal.type == "proposal"


def test_metric_spans_point_at_their_figure_in_the_cleaned_text(record_001: Record) -> None:
    assert len(record_001.metrics) >= 3
    for metric in record_001.metrics:
        start, end = metric.span
        assert record_001.text[start:end][0].isdigit()
        assert record_001.text[start:end] in metric.sentence


def test_institution_spans_point_at_their_name(record_000: Record) -> None:
    located = [mention for mention in record_000.institutions if mention.span is not None]
    assert len(located) >= 5
    for mention in located:
        assert record_000.text[mention.span[0] : mention.span[1]] == mention.name


def test_aliases_resolve_in_the_documents_region(record_000: Record) -> None:
    canonical = {m.name: m.canonical for m in record_000.institutions}
    assert canonical["市科技局"] == "重庆市科学技术局"
    assert canonical["市经济信息委"] == "重庆市经济和信息化委员会"


def test_a_beijing_letter_does_not_take_chongqings_aliases() -> None:
    record = parsed("104")
    canonical = {m.name: m.canonical for m in record.institutions}
    assert canonical["市发展改革委"] == "北京市发展和改革委员会"


def test_pipe_table_page_without_title_takes_the_proposal_title() -> None:
    record = parsed("003")
    assert record.title == "关于推进西部(重庆)科学城全域联动协同建设的建议"
    assert record.proposal is not None and record.proposal.level is None
    assert [(p.name, p.role) for p in record.proposal.proposers] == [("致公党市委会", "组织")]


def test_news_article_reports_a_delegation_suggestion_with_its_source() -> None:
    record = parsed("002")
    assert (record.kind, record.source) == ("news_article", "重庆日报")
    assert record.proposal is not None
    assert (record.proposal.session, record.proposal.level) == ("十四届全国人大一次会议", "national")
    assert [(p.name, p.role) for p in record.proposal.proposers] == [("重庆代表团", "代表团")]
    assert ("周静", "编辑") in [(p.name, p.role) for p in record.people]


def test_news_article_without_a_suggestion_has_no_proposal() -> None:
    record = parsed("004")
    assert record.proposal is None
    assert ("周艳", "处长") in [(p.name, p.role) for p in record.people]


def test_county_session_of_a_cppcc_with_inline_metadata() -> None:
    record = parsed("107")
    assert record.proposal is not None
    assert (record.proposal.session, record.proposal.level, record.proposal.number) == (
        "政协隆尧县十三届委员会第三次会议",
        "county",
        "059",
    )
    assert record.genre == "政协委员提案" and record.topics == ("工业", "交通")
    assert [s.number for s in record.sections] == ["1", "2", "3", "4", "5"]


def test_heading_cut_off_by_the_end_of_the_page_is_left_out() -> None:
    record = parsed("106")
    assert [s.number for s in record.sections] == ["一", "二"]
    assert record.doc_no == "荣文旅委函〔202366"
    assert record.addressee == "罗丹代表"
