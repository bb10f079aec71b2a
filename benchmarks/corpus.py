"""A generated corpus of realistic source documents, deterministic for a seed.

Document `i` depends only on (seed, i): its own `random.Random` is seeded from both, so any slice
of a corpus can be generated alone, in any order, and a corpus of 1,000,000 documents is written
one file at a time without holding more than one document in memory.

The documents follow the layouts of `seeds/` and `tests/fixtures/corpus/`, which the parser handles:

- bracket metadata (`[ 索引号 ] …`, printed twice, as on the Chongqing sites), title, `日期:`;
- pipe-table metadata (`[ 索引号 ] | … |`);
- no metadata, a `发布时间:… 浏览次数:…` line under the title (a prefecture site);
- a `时间 : … 来源 : 本网` header (a provincial department's site);
- news articles with `发布时间: … 来源: 重庆日报`, deputies and members quoted, an editor's line;
- a share of each wrapped in an HTML page with navigation and a script, as scraped.

Departments, sessions, numbers, proposers (deputies, members, parties such as 致公党市委会),
co-handlers, institutions, figures, sign-off dates and signatories all vary.

    python -m benchmarks.corpus --out /tmp/corpus --count 100000 --seed 1
"""

# S311: a corpus generator wants a seeded, reproducible generator, not a cryptographic one.
# E501: the sentence templates read best as one line of Chinese each.
# ruff: noqa: S311, E501
from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

SHARD_SIZE = 1000
"""Files per folder, so a 1,000,000-document corpus is 1,000 folders of 1,000 files."""

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals as sessions print them: 六, 十三, 二十一."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


# --- Regions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    name: str  # 重庆市, 广东省, 荣昌区
    prefix: str  # how a department's short name starts: 市, 省, 区, 县
    parent: str  # printed before the name in a full name: 重庆市 for 荣昌区
    level: str  # municipality, province, prefecture, county
    paper: str  # the local daily that news articles come from
    code: int

    @property
    def short(self) -> str:
        """重庆 for 重庆市, 荣昌 for 荣昌区; 浦东新区 stays whole."""
        return self.name if self.name.endswith("新区") or len(self.name) <= 2 else self.name[:-1]


MUNICIPALITIES = ["重庆市", "北京市", "天津市", "上海市"]
PROVINCES = ["广东省", "四川省", "浙江省", "湖北省", "河南省", "辽宁省", "山东省", "江苏省", "湖南省", "福建省"]
PREFECTURES = [
    ("盘锦市", "辽宁省"), ("绵阳市", "四川省"), ("苏州市", "江苏省"), ("宜昌市", "湖北省"), ("洛阳市", "河南省"),
    ("佛山市", "广东省"), ("温州市", "浙江省"), ("泉州市", "福建省"), ("株洲市", "湖南省"), ("烟台市", "山东省"),
]  # fmt: skip
COUNTIES = [
    ("荣昌区", "重庆市"), ("渝北区", "重庆市"), ("璧山区", "重庆市"), ("江津区", "重庆市"), ("北碚区", "重庆市"),
    ("海淀区", "北京市"), ("朝阳区", "北京市"), ("浦东新区", "上海市"), ("滨海新区", "天津市"),
    ("隆尧县", "河北省邢台市"), ("长兴县", "浙江省湖州市"), ("仁寿县", "四川省眉山市"), ("宁乡市", "湖南省长沙市"),
]  # fmt: skip
PAPERS = {"重庆市": "重庆日报", "北京市": "北京日报", "天津市": "天津日报", "上海市": "解放日报"}


def _regions() -> list[Region]:
    regions: list[Region] = []
    for name in MUNICIPALITIES:
        regions.append(Region(name, "市", "", "municipality", PAPERS[name], len(regions)))
    for name in PROVINCES:
        regions.append(Region(name, "省", "", "province", name[:-1] + "日报", len(regions)))
    for name, parent in PREFECTURES:
        regions.append(Region(name, "市", parent, "prefecture", name[:-1] + "日报", len(regions)))
    for name, parent in COUNTIES:
        prefix = "县" if name.endswith("县") else "区" if name.endswith("区") else "市"
        regions.append(Region(name, prefix, parent, "county", parent[:3] + "日报", len(regions)))
    return regions


REGIONS = _regions()

# --- Departments: (short name without the prefix, full name suffix, what it answers about) ------

CITY_DEPARTMENTS = [
    ("科技局", "科学技术局", "tech"), ("教委", "教育委员会", "edu"), ("农业农村委", "农业农村委员会", "agri"),
    ("发展改革委", "发展和改革委员会", "econ"), ("经济信息委", "经济和信息化委员会", "econ"),
    ("财政局", "财政局", "econ"), ("人力社保局", "人力资源和社会保障局", "talent"),
    ("生态环境局", "生态环境局", "env"), ("住房城乡建委", "住房和城乡建设委员会", "city"),
    ("交通局", "交通局", "city"), ("卫生健康委", "卫生健康委员会", "health"),
    ("文化旅游委", "文化和旅游发展委员会", "tour"), ("商务委", "商务委员会", "econ"), ("民政局", "民政局", "care"),
    ("规划自然资源局", "规划和自然资源局", "city"), ("市场监管局", "市场监督管理局", "econ"),
]  # fmt: skip
PROVINCE_DEPARTMENTS = [
    ("科技厅", "科学技术厅", "tech"), ("教育厅", "教育厅", "edu"), ("农业农村厅", "农业农村厅", "agri"),
    ("发展改革委", "发展和改革委员会", "econ"), ("工业和信息化厅", "工业和信息化厅", "econ"),
    ("财政厅", "财政厅", "econ"), ("人力资源社会保障厅", "人力资源和社会保障厅", "talent"),
    ("生态环境厅", "生态环境厅", "env"), ("住房城乡建设厅", "住房和城乡建设厅", "city"),
    ("交通运输厅", "交通运输厅", "city"), ("卫生健康委", "卫生健康委员会", "health"),
    ("文化和旅游厅", "文化和旅游厅", "tour"), ("商务厅", "商务厅", "econ"), ("民政厅", "民政厅", "care"),
]  # fmt: skip
COUNTY_DEPARTMENTS = [
    ("科技局", "科学技术局", "tech"), ("教委", "教育委员会", "edu"), ("农业农村委", "农业农村委员会", "agri"),
    ("发展改革委", "发展和改革委员会", "econ"), ("经济信息委", "经济和信息化委员会", "econ"),
    ("人力社保局", "人力资源和社会保障局", "talent"), ("生态环境局", "生态环境局", "env"),
    ("住房城乡建委", "住房和城乡建设委员会", "city"), ("卫生健康委", "卫生健康委员会", "health"),
    ("文化旅游委", "文化和旅游发展委员会", "tour"), ("民政局", "民政局", "care"),
    ("招商投资局", "招商投资促进局", "econ"), ("城市管理局", "城市管理局", "city"),
]  # fmt: skip
EXTRA_CO_HANDLERS = {"municipality": ["两江新区管委会", "高新区管委会"], "county": ["团区委", "仁义镇", "双河街道"]}


def departments_of(region: Region) -> list[tuple[str, str, str]]:
    if region.level == "province":
        return PROVINCE_DEPARTMENTS
    if region.level == "county":
        return COUNTY_DEPARTMENTS
    return CITY_DEPARTMENTS


# --- People and proposers ------------------------------------------------------------------------

SURNAMES = "李王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁亮成谨宽杭丹菁骏飞冰岚颖晨曦"
PARTIES = ["致公党", "民盟", "民建", "民进", "农工党", "九三学社", "民革", "台盟"]
BODIES = ["工商联", "社科联", "科协", "妇联", "总工会"]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


# --- Subjects by department theme ------------------------------------------------------------------

SUBJECTS = {
    "tech": [
        "科技创新平台建设",
        "科技型企业培育",
        "重点实验室布局",
        "科技成果转化",
        "新型研发机构发展",
        "科创走廊建设",
    ],
    "edu": ["义务教育优质均衡发展", "职业教育产教融合", "高校学科建设", "乡村教师队伍建设", "学前教育普惠发展"],
    "agri": ["农业科技服务体系建设", "高标准农田建设", "乡村产业振兴", "农产品冷链物流", "家庭农场培育"],
    "econ": ["专精特新企业培育", "开发区精准招商", "数字经济发展", "民营经济高质量发展", "外贸新业态培育"],
    "talent": ["青年人才引育", "高技能人才培养", "灵活就业人员社保", "卓越工程师培养"],
    "env": ["长江生态保护修复", "大气污染联防联控", "农村生活污水治理", "固体废物资源化利用"],
    "city": ["老旧小区改造", "城市更新", "公交同城一体化", "新能源汽车充电设施建设", "城市排水防涝"],
    "health": ["基层医疗卫生服务能力提升", "中医药传承创新", "公共卫生应急体系建设", "医养结合"],
    "tour": ["乡村旅游发展", "文旅融合", "非物质文化遗产保护", "夜间文旅消费"],
    "care": ["社区养老服务", "婴幼儿照护服务", "困难群众救助", "殡葬改革"],
}
ACTIONS = ["关于加快", "关于支持", "关于推进", "关于强化", "关于完善", "关于促进", "关于进一步加强"]

# (indicator, unit, typical size) for the figures a paragraph states.
INDICATORS = {
    "tech": [("科技型企业", "家", 60000), ("高新技术企业", "家", 8000), ("新型研发机构", "家", 150),
             ("市级重点实验室", "个", 200), ("孵化器", "家", 110), ("技术合同成交额", "亿元", 600)],
    "edu": [("义务教育学校", "所", 900), ("普惠性幼儿园", "所", 1200), ("乡村教师", "人", 30000)],
    "agri": [("高标准农田", "万亩", 300), ("家庭农场", "家", 20000), ("农业科技园区", "个", 40)],
    "econ": [("专精特新企业", "家", 3000), ("规上工业企业", "家", 7000), ("实际利用外资", "亿美元", 100)],
    "talent": [("高技能人才", "万人", 80), ("青年科技人才", "人", 5000), ("卓越工程师", "人", 10000)],
    "env": [("空气质量优良天数", "天", 320), ("污水处理厂", "座", 300), ("造林面积", "万亩", 150)],
    "city": [("老旧小区改造", "个", 1500), ("充电桩", "个", 90000), ("公交线路", "条", 800)],
    "health": [("基层医疗卫生机构", "个", 20000), ("家庭医生签约", "万人", 900), ("中医馆", "个", 700)],
    "tour": [("乡村旅游示范村", "个", 200), ("A级旅游景区", "个", 270), ("旅游收入", "亿元", 1500)],
    "care": [("社区养老服务站", "个", 8000), ("养老床位", "万张", 25), ("托育机构", "家", 3000)],
}  # fmt: skip

LABS = ["金凤实验室", "明月湖实验室", "嘉陵江实验室", "广阳湾实验室", "之江实验室", "鹏城实验室", "天府兴隆湖实验室"]
FIELDS = ["智能汽车安全技术", "先进材料", "脑科学与类脑", "生物医药", "现代农业", "数字经济", "新能源"]
UNIVERSITIES = ["重庆大学", "西南大学", "四川大学", "浙江大学", "华中科技大学", "中山大学", "山东大学", "辽宁大学",
                "沈阳农业大学", "重庆医科大学", "北京理工大学", "陆军军医大学"]  # fmt: skip
COMPANIES = ["长安汽车", "京东方", "比亚迪", "康佳", "华为", "中国移动", "国家电网"]
NEWS_SUBJECTS = ["建设具有全国影响力的科技创新中心", "推动乡村全面振兴", "打造数字经济高地", "办好人民满意的教育"]


# --- One document ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    name: str  # file name without the extension: 0001234
    suffix: str  # .txt or .html
    body: bytes


def document(seed: int, i: int) -> Doc:
    """Document `i` of the corpus for `seed`."""
    rng = random.Random(seed * 1_000_003 + i)
    region = rng.choice(REGIONS)
    roll = rng.random()
    if roll < 0.12:
        text = _news_article(rng, region, i)
    elif roll < 0.52:
        text = _reply_letter(rng, region, i, layout="bracket")
    elif roll < 0.75:
        text = _reply_letter(rng, region, i, layout="pipe")
    elif roll < 0.93:
        text = _reply_letter(rng, region, i, layout="plain")
    else:
        text = _reply_letter(rng, region, i, layout="header")
    if rng.random() < 0.05:
        return Doc(f"{i:07d}", ".html", _as_html(text, region).encode("utf-8"))
    return Doc(f"{i:07d}", ".txt", text.encode("utf-8"))


def iter_documents(seed: int, start: int, count: int) -> Iterator[Doc]:
    for i in range(start, start + count):
        yield document(seed, i)


def corpus_path(root: Path, doc: Doc) -> Path:
    return root / f"{int(doc.name) // SHARD_SIZE:04d}" / f"{doc.name}{doc.suffix}"


def write_corpus(root: Path, *, seed: int, count: int, start: int = 0) -> int:
    """Write documents start..start+count-1 under `root`, 1,000 per folder. Returns bytes written."""
    written = 0
    for doc in iter_documents(seed, start, count):
        path = corpus_path(root, doc)
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(doc.body)
        written += len(doc.body)
    return written


def iter_corpus_files(root: Path, start: int, count: int) -> Iterator[Path]:
    """The files of documents start..start+count-1, in order, found one folder at a time."""
    end = start + count
    for shard in range(start // SHARD_SIZE, (end - 1) // SHARD_SIZE + 1):
        folder = root / f"{shard:04d}"
        for path in sorted(folder.iterdir()):
            if start <= int(path.stem) < end:
                yield path


# --- Reply letters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    region: Region
    department: tuple[str, str, str]
    short: str  # 市科技局
    full: str  # 重庆市科学技术局
    proposal_type: str  # suggestion | proposal
    session: str
    number: str
    subject: str
    proposal_title: str
    published: date
    signed: date


def _session(rng: random.Random, region: Region, proposal_type: str, year: int) -> str:
    term = {"municipality": 6, "province": 13, "prefecture": 9, "county": 18}[region.level] + rng.randint(-2, 2)
    meeting = chinese_number(rng.randint(1, 5))
    term_cn = chinese_number(term)
    local = region.prefix
    if region.level == "county" and rng.random() < 0.2:
        # 政协隆尧县十三届委员会第三次会议 / 隆尧县十八届人大四次会议: the region's own name printed
        if proposal_type == "proposal":
            return f"政协{region.name}{term_cn}届委员会第{meeting}次会议"
        return f"{region.name}{term_cn}届人大{meeting}次会议"
    if proposal_type == "proposal":
        return f"{local}政协{term_cn}届{meeting}次会议"
    if region.level == "municipality" and rng.random() < 0.3:
        return f"{region.name}{term_cn}届人大{meeting}次会议"
    return f"{local}{term_cn}届人大{meeting}次会议"


def _letter(rng: random.Random, region: Region) -> Letter:
    department = rng.choice(departments_of(region))
    short = region.prefix + department[0]
    full = region.parent + region.name + department[1]
    proposal_type = "proposal" if rng.random() < 0.45 else "suggestion"
    year = rng.randint(2016, 2025)
    published = date(year, 1, 1) + timedelta(days=rng.randint(100, 330))
    signed = published - timedelta(days=rng.randint(0, 60))
    number = f"{rng.randint(1, 1500):04d}" if rng.random() < 0.7 else str(rng.randint(1, 600))
    subject = rng.choice(SUBJECTS[department[2]])
    kind = "提案" if proposal_type == "proposal" and rng.random() < 0.3 else "建议"
    return Letter(
        region=region,
        department=department,
        short=short,
        full=full,
        proposal_type=proposal_type,
        session=_session(rng, region, proposal_type, year),
        number=number,
        subject=subject,
        proposal_title=f"{rng.choice(ACTIONS)}{subject}的{kind}",
        published=published,
        signed=signed,
    )


def _reply_letter(rng: random.Random, region: Region, i: int, *, layout: str) -> str:
    letter = _letter(rng, region)
    lines: list[str] = []
    if layout in ("bracket", "pipe"):
        lines += _metadata(rng, letter, i, pipe=layout == "pipe")
    elif layout == "plain" and rng.random() < 0.5:
        lines += [rng.choice(["16-top_img.png", "当前位置:首页 > 政务公开 > 建议提案办理"]), ""]
    elif layout == "header":
        lines += ["当前位置:首页 > 政务公开 > 建议提案", ""]
    title = _letter_title(rng, letter)
    lines += [title, ""]
    if layout == "bracket":
        lines += [f"日期:{letter.published.isoformat()}", ""]
    elif layout == "plain":
        lines += [f"发布时间:{letter.published.isoformat()} 浏览次数:{rng.randint(20, 3000)}", ""]
    elif layout == "header":
        clock = f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        lines += [f"时间 : {letter.published.isoformat()} {clock} 来源 : 本网 【字体: 【打印】", ""]
    lines += _salutation_and_opening(rng, letter)
    lines += _body(rng, letter)
    lines += _sign_off(rng, letter)
    return "\n".join(lines) + "\n"


def _metadata(rng: random.Random, letter: Letter, i: int, *, pipe: bool) -> list[str]:
    year = letter.published.year
    org = f"11{letter.region.code:04d}{rng.randint(0, 99):02d}MB{(i * 7919) % 1000000:06d}"
    index_no = f"{org}/{year}-{i:07d}"
    abbreviation = letter.region.name[0]
    doc_no = (
        f"{abbreviation}{letter.department[0][:2]}函〔{year}〕{rng.randint(1, 600)}号" if rng.random() < 0.8 else ""
    )
    genre = "政协提案办理" if letter.proposal_type == "proposal" else "人大建议办理"
    topic = rng.choice(["科技、教育", "科技", "其他", "农业、林业、水利", "城乡建设、环境保护", "卫生、体育", "文化"])
    written = letter.published - timedelta(days=rng.choice((0, 0, 0, 1, 3)))
    fields = [
        ("索引号", index_no),
        ("发文字号", doc_no),
        ("主题分类", topic),
        ("体裁分类", genre),
        ("发布机构", letter.short if rng.random() < 0.8 else letter.full),
        ("成文日期", written.isoformat()),
        ("发布日期", letter.published.isoformat()),
    ]
    crumbs = "人大代表建议办理情况公开" if letter.proposal_type == "suggestion" else "政协提案办理情况公开"
    lines = [] if pipe else [f"您当前的位置: 首页>>政务公开>>政府信息公开目录>>{crumbs}"]
    if pipe:
        pairs = [fields[0:2], fields[2:4], [fields[4], ("有效性", "")], fields[5:7]]
        lines += ["".join(f"[ {k} ] | {v} | " for k, v in pair).rstrip() for pair in pairs]
        lines += [f"[ {k} ] | {v} |" for k, v in fields]
    else:
        pairs = [fields[0:2], fields[2:4], fields[4:5], fields[5:7]]
        lines += [" ".join(f"[ {k} ] {v}".rstrip() for k, v in pair) for pair in pairs]
        lines += [f"[ {k} ] {v}".rstrip() for k, v in fields]
    return [*lines, ""]


def _letter_title(rng: random.Random, letter: Letter) -> str:
    word = "提案" if letter.proposal_type == "proposal" else "建议"
    choice = rng.randrange(5)
    if choice == 0:
        return f"{letter.full} 关于{letter.session}第{letter.number}号{word}办理情况的答复函"
    if choice == 1:
        return f"{letter.full}关于{letter.session}第{letter.number}号{word}的复函"
    if choice == 2:
        return f"对{letter.session}关于{letter.subject}{word}(第{letter.number}号)的答复"
    if choice == 3:
        return f"{letter.region.name}{letter.session.lstrip('市省区县')}第{letter.number}号{word}的答复意见"
    return f"{letter.full}关于{letter.session}第{letter.number}号代表{word}答复的函"


def _salutation_and_opening(rng: random.Random, letter: Letter) -> list[str]:
    you = "您" if rng.random() < 0.5 else "你"
    if letter.proposal_type == "proposal" and rng.random() < 0.3:
        body = rng.choice(PARTIES) + letter.region.prefix + "委会" if rng.random() < 0.7 else ""
        addressee = body or (letter.region.prefix + rng.choice(BODIES))
        you = "你们"
    else:
        addressee = person_name(rng) + ("委员" if letter.proposal_type == "proposal" else "代表")
    co = _co_handlers(rng, letter)
    if co:
        joined = "、".join(co)
        handled = rng.choice(
            [
                f"经与{joined}等协办单位共同研究办理,现将办理情况答复如下。",
                f"经与{joined}共同研究办理,现答复如下:",
                f"我们会同{joined}进行了认真研究,现就有关情况答复如下:",
            ]
        )
    else:
        handled = "结合我局职责,现答复如下:"
    return [
        f"{addressee}:",
        "",
        f"{you}提出的《{letter.proposal_title}》(第{letter.number}号)收悉。{handled}",
        "",
    ]


def _co_handlers(rng: random.Random, letter: Letter) -> list[str]:
    if rng.random() < 0.15:
        return []
    others = [d for d in departments_of(letter.region) if d[0] != letter.department[0]]
    picked = [letter.region.prefix + d[0] for d in rng.sample(others, rng.randint(2, min(6, len(others))))]
    extra = EXTRA_CO_HANDLERS.get(letter.region.level)
    if extra and rng.random() < 0.3:
        picked.append(rng.choice(extra))
    return picked


SECTION_HEADINGS = [
    "工作开展情况",
    "取得的主要成效",
    "存在的困难和问题",
    "关于政策支持",
    "关于资金保障",
    "关于人才保障",
]
NUMBERS = "一二三四五六七八九十"


def _body(rng: random.Random, letter: Letter) -> list[str]:
    lines: list[str] = []
    theme = letter.department[2]
    sections = [*rng.sample(SECTION_HEADINGS, rng.randint(1, 4)), "下一步工作计划"]
    for s, heading in enumerate(sections):
        lines += [f"{NUMBERS[s]}、{heading}", ""]
        for p in range(rng.randint(1, 4)):
            sentences = [_sentence(rng, letter, theme) for _ in range(rng.randint(2, 6))]
            prefix = f"({NUMBERS[p]}){rng.choice(['加强', '完善', '推动', '支持', '深化'])}{letter.subject}。"
            lines += [prefix + "".join(sentences), ""]
    return lines


def _sentence(rng: random.Random, letter: Letter, theme: str) -> str:
    year = letter.published.year - 1
    indicator, unit, size = rng.choice(INDICATORS[theme])
    value = max(1, int(size * rng.uniform(0.3, 1.7)))
    city = letter.region.short
    kind = rng.randrange(11)
    if kind == 0:
        other, other_unit, other_size = rng.choice(INDICATORS[theme])
        other_value = int(other_size * rng.uniform(0.5, 1.5))
        return f"截至{year}年底,累计培育{indicator}{value}{unit}、{other}{other_value}{other_unit}。"
    if kind == 1:
        target = round(value * rng.uniform(1.1, 1.6) / 10000, 1)
        figure = f"{target:g}万{unit}" if target >= 1 else f"{int(value * 1.3)}{unit}"
        return f"力争{letter.published.year + 1}年{indicator}突破{figure}。"
    if kind == 2:
        growth = round(rng.uniform(1, 30), 1)
        return f"{year}年,全年新增{indicator}{max(1, value // 10)}{unit},同比增长{growth}%。"
    if kind == 3:
        lab = rng.choice(LABS) if rng.random() < 0.5 else f"{rng.choice(FIELDS)}全国重点实验室"
        return f"加快建设{lab},支持{rng.choice(UNIVERSITIES)}、{rng.choice(UNIVERSITIES)}等高校参与共建。"
    if kind == 4:
        return f"{letter.region.prefix}财政累计投入资金超{rng.randint(5, 900) * 100}万元,带动社会投资{rng.randint(2, 90)}亿元。"
    if kind == 5:
        return f"依托中国科学院{city}研究院、{city}{rng.choice(FIELDS)}研究院等科研院所,引进高层次人才{rng.randint(20, 400)}人。"
    if kind == 6:
        return f"推动{rng.choice(COMPANIES)}{city}公司与{rng.choice(UNIVERSITIES)}签订战略合作协议,实施合作项目{rng.randint(3, 80)}项。"
    if kind == 7:
        return f"到{letter.published.year + 2}年,{indicator}达到{int(value * 1.2)}{unit}以上。"
    if kind == 8:
        return f"印发《{letter.region.name}{letter.subject}实施方案({year}—{year + 3}年)》,明确{rng.randint(10, 40)}项重点任务。"
    if kind == 9:
        return f"目前全{letter.region.prefix}已建成{indicator}{value}{unit},覆盖率达到{rng.randint(60, 99)}%。"
    return "我们高度重视您提出的建议,将其作为改进工作的重要参考,认真研究吸纳,持续抓好落实。"


def _sign_off(rng: random.Random, letter: Letter) -> list[str]:
    lines: list[str] = []
    head = "局长" if letter.short.endswith("局") else "主任" if letter.short.endswith("委") else "厅长"
    if rng.random() < 0.5:
        lines.append(f"此答复函已经{person_name(rng)}{head}审签。对以上答复您有什么意见,请填写在回执上寄给我们。")
    else:
        lines.append("对以上答复您有什么意见,请通过填写回执及时反馈,以便进一步改进工作。")
    signatory = letter.full if rng.random() < 0.7 else letter.short.removeprefix(letter.region.prefix)
    signatory = signatory if signatory != letter.department[0] else letter.full
    signed = letter.signed
    lines += ["", "", signatory, "", f"{signed.year}年{signed.month}月{signed.day}日", ""]
    if rng.random() < 0.5:
        lines += ["", "扫一扫在手机打开当前页"]
    return lines


# --- News articles -------------------------------------------------------------------------------


def _news_article(rng: random.Random, region: Region, i: int) -> str:
    year = rng.randint(2016, 2025)
    published = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
    subject = rng.choice(NEWS_SUBJECTS)
    theme = rng.choice(list(INDICATORS))
    letter = _letter(rng, region)
    deputy = person_name(rng)
    member = person_name(rng)
    official = person_name(rng)
    lines = [
        rng.choice(["24小时举报电话:023-57737953 举报邮箱:news@example.cn", "服务粉丝", "分享到"]),
        f"{region.name[:2]}网",
        f"{rng.choice(['深入推动', '加快', '奋力'])}{subject} 代表委员建言{region.name}高质量发展",
        f"发布时间: {published.isoformat()}  来源: {region.paper}",
        "分享到",
        "",
        f"{published.month}月{published.day}日,出席{letter.session}的代表委员围绕{subject}建言献策。",
        "",
        f"“{region.name}{letter.subject}取得积极成效。”{deputy}代表说,{_sentence(rng, letter, theme)}",
        "",
        f"{member}委员建议,{_sentence(rng, letter, theme)}{_sentence(rng, letter, theme)}",
        "",
        f"{letter.short}{rng.choice(['主任', '局长', '副局长'])}{official}介绍,{_sentence(rng, letter, theme)}",
    ]
    for _ in range(rng.randint(2, 8)):
        lines += ["", "".join(_sentence(rng, letter, theme) for _ in range(rng.randint(2, 5)))]
    lines += [
        "",
        "",
        f"责任编辑:{person_name(rng)}",
        "",
        "版权声明:",
        "",
        f"凡所有标注为“来源:{region.paper}”的稿件版权均为本站所有。",
    ]
    return "\n".join(lines) + "\n"


def _as_html(text: str, region: Region) -> str:
    """The page as scraped: navigation, a script and a footer around one <p> per line."""
    lines = text.splitlines()
    title = next((line for line in lines if len(line) > 10 and "[" not in line), lines[0])
    paragraphs = "\n".join(f"<p>{line}</p>" for line in lines if line.strip())
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{title} - {region.name}人民政府</title>"
        "<script>var _hmt = _hmt || [];</script></head>\n<body>\n"
        '<nav><a href="/">首页</a> <a href="/zwgk/">政务公开</a></nav>\n'
        f'<div class="article">\n{paragraphs}\n</div>\n'
        f"<footer>主办单位:{region.name}人民政府办公厅 网站标识码5000000095</footer>\n</body></html>\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write into (1,000 files per subfolder)")
    parser.add_argument("--count", type=int, required=True, help="how many documents")
    parser.add_argument("--start", type=int, default=0, help="index of the first document (default 0)")
    parser.add_argument("--seed", type=int, default=1, help="the corpus seed (default 1)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    written = write_corpus(args.out, seed=args.seed, count=args.count, start=args.start)
    seconds = time.perf_counter() - started
    print(
        f"wrote {args.count} documents ({written / 1e6:.1f} MB) to {args.out} in {seconds:.1f} s "
        f"({args.count / seconds:.0f} documents/s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
