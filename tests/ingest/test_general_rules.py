"""General rules for pages nobody tuned for, each on a sentence or a few lines of its pattern:
bylines in their many shapes, titles that must not absorb what follows them, co-handlers in every
form a reply states them, people named by position, names that must not run on into a clause,
the level of a session from the body that replies, and proposal titles without 《》."""

from __future__ import annotations

from datetime import date

import pytest

from app.ingest import Record, parse_document
from app.ingest.bylines import read_byline, split_trailing_byline
from app.ingest.clean import clean_lines, drop_spam_phrases
from app.ingest.metrics import metrics_in_text
from app.ingest.orgnames import drop_nested, find_org_names
from app.ingest.people import (
    find_credits,
    find_listed_members,
    find_speakers,
    looks_like_name,
    proposers_from_addressee,
    proposers_from_text,
)
from app.ingest.proposal import (
    find_co_handlers,
    find_proposal_title,
    find_session,
    issuer_level,
    legislature_level,
    level_of,
    marked_co_handlers,
    split_names,
)
from app.ingest.sections import heading_of
from app.ingest.split import read_labels


def page(text: str) -> Record:
    return parse_document(text.encode(), name="page.txt")


# --- bylines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "date", "source"),
    [
        ("2023-08-17来源:市政府办公厅", "2023-08-17", "市政府办公厅"),
        ("www.example.cn 2025-06-12 08:20:31 来源:湖南日报", "2025-06-12 08:20:31", "湖南日报"),
        ("• 四川日报 2021-03-09 10:05", "2021-03-09 10:05", "四川日报"),
        ("新华网 (2006年04月11日 09:12)", "2006年04月11日 09:12", "新华网"),
        ("03-14 07:45:02 来源:湖北日报", "03-14 07:45:02", "湖北日报"),
        ("2021/9/1509:30:00", "2021/9/1509:30:00", None),
        ("大众网-海报新闻2023-02-08 16:40", "2023-02-08 16:40", "大众网-海报新闻"),
        ("某某百科·作者佚名2012-05-02 宽屏版 字体:|||超大", "2012-05-02", "某某百科"),
    ],
)
def test_bylines_in_their_many_shapes(line: str, date: str, source: str | None) -> None:
    assert read_byline(line) == (date, source)


@pytest.mark.parametrize(
    "line",
    [
        "代表建议办理工作推进会召开",  # a title
        "2024年,全市接待游客1.42亿人次。",  # a sentence opening with a date
        "全市共办理建议6-8件的单位",  # numbers that only look like a date
        "关于市六届人大一次会议第1024号建议办理情况的答复函",
    ],
)
def test_what_is_not_a_byline(line: str) -> None:
    assert read_byline(line) is None


def test_a_title_line_that_ends_in_its_byline_is_cut_before_it() -> None:
    assert split_trailing_byline("代表建议办理工作推进会召开 2024-01-25 08:30 来源:湖北日报") == (
        "代表建议办理工作推进会召开",
        "2024-01-25 08:30 来源:湖北日报",
    )
    assert split_trailing_byline("• 四川日报 2021-03-09 10:05") is None  # an outlet, not a title


@pytest.mark.parametrize(
    ("head", "title", "published", "source"),
    [
        (
            "省人大代表建议办理工作推进会召开\n2023-08-17来源:市政府办公厅",
            "省人大代表建议办理工作推进会召开",
            "2023-08-17",
            "市政府办公厅",
        ),
        (
            "代表建议办理工作推进会召开\n• 四川日报 2021-03-09 10:05",
            "代表建议办理工作推进会召开",
            "2021-03-09",
            "四川日报",
        ),
        ("代表建议办理工作推进会召开\n03-14 07:45:02 来源:湖北日报", "代表建议办理工作推进会召开", None, "湖北日报"),
        (
            "代表建议办理工作推进会召开 2024-01-25 08:30 来源:湖北日报",
            "代表建议办理工作推进会召开",
            "2024-01-25",
            "湖北日报",
        ),
        (
            "开始播报\n停止播报\n代表建议办理工作推进会召开\n2022-04-06",
            "代表建议办理工作推进会召开",
            "2022-04-06",
            None,
        ),
        ("代表建议办理工作推进会召开(图文)\n2022-04-06", "代表建议办理工作推进会召开", "2022-04-06", None),
    ],
)
def test_a_byline_gives_the_date_and_source_and_is_never_the_title(
    head: str, title: str, published: str | None, source: str | None
) -> None:
    record = page(f"{head}\n8月16日,会议召开。记者报道。")
    assert (record.title, record.published_date and record.published_date.isoformat(), record.source) == (
        title,
        published,
        source,
    )


# --- titles -----------------------------------------------------------------------------------


REPLY = "张三代表:\n你提出的关于加强职业教育的建议收悉。现答复如下:\n我们做了很多工作。"


@pytest.mark.parametrize(
    "head",
    [
        "名称:关于省十三届人大二次会议第123号建议的答复",
        "标 题:关于省十三届人大二次会议第123号建议的答复 发布日期:2022-04-06",
        "关于省十三届人大二次会议第123号建议的答复\n类别:A类\n签发人:孟新力",
        "关于省十三届人大二次会议第123号建议的答复\n关于省十三届人大二次会议第123号建议的答复",
        "| 索引号: | 1234/2022-001 |\n关于省十三届人大二次会议第123号建议的答复",
        "信息名称:关于省十三届人大二次会议第123号建议的答复\n生成日期:2022-04-06",
        "政协提案办理 | 人大建议办理\n关于省十三届人大二次会议第123号建议的答复",
        "关于省十三届人大二次会议第123号建议的答复\n【字体:大 中 小】 【打印】 【关闭】",
    ],
)
def test_a_title_is_never_a_label_a_field_line_or_printed_twice(head: str) -> None:
    assert page(f"{head}\n{REPLY}").title == "关于省十三届人大二次会议第123号建议的答复"


SIGNED_NUMBER = "类别:C\n宁交函〔2021〕141号 签发人:姜涛\n对县第十八届人大六次会议第17号建议的复函"
SPLIT_TITLE = "高平市卫生健康和体育局\n关于对市七届人大五次会议第71号建议的\n答 复"
TWICE = "石林县卫生健康局关于第122号建议答复的函"
HOLDS_SESSION = "对《关于支持产业园的建议》的答复(县十七届人大五次会议第33号建议)"


@pytest.mark.parametrize(
    ("head", "title", "doc_no"),
    [
        (SIGNED_NUMBER, "对县第十八届人大六次会议第17号建议的复函", "宁交函〔2021〕141号"),
        ("平发改字〔2017〕3号B类\n关于第61号建议的答复", "关于第61号建议的答复", "平发改字〔2017〕3号"),
        ("关于第077号建议的答复\n[2016]洞政复函 3号(A类)", "关于第077号建议的答复", "[2016]洞政复函 3号"),
        (SPLIT_TITLE, "高平市卫生健康和体育局关于对市七届人大五次会议第71号建议的答复", None),
        (f"{HOLDS_SESSION}\n县十七届人大五次会议", HOLDS_SESSION, None),
        (TWICE + TWICE, TWICE, None),
    ],
)
def test_a_title_without_the_number_line_a_field_it_holds_or_its_repeat(
    head: str, title: str, doc_no: str | None
) -> None:
    record = page(f"{head}\n{REPLY}")
    assert (record.title, record.doc_no) == (title, doc_no)


def test_a_title_opening_with_dui_runs_on_to_the_date_line() -> None:
    record = page(f"对十三届全国人大四次会议\n第4720号建议的答复\n时间:2021-12-13 12:02:17\n{REPLY}")
    assert record.title == "对十三届全国人大四次会议第4720号建议的答复"


def test_spaced_labels_and_unknown_cells_in_a_pipe_table() -> None:
    (line,) = clean_lines("索 引 号: | 640100-114/2019-00198 | 发布日期: | 2019-08-26 |")[0]
    assert read_labels(line) == [
        ("索引号", "640100-114/2019-00198"),
        ("发布日期", "2019-08-26"),
    ]
    assert read_labels("发布机构: | 银川市住房和城乡建设局 | 负责科室: | 城建科 |") == [
        ("发布机构", "银川市住房和城乡建设局")
    ]


def test_a_source_field_with_the_pages_date_after_it() -> None:
    assert read_labels("来源:政府办 2017-07-07 15:58") == [("来源", "政府办"), ("日期", "2017-07-07 15:58")]
    assert read_labels("来源:人民网 时间:2017-07-07") == [("来源", "人民网"), ("时间", "2017-07-07")]


@pytest.mark.parametrize(
    ("line", "pairs"),
    [
        ("发布机构 | 平陆县人民政府 | 文号 |", [("发布机构", "平陆县人民政府")]),
        ("所属机构: 市资源局 发布机构: 白银市人民政府", [("所属机构", "市资源局"), ("发布机构", "白银市人民政府")]),
        ("稿源: 宁波日报  | 2010-05-08 08:19:53", [("稿源", "宁波日报"), ("日期", "2010-05-08 08:19:53")]),
        ("答复时间: 2023-06-12", [("答复时间", "2023-06-12")]),
    ],
)
def test_fields_in_rows_without_colons_after_an_unknown_label_and_a_source_with_its_date(
    line: str, pairs: list[tuple[str, str]]
) -> None:
    assert read_labels(line) == pairs


def test_a_date_line_below_the_sites_blurb_and_an_issuing_number_with_its_marks() -> None:
    news = page(
        "封丘县地处河南省东北部,辖19个乡镇。\n封丘县政协开展面对面协商办理提案活动\n时间:2018年06月27日 点击次数:7550\n"
        "6月26日上午,封丘县政协召开协商会议。"
    )
    assert news.kind == "news_article" and news.title == "封丘县政协开展面对面协商办理提案活动"
    letter = page(f"关于第88号建议的答复\n临自然资字〔2023〕5号 B1类 同意公开\n{REPLY}")
    assert letter.doc_no == "临自然资字〔2023〕5号"


def test_a_forms_reply_date_is_not_its_publication_and_a_headline_may_take_two_lines() -> None:
    form = page(f"关于第24号建议的答复\n答复时间: 2023-06-12\n{REPLY}")
    assert form.published_date is None
    news = page(
        "03版:综合总第445期\n区政协召开扩面协商座谈会\n推进副中心基础教育高质量发展\n"
        "刊发日期:2022-06-27 阅读次数:\n本报讯(记者 张丽)近日,区政协召开协商座谈会。"
    )
    assert news.title == "区政协召开扩面协商座谈会 推进副中心基础教育高质量发展"
    assert str(news.published_date) == "2022-06-27"


def test_a_label_printed_with_spaces_is_the_label() -> None:
    assert clean_lines("联 系 人:熊晓玮\n标 题:关于 建议的答复")[0] == ["联系人:熊晓玮", "标题:关于 建议的答复"]
    assert page(f"关于第5号建议的答复\n{REPLY}\n联 系 人:熊晓玮").people[-1].name == "熊晓玮"


def test_a_form_with_the_session_and_its_number_on_lines_of_their_own() -> None:
    form = (
        "关于“对村庄道路进行整修”建议的答复\n淄川区第十九届人民代表大会第二次会议\n24\n建议人: 陈刚、马晓东\n"
        "主办单位: 淄川区自然资源局\n答复时间: 2023-06-12\n• 答复内容\n\n陈刚、马晓东代表:\n\n"
        "“关于对村庄道路进行整修”的建议收悉,现答复如下:\n\n整修应避免占用耕地。\n\n淄川区自然资源局\n\n2023年6月12日"
    )
    record = page(form)
    assert record.title == "关于“对村庄道路进行整修”建议的答复"
    assert record.kind == "reply_letter" and record.signatory == "淄川区自然资源局"
    assert record.proposal is not None
    assert (record.proposal.session, record.proposal.number) == ("淄川区第十九届人民代表大会第二次会议", "24")
    assert record.proposal.title == "关于对村庄道路进行整修"


def test_a_replys_lead_unit_field_is_not_the_sites_footer() -> None:
    fields = "对《关于支持产业园的建议》的答复\n县十七届人大五次会议\n33\n建议人: 杨国华\n主办单位: 高青县自然资源局"
    letter = clean_lines(f"{fields}\n答复时间: 2021-05-26\n近年来,县政府出台了政策。")[0]
    assert letter[-1] == "近年来,县政府出台了政策。"
    footer = "正文。\n第二段。\n第三段。\n主办单位:县人民政府办公室 备案号:12345"
    assert clean_lines(footer)[0] == ["正文。", "第二段。", "第三段。"]


def test_audio_controls_are_chrome() -> None:
    assert clean_lines("开始播报\n停止播报\n正文。")[0] == ["正文。"]


def test_a_breadcrumb_without_its_home_link_is_chrome() -> None:
    assert clean_lines("人民网>>江西频道>>江西要闻\n委员抵昌报到\n正文。")[0] == ["委员抵昌报到", "正文。"]


def test_a_forms_handlers_and_people_above_the_letter() -> None:
    record = page(f"关于第12号建议的答复\n承办单位:县教育局(主办) 县财政局(协办)\n责任领导:杨立海\n{REPLY}")
    assert {"县教育局", "县财政局"} <= {i.name for i in record.institutions}
    assert "杨立海" in {p.name for p in record.people}


def test_labels_with_a_space_for_their_colon_or_over_their_values() -> None:
    spaced = page(
        f"索引号 1529/2025-02058 发布机构: 行署办\n组配分类: 政协提案\n发文字号: 成文时间: 2025-10-29\n{REPLY}"
    )
    assert (spaced.index_no, spaced.publisher, spaced.genre) == ("1529/2025-02058", "行署办", "政协提案")
    assert (spaced.doc_no, spaced.written_date) == (None, date(2025, 10, 29))
    stacked = page(f"索引号\nzkx/2025-00019\n发布机构\n县农业农村局\n文  号\n日期\n2025-12-16\n{REPLY}")
    assert (stacked.index_no, stacked.publisher, stacked.doc_no) == ("zkx/2025-00019", "县农业农村局", None)
    assert stacked.published_date == date(2025, 12, 16)


def test_an_issuing_date_label_ends_the_publisher_before_it() -> None:
    record = page(f"索引号:001/2023-01 发布机构:某县交通运输局 发文日期:2023-05-08\n{REPLY}")
    assert (record.publisher, record.written_date) == ("某县交通运输局", date(2023, 5, 8))


def test_the_masthead_above_a_breadcrumb_and_a_site_name_opening_the_page_are_chrome() -> None:
    page_text = "服务粉丝\n我们一直在努力\n当前位置:首页 > 财经 >\n全团建议 | 增强协同创新能力\n正文。"
    assert clean_lines(page_text)[0] == ["全团建议 | 增强协同创新能力", "正文。"]
    assert clean_lines("巫山网\n深入推动创新发展\n发布时间: 2022-06-07 来源: 重庆日报")[0][0] == "深入推动创新发展"
    # A sentence above the breadcrumb is text, and a site name further down is not the masthead.
    assert clean_lines("市科技局召开会议,研究办理。\n当前位置:首页\n正文。")[0][0] == "市科技局召开会议,研究办理。"
    assert clean_lines("标题\n巫山网\n正文。")[0] == ["标题", "巫山网", "正文。"]
    greeting = "欢迎访问察布查尔锡伯自治县人民政府网站!\n登录| 注册\n今天是:\n当前位置: 首页 / 答复\n答复"
    assert clean_lines(greeting)[0] == ["答复"]
    links = ["您好,欢迎来到溧阳政协网!", "政协公告 更多>>"] + [f"关于宋斌等同志不再担任市{i}" for i in range(10)]
    page_text = "\n".join([*links, "当前位置:", "首页>>履职实践>>工作动态>>内容", "市领导领办市政协重点提案"])
    assert clean_lines(page_text)[0] == ["市领导领办市政协重点提案"]


def test_spam_standing_alone_in_the_masthead_is_still_found() -> None:
    kept, _, masthead = clean_lines("凤凰体育\n当前位置:首页\n凤凰体育代表建议办理督办会\n近日,市人大召开会议。")
    assert masthead == ["凤凰体育"]
    assert drop_spam_phrases(kept, masthead)[0] == ["代表建议办理督办会", "近日,市人大召开会议。"]


def test_a_closing_formula_is_not_the_signatory() -> None:
    record = page(f"关于第5号建议的答复\n{REPLY}\n此复\n2018年3月19日")
    assert record.signatory is None


# --- co-handlers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "co_handlers"),
    [
        ("经与省财政厅、省人社厅、省卫健委等协办单位共同研究办理,现答复如下", ("省财政厅", "省人社厅", "省卫健委")),
        ("我厅会同省财政厅和省教育厅对您提出的建议进行了认真研究", ("省财政厅", "省教育厅")),
        ("本件由省财政厅、省教育厅会办,现答复如下", ("省财政厅", "省教育厅")),
        ("现将会同省财政厅办理情况答复如下", ("省财政厅",)),
        ("经结合白塔镇共同研究,现答复如下", ("白塔镇",)),
        ("经综合桥南街道办事处会办意见,现答复如下", ("桥南街道办事处",)),
        # another body's 会同, about policy, is not this reply's co-handling
        ("国家发展改革委会同国家卫生健康委和我局将其纳入试点范围", ()),
        ("经与县财政局、县自然资源局沟通协商,现答复如下", ("县财政局", "县自然资源局")),
        ("收到建议后,我局及时与协办单位县财政局、县人社局进行了沟通", ("县财政局", "县人社局")),
        ("我局联合协办单位县林业局进行了实地调研", ("县林业局",)),
        ("我局牵头,县财政局、县民政局参与,共同研究了您的建议", ("县财政局", "县民政局")),
        ("承办单位:县教育局(主办) 县财政局(协办) 县人社局(协办)", ("县财政局", "县人社局")),
    ],
)
def test_co_handlers_in_prose(text: str, co_handlers: tuple[str, ...]) -> None:
    assert find_co_handlers(text) == co_handlers


def test_a_form_field_lists_its_co_handlers_with_spaces_or_marks_each_part() -> None:
    assert split_names("县财政局 县人社局") == ("县财政局", "县人社局")
    assert marked_co_handlers("县教育局(主办)、县财政局(会办)") == ("县财政局",)
    record = page(f"关于第12号建议的答复\n主办单位:县教育局 协办单位:县财政局 县人社局\n{REPLY}")
    assert record.proposal is not None and record.proposal.co_handlers == ("县财政局", "县人社局")


def test_co_handlers_in_a_form_table() -> None:
    record = page(
        "关于省十三届人大二次会议第0123号建议的答复\n主办单位(分办单位):| 教育厅 | 协办单位: | 省财政厅、省人社厅 |\n"
        f"{REPLY}"
    )
    assert record.proposal is not None and record.proposal.co_handlers == ("省财政厅", "省人社厅")


def test_a_co_handlers_opinion_names_its_sender_and_not_its_addressee() -> None:
    record = page(
        "湖北省财政厅关于省政协十三届二次会议第0456号提案的会办意见\n省教育厅:\n"
        "贵厅转来的王立新委员提出的《关于加强县域高中建设的提案》收悉。经研究,提出会办意见如下:\n"
        "一、加大投入\n我们做了很多工作。\n湖北省财政厅\n2024年5月6日"
    )
    assert record.proposal is not None
    assert record.proposal.co_handlers == ("湖北省财政厅",)
    assert [p.name for p in record.proposal.proposers] == ["王立新"]


# --- people ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("市人大常委会办公厅主任王建国出席会议", ["王建国"]),
        ("省委书记、省人大常委会主任刘国强,副主任金文豪", ["刘国强", "金文豪"]),
        ("全国人大代表陈晓红在会上发言", ["陈晓红"]),
        ("委员赵立新提出", ["赵立新"]),
        ("代表 孙立说", ["孙立"]),
        ("全国人大代表、广东大华农动物保健品股份有限公司总经理陈瑞爱进行了采访", ["陈瑞爱"]),
        ("人大代表和政协委员都参加了", []),
        ("来自台州的省政协委员辛涌是一位新委员", ["辛涌"]),
        ("办理处处长杨月靓希望各单位拿出过硬的举措", ["杨月靓"]),
        ("海曙代表团代表吴以刚提交的建议,由施孝国副主任督办。", ["吴以刚", "施孝国"]),
        ("副主任宋书杰现场接待市人大代表周建勋、米宗周、李凡,就代表提出的", ["宋书杰", "周建勋", "米宗周", "李凡"]),
        ("会上,城管局杨国良局长首先就提案的办理情况作了汇报", ["杨国良"]),
        ("李凌提交的建议,由巴音朝鲁主任督办", ["巴音朝鲁"]),
        ("市政协党组成员蔡和方参加会议", ["蔡和方"]),
        ("成立了由局长任组长的领导小组,省人大常委会副主任开展调研", []),
        ("提案承办单位负责人及提案委员等20余名同志参加会议", []),
        ("市住建局局长王强汇报了办理情况,县长张伟深入乡镇调研", ["王强", "张伟"]),
        ("“暖民心惠民生。”省政协委员徐新颖十分关注老旧小区改造", ["徐新颖"]),
    ],
)
def test_people_named_by_their_position(sentence: str, names: list[str]) -> None:
    assert [p.name for p, _ in find_speakers(sentence)] == names


@pytest.mark.parametrize("fragment", ["和群众", "落实的", "江门市", "和政协", "应人大"])
def test_fragments_are_never_people(fragment: str) -> None:
    assert not looks_like_name(fragment)


def test_news_credits_without_spaces_and_in_lists() -> None:
    assert [(p.name, p.role) for p in find_credits("(記者吳月輝)".replace("記", "记").replace("吳月輝", "吴月辉"))] == [
        ("吴月辉", "记者")
    ]
    assert [(p.name, p.role) for p in find_credits("(记者 张辉、通讯员 杨霖潇)")] == [
        ("张辉", "记者"),
        ("杨霖潇", "通讯员"),
    ]
    assert [(p.name, p.role) for p in find_credits("湖南日报记者 李明 通讯员 王芳")] == [
        ("李明", "记者"),
        ("王芳", "通讯员"),
    ]


@pytest.mark.parametrize(
    ("line", "people"),
    [
        ("(贵州日报天眼新闻记者 陈曦 娄铃英)", [("陈曦", "记者"), ("娄铃英", "记者")]),
        ("统筹:汪东伟 编审:干江沄", [("汪东伟", "统筹"), ("干江沄", "编审")]),
        (
            "文/日报社融媒体记者 戴宏 章奎 摄影/日报社记者 袁永红",
            [("戴宏", "记者"), ("章奎", "记者"), ("袁永红", "记者")],
        ),
        ("提案人:李贤俊", [("李贤俊", "提案人")]),
        ("提案人:民盟海南省委会", []),
        ("政府督办领导:周大伟", [("周大伟", "督办领导")]),
    ],
)
def test_credits_with_their_outlet_production_roles_and_a_forms_people(
    line: str, people: list[tuple[str, str]]
) -> None:
    assert sorted((p.name, p.role) for p in find_credits(line)) == sorted(people)


@pytest.mark.parametrize(
    ("line", "people"),
    [
        ("联系人及电话:李伟    8788586", [("李伟", "联系人")]),
        ("联系单位和联系人及电话:县林业和草原局 黑绍刚 3123363", [("黑绍刚", "联系人")]),
        ("承办人:韦立咏 18978293092", [("韦立咏", "承办人")]),
        ("承办负责人:李剑卫", [("李剑卫", "负责人")]),
        ("联系人:布冉 电话:09092288759", [("布冉", "联系人")]),
        ("联系人:陈晓明,联系电话:0571-8888", [("陈晓明", "联系人")]),
        ("主管领导人姓名:杨建军 联系电话:84847155", [("杨建军", "姓名")]),
        ("审核人:黎华", [("黎华", "审核人")]),
        ("【编辑:刘夏妍】", [("刘夏妍", "编辑")]),
        ("宁波日报记者 龚哲明", [("龚哲明", "记者")]),
        ("作者: 记者 吕玥 金春华 通讯员 管征峰", [("吕玥", "作者"), ("金春华", "作者"), ("管征峰", "作者")]),
    ],
)
def test_contact_lines_name_their_people(line: str, people: list[tuple[str, str]]) -> None:
    assert [(p.name, p.role) for p in find_credits(line)] == people


def test_transliterated_names_listed_in_a_salutation() -> None:
    letter = page(
        "关于对县政协第十五届六次会议第12号建议的答复\n"
        "尊敬的米拉古尔,希帕,布尔布汗·土尔逊拜委员:\n《关于修建水冲厕所的提案》已收悉,现答复如下:\n正文。"
    )
    assert letter.kind == "reply_letter"
    assert letter.proposal is not None
    assert [p.name for p in letter.proposal.proposers] == ["米拉古尔", "希帕", "布尔布汗·土尔逊拜"]


def test_a_reply_known_by_its_opening_or_its_close() -> None:
    opening = "王学菊等12位代表:\n在县第十七届人民代表大会第一次会议上,你们提出了《关于硬化村内道路》的建议,现答复如下:"
    assert page(f"县交通运输局关于第48号建议的答复\n来源: 县交通运输局 | 访问量:3487\n{opening}\n正文。").kind == (
        "reply_letter"
    )
    closing = "以上是对您所提建议的答复,真诚感谢您的关心。"
    assert page(f"对《关于支持建设产业园的建议》的答复\n建议人: 杨国华\n县政府出台了政策。\n{closing}").kind == (
        "reply_letter"
    )


def test_a_salutation_counting_its_deputies_in_words_and_a_name_alone() -> None:
    assert [p.name for p in proposers_from_addressee("易宁等十二位代表")] == ["易宁"]
    assert [p.name for p in proposers_from_addressee("宣守宝代表")] == ["宣守宝"]
    assert proposers_from_addressee("各位代表") == ()


@pytest.mark.parametrize(
    ("closing", "signatory", "signed"),
    [
        ("天水市秦州区交通运输局\n2021\n\n甘公网安备:62050202000176号", "天水市秦州区交通运输局", None),
        (
            "高青县自然资源局\n2021年5月26日\n(联系人:王国锋)\n建议出台政策。建议:一是举全县之力。\n二是。\n三是。\n四是。"
            "\n五是。\n六是。\n七是。",
            "高青县自然资源局",
            date(2021, 5, 26),
        ),
    ],
)
def test_a_sign_off_dated_by_its_year_or_above_the_printed_suggestion(
    closing: str, signatory: str, signed: date | None
) -> None:
    record = page(f"关于第5号建议的答复\n{REPLY}\n{closing}")
    assert (record.signatory, record.signed_date) == (signatory, signed)


def test_a_rare_family_name_beside_others_in_a_salutation() -> None:
    assert [p.name for p in proposers_from_addressee("李建岭、弯建军委员")] == ["李建岭", "弯建军"]
    assert proposers_from_addressee("和群众委员") == ()  # a fragment, listed or not


def test_a_reporter_credited_before_the_date_opening_the_first_paragraph() -> None:
    record = page("市领导领办重点提案\n发布日期:2023-06-14\n(徐怡) 6月13日上午,副市长方学军在市教育局召开会议。")
    assert record.kind == "news_article" and "徐怡" in [p.name for p in record.people]


def test_a_news_headline_names_its_member_and_a_list_made_the_proposal() -> None:
    record = page("省政协委员赵惠仙等建议:兰州西出口急需换“脸”\n据《鑫报》报道,新闻记者采访了委员。")
    assert record.kind == "news_article" and [p.name for p in record.people] == ["赵惠仙"]
    text = "赵惠仙等5名委员向政协甘肃省十届一次会议提交了关于综合整治兰州市西出口环境的建议"
    assert [p.name for p in proposers_from_text(text)] == ["赵惠仙"]


def test_a_name_inside_a_quoted_suggestion_title_is_no_mention() -> None:
    record = page("关于第71号建议的答复\n王爱珍代表:\n您所提的“关于改善神农卫生院就医环境的建议”已收悉。\n此复。")
    assert [i.name for i in record.institutions] == []


def test_a_deputies_work_committee_names_no_one() -> None:
    assert [p.name for p in page(f"关于第5号建议的答复\n{REPLY}\n抄送:市人大常委会选举任免代表工作委员会").people] == [
        "张三"
    ]


def test_a_list_of_members_in_a_report_after_the_words_leading_into_it() -> None:
    line = "封丘县政协召开协商办理提案会议,就张继营、杨金锋、翟春生等委员提出的《关于整治的提案》进行面商"
    assert [p.name for p in find_listed_members(line)] == ["张继营", "杨金锋", "翟春生"]


def test_a_list_of_members_who_made_a_proposal() -> None:
    assert [p.name for p in proposers_from_text("于碧鲲、王天理、王长云等委员提出的《关于…的提案》收悉")] == [
        "于碧鲲",
        "王天理",
        "王长云",
    ]
    assert [p.name for p in proposers_from_text("委员陈刚带来了关于加强管理的提案")] == ["陈刚"]


def test_a_signer_and_a_compound_family_name_are_people() -> None:
    record = page(f"关于第83号建议的复函\n{REPLY}\n此复函已经欧阳主任审签。")
    assert "欧阳" in [p.name for p in record.people]


# --- institutions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("该条例草案已提请审议省人大常委会。", ["省人大常委会"]),
        ("待水田落实后,将材料上报省自然资源厅。", ["省自然资源厅"]),
        ("因项目一直未列入市政府年度计划", ["市政府"]),
        ("双方联手打造区域科创中心。", []),
        ("全力建设创新中心。", []),
        ("在区委区政府的坚强领导下", ["区委", "区政府"]),
        ("已全部按时办结,按期办结率100%", []),
        ("列席或旁听全国人大、全国政协有关会议", ["全国人大", "全国政协"]),
        ("出席政协叙永县第十五届委员会第二次会议", []),
        ("省民革提交的提案", ["省民革"]),
    ],
)
def test_a_name_ends_at_its_head_word_and_starts_after_the_clause(sentence: str, names: list[str]) -> None:
    assert [n.name for n in drop_nested(find_org_names(sentence))] == names


def test_the_source_outlet_is_not_an_institution_mention() -> None:
    record = page(
        "代表建议办理工作推进会召开\n2024-01-25 08:30 来源:湖北日报\n湖北日报讯(记者 刘晓燕)会议召开。省财政厅参加。"
    )
    assert record.source == "湖北日报"
    assert [i.name for i in record.institutions] == ["省财政厅"]
    record = page("委员提案办理\n来源:贵州日报天眼新闻\n正文。\n(贵州日报天眼新闻记者 陈曦 娄铃英)")
    assert record.source == "贵州日报天眼新闻" and record.institutions == ()


def test_a_source_credited_at_the_end_of_an_article() -> None:
    record = page("委员们报到\n2024-01-03\n1月3日,出席会议的委员们报到。记者报道。\n(来源:叙永县融媒体中心)")
    assert record.source == "叙永县融媒体中心"


# --- proposals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("广西壮族自治区教育厅", "provincial"),
        ("宜昌市财政局", "prefecture"),
        ("重庆市荣昌区农业农村委员会", "county"),
        ("隆尧县教育局", "county"),
        ("重庆市科学技术局", "provincial"),
        ("苏州市市场监督管理局", "prefecture"),
        ("市科技局", None),
    ],
)
def test_the_level_of_the_replying_body(name: str, level: str | None) -> None:
    assert issuer_level(name) == level


def test_a_bare_city_session_takes_its_level_from_the_replying_body() -> None:
    assert level_of("市", None, ["苏州市交通运输局"]) == "prefecture"
    assert level_of("市", None, ["重庆市科学技术局"]) == "provincial"
    assert level_of("", None, ["隆尧县教育局"]) == "county"
    assert level_of("北京市海淀区", "北京") == "county"
    assert level_of("市", None) == "prefecture"  # never provincial by default


def test_sessions_printed_with_renda_first_and_not_standing_committee_meetings() -> None:
    found = find_session("关于区人大十九届五次会议第83号建议的复函")
    assert found is not None and (found.text, found.term, found.session_no) == ("区人大十九届五次会议", 19, 5)
    assert find_session("十一届全国人大常委会第二十四次会议上") is None


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("她提交了一份关于加大对民营企业技术创新力度的建议。", "关于加大对民营企业技术创新力度的建议"),
        ("委员陈刚带来了关于加大非机动车管理力度的提案。", "关于加大非机动车管理力度的提案"),
        ("您所提建议《关于进一步做好道路建设的建议》已收悉", "关于进一步做好道路建设的建议"),
        ("第134号《关于“金山大道”段留路口的建议》收悉", "关于“金山大道”段留路口的建议"),
        ("您提出关于拓宽麻庄村道路的建议收悉", "关于拓宽麻庄村道路的建议"),
        ("《关于佛营小学修建水冲厕所的提案》己收悉", "关于佛营小学修建水冲厕所的提案"),
        ("您好!您所提的“关于改善神农卫生院就医环境的建议”已收悉", "关于改善神农卫生院就医环境的建议"),
        ("你们提出了《大龙口村村内水泥路硬化工程》的建议", "大龙口村村内水泥路硬化工程"),
        ("副市长方学军在市教育局领办《关于优化农村义务教育布局的建议》提案", "关于优化农村义务教育布局的建议"),
        ("对《关于支持建设产业园的建议》的答复(县十七届人大五次会议第33号建议)", "关于支持建设产业园的建议"),
        ("就九三学社提出的第143059号重点提案《关于举办艺专附属学校的建议》开展督办", "关于举办艺专附属学校的建议"),
    ],
)
def test_proposal_titles_with_and_without_quotes(text: str, title: str) -> None:
    assert find_proposal_title(text) == title


def test_a_numbered_paragraph_is_not_a_section_heading() -> None:
    assert heading_of("南京路按照职责分工,由区住建局负责实施。") is None
    assert heading_of("加大投入力度。") == "加大投入力度"


def test_a_heading_of_two_phrases_on_its_own_line() -> None:
    assert heading_of("强化组织领导,压实工作责任") == "强化组织领导,压实工作责任"
    assert heading_of("南京路按照职责分工,由区住建局负责实施,确保道路按期建成通车,方便群众出行需求") is None


# --- spam and late fields -------------------------------------------------------------------


def test_a_spam_phrase_glued_onto_the_title_is_removed_wherever_it_stands() -> None:
    lines, _ = drop_spam_phrases(["凤凰体育", "首页", "凤凰体育代表建议办理督办会", "近日,市人大常委会召开会议。"])
    assert lines == ["首页", "代表建议办理督办会", "近日,市人大常委会召开会议。"]


def test_a_spam_phrase_standing_where_a_function_word_stood_is_removed() -> None:
    sentence = "我市加强科技创新澳门赌场建设,推动产业澳门赌场发展。全市科技型企业澳门赌场数量达到新高。"
    lines, _ = drop_spam_phrases(["关于加强澳门赌场科技创新澳门赌场建议", sentence * 8])
    assert lines[0] == "关于加强科技创新建议"
    assert "澳门赌场" not in lines[1]


def test_a_title_split_over_lines_is_not_spam() -> None:
    lines = [
        "对市政协九届三次会议关于加强农业科技服务体系建设提案的答复",
        "发布时间:2024-09-02",
        "对市政协九届三次会议",
    ]
    assert drop_spam_phrases(lines)[0] == lines


def test_a_reply_without_a_session_takes_the_level_of_the_body_it_is_copied_to() -> None:
    letter = "马三朝委员:\n您提出的《关于亮化路口的建议》的提案收悉。现答复如下:\n由我局办理。\n2020年8月18日\n"
    copied = page(letter + "抄 报:区政协办公室、区委区政府督查局")
    assert copied.proposal is not None and copied.proposal.level == "county"
    # The replying body's own level is no evidence of where the suggestion was made.
    signed = page(letter.replace("2020年", "郑州市上街区城市管理局\n2020年"))
    assert signed.proposal is not None and signed.proposal.level is None


def test_a_telephone_number_after_a_name_is_no_count() -> None:
    assert [n.name for n in find_org_names("联系单位及电话:上街区城市管理局 68118611")] == ["上街区城市管理局"]
    assert [n.name for n in find_org_names("市科技局 023-63621234")] == ["市科技局"]
    assert find_org_names("重庆市制造业创新中心1家") == []


@pytest.mark.parametrize(
    ("text", "session"),
    [
        ("(县十七届人大五次会议第33号建议)", "县十七届人大五次会议"),
        ("晋宁区召开昆明市政协第十四届三次会议", "昆明市政协第十四届三次会议"),
    ],
)
def test_a_session_starts_after_a_bracket_or_a_verb_of_meeting(text: str, session: str) -> None:
    found = find_session(text)
    assert found is not None and found.text == session


def test_a_session_without_its_place_takes_the_level_of_the_legislature_named() -> None:
    assert legislature_level("州政协提案委组织召开座谈会。政协十二届三次会议期间", None) == "prefecture"
    assert legislature_level("关于您在临沂市河东区人大会议上所提建议", None, meeting=True) == "county"
    assert legislature_level("全国人大常委会办公厅转来", None) is None


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("关于2021年省政协提案第45号的答复", "provincial"),
        ("您作为市人大代表建议的", "prefecture"),
        ("抄送:县政协", None),
    ],
)
def test_a_suggestion_named_with_its_legislature_says_where_it_was_made(text: str, level: str | None) -> None:
    assert legislature_level(text, None, meeting=True) == level


def test_a_registry_number_in_the_opening() -> None:
    record = page(
        "清自然资空间规划【2020】25号\n市交通运输局:\n李年文代表提出的《关于加快开通连接线的建议》(立案号:2020072号)收悉,会办意见如下:\n一、支持。"
    )
    assert record.proposal is not None and record.proposal.number == "2020072"


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("科技部政策法规司会同工信部中小企业司研究", ["科技部政策法规司", "工信部中小企业司"]),
        ("全国人大常委会办公厅研究室主任宋锐表示", ["全国人大常委会办公厅研究室"]),
        ("由我局城乡建设科负责办理", ["城乡建设科"]),
        ("龙岗区教育局学前科", ["龙岗区教育局学前科"]),
        ("南湾街道积极推进", ["南湾街道"]),
        ("抄送:县政协提案委、东兰县人民政府督查室。", ["县政协提案委", "东兰县人民政府督查室"]),
        ("市政府督办室负责人参与督办", ["市政府督办室"]),
        ("全区中小学开展活动", []),
        ("涉及村小组的土地", []),
    ],
)
def test_divisions_are_named_after_their_organisation(sentence: str, names: list[str]) -> None:
    assert [n.name for n in drop_nested(find_org_names(sentence))] == names


def test_a_role_names_someone_only_where_it_opens_the_phrase() -> None:
    assert [p.name for p, _ in find_speakers("基本实现了联系基层代表全覆盖。")] == []
    assert [p.name for p, _ in find_speakers("人民银行副行长陈雨露介绍")] == ["陈雨露"]


@pytest.mark.parametrize(
    ("sentence", "facts"),
    [
        ("十三届全国人大常委会已办理代表议案4648件、建议84028件", [(4648, "件"), (84028, "件")]),
        ("提出的530多件意见建议", [(530, "件")]),
        ("从3个问题入手,提出5条建议", []),  # the text's own points
        ("2019年财政收入较上年增长-6.9%", [(-6.9, "%")]),
        ("取得规划许可的建筑物6幢", [(6, "幢")]),
        ("新建涵洞300道,安装路灯1500盏,举办培训班3期", [(300, "道"), (1500, "盏"), (3, "期")]),
    ],
)
def test_figures_counted_before_their_noun_and_falls(sentence: str, facts: list[tuple[float, str]]) -> None:
    assert [(m.value, m.unit) for m in metrics_in_text(sentence)] == facts


def test_a_source_credit_closing_the_article_is_not_its_date_line() -> None:
    record = page(
        "十三届全国人大常委会已办理代表议案4648件\n作者:梁秋坪 李楠楠\n发布时间:2022-06-30 09:45:01\n"
        "研究室主任宋锐表示,截至目前,已经召开了16次座谈会。\n来源: 人民网"
    )
    assert record.published_date is not None and record.published_date.isoformat() == "2022-06-30"
    assert record.source == "人民网"
    assert {"梁秋坪", "李楠楠", "宋锐"} <= {p.name for p in record.people}
    assert [m.value for m in record.metrics] == [16]


def test_bulleted_fields_under_a_title() -> None:
    record = page(
        "【两会】陈瑞爱:以“眼见为实”的态度对待问题\n- 点击:\n- 日期:2012-03-09 15:06\n- 来源:法制日报\n"
        "记者报道,会议召开。"
    )
    assert (record.title, record.source) == ("【两会】陈瑞爱:以“眼见为实”的态度对待问题", "法制日报")
    assert record.published_date is not None and record.published_date.isoformat() == "2012-03-09"


def test_a_report_signed_with_position_and_name() -> None:
    assert [p.name for p, _ in find_speakers("市人大常委会副主任 李四")] == ["李四"]
    assert [n.name for n in find_org_names("2023年新增普通高中学位2.1万个")] == []


def test_bulleted_fields_without_colons() -> None:
    assert read_labels("  • 索引号 11500114009130039C/2020-06814") == [("索引号", "11500114009130039C/2020-06814")]
    assert read_labels("• 文件标题 关于区四届人大三次会议第21号建议的 答复函") == [
        ("文件标题", "关于区四届人大三次会议第21号建议的 答复函")
    ]


@pytest.mark.parametrize(
    ("text", "session", "term", "session_no"),
    [
        ("关于省十一届政协三次会议第361号提案答复的函", "省十一届政协三次会议", 11, 3),
        (
            "中国人民政治协商会议砚山县九届委员会第三次会议第124号提案",
            "中国人民政治协商会议砚山县九届委员会第三次会议",
            9,
            3,
        ),
    ],
)
def test_cppcc_sessions_printed_other_ways(text: str, session: str, term: int, session_no: int) -> None:
    found = find_session(text)
    assert found is not None and (found.text, found.term, found.session_no) == (session, term, session_no)


def test_an_approval_by_a_titled_official_names_both_people() -> None:
    record = page(
        f"关于第343号建议的复函\n{REPLY}\n此复函已经区委常委、宣传部部长王小波审定,由区住房城乡建委主任周凡签发。"
    )
    assert record.approved_by == "区委常委、宣传部部长王小波"
    assert {"王小波", "周凡"} <= {p.name for p in record.people}
    assert "区委" not in [i.name for i in record.institutions]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("经多次与发展改革委沟通", ["发展改革委"]),
        ("苍财办建〔2019〕35号", []),  # an issuing number's prefix
        ("安徽材料工程学校党委书记章明安赴市财政局", ["安徽材料工程学校", "市财政局"]),
        ("各地要保障学校用电", []),
        ("出席中国人民政治协商会议砚山县委员会", ["中国人民政治协商会议砚山县委员会"]),
    ],
)
def test_names_after_a_joiner_or_a_visit(sentence: str, names: list[str]) -> None:
    assert [n.name for n in drop_nested(find_org_names(sentence))] == names


def test_class_marks_titles_and_digits_in_sign_off_dates() -> None:
    record = page(
        f"关于第69号建议的答复\n华建复〔2017〕5号(B类)\n{REPLY}\n华容县住房和城乡建设局\n二0一七年五月二十六日"
    )
    assert record.doc_no == "华建复〔2017〕5号"
    assert record.signed_date is not None and record.signed_date.isoformat() == "2017-05-26"


def test_closing_credits_and_restated_counts() -> None:
    record = page(
        "委员们报到\n2024-01-03\n1月3日,记者报道,12名县人大代表参加了答复会,上述12名代表表示满意。\n(陈若奎)\n(责任编辑:王振芳)"
    )
    assert {"陈若奎", "王振芳"} <= {p.name for p in record.people}
    assert [(m.value, m.unit) for m in record.metrics] == [(12, "名")]


@pytest.mark.parametrize(
    ("opening", "co_handlers"),
    [
        (
            "你们提出的议案收悉,我局高度重视议案内容,与县林业局、规划办等有关部门进行了认真对接和研究,现答复如下:",
            ("县林业局", "规划办"),
        ),
        ("省政府办公厅高度重视,组织省发改委等21个相关单位对建议内容进行了认真研究梳理。", ("省发改委",)),
        ("我局高度重视,组织召开座谈会进行研究,现答复如下:", ()),
        ("现将我局会同市财政局、市教育局的办理情况答复如下:", ("市财政局", "市教育局")),
        ("下一步,我市将会同市交管大队加强管理。", ()),  # a plan
        ("责任人员与您进行了沟通,征求办理意见和建议。", ()),  # names no unit
    ],
)
def test_co_handlers_consulted_in_the_preface(opening: str, co_handlers: tuple[str, ...]) -> None:
    assert find_co_handlers(opening, "") == co_handlers


@pytest.mark.parametrize(
    ("body", "co_handlers"),
    [
        ("我局与教育局就申请取暖专项费用问题进行了多次沟通,经协商,将增加预算。", ("教育局",)),
        ("经我们认真研究,并与省工信厅、省财政厅沟通,认为财政增量有限。", ("省工信厅", "省财政厅")),
        ("我局与群众代表进行了沟通。", ()),  # not a unit
        ("因村内道路由移民部门实施,我局也积极和县移民办进行对接,该项目已列入规划。", ("县移民办",)),
        ("下一步,我局将积极与上级部门对接,与石林街道政府沟通协调。", ()),  # a plan, not who handled it
    ],
)
def test_co_handlers_consulted_in_the_body(body: str, co_handlers: tuple[str, ...]) -> None:
    assert find_co_handlers("您提出的建议收悉。", body) == co_handlers


@pytest.mark.parametrize(
    ("sentence", "indicator"),
    [
        ("156位全国人大常委会组成人员直接联系着439名全国人大代表", "全国人大代表"),
        ("已经召开了16次座谈会", "座谈会"),
        # the share of a total names what was just counted, as the gold of such reports does
        ("列入计划逐步解决的25件,占办理件总数的34%", "计划逐步解决占比"),
    ],
)
def test_an_indicator_is_what_is_counted_not_a_function_word(sentence: str, indicator: str) -> None:
    assert metrics_in_text(sentence)[-1].indicator == indicator


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("2022年区财政局坚持保障教育投入", ["区财政局"]),
        ("今年是新一届省政协的开局之年", ["省政协"]),
        ("市政协副主席、秘书长出席", ["市政协"]),  # an affiliation counts
    ],
)
def test_names_after_a_date_or_a_term(sentence: str, names: list[str]) -> None:
    assert [n.name for n in drop_nested(find_org_names(sentence))] == names


def test_a_bare_suffix_word_is_no_institution() -> None:
    record = page(f"关于第361号提案答复的函\n来源:办公室 发布时间:2015-05-30\n{REPLY}")
    assert "办公室" not in [i.name for i in record.institutions]


@pytest.mark.parametrize(
    ("where", "issuers", "level"),
    [
        ("沙河市", [], "county"),  # a county-level city
        ("宜昌市", [], "prefecture"),
        ("湖北省宜昌市", [], "prefecture"),
        ("阿克苏地区", [], "prefecture"),
        ("市", ["新郑市住房和城乡建设局"], "county"),
        ("市", ["重庆市荣昌区农业农村委员会"], "prefecture"),  # no region known: never provincial by guess
    ],
)
def test_county_level_cities_are_county(where: str, issuers: list[str], level: str) -> None:
    assert level_of(where, None, issuers) == level


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("此事需城区政府统筹", ["城区政府"]),
        ("待省厅批复后实施", ["省厅"]),
        ("经交运局研究", ["交运局"]),
        ("了解到委员正与交通产业集团对接", ["交通产业集团"]),
        ("陶靠军委员与发改委座谈", ["发改委"]),
        ("市经济和信息化局", ["市经济和信息化局"]),  # 经 inside a name stays
        ("分管农业的副县长吴中华召集县政府办、县水利局", ["县政府办", "县水利局"]),
        ("县长周乐彬第一时间批示,立即安排县水利局", ["县水利局"]),
        ("交县卫生健康局办理", ["县卫生健康局"]),
        ("下一步县卫生健康局将", ["县卫生健康局"]),
        ("督促张家川县交通运输局加快", ["张家川县交通运输局"]),
        ("五是要人代工委抓好", ["人代工委"]),
        ("经交运局、区交巡警支队和重庆市交通局研究", ["交运局", "区交巡警支队", "重庆市交通局"]),
        ("由县扶贫办、县农业综合开发办、县水利局3家单位筹资", ["县扶贫办", "县农业综合开发办", "县水利局"]),
        ("湘政办建复[2018]9号", []),  # an issuing number's prefix
        ("会同市交管大队研究", ["市交管大队"]),
        ("该提案是区政协七届一次会议民盟民进界的集体提案,由具体经办人负责", ["民盟民进"]),
        ("今年年初区教育局将调整方案报市教育局审批", ["区教育局", "市教育局"]),
        ("写入市人大常委会工作报告", ["市人大常委会"]),
        ("坚持和完善常委会联系代表制度,建立健全专门委员会工作机制", []),
        ("市政协党组成员蔡和方参加,加强农村基层党组织建设", ["市政协党组"]),
        ("省人民政府办公厅建议提案办理处", ["省人民政府办公厅建议提案办理处"]),
        ("其中一般政府债券1300万元", []),
        ("纳入省委、省政府办公厅2025年印发的方案", ["省委", "省政府办公厅"]),
        ("我受市人民政府委托,报告代表建议办理情况", ["市人民政府"]),
        ("市人大常委会副主任李红一行到市住建局视察", ["市人大常委会", "市住建局"]),
        ("代表九三学社昆明市委向市政府表示感谢", ["九三学社昆明市委", "市政府"]),
        ("市领导就九三学社昆明市委重点提案开展现场督办", ["九三学社昆明市委"]),
        ("组织市民进行座谈,农民建房,人民革命", []),
        ("中国建设银行股份有限公司提供贷款,加快建设湘江集团", ["中国建设银行股份有限公司", "湘江集团"]),
        ("镇党委、镇政府高度重视,乡政府组织实施", ["镇党委", "镇政府", "乡政府"]),
        ("县委党校、县农业农村局畜牧站和镇派出所", ["县委党校", "县农业农村局畜牧站", "镇派出所"]),
        ("在交通安全隐患,加上水文站附近地势低", []),
        ("提案具有“紧扣中心、服务大局”的特点,江山村距离庐镇乡政府8公里", ["庐镇乡政府"]),
        ("重点关注加强人民法院建设", []),
        ("内蒙古代表团新闻发言人施文学。内蒙古日报社融媒体记者 袁永红 摄", ["内蒙古代表团", "内蒙古日报社"]),
        ("国家发改委8位司局负责同志,普通高中学校,建立“国家种草质资源中心库”", ["国家发改委"]),
        (
            "引进北京大学、新加坡国立大学、中国兵器科学研究院等105家",
            ["北京大学", "新加坡国立大学", "中国兵器科学研究院"],
        ),
    ],
)
def test_a_clause_opener_or_a_preposition_is_not_part_of_a_name(sentence: str, names: list[str]) -> None:
    assert [n.name for n in drop_nested(find_org_names(sentence))] == names


def test_divided_handling_names_the_co_handler() -> None:
    assert find_co_handlers("您的提案收悉。", "该提案由我局与规划局分办。") == ("规划局",)


def test_a_session_after_a_verb_of_passing_on() -> None:
    found = find_session("你单位转来市政协第十届五次会议提案")
    assert found is not None and found.text == "市政协第十届五次会议"


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("2017-02-16 11:05 刘长韬", None),  # the author, not an outlet
        ("2024年11月23日 星期六 |", None),
    ],
)
def test_bylines_name_no_outlet_in_an_author_or_a_weekday(line: str, source: str | None) -> None:
    byline = read_byline(line)
    assert byline is not None and byline.source == source


def test_the_labelled_date_line_wins_over_the_sites_date() -> None:
    record = page(
        "2024年11月23日 星期六 |\n我县召开建议提案交办会\n来源:裕民县电视台 日期:2020-03-26 17:13:48\n"
        "3月24日,会议召开,记者报道。"
    )
    assert record.published_date is not None and record.published_date.isoformat() == "2020-03-26"
    assert record.source == "裕民县电视台"


def test_a_news_source_cited_in_the_text_and_a_single_proposer_with_others() -> None:
    record = page(
        "委员提案获答复\n2014-03-05\n据《鑫报》近日报道,赵惠仙等5名委员提交了关于加强管理的提案,记者了解到已获答复。"
    )
    assert record.source == "鑫报"
    assert record.proposal is not None and [p.name for p in record.proposal.proposers] == ["赵惠仙"]


def test_disclosure_marks_and_bulleted_values_are_not_titles() -> None:
    assert page("六届四次第109号代表建议的答复\n主动公开\n2024.11.29\n您提出的建议收悉。现答复如下。").title == (
        "六届四次第109号代表建议的答复"
    )
    assert page(
        "•综合,政务,建议提案\n关于对市政协五届四次会议第117号提案答复的函\n李建岭委员:\n您提出的提案收悉。"
    ).title == ("关于对市政协五届四次会议第117号提案答复的函")


def test_a_generic_noun_does_not_make_two_figures_one_fact() -> None:
    text = "新增高新技术企业5家。对于需要复审的12家高新技术企业,已有5家企业提交了复审资料。"
    assert [(m.value, m.unit) for m in metrics_in_text(text)] == [(5, "家"), (12, "家"), (5, "家")]


def test_a_figure_restated_in_other_words_is_one_fact() -> None:
    text = "其中车购税补助资金1499万元,一般政府债券1300万元。\n财政部门分配的1300万元一般债券,计划用于新建。"
    assert [(m.indicator, m.value) for m in metrics_in_text(text)] == [
        ("车购税补助资金", 14990000),
        ("一般政府债券", 13000000),
    ]
    listed = "74项政策和项目中,54项部分落实, 3项因怀化市条件不具备暂未落实。\n下一步,对3项因怀化市条件暂不具备的指导。"
    assert [m.value for m in metrics_in_text(listed)] == [74, 54, 3]


def test_each_fact_once_and_no_page_counters() -> None:
    text = "全县共收到建议意见24件。\n其中,人大代表建议意见24件已全部交办。\n0条评论"
    assert [(m.value, m.unit) for m in metrics_in_text(text)] == [(24, "件")]
    assert [(m.value, m.unit) for m in metrics_in_text("全国重点实验室11个、川渝共建重点实验室11个")] == [
        (11, "个"),
        (11, "个"),
    ]


@pytest.mark.parametrize(
    ("sentence", "indicator"),
    [
        ("获批市级以上博士后科研工作站22家(含国家级博士后科研工作站3家)", "国家级博士后科研工作站"),
        ("启动实施人才项目,重点支持100名青年科技人才。", "青年科技人才"),
        ("每万人发明专利拥有量达到60件。", "每万人发明专利拥有量"),
        ("科技进步贡献率提高至65%。", "科技进步贡献率"),
        ("建设首批17家重庆市产业创新综合体(科技型企业主导型)。", "重庆市产业创新综合体(科技型企业主导型)"),
        ("2021年度全社会研究与试验发展经费(R&D经费)投入超10亿元。", "全社会研究与试验发展经费(R&D经费)投入"),
        ("研究与试验发展(R&D)经费支出占地区生产总值比重达5.0%。", "研究与试验发展(R&D)经费支出占地区生产总值比重"),
        ("建设全国重点实验室11个,布局建设川渝共建重点实验室11个。", "川渝共建重点实验室"),
        (
            "已累计引进北京大学等105家国内外知名高校、科研院所、企业和科学家团队来渝开展合作。",
            "国内外知名高校、科研院所、企业和科学家团队",
        ),
        ("各承办单位分别就31件提案进行现场会商。", "提案"),
        ("会上邀请7名政协委员参加面商。", "政协委员"),
    ],
)
def test_an_indicator_is_the_noun_phrase_measured_with_its_brackets_closed(sentence: str, indicator: str) -> None:
    assert metrics_in_text(sentence)[-1].indicator == indicator


def test_a_figures_sentence_does_not_open_with_the_last_ones_closing_quote() -> None:
    (metric,) = metrics_in_text("他说:“很好。”市科技局处长周艳介绍,已累计引进高校105家。")
    assert metric.sentence == "市科技局处长周艳介绍,已累计引进高校105家。"


# --- Rules from the v* pages (issue 13, fifth blind batch) -------------------------------------


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        # The last of the names listed after one title is followed by a verb, not by punctuation.
        ("区政协副主席王建华、李东明、陈秀英出席会议。", ["王建华", "李东明", "陈秀英"]),
        ("市人大常委会副主任张立新、周美华带领部分代表视察", ["张立新", "周美华"]),
        # 领导, 督查员, 发言人 stand before a name like other titles.
        ("市领导何俊峰、钱晓军参加活动。", ["何俊峰", "钱晓军"]),
        ("区政府督查员孙丽通报了全年工作。", ["孙丽"]),
        ("外交部新闻发言人吴建国3日表示", ["吴建国"]),
        # 傅 is a family name too.
        ("办公厅秘书长傅国庆介绍,", ["傅国庆"]),
        # A run before 代表 ending in 位 is a count of deputies (各位, 相关单位), never a name.
        ("局长还向各位代表介绍了情况", []),
    ],
)
def test_people_by_position_in_lists_and_before_verbs(sentence: str, names: list[str]) -> None:
    assert [p.name for p, _ in find_speakers(sentence)] == names
    assert not looks_like_name("向各位") and not looks_like_name("关单位")


@pytest.mark.parametrize(
    ("line", "people"),
    [
        ("楚天都市报消息(记者:黄小红 实习生:程一帆):", [("黄小红", "记者"), ("程一帆", "实习生")]),
        ("记者 郑可/文 胡军/图", [("郑可", "记者"), ("胡军", "记者")]),
        ("(责编:石磊、孟雪)", [("石磊", "责编"), ("孟雪", "责编")]),
        ("负 责 人:王 刚", [("王刚", "负责人")]),
        # A credit whose names follow a role without a colon still reads them all.
        ("作者: 记者 吴晓 通讯员 何兰", [("吴晓", "作者"), ("何兰", "作者")]),
    ],
)
def test_credits_never_run_into_the_next_credit(line: str, people: list[tuple[str, str]]) -> None:
    text = clean_lines(line)[0][0]
    assert [(p.name, p.role) for p in find_credits(text)] == people


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        # A person and a title inside the run end what stood before the body's name.
        ("县委统战部联络处王敏处长和南宁市民宗委李强主任参加了会议。", ["县委统战部联络处", "南宁市民宗委"]),
        ("市发展改革委刘刚主任率相关处室负责同志", ["市发展改革委"]),
        # 代表 before a level word speaks for the body.
        ("副区长刘芳代表区人民政府作表态发言", ["区人民政府"]),
        # Clause words before the name.
        ("昨日来自省政协的消息说", ["省政协"]),
        ("结合省人大常委会年度监督计划", ["省人大常委会"]),
        ("也是改进政府工作的重要渠道", []),
        ("副主任李强带领人大机关部分委室负责人", []),
        ("就办理江苏代表团提出的建议", ["江苏代表团"]),
        ("含市场监管局承办9件", ["市场监管局"]),
        # A session's own bodies.
        ("经大会主席团研究决定", ["大会主席团"]),
        ("记者从大会秘书处议案组获悉", ["大会秘书处议案组"]),
        ("(全国人大代表联络处 整理)", ["全国人大代表联络处"]),
        # Channels, meetings and the main work are no bodies.
        ("首页 > 即时新闻 > 地方", []),
        ("召开重点提案办理情况协商会", []),
        ("既有中心工作又有民生议题", []),
        ("省政府新闻办新闻发言人表示", ["省政府新闻办"]),
    ],
)
def test_a_body_name_never_holds_a_person_a_clause_or_a_meeting(sentence: str, names: list[str]) -> None:
    assert [n.name for n in drop_nested(find_org_names(sentence))] == names


def test_a_delegation_proposer_loses_the_clause_before_it() -> None:
    proposers = proposers_from_text("财政部对江苏代表团提出的“关于支持苏北振兴”的建议进行了答复")
    assert [(p.name, p.role) for p in proposers] == [("江苏代表团", "代表团")]


@pytest.mark.parametrize(
    "text",
    [
        "县政协十一届三次会议提案办理工作汇报\n今年,县政协十一届三次会议期间共立案提案86件,已全部办复。",
        "关于市九届人大二次会议代表建议的办理情况\n2023年,市政府共办理代表意见建议64件,其中城建方面20件。",
    ],
)
def test_a_report_that_counts_suggestions_has_no_proposal(text: str) -> None:
    assert page(text).proposal is None


def test_a_page_opening_with_the_day_it_tells_of_is_a_news_report() -> None:
    record = page("5月9日上午,区人大常委会召开代表建议交办会。副主任郑强主持会议,共交办建议42件。")
    assert record.kind == "news_article"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("楚天都市报消息(记者:黄小红):全省代表建议已办结。", "楚天都市报"),
        ("中新社上海3月5日电(记者 张明)市政协收到提案800余件。", "中新社"),
        ("发布时间:2024-05-01 10:00 来源: ab20240501\n新华社北京4月30日电 国务院部门办结建议7000余件。", "新华社"),
        ("星报讯 1月14日上午,省政协召开新闻发布会。", "星报"),
    ],
)
def test_the_outlet_of_a_dateline_and_never_a_mirror_code(text: str, source: str) -> None:
    assert page(text).source == source


def test_a_byline_is_never_a_fallback_title() -> None:
    record = page("发布时间:2024-05-01 10:00 来源: 新华网\n国务院部门办结建议7000余件,占总数的95%。")
    assert record.title == "国务院部门办结建议7000余件,占总数的95%。"


def test_an_epaper_headline_list_above_the_date_line_is_not_the_title() -> None:
    record = page(
        "市政协开幕\n关于交通,听听委员的建议\n市两会新闻发布会召开\n2上一篇 2023年1月10日 放大 缩小 默认\n"
        "市两会新闻发布会召开\n记者 郑可/文\n本报讯 1月9日,市两会新闻发布会召开,市政协秘书长何明介绍了议程。"
    )
    assert record.title == "市两会新闻发布会召开"
    assert record.published_date == date(2023, 1, 10)
    assert record.source is None


def test_a_place_before_its_level_word_is_not_spam() -> None:
    lines = ["湖北", "湖北省政协十三届二次会议闭幕", "湖北 > 新闻 > 正文", "湖北省政协十三届二次会议闭幕"]
    kept, notes = drop_spam_phrases([*lines, "会议共收到提案800件,立案700件,内容涉及全省发展的方方面面。" * 4])
    assert not notes and kept[1] == "湖北省政协十三届二次会议闭幕"


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        # Two characters after a body and before a title are a name beside another body's person,
        # or when the title closes the phrase or speaks.
        ("市委宣传部联络处周敏处长和市教育局孙杰局长参加了座谈。", ["周敏", "孙杰"]),
        ("市交通局王伟局长表示,", ["王伟"]),
        # Words of a body that open with a family name's character are never names.
        ("承办单位负责人参加了会议", []),
        ("市水利局项目负责人介绍", []),
        ("区财政局纪检组长出席", []),
    ],
)
def test_a_two_character_name_before_its_title(sentence: str, names: list[str]) -> None:
    assert [p.name for p, _ in find_speakers(sentence)] == names


def test_the_date_under_the_signature_is_not_the_page_date_line() -> None:
    # A letter printed without a date line of its own: the signature's date closes it, and the
    # title is still the line above the salutation, not the signatory above that date.
    record = page(
        "关于市政协九届二次会议第12号提案的答复\n李红委员:\n您提出的关于发展夜间经济的提案收悉,"
        "我局会同市商务局和市文旅局认真研究,现答复如下:\n一、总体情况\n苏州市发展和改革委员会\n2022年6月1日"
    )
    assert record.title == "关于市政协九届二次会议第12号提案的答复"
    assert record.signatory == "苏州市发展和改革委员会" and record.signed_date == date(2022, 6, 1)
    assert record.proposal is not None
    assert (record.proposal.number, record.proposal.level) == ("12", "prefecture")
    assert record.proposal.co_handlers == ("市商务局", "市文旅局")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # A news headline is whole on its line: the line under it is its subtitle.
        (
            "区政协十届三次会议委员踊跃提交提案\n收到提案196件审查立案150件\n"
            "本报讯(记者 王丽)3月2日,记者获悉,共收到提案196件。",
            "区政协十届三次会议委员踊跃提交提案",
        ),
        # A report with no outlet or reporter is titled over two lines.
        (
            "2022年人大建议、政协提案办理工作\n完成情况说明\n根据通知要求,我局承办建议12件,已全部办理完毕。",
            "2022年人大建议、政协提案办理工作完成情况说明",
        ),
        # A letter's title runs on to its next line.
        (
            "关于县十七届人大五次会议第33号建议\n办理情况的答复\n张伟代表:\n您提出的建议收悉,现答复如下:\n一、情况",
            "关于县十七届人大五次会议第33号建议办理情况的答复",
        ),
        # The article's first words are dated: they open the text, not more of the headline.
        (
            "代表团已有24条建议收到国家部委回复\n3月10日下午\n代表团举行新闻发布活动。",
            "代表团已有24条建议收到国家部委回复",
        ),
        # A headline with no title word over the first paragraph.
        (
            "参加会议的代表抵达呼和浩特市\n会议将于1月21日召开,代表们肩负人民的重托抵达。",
            "参加会议的代表抵达呼和浩特市",
        ),
        # A forum post's byline above its headline.
        ("沈阳门户网 发表于 2018-8-18 08:50:57\n不断升级城市品质\n今年以来,沈阳市实施精准规划。", "不断升级城市品质"),
    ],
)
def test_a_headline_does_not_take_its_subtitle(text: str, title: str) -> None:
    assert page(text).title == title


def test_a_date_line_the_metadata_does_not_read_is_not_the_opening() -> None:
    record = page(
        "区政协召开提案办理协商座谈会\n29.04.2016  19:51\n"
        "2016年4月28日下午,区政协召开座谈会,区发展改革委何军主任出席并讲话。"
    )
    assert record.kind == "news_article"


# --- pages of the t* batch: what a layout must not hide -------------------------------------


def test_a_title_labelled_after_the_text_does_not_hide_the_text() -> None:
    # A copied page closes with its original title: the figures above it are still the text's.
    record = page(
        "市政协第八届三次会议期间,截至1月8日,收到提案221件。其中,小组提案31件,委员个人提案173件。\n"
        "标题:“鄂州市政协八届三次会议举行提案委员会全体会议”\n"
    )
    assert record.title.strip("“”") == "鄂州市政协八届三次会议举行提案委员会全体会议"
    assert {(m.value, m.unit) for m in record.metrics} >= {(221, "件"), (31, "件"), (173, "件")}


def test_table_debris_is_no_title_and_a_caption_loses_its_photo_credit() -> None:
    record = page(
        "|\n全国政协副主席苏辉报告提案工作情况(中评社 徐梦溪摄) |\n"
        "中评社北京3月3日电(中评社报道组)全国政协副主席苏辉今天下午报告提案工作情况。她表示,委员提交大会提案5360件。\n"
    )
    assert record.title == "全国政协副主席苏辉报告提案工作情况"
    assert record.kind == "news_article"  # the wire's dateline `…3月3日电(` marks a report
    assert record.source == "中评社"


def test_a_filed_document_that_mentions_research_is_not_a_news_report() -> None:
    record = page(
        "标题: 区住房和城乡建设局2021年建议提案办理总体情况\n"
        "索引号: 11370303004217127D/2021-5195130 文号:\n"
        "发文日期: 2021-10-19 发布机构: 张店区住房和城乡建设局\n"
        "区住房和城乡建设局2021年建议提案办理总体情况\n"
        "发布日期:2021-10-19\n"
        "一、基本情况\n"
        "具体办理过程中,在先调研、协商的基础上,研究解决措施,共收到代表建议11条。\n"
    )
    assert record.kind == "other"


def test_a_sites_own_story_mark_is_not_the_outlet() -> None:
    assert read_byline("©原创   12-29 09:51   应城电视台") == ("12-29 09:51", "应城电视台")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # clauses asked as one question under a short headline: the text's first sentence
        (
            "建议,请回复得快点\n每年的两会,代表们都提了很多宝贵建议,但这些建议相关部门都给予回复了么?\n"
            "“从2009年开始,每年我都会提出关于姚江治理的建议。”市人大代表奕永庆表示。",
            "建议,请回复得快点",
        ),
        # a headline asking one question, with its column's tag after it, stays whole
        (
            "代表委员的建议能被采纳吗?(读者点题·共同关注)\n记者走访了多个承办单位,了解建议办理的情况。",
            "代表委员的建议能被采纳吗?(读者点题·共同关注)",
        ),
    ],
)
def test_a_question_in_clauses_is_a_sentence_not_a_headline(text: str, title: str) -> None:
    assert page(text).title == title


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("全国政协副主席、台盟中央主席苏辉今天下午在大会上报告提案工作情况。", ["苏辉"]),
        ("市委原书记厉有为、刘玉浦,市政协原主席李德成以及市委领导同志出席。", ["厉有为", "刘玉浦", "李德成"]),
        ("省人大代表奉吻香这次一共带来7件建议。", ["奉吻香"]),
        ("昨天碰到市人大代表奕永庆,他遗憾地表示。", ["奕永庆"]),
    ],
)
def test_people_after_their_position_with_rarer_family_names_and_time_words(sentence: str, names: list[str]) -> None:
    assert [p.name for p, _ in find_speakers(sentence)] == names


def test_a_wire_team_credit() -> None:
    people = find_credits("(中评社报道组:张爽 张心怡 林艳 徐梦溪 后援:阎晓阳) |")
    assert [p.name for p in people] == ["张爽", "张心怡", "林艳", "徐梦溪", "阎晓阳"]


@pytest.mark.parametrize(
    ("sentence", "expected", "not_expected"),
    [
        ("市政协提案委员会将会同市委办公室、市政府办公室以及有关部门作进一步的审查。", "市委办公室", "会同市委办公室"),
        ("大会闭幕后,市政协将联合市政府集中提出已经起草的建议。", "市政府", "联合市政府"),
        ("经过市政协提案委员会审查,确定立案588件。", "市政协提案委员会", "过市政协提案委员会"),
    ],
)
def test_a_name_does_not_take_the_verb_of_acting_with_it(sentence: str, expected: str, not_expected: str) -> None:
    names = [n.name for n in find_org_names(sentence)]
    assert expected in names
    assert not_expected not in names


def test_an_outlet_crediting_its_reporter_is_a_byline_but_a_photo_agency_is_kept() -> None:
    record = page(
        "代表建议是如何产生的\n来源:华声在线 2018-01-29 06:58:01\n湖南日报记者 苏莉\n"
        "1月28日下午,记者来到省人大会议秘书处议案建议组采访,共收到代表建议972件。\n"
        "天府兴隆湖实验室。川观新闻记者 杨树 摄\n"
    )
    institutions = {i.name for i in record.institutions}
    assert "湖南日报" not in institutions
    assert "川观新闻" in institutions


def test_the_content_source_credit_closing_an_article() -> None:
    record = page(
        "市政府系统共办理提案572件\n记者从市政府获悉,市政府系统共办理提案572件,其中已经解决的258件。\n"
        "内容来源:深圳新闻网、深圳政协\n整理编辑:深圳发布\n"
    )
    assert record.source == "深圳新闻网、深圳政协"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a class named in brackets before its count, then its share of the total
        (
            "已经解决或基本解决的(A类)22件,占承办提案总数的23.91%。正在解决的(B类)68件,占承办提案总数的73.91%。",
            [("A类", 22, "件"), ("A类占比", 23.91, "%"), ("B类", 68, "件"), ("B类占比", 73.91, "%")],
        ),
        ("其中财政经济方面25件,占承办总数的26.8%。", [("财政经济方面", 25, "件"), ("财政经济方面占比", 26.8, "%")]),
        # a share of a named whole keeps its words
        ("建成高标准农田58万亩,占耕地面积的58.3%。", [("高标准农田", 580000, "亩"), ("占耕地面积", 58.3, "%")]),
    ],
)
def test_a_share_of_the_total_names_the_things_just_counted(
    sentence: str, expected: list[tuple[str, float, str]]
) -> None:
    assert [(m.indicator, m.value, m.unit) for m in metrics_in_text(sentence)] == expected


@pytest.mark.parametrize(
    "sentence",
    ["这些建议分别交由78家单位承办。", "这些提案交由31个单位具体承办。", "共提出建议1260件,交给100个单位办理。"],
)
def test_units_a_count_is_handed_to_are_what_it_counts(sentence: str) -> None:
    assert metrics_in_text(sentence)[-1].indicator == "单位"


def test_a_question_between_paragraphs_is_no_headline() -> None:
    record = page(
        "来源:华声在线\n2018-01-29 06:58:01\n"
        "记者从工作人员处获悉,截至16时,共收到本届代表提交的建议972件。\n"
        "这样一条惠及万千家庭的好建议是如何产生的?\n"
        "奉吻香说,她所提的建议大部分都来自于当地老百姓向她反映的民生问题。\n"
    )
    assert record.title != "这样一条惠及万千家庭的好建议是如何产生的?"
    assert [(m.value, m.unit) for m in record.metrics] == [(972, "件")]


def test_figures_of_the_suggestion_printed_above_the_reply_count() -> None:
    record = page(
        "一、关于开通江山村公交的建议\n"
        "议案内容:江山村辖18个村民组,1075人,距离乡政府8公里,村内百姓出行特别困难。\n"
        "答复内容:\n"
        "尊敬的佘德梅代表:\n"
        "“关于开通江山村公交的建议”的议案收悉,我单位已开通江山村至林河村的公交线路,方便了群众出行。\n"
    )
    assert {(m.value, m.unit) for m in record.metrics} >= {(18, "个"), (1075, "人"), (8, "公里")}


@pytest.mark.parametrize(
    ("sentence", "expected", "not_expected"),
    [
        ("五年来哈尔滨市政协共征集提案3652件。", "哈尔滨市政协", "五年来哈尔滨市政协"),
        ("3月5日下午代表团召开全体会议。", None, "下午代表团"),
        ("● 扫描二维码下载\n● 随时随地收看更多新闻", None, "随时随地收看更多新闻"),
        ("点击进入新闻中心查看。", None, "新闻中心"),
    ],
)
def test_time_words_and_page_widgets_are_not_names(sentence: str, expected: str | None, not_expected: str) -> None:
    names = [n.name for n in find_org_names(sentence)]
    assert not_expected not in names
    if expected is not None:
        assert expected in names


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # someone's words reported, with no credit or outlet on the page: a news report
        (
            "不断升级城市品质\n市人大代表周继红提出加快解决农村污水处理问题的建议,市环保局认真办理。"
            "“这让我非常欣慰。”周继红代表说。\n",
            "news_article",
        ),
        # a body's summary of its own work quotes no one
        (
            "市政协六届一次会议以来,交由市政府办理的提案共92件,其中集体提案25件。从委员反馈意见来看,满意率为100%。\n",
            "other",
        ),
    ],
)
def test_reported_speech_makes_an_uncredited_page_news(text: str, kind: str) -> None:
    assert page(text).kind == kind


def test_a_proposal_title_quoted_after_proposed() -> None:
    sentence = (
        "在市人大十六届一次会议上,市人大代表周继红提出“关于加快解决农村污水处理问题的建议”,市环保局作为承办单位。"
    )
    assert find_proposal_title(sentence) == "关于加快解决农村污水处理问题的建议"
    assert find_proposal_title("代表们提出“两个方面”的意见。") is None  # a quoted phrase, not a title


@pytest.mark.parametrize("sentence", ["在深工作的全国政协委员应邀出席会议。", "相关局领导全程参与、统筹协调。"])
def test_a_word_after_a_role_that_opens_like_a_name_is_nobody(sentence: str) -> None:
    assert find_speakers(sentence) == []


def test_a_restated_count_is_one_fact() -> None:
    # the set counted, then divided (`801件提案中`); a lead sentence printed again in the body
    text = (
        "市政协十一届三次会议以来,共收到提案835件,其中交由市政府办理的801件。"
        "据悉,801件提案中,已经解决或采纳的提案564件。\n"
        "经审查,立案4567件,交165家承办单位办理。\n"
        "委员们围绕民生问题提交提案。经审查,立案4567件,交165家承办单位办理。\n"
    )
    figures = [(m.value, m.unit) for m in metrics_in_text(text)]
    assert figures == [(835, "件"), (801, "件"), (564, "件"), (4567, "件"), (165, "家")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("金凤区砖渠六号路规划红线宽25米。", [(25, "米")]),
        ("建议修建通村公路长度750米,宽度4米。", [(750, "米"), (4, "米")]),
        ("仅有一座3.5米宽桥梁。", [(3.5, "米")]),
        ("城市公园绿地服务半径500米覆盖率达到90%。", [(90, "%")]),  # 500米 names the measure
    ],
)
def test_lengths_in_metres(sentence: str, expected: list[tuple[float, str]]) -> None:
    assert [(m.value, m.unit) for m in metrics_in_text(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "indicator"),
    [
        ("发动全省11万名人大代表参与实践活动。", "全省人大代表"),
        ("获评全省20个森林康养示范基地。", "全省森林康养示范基地"),
        ("大会确定将25件作为代表议案处理。", "作为代表议案处理"),
        ("全省共有企业500家。", "企业"),  # the scope opens the clause: the noun before the number counts
    ],
)
def test_a_scope_or_a_verb_before_the_number_leaves_the_noun_after_it(sentence: str, indicator: str) -> None:
    assert metrics_in_text(sentence)[-1].indicator == indicator


def test_a_numbered_list_of_suggestion_titles_is_no_sections() -> None:
    text = (
        "代表团24件建议收到国家部委回复\n记者从代表团获悉,已有24件建议收到回复,其中包括:\n"
        "1.关于支持开展盐碱地改良和高标准农田建设的建议;\n2.关于建设能源革命综合改革试点的建议;\n"
        "3.关于实施生态屏障工程的建议(生态屏障指沙漠和高原)。\n有关部委表示将认真研究。\n"
    )
    assert page(text).sections == ()
    report = "关于办理情况的报告\n发布日期:2021-10-19\n一、基本情况\n今年共办理建议30件。\n二、主要做法\n加强沟通。\n"
    assert [s.heading for s in page(report).sections] == ["基本情况", "主要做法"]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("会议明确由刘权牵头,杨天恩具体负责,县农业项目管理服务中心负责办理。", ["刘权", "杨天恩"]),
        ("由县交通局牵头,各乡镇负责落实。", []),
        ("由王局长牵头负责。", []),
    ],
)
def test_staff_assigned_to_the_work_by_name(sentence: str, names: list[str]) -> None:
    assert [p.name for p, _ in find_speakers(sentence)] == names


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        ("会议审议了报告(讨论稿),并提交常务委员会会议审议。", "常务委员会", None),
        ("报告经人大常委会审议通过。", "人大常委会", None),
        ("报告提请市人大常委会审议。", None, "市人大常委会"),
    ],
)
def test_a_standing_committee_without_its_place_is_no_named_body(
    sentence: str, absent: str | None, present: str | None
) -> None:
    names = [n.name for n in find_org_names(sentence)]
    if absent is not None:
        assert absent not in names
    if present is not None:
        assert present in names


def test_a_reporters_credit_is_no_headline() -> None:
    record = page(
        "来源:华声在线\n2018-01-29 06:58:01\n湖南日报记者 苏莉\n"
        "2017年,1030件;2016年,1250件;2015年,1356件。\n这3组数字是过去3年来省人大代表提交的建议数量。\n"
    )
    assert record.title != "湖南日报记者 苏莉"
    assert ("苏莉", "记者") in [(p.name, p.role) for p in record.people]
