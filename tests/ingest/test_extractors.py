"""Each extractor on its own, table-driven: what it must find, and what only looks like it."""

from __future__ import annotations

from datetime import date

import pytest

from app.ingest.aliases import canonical_institution_name
from app.ingest.clean import clean_lines
from app.ingest.dates import parse_date
from app.ingest.metrics import metrics_in_text
from app.ingest.orgnames import drop_nested, find_org_names
from app.ingest.people import find_credits, find_speakers, proposers_from_addressee
from app.ingest.proposal import find_co_handlers, find_session, level_of
from app.ingest.sections import heading_of

Fact = tuple[str, float, str, str | None, str, str | None]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("截至2024年底,累计培育科技型企业69820家", [("科技型企业", 69820, "家", "2024", "actual", "累计")]),
        (
            "力争2025年高新技术企业、科技型企业分别突破1万家和7.5万家",
            [
                ("高新技术企业", 10000, "家", "2025", "target", "超"),
                ("科技型企业", 75000, "家", "2025", "target", "超"),
            ],
        ),
        (
            "2021年度全社会研究与试验发展经费投入超10亿元。",
            [("全社会研究与试验发展经费投入", 1e9, "元", "2021", "actual", "超")],
        ),
        (
            "2023年1-6月份,研发投入归集总额达到15438.72万元。",
            [("研发投入归集总额", 154387200, "元", "2023-06", "actual", None)],
        ),
        ("开放共享大型仪器设备1.4万台/套", [("开放共享大型仪器设备", 14000, "台/套", None, "actual", None)]),
        ("开展川渝科技成果对接等活动200余场次", [("活动", 200, "场次", None, "actual", "余")]),
        ("重点引育高层次人才200名以上", [("高层次人才", 200, "名", None, "actual", "以上")]),
        ("聚集近40名专家", [("聚集", 40, "名", None, "actual", "左右")]),
        (
            "新增环大学创新创业生态圈4个、累计10个",
            [
                ("环大学创新创业生态圈", 4, "个", None, "actual", "新增"),
                ("环大学创新创业生态圈", 10, "个", None, "actual", "累计"),
            ],
        ),
        (
            "2022年,全年新增高新技术企业5家,科技型中小企业67家。",
            [
                ("高新技术企业", 5, "家", "2022", "actual", "新增"),
                ("科技型中小企业", 67, "家", "2022", "actual", "新增"),
            ],
        ),
    ],
)
def test_metrics_are_read_from_their_sentence(sentence: str, expected: list[Fact]) -> None:
    assert [m.as_tuple() for m in metrics_in_text(sentence)] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "从两个方面推进",  # a rhetorical count in Chinese numerals
        "每个县(市、区)的开发区原则上不超过1家",  # a limit in a rule
        "第1024号建议",  # a proposal number
        "渝科局函〔2023〕302号",  # a document number
        "2023年7月26日印发",  # a date
        "举报电话:023-57737953",  # a phone number
        "实施240小时过境免签政策",  # a number inside a name
        "推进轨道27、15、7号线建设",  # line numbers
        "印发《关于落实12条措施的通知》",  # inside a cited title
        "本文从4个方面说明",  # counts of points in the text itself
        "奖励20-200元",  # a range
    ],
)
def test_not_a_metric(sentence: str) -> None:
    assert metrics_in_text(sentence) == []


def test_a_sentence_opening_with_a_year_dates_the_rest_of_its_paragraph() -> None:
    facts = metrics_in_text("2023年,对于需要复审的12家高新技术企业,已有5家提交资料。新申报6家。")
    assert [m.as_of for m in facts] == ["2023", "2023", "2023"]


def test_a_year_range_start_is_not_a_reference_date() -> None:
    assert [m.as_of for m in metrics_in_text("2018年以来,累计投入财政经费超7000万元")] == [None]


def test_a_plan_section_makes_its_figures_targets() -> None:
    facts = metrics_in_text("二、下一步工作重点\n系统布局塑造16个战略领域创新突破点。")
    assert [(m.value, m.kind) for m in facts] == [(16, "target")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-07-26", date(2023, 7, 26)),
        ("2023年4月14日", date(2023, 4, 14)),
        ("2019-06-12 17:49:46", date(2019, 6, 12)),
        ("2023/7/6", date(2023, 7, 6)),
        ("二〇二三年四月十四日", date(2023, 4, 14)),
        ("3月5日", None),  # no year: not a date we can store
        ("2023-02-30", None),
        ("", None),
    ],
)
def test_dates_are_read_in_every_printed_form(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "session", "term", "session_no", "level"),
    [
        ("关于市六届人大一次会议第1024号建议", "市六届人大一次会议", 6, 1, "provincial"),
        ("出席十四届全国人大一次会议的重庆代表团", "十四届全国人大一次会议", 14, 1, "national"),
        ("北京市十六届人大三次会议第0268号建议", "北京市十六届人大三次会议", 16, 3, "provincial"),
        ("关于广东省十三届人大二次会议第1027号", "广东省十三届人大二次会议", 13, 2, "provincial"),
        ("关于区十八届人大四次会议第274号建议", "区十八届人大四次会议", 18, 4, "county"),
        ("对政协隆尧县十三届委员会第三次会议 第059号提案", "政协隆尧县十三届委员会第三次会议", 13, 3, "county"),
        ("对市政协九届三次会议关于", "市政协九届三次会议", 9, 3, "prefecture"),  # 盘锦: not a municipality
    ],
)
def test_sessions_are_read_as_printed_with_their_level(
    text: str, session: str, term: int, session_no: int, level: str
) -> None:
    found = find_session(text)
    assert found is not None
    region = "辽宁" if "九届" in text else "重庆"
    assert (found.text, found.term, found.session_no, level_of(found.place, region)) == (
        session,
        term,
        session_no,
        level,
    )


@pytest.mark.parametrize("text", ["市第六次党代会提出", "今年全国两会", "第1024号"])
def test_not_a_session(text: str) -> None:
    assert find_session(text) is None


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        (
            "经与市发展改革委、市经济信息委、两江新区管委会等协办单位共同研究办理",
            ("市发展改革委", "市经济信息委", "两江新区管委会"),
        ),
        ("我们会同市发展改革委、市经济和信息化局进行了认真研究", ("市发展改革委", "市经济和信息化局")),
        ("经综合省发展改革委、教育厅、工信厅等单位意见,现答复如下", ("省发展改革委", "教育厅", "工信厅")),
        ("经与区教委、团区委、仁义镇共同研究办理", ("区教委", "团区委", "仁义镇")),
        ("经与市科技局和市财政局共同研究", ("市科技局", "市财政局")),
        ("您提出的建议收悉,现答复如下", ()),
    ],
)
def test_co_handlers_are_named_as_written(opening: str, expected: tuple[str, ...]) -> None:
    assert find_co_handlers(opening) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("著力建设金凤实验室、明月湖实验室等", ["金凤实验室", "明月湖实验室"]),
        ("培育建设北京大学重庆大数据研究院", ["北京大学重庆大数据研究院"]),
        ("加强与市交通局及市道路运输中心对接", ["市交通局", "市道路运输中心"]),
        ("2017年我省科技厅与香港特区创新及科技局签署", ["科技厅", "香港特区创新及科技局"]),
        ("促成盘锦市人民政府与辽宁省农业科学院签订协议", ["盘锦市人民政府", "辽宁省农业科学院"]),
        ("依托重庆脑与智能科学中心", ["重庆脑与智能科学中心"]),
        ("在省级层面成立了省推进粤港澳大湾区建设领导小组", ["省推进粤港澳大湾区建设领导小组"]),
        ("贯彻落实党中央、国务院的决策部署", ["党中央", "国务院"]),
    ],
)
def test_institutions_are_found_by_their_suffix(sentence: str, expected: list[str]) -> None:
    assert [n.name for n in drop_nested(find_org_names(sentence))] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "新增2个全国重点实验室",  # a counted category
        "构建粤港澳科技合作新格局",  # 格局 is not a bureau
        "优化产业布局",
        "举办高水平创赛",
        "加快建设具有全国影响力的科技创新中心",  # a generic category
        "积极争取国家实验室重庆基地布局",
        "该实验室聚焦生命健康领域",
        "推进西部(重庆)科学城建设",  # a place, not an organisation
    ],
)
def test_not_an_institution(sentence: str) -> None:
    assert drop_nested(find_org_names(sentence)) == []


def test_canonical_name_of_a_users_query() -> None:
    assert canonical_institution_name("中科院") == "中国科学院"
    assert canonical_institution_name("市发展改革委") == "市发展改革委"  # 重庆 or 北京: ambiguous
    assert canonical_institution_name("市发展改革委", "北京") == "北京市发展和改革委员会"
    assert canonical_institution_name("市科技局", "重庆") == "重庆市科学技术局"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("记者:陈国栋 张亦筑", [("陈国栋", "记者"), ("张亦筑", "记者")]),
        ("编辑:周静 徐静文(实习)", [("周静", "编辑"), ("徐静文", "编辑")]),
        ("责任编辑:黄云万", [("黄云万", "责任编辑")]),
        ("西部(重庆)科学城金凤实验室。首席记者 龙帆 摄/视觉重庆", [("龙帆", "首席记者")]),
        ("相关阅读", []),
    ],
)
def test_news_credits_name_people_with_their_role(line: str, expected: list[tuple[str, str]]) -> None:
    assert [(p.name, p.role) for p in find_credits(line)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("市科技局科技创新中心发展处处长周艳介绍", [("周艳", "处长")]),
        ("璧山区科技局副局长陈志强说", [("陈志强", "副局长")]),
        ("规划处(研究室)处长李政刚表示", [("李政刚", "处长")]),
        ("成立分管副市长任组长的工作小组", []),  # a title, no name
    ],
)
def test_officials_are_named_with_their_title(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(p.name, p.role) for p, _ in find_speakers(sentence)] == expected


@pytest.mark.parametrize(
    ("addressee", "expected"),
    [
        ("李谨代表", [("李谨", "代表")]),
        ("孙宽委员", [("孙宽", "委员")]),
        ("致公党市委会", [("致公党市委会", "组织")]),
        ("重庆代表团", [("重庆代表团", "代表团")]),
    ],
)
def test_proposers_come_from_the_salutation(addressee: str, expected: list[tuple[str, str]]) -> None:
    assert [(p.name, p.role) for p in proposers_from_addressee(addressee)] == expected


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("香港日本韩国三级,国产亚洲精品不卡在线,亚洲日本欧美综合在线一,国产精品自在在线香蕉\n标题", ["标题"]),
        ("您當(dāng)前的位置: 首頁>>政務(wù)公開\n正文第一段。", ["正文第一段。"]),
        ("16-top_img.png\n正文", ["正文"]),
        ("来源:科技和工业信息化局 时间:2023-07-06 字体:【大 中 小】", ["来源:科技和工业信息化局 时间:2023-07-06"]),
        ("第一行\n第二行\n第三行\n扫一扫在手机打开当前页\n页脚", ["第一行", "第二行", "第三行"]),
        ("ＡＢＣ１２３，测试", ["ABC123,测试"]),
        ("經與市發展改革委", ["经与市发展改革委"]),
    ],
)
def test_cleaning_keeps_the_text_and_drops_the_page_chrome(raw: str, kept: list[str]) -> None:
    assert clean_lines(raw)[0] == kept


@pytest.mark.parametrize(
    ("rest", "heading"),
    [
        ("我市建设高能级创新平台情况", "我市建设高能级创新平台情况"),
        ("积极培育规上企业。制定了措施", "积极培育规上企业"),
        ("针对您提出的“建议…的认知。”区城市管理局支持", "针对您提出的“建议…的认知。”"),
        ("针对您提出的“建议开展活动”。团区委支持", "针对您提出的“建议开展活动”"),
    ],
)
def test_a_heading_runs_to_the_first_sentence_end_outside_quotes(rest: str, heading: str) -> None:
    assert heading_of(rest) == heading
