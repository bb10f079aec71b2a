"""Rules for layouts from other departments, provinces and years (the held-out letters in
tests/fixtures/holdout/): form-style fields, titles over two lines or above an issuing number,
news datelines, ministry co-handlers, several suggestions answered at once, and what marks an
organisation, a person or a figure there. Each rule: positives, and text that only looks like it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.ingest import Record, parse_document
from app.ingest.metrics import metrics_in_text
from app.ingest.orgnames import drop_nested, find_org_names
from app.ingest.people import find_credits, proposers_from_field, proposers_from_text
from app.ingest.proposal import find_co_handlers
from app.ingest.split import read_labels
from tests.ingest.conftest import FIXTURES

HOLDOUT = FIXTURES / "holdout"
Fact = tuple[str, float, str, str | None, str, str | None]


def holdout(prefix: str) -> Record:
    path = next(HOLDOUT.glob(f"{prefix}*.txt"))
    return parse_document(path.read_bytes(), name=path.name)


def letter(text: str) -> Record:
    return parse_document(text.encode(), name="letter.txt")


# --- metadata lines -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "pairs"),
    [
        ("建议标题:关于加快推进高标准农田建设的建议", [("建议标题", "关于加快推进高标准农田建设的建议")]),
        ("协办单位:县财政局、县水利局", [("协办单位", "县财政局、县水利局")]),
        ("编号:第56号", [("编号", "第56号")]),
        # a news dateline that prints its date before the labels
        ("2024-01-25 08:30 来源:湖北日报", [("日期", "2024-01-25 08:30"), ("来源", "湖北日报")]),
        ("2024年,全市接待游客1.42亿人次", None),  # a sentence opening with a year
        ("编号规则由省里统一制定", None),  # a label word without its colon
    ],
)
def test_form_fields_and_date_first_datelines_are_metadata(line: str, pairs: list[tuple[str, str]] | None) -> None:
    assert read_labels(line) == pairs


def test_a_form_layout_gives_the_title_number_and_co_handlers() -> None:
    record = holdout("h02")  # 建议标题:/编号:/领衔代表:/协办单位: above the letter, no title line
    assert record.title == "关于加快推进高标准农田建设的建议"
    assert record.proposal is not None
    assert (record.proposal.number, record.proposal.level) == ("56", "county")
    assert record.proposal.co_handlers == ("县财政局", "县水利局", "县自然资源和规划局")


def test_the_title_is_found_above_an_issuing_number_and_a_publication_date() -> None:
    record = letter(
        "广州市科学技术局关于市政协十四届二次会议第2024156号提案答复的函\n"
        "穗科函〔2024〕128号\n"
        "发布日期:2024-07-02\n"
        "致公党广州市委会:\n"
        "你们提出的《关于加快培育广州未来产业的提案》(第2024156号)收悉。现答复如下:\n"
        "一、基本情况\n"
    )
    assert record.title == "广州市科学技术局关于市政协十四届二次会议第2024156号提案答复的函"
    assert (record.doc_no, record.published_date) == ("穗科函〔2024〕128号", date(2024, 7, 2))
    assert record.proposal is not None and record.proposal.number == "2024156"  # a 7-digit number


@pytest.mark.parametrize(
    ("above", "title"),
    [
        (
            "上海市浦东新区科技和经济委员会",
            "上海市浦东新区科技和经济委员会关于区七届人大三次会议第0178号代表建议的答复",
        ),
        ("我们一直在努力", "关于区七届人大三次会议第0178号代表建议的答复"),  # not an issuer's name
    ],
)
def test_an_issuer_alone_on_the_line_above_a_title_is_part_of_it(above: str, title: str) -> None:
    record = letter(
        "索引号:SY0012-2024-00368  发布机构:区科经委\n"
        f"{above}\n"
        "关于区七届人大三次会议第0178号代表建议的答复\n"
        "顾志平代表:\n"
        "您提出的关于支持集成电路中小企业发展的建议收悉。现答复如下:\n"
    )
    assert record.title == title


def test_a_news_dateline_with_the_date_first_gives_the_date_and_ends_the_title() -> None:
    record = holdout("h08")
    assert record.kind == "news_article"
    assert record.title == "省政协委员王建军:建议加快建设紧密型县域医共体"
    assert (record.published_date, record.source) == (date(2024, 1, 25), "湖北日报")


# --- proposal -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "co_handlers"),
    [
        ("经商财政部、教育部、国家自然科学基金委员会,现答复如下。", ("财政部", "教育部", "国家自然科学基金委员会")),
        ("经商省发展改革委、省财政厅等单位同意,现答复如下", ("省发展改革委", "省财政厅")),
        ("我县经商环境持续优化,现有市场主体2万户", ()),  # 经商 as "doing business"
    ],
)
def test_ministries_name_their_co_handlers_after_jingshang(opening: str, co_handlers: tuple[str, ...]) -> None:
    assert find_co_handlers(opening) == co_handlers


@pytest.mark.parametrize(
    ("title", "has_proposal"),
    [
        ("苏州市交通运输局关于市十七届人大二次会议第0023号、第0057号建议的合并答复", False),
        ("苏州市交通运输局关于市十七届人大二次会议第0023号建议的答复", True),
    ],
)
def test_a_letter_answering_several_suggestions_has_no_proposal(title: str, has_proposal: bool) -> None:
    record = letter(f"{title}\n发布日期:2024-07-10\n刘伟代表:\n你提出的建议收悉。现答复如下:\n一、关于公交\n")
    assert (record.proposal is not None) == has_proposal


def test_deputies_in_the_salutation_are_people_even_without_a_proposal() -> None:
    record = holdout("h09")
    assert record.proposal is None
    assert [(p.name, p.role) for p in record.people] == [("刘伟", "代表"), ("陈芳", "代表"), ("何俊", "代表")]


@pytest.mark.parametrize(
    ("value", "kind", "proposers"),
    [
        ("刘建国", "suggestion", [("刘建国", "代表")]),
        ("王立新委员", "proposal", [("王立新", "委员")]),
        ("民盟市委会", "proposal", [("民盟市委会", "组织")]),
    ],
)
def test_a_proposer_field_names_people_or_an_organisation(
    value: str, kind: str, proposers: list[tuple[str, str]]
) -> None:
    assert [(p.name, p.role) for p in proposers_from_field(value, kind)] == proposers


def test_news_names_the_role_then_the_title_then_the_proposer() -> None:
    text = "省政协委员、武汉大学中南医院副院长王建军提交了《关于加快建设紧密型县域医共体的提案》"
    assert [(p.name, p.role) for p in proposers_from_text(text)] == [("王建军", "委员")]


# --- people ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "people"),
    [
        ("湖北日报讯(记者 刘晓燕 通讯员 陈亮)“基层看病难”", [("刘晓燕", "记者"), ("陈亮", "通讯员")]),
        ("联系人:陈晓明,联系电话:0571-88008800", [("陈晓明", "联系人")]),
        ("联系人:张勇 联系电话:0825-5621234", [("张勇", "联系人")]),
        ("您提出的提案(第48号)收悉", []),
    ],
)
def test_bracketed_bylines_and_contact_lines_name_people(line: str, people: list[tuple[str, str]]) -> None:
    assert [(p.name, p.role) for p in find_credits(line)] == people


# --- institutions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("市财政局、市民政局联合印发", ["市财政局", "市民政局"]),  # not the common word 政局
        ("经与市住房城乡建设局共同研究", ["市住房城乡建设局"]),  # a portfolio verb before 局
        ("由市委组织部牵头", ["市委组织部"]),
        ("组织浙江大学、浙江师范大学等12所高校", ["浙江大学", "浙江师范大学"]),
        ("经商财政部、教育部", ["财政部", "教育部"]),
        ("武汉大学中南医院副院长王建军", ["武汉大学中南医院"]),  # a hospital, not the university
        ("广州实验室、粤港澳大湾区国家技术创新中心等重大平台", ["粤港澳大湾区国家技术创新中心"]),
        ("覆盖县级医院超过150家", []),  # a category of hospitals
        ("目前西部地区共有全国重点实验室超过80个", []),
        ("服务大局,稳定政局", []),
        ("为全省科技创新发展和粤港澳大湾区国际科技创新中心建设提供支撑", []),  # a goal, not a body
    ],
)
def test_organisation_names_in_letters_from_other_places(text: str, names: list[str]) -> None:
    assert [n.name for n in drop_nested(find_org_names(text))] == names


@pytest.mark.xfail(strict=True, reason="联合 is also inside names (联合微电子中心); no rule tells the two apart")
def test_lianhe_as_a_verb_before_a_university() -> None:
    names = [n.name for n in drop_nested(find_org_names("我局将联合中山大学、华南理工大学等高校"))]
    assert names == ["中山大学", "华南理工大学"]


@pytest.mark.xfail(strict=True, reason="a city + 实验室 is a category in Chongqing letters (重庆实验室)")
def test_a_national_lab_named_after_its_city() -> None:
    names = [n.name for n in drop_nested(find_org_names("广州实验室、鹏城实验室等重大平台加快建设"))]
    assert names == ["广州实验室", "鹏城实验室"]


# --- metrics --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("截至2022年底,全县累计建成高标准农田42.6万亩。", [("高标准农田", 426000, "亩", "2022", "actual", "累计")]),
        ("目前,全市轨道交通运营里程达到258公里。", [("全市轨道交通运营里程", 258, "公里", None, "actual", None)]),
        (
            "新增分布式光伏装机容量3.6万千瓦,新增城市绿地12.4万平方米。",
            [
                ("分布式光伏装机容量", 36000, "千瓦", None, "actual", "新增"),
                ("城市绿地", 124000, "平方米", None, "actual", "新增"),
            ],
        ),
        ("投入资金10余万元升级监测平台。", [("投入资金", 100000, "元", None, "actual", "余")]),  # 余 before 万
        ("带动就业200多万人次。", [("就业", 2000000, "人次", None, "actual", "余")]),
        ("2023年,空气质量优良天数达到318天。", [("空气质量优良天数", 318, "天", "2023", "actual", None)]),
        (
            "2023年,全区PM2.5平均浓度为32微克/立方米。",
            [("全区PM2.5平均浓度", 32, "微克/立方米", "2023", "actual", None)],
        ),
    ],
)
def test_measures_other_departments_report(sentence: str, expected: list[Fact]) -> None:
    assert [m.as_tuple() for m in metrics_in_text(sentence)] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "300多公里外的西部(成都)科学城",  # a position, not a figure
        "对群众来信在30天内办结",  # a deadline
        "用3个月时间完成整改",  # a duration
        "公交站点500米覆盖率",  # a number inside the name of a measure
        "近5年来",  # a period
        "咨询电话:0379-63212345",
        "根据《若干措施》第3条",
        "“十四五”以来",
    ],
)
def test_not_a_metric_in_other_layouts(sentence: str) -> None:
    assert metrics_in_text(sentence) == []


def test_every_holdout_source_has_its_gold_record() -> None:
    sources = {p.stem for p in HOLDOUT.glob("*.txt")}
    assert sources == {p.stem for p in Path(FIXTURES / "holdout_gold").glob("*.json")}
