"""find_org_names: organisation names in running Chinese text, by their suffix.

Chinese has no capitals or spaces to mark a name, but organisation names end in a small set of
words (局 委 厅 办 政府 管委会 实验室 大学 研究院 中心 公司 日报…). We find each suffix, walk left
over the Han run before it, and cut the run where the name starts: after the last verb or
function word (`著力建设|金凤实验室`, `成立了|省推进粤港澳大湾区建设领导小组`). Then filters drop
what is not a name: generic categories (`全国重点实验室`, `技术创新中心`), counted categories
(`3个重庆基础学科研究中心`), common words that end like a name (`布局`, `格局`, `举办`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.ingest.patterns import word_alternation
from app.ingest.people import TITLES, looks_like_name

# Patterns the functions below use, compiled once (a call with a pattern string looks it up in re's cache
# on every call).
_NATIONAL_LEGISLATURE_END = re.compile(r"全国(?:人大|政协)$")

# suffix → institution type; longest suffixes win because the alternation is sorted by length.
SUFFIX_TYPES: dict[str, str] = {
    "有限责任公司": "company", "股份有限公司": "company", "有限公司": "company", "公司": "company", "集团": "company",
    "管理委员会": "government", "委员会": "government", "管委会": "government", "常委会": "government",
    "人民政府": "government", "政府": "government", "办公厅": "government", "办公室": "government",
    "工委": "government", "委": "government", "局": "government", "厅": "government", "办": "government",
    "部": "government", "处": "government", "支队": "government", "大队": "government", "国务院": "government",
    "党中央": "party", "中科院": "institute", "市委会": "party", "省委会": "party", "区委会": "party", "党委": "party",
    "实验室": "lab", "大学": "university", "学院": "university", "医院": "other",
    "研究院": "institute", "研究所": "institute", "科学院": "institute", "农科院": "institute", "社科院": "institute",
    "工程院": "institute", "设计院": "institute", "院": "institute",
    "中心": "centre", "平台": "centre",
    "日报社": "media", "晚报社": "media",
    "日报": "media", "晚报": "media", "新闻": "media", "电视台": "media", "广播电台": "media", "新闻网": "media",
    "领导小组": "group", "工作小组": "group", "专责小组": "group", "小组": "group", "工作组": "group",
    "代表团": "group", "科协": "group", "社科联": "group", "工商联": "group", "侨联": "group", "妇联": "group",
    "协会": "group", "学会": "group", "商会": "group", "联合会": "group", "基金会": "group", "总工会": "group",
    "办事处": "government", "司": "government", "研究室": "government", "科": "government", "街道": "government",
    "村委会": "government", "居委会": "government", "人大": "government", "督查室": "government",
    "督办室": "government",
    "政协": "government", "报社": "media", "银行": "company", "中学": "other", "学校": "other", "小学": "other",
    "幼儿园": "other", "总支": "party", "民革": "party", "民盟": "party", "民建": "party", "民进": "party",
    "农工党": "party", "致公党": "party", "九三学社": "party", "台盟": "party", "党组": "party",
    # A session's own bodies: `大会主席团`, `大会秘书处议案组`, `大会提案组`.
    "主席团": "group", "秘书处": "government", "议案组": "group", "提案组": "group",
    # Township and county stations and offices: `镇派出所`, `县农业农村局畜牧站`, `乡文化站`.
    "派出所": "government", "司法所": "government", "财政所": "government", "供电所": "company",
    "党校": "university", "畜牧站": "government", "兽医站": "government", "农技站": "government",
    "林业站": "government", "水利站": "government", "文化站": "government", "农机站": "government",
    "气象站": "government", "水文站": "government", "保持站": "government",
}  # fmt: skip
# `科` ends a division (`学前科`) but mostly opens a word (`科技`, `科学`): it is looked for apart, by a
# pattern the regex engine scans for quickly, so the hundreds of 科技 in a letter are never tried.
_SUFFIX = re.compile(word_alternation(s for s in SUFFIX_TYPES if s != "科"))
_DIVISION_KE = re.compile(r"科(?![技学研普创幻员长室目级协])")
# Group names carry verbs inside them (`重庆国际生物城建设推进工作小组`), so for them only function
# words and a few verbs of founding mark where the name starts.
_GROUP_SUFFIXES = ("领导小组", "工作小组", "专责小组", "小组", "工作组", "办公室")

CLAUSE_VERBS = (
    # Verbs a clause runs on with before the body it names: `已提请审议|省人大常委会`, `材料上报|省自然资源厅`.
    "审议", "提请", "报请", "上报", "报送", "呈报", "列入", "纳入", "收到", "接到", "引来", "争创", "涉及",
    "交由", "转交", "已交", "转来", "转办", "交办", "答复", "回复", "函告", "听取", "接受", "重视",
    "咨询", "深入到", "深入", "访问", "欢迎", "期间", "多次", "领办",
    # `副县长吴中华召集|县政府办`, `立即安排|县水利局`, `督促|张家川县交通运输局`, `下一步|县卫生健康局`
    "召集", "安排", "督促", "责成", "带队", "批示", "发言中", "下一步", "近年来", "立即",
    "今年", "去年", "年初", "年底", "近日", "日前", "写入", "完善", "健全",
    # `五年来|哈尔滨市政协`, `3月5日下午|代表团`: the time of what is told, before the body
    "年来", "上午", "下午", "晚上",
    "次会议",  # `七届一次会议|民盟民进界的集体提案`: a session's name never runs into a body's
    # `昨日来自|市人大常委会`, `结合|全国人大常委会`, `改进|政府工作`, `马荣才带领|人大机关部分委`
    "昨日", "昨天", "今日", "来自", "结合", "改进", "带领", "率领",
    # `相关处`, `有关部门`, `部分委`: a quantity of bodies, never one; even right before the suffix
    "相关", "有关", "部分",
)  # fmt: skip

# Verbs and adverbs that stand before an organisation's name in a letter's sentences.
_VERBS = (
    "建设", "推动", "支持", "培育", "筹建", "组建", "成立", "引进", "依托", "会同", "经与", "加快", "推进", "打造",
    "开展", "实施", "获批", "争取", "创建", "建成", "建好", "办好", "用好", "发挥", "强化", "反馈", "召开", "贯彻",
    "落实", "签署", "签订", "促成", "推荐", "集聚", "聚集", "引导", "鼓励", "指导", "委托", "通过", "按照", "根据",
    "依据", "围绕", "聚焦", "包括", "包含", "其中", "同时", "目前", "当前", "已经", "正在", "积极", "大力", "着力",
    "全力", "持续", "进一步", "加强", "提升", "举办", "主办", "承办", "印发", "出台", "制定", "发布", "邀请", "牵头",
    "配合", "协调", "对接", "携手", "共建", "入选", "认定", "授予", "批准", "设立", "设置", "挂牌", "揭牌", "面向",
    "帮助", "带动", "吸引", "引育", "培养", "招引", "落地", "新建", "新增", "累计", "以及", "作为", "成为", "属于",
    "介绍", "表示", "采访", "报道", "形成", "提交", "提出", "出席", "参加", "视察", "调研", "考察", "走访", "前往",
    "来到", "联系", "对标", "会商", "商请", "征求", "做靓", "做强", "做优", "谋划", "确定", "一批", "多家", "相关",
    "有关", "所属", "下属", "旗下", "其他", "具有", "各类", "企业", "单位", "部门", "机构", "高校", "院所", "以上",
    "以下", "加上", "还有", "包含", "同意", "要求", "希望", "呼吁", "获得", "拥有", "实现", "完成", "启动", "投用",
    "已有", "现有", "纳入", "优化", "布局", "提供", "建议", "改善",
    "经综合", "综合了", "落实好", "抓好", "做好", "管好", "服务好",
    "进入", "加入", "联系", "协助", "负责",
    # slogans and distances: `紧扣|中心、服务大局`, `距离|庐镇乡政府8公里`
    "紧扣", "紧盯", "紧贴", "立足", "扎根", "助力", "赋能", "融入", "瞄准", "锚定", "突出", "坚持", "距离",
    "组织", "经商", "共有", "覆盖", "加大",
    *CLAUSE_VERBS,
)  # fmt: skip
_CLAUSE_VERB_SET = frozenset(CLAUSE_VERBS)
_CLAUSE_VERB = re.compile("(?=(" + word_alternation(CLAUSE_VERBS) + "))")
# Place words a name can follow directly: `西部(重庆)科学城|金凤实验室`, `重庆国际生物城内|美莱德`.
# Only for non-government names: a zone's own bureau is named after it (`重庆高新区科技创新局`).
_PLACE_WORDS = (
    "科学城", "生物城", "新区", "高新区", "园区", "产业园", "开发区", "试验区", "示范区",
    "城内", "区内", "园内", "地区", "大湾区",
)  # fmt: skip
_PLACE_CUT = re.compile("(?=(" + word_alternation(_PLACE_WORDS) + "))")
# Lookahead alternations find overlapping matches: in `创新建设` both `新建` and `建设` count.
_VERB = re.compile("(?=(" + word_alternation(_VERBS) + "))")
_FOUNDING = re.compile("(?=(成立|组建|设立|印发|发挥|依托|召开|建立|牵头|按照|通过|会同))")
# A Chinese-numeral count before a name makes it a category: `四大重庆实验室`, `三地政府`.
_HAN_COUNT = re.compile("(?=([一二三四五六七八九十两]+[大个家所批地级类部厅届]))")
# Names that are whole words: no stem to look for.
WHOLE_NAMES = ("党中央", "国务院", "中科院")
_GOV_LEVEL = set("市省区县州")
# A level alone before a body's suffix names the body of that level: `县政府`, `镇党委`, `乡政府`.
_STEM_LEVELS = _GOV_LEVEL | set("镇乡")
_OWN_BODY = set("局委厅办部院")
_LEVEL_OR_OWN = _GOV_LEVEL | _OWN_BODY
_OWN_DIVISION = frozenset(f"{a}{b}" for a in "我本" for b in _OWN_BODY)
_SUFFIX_AT_END = re.compile("(?:" + word_alternation(SUFFIX_TYPES) + ")$")
# Function words that never sit inside a name.
_HARD_CHARS = set("的了在是由向把被将从以为并于至让给等对其这那每各该本我你您他她它们内已跟因赴到")
# 和/与/及/或 join two names (`市科技局和四川省科技厅`) but also sit inside one (`重庆脑与智能科学
# 中心`, `市经济和信息化局`): they end a name only when the left side already ends like one.
_JOINERS = set("和与及或")
# What stands before 与/和 used as a preposition: an adverb, or a person's role.
# One-character words that open a clause before the body it names, and the characters after which
# they are a name's own first character instead (`经济`, `经开区`, `需求`, `待遇`).
# `交|县卫生健康局办理`, `就|九三学社昆明市委提出的`, `要|人代工委抓好`, `受|市人民政府委托`.
_PARTY_NAMES = ("中共", "民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟")
_CLAUSE_OPENERS = {
    "经过": "",  # `经过|市政协提案委员会审查`: before 经 alone, which would leave `过市政协…`
    "需": "求要", "待": "遇", "经": "济信开营贸纪侦销", "请": "愿示", "让": "", "使": "馆领",
    "交": "通易流警换运叉巡际汇付接界办管", "就": "业近地", "要": "", "报": "社刊业告道纸关", "含": "山", "受": "",
}  # fmt: skip
_CLAUSE_OPENER = re.compile(
    "|".join(f"{c}(?![{after}])" if after else c for c, after in _CLAUSE_OPENERS.items())
    + "|代表(?=[省市县区州]|"
    + "|".join(_PARTY_NAMES)
    + ")"
)
_SPECIAL_SUFFIXES = frozenset(("人大", "政协", "学校"))
_BEFORE_PREPOSITION = re.compile(r"(?:[正将已并均可还也都要需]|委员|代表|同志|负责人)$")
_BOUNDARY_CHAR = re.compile("[" + "".join(sorted(_HARD_CHARS | _JOINERS)) + "]")

# Common words that end in a suffix character but are not names.
_NOT_NAMES = re.compile(
    r"(布|格|大|开|结|当|全|终|定|残|时|(?<![财民邮])政|僵|破|变|棋|饭|骗|赌|战|邮)局$|"
    r"(举|创|主|承|协|会|领|分|场|结|督|交|申|合|开|兴|包|代|查|筹|难|好|帮|首|试|民|公|停|操|照|快|经)办$|"
    r"(大|客|展|餐|门|舞|营业|服务|办事|政务服务)厅$|"
    r"(全|内|外|西|东|南|北|中|局|干|总|头|底|上|下|面|根|顶|基|本|分|支|腹|背|脑|俱乐|东中|西南|中西)部$|"
    r"(常|编|评|主|原|政|部)委$|中小学$|^党和政府$|(高校|科研|两|名|书|庭|寺)院$|(之|到|好|难|此|各|用|住|相|长|短)处$"
)
# What may follow a suffix without it being the end of a name (`局长`, `委员`, `大学城`, `部署`).
_NOT_AFTER = {
    "党组": "织",  # `基层党组织`
    "局": "长面势",
    "处": "长理于置分",
    "部": "长署分门件位落队属委",
    "厅": "长",
    "委": "员托派屈婉书",
    "办": "理法事公学会好成案实结复完件",
    "人大": "代常会一二三四五六七八九十第届工机议",
    "政协": "委常会一二三四五六七八九十第届工机议提",
    "银行": "业卡",
    "商会": "议",
    "协会": "议",
    "党委": "书",
    "中学": "生段位校",
    "司": "长法机令仪局",
    "科": "技学研普员长室目级幻研创",
    "街道": "办口两",
    "小学": "生段位",
    "大学": "城生路创",
    "学院": "长",
    # `市民进行`, `农民建房`, `人民革命`: a word of the people, not a party
    "民进": "行入城出一步驻展程度来去",
    "民建": "议设成立房造",
    "民革": "命新",
    "中心": "城区工任库",  # `中心工作`, `中心任务`: the main work, not a centre
    "新闻": "发出联办",  # `新闻发布会`, `新闻发言人`, `新闻出版`, `新闻联播`
    "院": "长士所地校线落子创",
    "政府": "采",
    "公司": "法",
    "厅长": "",
}
# Words that make up category names (`全国重点实验室`, `国家技术创新中心`), not proper names.
_GENERIC_WORDS = (
    "国家级", "省级", "市级", "区级", "县级", "国家", "全国", "国际", "地方", "重点", "新型", "高端", "一流",
    "高水平", "高能级", "各类", "各级", "基层", "当地", "本地", "其他", "工程技术", "工程", "技术", "创新", "研发",
    "科研", "研究", "制造业", "产业", "企业", "行业", "服务", "科技", "科学", "基础", "学科", "示范", "共建", "联合",
    "协同", "前沿", "交叉", "综合性", "综合", "公共", "专业", "区域", "特色", "孵化", "双创", "众创", "知识产权",
    "运营", "成果", "转化", "转移", "平台", "科创", "影响力", "具有", "全省", "全市", "发展",
    "医疗", "临床", "医学", "中医", "西医", "输出", "工作", "专门", "商业", "特殊教育", "中小", "各级", "民办", "公办",
    "民主党派",
)  # fmt: skip
# A trie (patterns.py): this runs on every candidate name, and a flat alternation of 70 words was
# tried word by word at every position. (`孵化器` is not listed: `孵化` always took it first.)
_GENERIC = re.compile(word_alternation(_GENERIC_WORDS))
# Places alone before a generic suffix make a category (`重庆实验室`, `西安区域科技创新中心`): the
# provinces and the large cities, which is where such categories are named.
_PLACES = (
    "重庆|北京|上海|天津|四川|川渝|成渝|中国|西部|西南|我国|我市|全市|全省|广东|江苏|浙江|山东|湖北|湖南|河南|河北|陕西|辽宁|福建|安徽|"
    "江西|广西|云南|贵州|山西|吉林|黑龙江|甘肃|青海|宁夏|新疆|西藏|海南|内蒙古|西安|武汉|成都|广州|深圳|杭州|南京|合肥|长沙|郑州|济南|"
    "青岛|沈阳|大连|长春|哈尔滨|石家庄|太原|南昌|福州|厦门|南宁|海口|贵阳|昆明|兰州|西宁|银川|苏州|宁波|无锡|粤港澳|长三角|京津冀"
)
_PLACE_START = re.compile(rf"^(?:{_PLACES})")
_PLACE_ONLY = re.compile(rf"^(?:(?:{_PLACES})[市省]?)+$")
_REGION_START = re.compile(
    r"^(重庆|北京|上海|天津|川渝|成渝|京津冀|长三角|粤港澳|西部|西南|中国|国家|[\u4e00-\u9fff]{2}[省市])"
)
_COUNT_BEFORE = re.compile(r"\d+(?:\.\d+)?\s*[万亿]?\s*[个家所项批座]$|一批$|一个$|首个$|首批$")
# The count may follow a list the name opens: `概念验证中心、中试平台154个`.
_COUNT_AFTER = re.compile(
    # (A list that ends in 等 before its count names its bodies: `北京大学、X研究院等105家`.)
    r"^(?:(?:、(?:(?!等)[\u4e00-\u9fff“”]){1,15})?(?:达到|达|为|共|累计|已达)?\s*\d+(?:\.\d+)?\s*万?\s*(?:家|个|所|座|批|项|处|支|类))"
)
# A list of named bodies counted as units (`县扶贫办、县水利局3家单位`) names each of them.
_UNITS_COUNTED = re.compile(r"(?:、[\u4e00-\u9fff“”]{1,15})*\d+\s*[家个]\s*(?:单位|部门)")
# A telephone number after a name (`城市管理局 68118611`, `市科技局 023-63621234`) is no count.
_TELEPHONE_AFTER = re.compile(r"\s*[\d-]{7,}")

MAX_NAME = 30
_GENERIC_CHECKED = (
    "中心",
    "研究院",
    "实验室",
    "院",
    "医院",
    "研究所",
    "小组",
    "工作组",
    "平台",
    "科协",
    "协会",
    "学会",
    "大学",
    "学院",
    "委员会",
    "银行",
    "中学",
    "小学",
    "幼儿园",
)


@dataclass(frozen=True, slots=True)
class OrgName:
    name: str
    start: int
    end: int
    type: str


_QUOTE_PAIRS = {"”": "“", ")": "(", "」": "「"}
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff·]+")
# `渝府办〔2022〕16号`, `湘政办建复[2018]9号`: up to three characters of the number's type, then its year.
_PROPOSAL_WORK = ("提案", "议案", "办理", "工作")
_IN_GENERAL_ENDS = ("政府", "法院", "检察院")
_GOVERNMENT_IN_GENERAL = re.compile(
    r"^(?:(?:一般|地方|各级|本级|上级|基层|当地)(?:人民)?政府|人民(?:法院|检察院|政府))$"
)
_ISSUING_NUMBER_AFTER = re.compile(r"[\u4e00-\u9fff]{0,3}[〔\[【]\s*(?:19|20)\d{2}")
_HAN_NUMERAL = re.compile("[一二三四五六七八九十两]")
_PARENT_OF_DIVISION = re.compile("局|院|委|厅|中心|大学|部|办|人大|政协")
_CITY_PREFIX = re.compile(r"^(?:在?[渝京沪津川粤]|[市省区县])")
_PARTY = re.compile(r"党|^(?:省|市|区|县)委$")


def _walk_left(text: str, end: int) -> int:
    """Start of the Han run (with short quoted or parenthesised parts) ending at `end`."""
    position = end
    limit = max(0, end - MAX_NAME - 10)
    while position > limit:
        ch = text[position - 1]
        if "\u4e00" <= ch <= "\u9fff" or ch == "·":
            position -= 1
            continue
        closing = _QUOTE_PAIRS.get(ch)
        if closing:
            opening = text.rfind(closing, limit, position - 1)
            inner = text[opening + 1 : position - 1] if opening >= 0 else ""
            if opening >= 0 and 1 <= len(inner) <= 8 and _HAN_ONLY.fullmatch(inner):
                position = opening
                continue
        break
    return position


# A letter names the same bodies over and over: each run of characters before a suffix is cut once.
@lru_cache(maxsize=4096)
def _cut(run: str, suffix: str, places: bool = True) -> int | None:
    """Index in `run` where the name starts: after the last boundary before the suffix. None when
    that leaves no name (`该实验室`, `结合我局`): a boundary is never stepped over to make one.
    `places=False` leaves place words (`大湾区`, `新区`) inside the name."""
    group = suffix in _GROUP_SUFFIXES
    stem_end = len(run) - len(suffix)
    cut = 0
    # Only the function words and joiners are looked at (a regex finds them), not every character.
    for boundary in _BOUNDARY_CHAR.finditer(run, 0, stem_end):
        index = boundary.start()
        if run[index] == "内" and run.startswith("蒙古", index + 1):
            continue  # 内蒙古: a region's name, not "inside"
        if run[index] in _HARD_CHARS or (index > 0 and _joins_two_names(run[:index], run[index + 1 :])):
            cut = index + 1
    kind = SUFFIX_TYPES[suffix]
    patterns = _GROUP_CUTS if group else _PLACE_CUTS if places and kind not in ("government", "group") else _CUTS
    # Right before a government suffix a verb is the body's portfolio, not a boundary:
    # `市住房城乡建设局`, `市委组织部`; a clause verb (`列入|市政府`) still cuts there.
    portfolio = kind == "government" and not suffix.endswith(_STATION_ENDS)
    for pattern, word in patterns:
        if word is not None and word not in run:
            continue  # a cut at one word: a substring test before a scan of the run
        for match in pattern.finditer(run, 0, stem_end):
            end = match.start() + len(match.group(1))
            if match.group(1) == "建议" and run.startswith(_PROPOSAL_WORK, end):
                continue  # `办公厅建议提案办理处`: the noun of the division's work, not a verb
            if kind == "company" and match.group(1) in _INDUSTRY_WORDS and match.start() - cut >= 2:
                continue  # `中国建设银行`, `省交通建设集团`: the company's trade, inside its name
            if end > cut and (
                end < stem_end or not (portfolio and pattern is _VERB and match.group(1) not in _CLAUSE_VERB_SET)
            ):
                cut = end
    cut = _after_person(run, cut, stem_end)
    if run[cut : cut + 1] in _LEVEL_OR_OWN and cut > 0 and run[cut - 1] == "我":
        cut += 1  # 我省科技厅, 我局城乡建设科: `我省`, `我局` are "our province", "our bureau"
    stem = run[cut:stem_end]
    if len(stem) >= 2 or (stem in _STEM_LEVELS and (len(suffix) >= 2 or suffix == "委")):
        return cut
    return None


# A station's or office's suffix holds its portfolio already (`水文站`, `派出所`): a verb before it cuts.
_STATION_ENDS = ("站", "所")
# Verbs that also name a company's trade (`建设银行`, `城市发展集团`, `文化服务有限公司`).
_INDUSTRY_WORDS = frozenset(("建设", "发展", "服务", "开发", "实施", "运营"))
# `副县长卢红鹂代表|县人民政府`, `代表|九三学社昆明市委发言`: 代表 before a level word or a party
# speaks for the body, it is not a deputy.
_ON_BEHALF = re.compile("(?=(代表)(?:[省市县区州]|" + "|".join(_PARTY_NAMES) + "))")
# `就办理|四川代表团在…提出的建议`: handling ends a clause when a name follows it, not as a
# division's work right before its suffix (`建议提案办理处`).
_HANDLING = re.compile("(?=(办理)[\u4e00-\u9fff]{2})")
# Each cut with the one word it needs, if any. (Paired, not looked up by pattern: a compiled
# pattern's hash reads all of its code, and _VERB's is long.)
_Cuts = tuple[tuple[re.Pattern[str], str | None], ...]
# `将联合|市政府集中提出`: acting jointly with a body named by its level; inside a name 联合 is
# followed by its work (`联合实验室`, `中国联合网络通信`), not by a level word.
_JOINTLY = re.compile("(?=(联合)[省市县区州])")
_CUTS: _Cuts = ((_VERB, None), (_HAN_COUNT, None), (_ON_BEHALF, "代表"), (_HANDLING, "办理"), (_JOINTLY, "联合"))
_PLACE_CUTS: _Cuts = (
    (_VERB, None), (_HAN_COUNT, None), (_PLACE_CUT, None), (_ON_BEHALF, "代表"), (_HANDLING, "办理"),
    (_JOINTLY, "联合"),
)  # fmt: skip
_GROUP_CUTS: _Cuts = (
    (_FOUNDING, None), (_CLAUSE_VERB, None), (_HAN_COUNT, None), (_ON_BEHALF, "代表"), (_JOINTLY, "联合"),
)  # fmt: skip
# A person and a title inside a run (`…联络处余融处长|和成都市发展改革委`): a name never holds a
# person, so the body's name starts after them.
_TITLE_IN_RUN = re.compile(word_alternation(TITLES))


def _after_person(run: str, cut: int, stem_end: int) -> int:
    for match in _TITLE_IN_RUN.finditer(run, cut, stem_end):
        before = run[max(cut, match.start() - 3) : match.start()]
        if any(len(before) >= size and looks_like_name(before[-size:]) for size in (3, 2)):
            cut = match.end()
    return cut


def _place_kept(run: str, cut: int, suffix: str) -> str | None:
    """The whole run, when only a place word cut it (`粤港澳大湾区|国家技术创新中心`, a list item
    between 、) and it is not generic itself; else None. A run with any other boundary inside is a
    phrase (`为全省…和粤港澳大湾区国际科技创新中心`), not a name."""
    if cut == 0 or _cut(run, suffix, places=False) != 0:
        return None
    return None if len(run) > MAX_NAME or _is_generic(run, suffix) else run


@lru_cache(maxsize=4096)
def cut_leading_verbs(text: str) -> str:
    """The text after its last verb (`培育建设市级高端研发机构` → `市级高端研发机构`); a verb at the very
    end is not a cut, so the result is never empty when the text is not."""
    cut = 0
    for match in _VERB.finditer(text):
        end = match.start() + len(match.group(1))
        if end < len(text):
            cut = max(cut, end)
    return text[cut:]


def _joins_two_names(left: str, right: str) -> bool:
    """和/与/及 between two names, not inside one: the left side ends like a name, a person or an
    adverb (`委员与|发改委`, `正与|交通产业集团`), or the right side opens like a government body
    (`加强与市交通局`)."""
    return bool(_SUFFIX_AT_END.search(left) or _BEFORE_PREPOSITION.search(left)) or right[:1] in _GOV_LEVEL


@lru_cache(maxsize=4096)
def _is_generic(name: str, suffix: str) -> bool:
    """A category, not a proper name: only generic words (and, for centres, labs and platforms,
    places) before the suffix."""
    stem = name[: len(name) - len(suffix)]
    rest = _GENERIC.sub("", stem)
    if suffix in ("中心", "平台", "实验室"):
        rest = _CITY_PREFIX.sub("", rest)
        if not rest or _PLACE_ONLY.match(rest):
            return True
        if suffix == "平台":
            # A named platform carries a place or a quoted brand inside its name.
            return not (("“" in name and not name.startswith("“")) or _REGION_START.match(name))
    return not rest and suffix in _GENERIC_CHECKED


def _candidate(text: str, match: re.Match[str]) -> OrgName | None:
    suffix, end = match.group(0), match.end()
    if suffix in WHOLE_NAMES:
        return OrgName(suffix, match.start(), end, SUFFIX_TYPES[suffix])
    if end < len(text) and text[end] in _NOT_AFTER.get(suffix, ""):
        return None
    after = text[end : end + 4]
    if ("〔" in after or "[" in after or "【" in after) and _ISSUING_NUMBER_AFTER.match(text, end, end + 10):
        return None  # `渝府办〔2022〕16号`, `苍财办建〔2019〕`: the prefix of an issuing number
    special = suffix in _SPECIAL_SUFFIXES
    if special and suffix in ("人大", "政协") and text[match.start() - 1 : match.start()] not in _LEGISLATURE_BEFORE:
        return None  # only a body named by its place: `省政协`, `全国人大`; the rest are sessions' words
    start = _walk_left(text, match.start())
    run = text[start:end]
    cut = _cut(run, suffix)
    if cut is None:
        return None
    name, start = run[cut:], start + cut
    if special and suffix in ("人大", "政协"):
        # Only as a body's name: `全国人大`, `省政协`, `湖北省政协`; elsewhere the word is a session's.
        national = _NATIONAL_LEGISLATURE_END.search(name)
        if national:
            name, start = national.group(0), end - len(national.group(0))
        elif not _LEGISLATURE.fullmatch(name):
            return None
    if suffix == "委" and text.startswith("常委", end) and not text.startswith("常委会", end):
        return None  # `区委常委、宣传部部长`: a position, not the committee
    if (
        special
        and suffix == "学校"
        and not (_REGION_START.match(name) or _PLACE_START.match(name) or name[0] in _GOV_LEVEL)
    ):
        return None  # `保障学校`: schools are named after their place (`安徽材料工程学校`, `盘锦市特殊教育学校`)
    # `(此事)需|城区政府`, `待|省厅`, `经|交运局`: the clause's own word before the name. The last
    # opener that leaves a character before the suffix; its exceptions (`交通`) read the whole name.
    # A party's name is whole in its suffix (`就|九三学社`), other names need a stem before theirs.
    limit = len(name) - len(suffix) - (suffix not in _PARTY_NAMES)
    opener_end = max((m.end() for m in _CLAUSE_OPENER.finditer(name) if m.end() <= limit), default=0)
    if opener_end:
        name, start = name[opener_end:], start + opener_end
    if name[0] in "年月日" and text[start - 1 : start].isdigit():
        name, start = name[1:], start + 1  # `2022年|区财政局`: the date before the name
    if name[0] in _JOINERS:
        name, start = name[1:], start + 1  # `(经多次)与发展改革委`: the joiner opens the phrase, not the name
        if len(name) < 3:
            return None
    if name.endswith("中小学"):
        return None  # `全区中小学`: schools as a category
    not_a_body = _NOT_A_BODY.get(suffix)
    if not_a_body is not None and not_a_body.match(name):
        return None  # `即时新闻`: a page's channel, not an outlet; `协商会`, `会议主席团`: a meeting's
    if name.endswith(_IN_GENERAL_ENDS) and _GOVERNMENT_IN_GENERAL.match(name):
        return None  # `一般政府债券`, `地方政府`: government in general, not one
    if name[0] in "个些":
        return None  # `各个专门委员会`: the measure word of 各个, not a name's start
    if start > 0 and text[start - 1].isdigit():
        return None  # `2个全国重点实验室`: the run opens with the measure word of a count
    if text[start - 1 : start] == "“" and text[end : end + 1] == "”" and _HAN_NUMERAL.search(name):
        return None  # `“一区三中心”`: a quoted slogan counting things
    if not 2 <= len(name) <= MAX_NAME or name.count("“") != name.count("”") or "届" in name:
        return None
    if len(suffix) == 1 and _NOT_NAMES.search(name):
        return None
    if _is_generic(name, suffix):
        # A place word cut off a name that is generic without it: the place belongs to the name
        # (`粤港澳大湾区国家技术创新中心`), unless the whole is a category too.
        whole = _place_kept(run, cut, suffix)
        if whole is None:
            return None
        name, start = whole, end - len(whole)
    counted_after = (
        _COUNT_AFTER.match(text[end : end + 30])
        and not _TELEPHONE_AFTER.match(text, end, end + 16)
        and not _UNITS_COUNTED.match(text, end, end + 40)
    )
    if _COUNT_BEFORE.search(text[max(0, start - 6) : start]) or counted_after:
        return None  # `3个重庆基础学科研究中心`, `重庆市制造业创新中心1家`: a category being counted
    own = text[max(0, start - 2) : start] in _OWN_DIVISION  # `我局城乡建设科`: the writer's own division
    if suffix in ("处", "司", "科") and not own and not _PARENT_OF_DIVISION.search(name, 0, len(name) - 1):
        return None  # a division is named after its organisation: `财政部企业司`, `教育局学前科`
    return OrgName(name, start, end, SUFFIX_TYPES[suffix])


# Names a suffix ends that are no body: a page's channel (`即时新闻`), a meeting (`协商会`), a
# meeting's presidium named by the word 会议 alone.
_NOT_A_BODY = {
    # A channel (`即时新闻`), or a page's widget words (`随时随地收看更多新闻`).
    "新闻": re.compile(
        "^(?:即时|最新|今日|图片|视频|时政|国内|国际|社会|本地|热点|滚动|综合|地方|要闻)新闻$|.*更多新闻$"
    ),
    "中心": re.compile("^新闻中心$"),
    # A congress's or CPPCC's standing committee named without its place (`提交常务委员会会议审议`):
    # the meeting's body, which a named one (`市人大常委会`) gives.
    "委员会": re.compile("^常务委员会$"),
    "常委会": re.compile("^人大常委会$"),  # a site's news channel: a named one carries its owner (`市政府新闻中心`)
    "商会": re.compile(".*协商会$"),
    "主席团": re.compile("^会议主席团$"),
}
_LEGISLATURE_BEFORE = frozenset("省市区县州国")
_LEGISLATURE = re.compile(r"(?:[\u4e00-\u9fff]{2,6}?)?[省市区县州](?:人大|政协)")
# Two bodies written as one word: `区委区政府`, `市委市政府`, `中共X市委X市人民政府`.
_PAIRED = re.compile(
    r"^(?P<a>(?:中共)?[\u4e00-\u9fff]{0,6}?[省市区县州]委)(?P<b>[\u4e00-\u9fff]{0,6}?[省市区县州](?:人民)?政府)$"
)


def find_org_names(text: str) -> list[OrgName]:
    """Every organisation name occurrence in the text, with its span, before de-duplication."""
    found = []
    matches = list(_SUFFIX.finditer(text))
    divisions = list(_DIVISION_KE.finditer(text))
    if divisions:
        matches = sorted([*matches, *divisions], key=re.Match.start)
    for match in matches:
        candidate = _candidate(text, match)
        if candidate is None:
            continue
        paired = _PAIRED.match(candidate.name) if "委" in candidate.name else None
        if paired:
            cut = candidate.start + paired.end("a")
            found.append(OrgName(paired.group("a"), candidate.start, cut, "party"))
            found.append(OrgName(paired.group("b"), cut, candidate.end, "government"))
        else:
            found.append(candidate)
    return found


# `美莱德、博唯佰泰、智翔金泰等企业`: short names are organisations when a list of them ends in 等企业.
_ENUMERATION_END = re.compile(r"等(?:\d+家)?(?:龙头|骨干|重点|科技型)?(?:企业|公司|单位|高校|院所)")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_TRAILING_HAN = re.compile(r"[\u4e00-\u9fff]{2,12}$")


def find_enumerated_names(text: str) -> list[OrgName]:
    """Names listed before `等企业`/`等单位`; the first item loses the words that lead into the list.

    Read right to left from the cue (a literal search, then plain string splitting) rather than
    with one regex over the text, which would try every position of every Han run."""
    found = []
    for cue in _ENUMERATION_END.finditer(text):
        window_start = max(0, cue.start() - 160)
        parts = text[window_start : cue.start()].split("、")
        items: list[tuple[str, int]] = []
        position = cue.start()
        for index in range(len(parts) - 1, -1, -1):
            part = parts[index]
            position -= len(part)
            if _HAN_RUN.fullmatch(part) and 2 <= len(part) <= 12 and index > 0:
                items.append((part, position))
                position -= 1  # the 、
                continue
            lead = _TRAILING_HAN.search(part)
            if lead:  # the first item, with the words leading into the list still attached
                cut = _cut(lead.group(0) + "公司", "公司")
                if cut is not None:
                    items.append((lead.group(0)[cut:], position + lead.start() + cut))
            break
        if len(items) < 2:
            continue
        for item, start in reversed(items):
            if 2 <= len(item) <= 12 and not _SUFFIX_AT_END.search(item):
                found.append(OrgName(item, start, start + len(item), "company"))
    return found


def parent_units(name: OrgName) -> list[OrgName]:
    """`重庆市科学技术研究院规划处` → also `重庆市科学技术研究院`: a division names its organisation."""
    if not name.name.endswith("处"):
        return []
    # The organisation is the first whole name inside (`市科技局|科技创新中心发展处`), where a suffix
    # ends a name and does not run on into a word (`重庆市科|学技术研究院` does).
    stem = name.name[:-1]
    match = next(
        (m for m in _SUFFIX.finditer(stem) if stem[m.end() : m.end() + 1] not in _NOT_AFTER.get(m.group(0), "")), None
    )
    if match is None or match.end() < 3:
        return []
    parent = name.name[: match.end()]
    return [OrgName(parent, name.start, name.start + len(parent), SUFFIX_TYPES[match.group(0)])]


def drop_nested(names: list[OrgName]) -> list[OrgName]:
    """Occurrences that lie inside a longer name's occurrence are parts of it (`北京大学` in
    `北京大学重庆大数据研究院`), not mentions of their own. One sweep in start order: a span is
    nested when an earlier-starting kept span reaches at least as far."""
    ordered = sorted(names, key=lambda n: (n.start, -(n.end - n.start)))
    kept: list[OrgName] = []
    reach = -1
    for item in ordered:
        if item.end <= reach:
            continue
        kept.append(item)
        reach = item.end
    return kept


def is_bare_suffix(name: str) -> bool:
    """`办公室`, `委员会`: a suffix word alone, which names no one body."""
    return bool(_SUFFIX_AT_END.fullmatch(name))


def type_of(name: str) -> str:
    """Institution type from a name's suffix (see record.INSTITUTION_TYPES)."""
    if _PARTY.search(name) and not name.endswith(("政府", "局")):
        return "party"
    ending = _SUFFIX_AT_END.search(name)
    if ending is not None:
        return SUFFIX_TYPES[ending.group(0)]
    if name.endswith(("镇", "乡", "街道")):
        return "government"
    return "other"
