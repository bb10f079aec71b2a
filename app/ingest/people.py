"""People: deputies and members who made a proposal, officials quoted, and a news page's credits.

Chinese names have no capitals or spaces to find them by; what marks them is a role next to them
(`李谨代表`, `处长周艳介绍`, `记者:陈国栋 张亦筑`) and a family name from a closed list. A run of
2–3 Han characters counts as a name only when it starts with a known family name and sits in one
of those frames; that keeps `分管副市长任组长` from yielding a person `任组长`.
"""

from __future__ import annotations

import re

from app.ingest.patterns import word_alternation
from app.ingest.record import Person

# Patterns the functions below use, compiled once (a call with a pattern string looks it up in re's cache
# on every call).
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]+")
_COUNT_OF_PEOPLE = re.compile(r"等[\d一二三四五六七八九十两]*[位名]?")
_ADDRESSEE_SEPARATOR = re.compile(r"[、,,\s]+")
_BRACKETED_NOTE = re.compile(r"[((][^))]*[))]")
_CREDIT_SEPARATOR = re.compile(r"[\s、,,/))】\]]+")
_LISTED_ITEM = re.compile(r"(^|[、,])([^、,]+)")
_SPACE_OR_COMMA = re.compile(r"[\s、]")
_CLAUSE_BEFORE_WHO = re.compile(r"^.*(?:[的是由对向把将在]|期间|会上|会议上)")

# The common single-character family names (covering the vast majority of people) and the
# compound ones that occur in official texts.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛"
    "邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆"
    "蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗"
    "瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝封展隆傅鄢匡郜辜蔺仝粟栗"
    "洪赖萧阎郁伏冀晋荆宿练禹揭廉"
    # rarer ones met in news of deputies and officials (`市人大代表奕永庆`, `市委原书记厉有为`)
    "丘厉奉奕"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐", "夏侯")

DEPUTY_ROLES = ("代表团", "代表", "委员")
# Titles that follow an organisation and precede a name: `市科协秘书长冯纲`.
TITLES = (
    "党组书记", "党组成员", "书记", "副书记", "主任", "副主任", "局长", "副局长", "厅长", "副厅长", "处长", "副处长",
    "科长", "副科长",
    "部长", "副部长", "院长", "副院长", "所长", "副所长", "校长", "副校长", "秘书长", "副秘书长", "主席", "副主席",
    "董事长", "总经理", "副总经理", "市长", "副市长", "区长", "副区长", "县长", "副县长", "镇长", "主委", "副主委",
    "教授", "研究员", "总工程师", "首席专家", "负责人", "会长", "理事长", "总编辑", "台长", "社长", "馆长", "组长",
    "行长", "副行长", "司长", "副司长", "省长", "副省长", "州长", "副州长", "委员长", "副委员长", "主任委员",
    "副主任委员", "检察长", "副检察长", "院士", "常委", "总监", "站长", "队长", "经理", "副经理", "主编",
    # `县领导林恒求、吴志辉`, `区政府督查员许向红`, `国务院新闻办新闻发言人邢慧娜`
    "领导", "督查员", "发言人",
)  # fmt: skip
_TITLE_ALT = "(?:" + word_alternation(TITLES) + ")"
# What may follow a name introduced by its position: a verb of saying or doing, or punctuation.
# (A trie of the words, as patterns.py builds: these lookaheads run after every candidate name.)
_WORDS_AFTER_NAME = (
    "介绍", "说", "表示", "指出", "称", "认为", "强调", "透露", "坦言", "告诉", "谈到", "提到", "解释", "建议", "主持",
    "出席", "接待", "参加", "陪同", "带队", "带领", "一行", "率", "等", "在", "到", "发言", "提出", "提交", "带来",
    "进行", "要求", "调研", "视察", "讲话", "致辞", "看来", "通报", "作", "和", "与", "及", "同志", "审定", "审签",
    "签发", "审核", "批准", "就", "对", "赴", "向", "回答", "答复", "听取", "一起", "首先", "随后", "也", "还", "则",
    "逐一", "分别", "详细", "是", "希望", "呼吁", "召集", "批示", "第一时间", "现场", "督办", "领办",
    # what an official does in a report of a visit or a meeting: `局长王强汇报了办理情况`
    "汇报", "回应", "解读", "宣读", "部署", "总结", "点评", "答疑", "莅临", "率队", "会见", "深入", "实地", "走访",
    "考察", "察看", "查看", "检查", "督导", "一同", "共同", "围绕", "针对", "认真", "充分", "肯定", "感谢", "表态",
    "承诺", "接受", "向记者", "对记者", "代表",
    # `省政协委员徐新颖十分关注`: an adverb before what the person does
    "十分", "非常", "特别", "一直", "长期", "多年", "始终", "先后", "专门", "重点", "积极", "主动", "带着", "联名",
    "领衔", "关注", "今年", "去年",
    # `台盟中央主席苏辉今天下午在…`, `市政协原主席李德成以及…`: the day of what is told, a list going on
    "今天", "今日", "昨天", "昨日", "这次", "此次", "以及",
)  # fmt: skip
_AFTER_NAME = r"(?=[,,、。;;::))\s]|$|\d{1,2}日|" + word_alternation(_WORDS_AFTER_NAME) + ")"
# `处长周艳介绍`, `市人大常委会办公厅主任王建国出席`, `副主任金文豪,`: title, name, then what follows one.
_TITLED_SPEAKER = re.compile(rf"(?P<role>{_TITLE_ALT})\s?(?P<name>[\u4e00-\u9fff]{{2,3}}?){_AFTER_NAME}")
# `全国人大代表曹景芳提出了`, `委员陈刚带来了`, `代表 孙立`: the deputy's role first.
# The role opens the phrase or follows its body (`人大代表`, `政协委员`): `基层代表全覆盖` names nobody.
_ROLE_THEN_NAME = re.compile(
    r"(?:(?<=人大)|(?<=政协)|(?<=代表团)|(?<=[,,、。;;::\s(“])|^)(?P<role>代表|委员)\s?(?P<name>[\u4e00-\u9fff]{2,3}?)"
    + _AFTER_NAME
)
# `由施孝国副主任督办`, `城管局杨国良局长首先`: a name before its title, after 由 or its body's name.
_NAME_BEFORE_TITLE = re.compile(
    rf"[由局委厅办部院会处](?P<name>[^局委厅办部院会副正常党\W\d][\u4e00-\u9fff]{{1,3}}?)(?<!副)"
    rf"(?P<role>{_TITLE_ALT}){_AFTER_NAME}"
)
# Two characters after a body's name and before a title are a name when another body's person
# follows (`联络处余融处长和成都市发展改革委何礼主任`) or the title closes the phrase; never these
# words of a body that open with a family name's character (`项目负责人`, `纪检组长`).
_ANOTHER_FOLLOWS = re.compile(
    r"(?:和|及|与|、|以及)[\u4e00-\u9fff]{2,20}?[局委厅办部院会处][\u4e00-\u9fff]{2,3}(?:"
    + _TITLE_ALT
    + r")|[,,。;;]|表示|介绍|指出|强调|主持|讲话|说"
)
_ANOTHER_BEFORE = re.compile(r"(?:长|任|记|席)(?:和|及|与|、|以及)[\u4e00-\u9fff]{2,20}$")


def _paired_or_closing(sentence: str, match: re.Match[str]) -> bool:
    """A person of another body beside this one, or the title closing the phrase or speaking."""
    if _ANOTHER_FOLLOWS.match(sentence, match.end()):
        return True
    return _ANOTHER_BEFORE.search(sentence, max(0, match.start() - 24), match.start() + 1) is not None


_WORDS_BEFORE_TITLES = frozenset(
    ("单位", "常务", "党组", "党委", "方面", "项目", "管理", "安全", "文化", "成员", "全体", "车间", "司法",
     "农业", "卫生", "武装", "纪检", "金融", "商务", "文物", "史志", "房产", "邮政", "和平", "万家", "于是")
)  # fmt: skip
# `接待市人大代表周建勋、米宗周、李电萍、李凡`: more names listed after the first one; the last one
# is followed by what follows a name (`副主任徐庭海、…、邓家斌出席会议`, `…、马荣才带领`).
_MORE_NAMES = re.compile(r"、(?P<name>[\u4e00-\u9fff]{2,3}?)" + _AFTER_NAME)
# Characters a name never ends in: particles, and the heads of places and bodies (`江门市代表`).
_NOT_NAME_END = re.compile(r"[的了们等和与及市省县区镇乡村局委厅部办处会团位]$|人大|政协|代表|委员|主任")
_CONJUNCTION_START = re.compile(r"^[和与及并且或]")
_TITLE_AT_END = re.compile(f"(?:{_TITLE_ALT})$")  # `任组长` in `分管副市长任组长`
# `明炬局长`: a name followed by its title (the approval line, salutations).
_NAME_THEN_TITLE = re.compile(rf"^(?P<name>[\u4e00-\u9fff]{{2,4}}?)(?P<role>{_TITLE_ALT}|代表|委员)$")
# Credits: `记者:陈国栋 张亦筑`, `编辑:周静 徐静文(实习)`, `责任编辑:黄云万`.
CREDIT_ROLES = (
    "责任编辑",
    "责编",
    "首席记者",
    "特约记者",
    "记者",
    "通讯员",
    "实习生",
    "编辑",
    "校对",
    "审核",
    "审校",
    "终审",
    "摄影",
    "作者",
    "联系人",  # `联系人:陈晓明,联系电话:0571-…` closing a reply letter
    "承办人",  # `承办人:韦立咏 18978293092`
    "经办人",
    "负责人",  # `承办负责人:李剑卫`
    "审核人",
    "姓名",  # `主管领导人姓名:杨建军`
)
# Roles that are also words of prose (`统筹推进`, `提案人数`): credits only with their colon.
LABELLED_CREDIT_ROLES = (
    # A news page's production credits: `统筹:汪东伟`, `编审:干江沄`.
    "统筹", "编审", "监制", "策划", "美编", "摄像", "校审", "初审", "复审", "一审", "二审", "三审",
    # A form's people: `提案人:李贤俊`, `责任领导:杨立海`, `政府督办领导:周大伟`.
    "提案人", "建议人", "领衔代表", "责任领导", "督办领导", "分管领导", "责任人",
    # A wire's team credit: `(中评社报道组:张爽 张心怡 林艳 后援:阎晓阳)`.
    "报道组", "后援",
)  # fmt: skip
# As cue words with their colon, for one trie with the other cue words (an alternation beside a
# trie would cost the regex engine its fast scan for the first characters).
LABELLED_CREDIT_CUES = tuple(role + colon for role in LABELLED_CREDIT_ROLES for colon in ":：")
_ALL_CREDIT_ROLES = (*CREDIT_ROLES, *LABELLED_CREDIT_ROLES)
# Roles of a reply's contact lines: the name there may open with any character (`联系人:布冉`).
_CONTACT_ROLES = frozenset(("联系人", "承办人", "经办人", "负责人", "审核人", "姓名"))
# `宁波日报记者 龚哲明`, `记者 张三 通讯员 李四` closing a line: a byline without a colon.
_SPACED_BYLINE = re.compile(
    r"(?P<role>首席记者|特约记者|记者|通讯员)\s+(?P<names>[\u4e00-\u9fff]{2,3}(?:\s+[\u4e00-\u9fff]{2,3})*)\s*$"
)
# The role, perhaps with the telephone it gives (`联系人及电话:李伟 8788586`), then the names.
_CREDIT = re.compile(
    rf"(?P<role>{'|'.join(_ALL_CREDIT_ROLES)})(?:[及和/]?(?:联系)?电话)?\s*[::]\s*"
    # The names run to the next label, and never into the next credit (`记者:梁美兰 实习生:傅宇驰`).
    rf"(?P<names>(?:(?!{word_alternation(_ALL_CREDIT_ROLES)}\s*[::])[^\n::]){{2,60}})"
)
# Photo bylines: `首席记者 龙帆 摄`, `川观新闻记者 杨树 摄`.
_BYLINE = re.compile(r"(?P<role>首席记者|特约记者|记者|通讯员)\s*(?P<name>[\u4e00-\u9fff]{2,3})\s*摄")
# `记者 秦缘/文 周诚/图`: each name with what it contributed, after the byline's role.
_WORK_CREDIT = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,3})\s*/\s*[文图摄](?![\u4e00-\u9fff])")
_WORK_CREDIT_ROLE = re.compile(r"(首席记者|特约记者|记者|通讯员)\s*(?=[\u4e00-\u9fff]{2,3}\s*/)")
# `李 宁` under `承 办 人:谭晓侃`: a two-character name spaced out to the width of three.
_SPACED_PAIR = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]) ([\u4e00-\u9fff])(?![\u4e00-\u9fff])")
# A news dateline's byline in brackets, roles and names separated by spaces:
# `湖北日报讯(记者 刘晓燕 通讯员 陈亮)`, `(记者 陈国栋 张亦筑)`.
# The outlet may open it: `(贵州日报天眼新闻记者 陈曦 娄铃英)`.
_BRACKET_BYLINE = re.compile(
    r"[((]\s*(?:[\u4e00-\u9fff]{2,12}?)?(?P<inner>(?:首席记者|特约记者|记者|通讯员)\s*[^()()\n]{2,40})[))]"
)
# `文/内蒙古日报社融媒体记者 戴宏 章奎 摄影/…`: a role, then its names spaced out, anywhere in a line.
_ROLE_SPACED_NAMES = re.compile(
    r"(?:首席记者|特约记者|记者|通讯员|实习生)(?:\s+[\u4e00-\u9fff]{2,3}(?![\u4e00-\u9fff]))+"
)
_BYLINE_TOKEN = re.compile(r"(首席记者|特约记者|记者|通讯员|实习生)|[\s、,,]+")
_BYLINE_ROLE = re.compile(r"^(?:首席记者|特约记者|记者|通讯员|实习生)$")
_ORG_PROPOSER = re.compile(r"(?P<who>[\u4e00-\u9fff]{2,12}代表团)(?:向大会|在会上)?(?:提交|提出|领衔)")
# `提案人黄振球等委员`, `领衔代表:刘建国`: the proposer named by the field's word in running text.
_NAMED_PROPOSER = re.compile(
    r"(?P<role>提案人|建议人|领衔人|领衔代表)\s*[::]?\s*(?P<who>[\u4e00-\u9fff]{2,3}?)(?=等|[,,、。;\s]|$)"
)
_PERSON_PROPOSER = re.compile(r"(?P<who>[\u4e00-\u9fff]{2,4})(?P<role>代表|委员)(?:提出|提交|领衔|提案|带来|联名)")
_ROLE_PROPOSER = re.compile(r"(?P<role>代表|委员)\s?(?P<who>[\u4e00-\u9fff]{2,3}?)(?:提出|提交|领衔|带来)")
# `于碧鲲、王天理、王长云等委员提出的`: a list of names before 等委员/等代表. The list pattern tries
# every character; the cue it ends in is looked for first.
_LIST_CUE = re.compile(r"等(?:\d+[位名])?(?:代表|委员)")
_LISTED_PROPOSERS = re.compile(
    r"(?P<list>(?:[\u4e00-\u9fff]{2,4}[、,])*[\u4e00-\u9fff]{2,4})等(?:\d+[位名])?(?P<role>代表|委员)"
    r"(?:向[^,。;\n]{2,24}?)?(?:提出|联名|领衔|提交)"
)
# News names the role first, then the affiliation and title, then the name:
# `省政协委员、武汉大学中南医院副院长王建军提交了《…》`.
_ROLE_FIRST_PROPOSER = re.compile(
    rf"(?P<role>代表|委员)、[^,。;《》\n]{{0,30}}?{_TITLE_ALT}(?P<who>[\u4e00-\u9fff]{{2,3}}?)(?:提交|提出|领衔)"
)


_GOVERNMENT_ADDRESSEE = re.compile(r"(?:局|厅|委员会|办公室|人民政府|政府|管委会)$")


# Words after a role that open with a family name's character (`委员应邀出席`, `局领导全程参与`).
_WORDS_OPENING_LIKE_NAMES = frozenset(("应邀", "应约", "全程", "全体", "全部", "全面", "随同", "陪同", "共同", "一同"))


def looks_like_name(text: str) -> bool:
    """2–4 Han characters opening with a family name; never a fragment that opens with a
    conjunction or ends in a particle or a place (`和群众`, `落实的`, `江门市`)."""
    if not 2 <= len(text) <= 4 or not _HAN_WORD.fullmatch(text):
        return False
    if _CONJUNCTION_START.match(text) or _NOT_NAME_END.search(text) or _TITLE_AT_END.search(text):
        return False
    if text[:2] in _WORDS_OPENING_LIKE_NAMES:
        return False
    if text[:2] in COMPOUND_SURNAMES:
        return len(text) >= 3
    return text[0] in SURNAMES and len(text) <= 3


# A transliterated name: up to four characters, or given and family names joined by `·`.
_TRANSLITERATED = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff]{1,8}")


def could_be_name(text: str) -> bool:
    """A name whatever its first character, when no fragment (see `looks_like_name`): for a name
    listed beside others (`李建岭、弯建军委员`, `米拉古尔,布尔布汗·土尔逊拜委员`)."""
    return looks_like_name(text) or (
        _TRANSLITERATED.fullmatch(text) is not None
        and not (_CONJUNCTION_START.match(text) or _NOT_NAME_END.search(text) or _TITLE_AT_END.search(text))
    )


def split_person(text: str) -> Person | None:
    """`李谨代表` → Person(李谨, 代表); `明炬局长` → Person(明炬, 局长); else None."""
    match = _NAME_THEN_TITLE.match(text.strip())
    if match and (looks_like_name(match.group("name")) or match.group("name") in COMPOUND_SURNAMES):
        # `欧阳主任`: a compound family name alone is how letters name an official.
        return Person(match.group("name"), match.group("role"))
    return None


def proposers_from_addressee(addressee: str) -> tuple[Person, ...]:
    """Who is addressed made the proposal: deputies/members by name, or an organisation (组织)."""
    text = _COUNT_OF_PEOPLE.sub("", addressee.strip())
    if _GOVERNMENT_ADDRESSEE.search(text):
        return ()  # a department addressed is the unit that leads (a co-handler's reply), not a proposer
    if text.endswith("代表团"):
        return (Person(text, "代表团"),)
    role = next((r for r in ("代表", "委员") if text.endswith(r)), None)
    if role is None:
        return (Person(text, "组织"),) if len(text) >= 2 else ()
    names = [n.removesuffix(role) for n in _ADDRESSEE_SEPARATOR.split(text[: -len(role)]) if n]
    # A rare family name (`弯建军`) is read as a name beside others that look like names, and so
    # are transliterated names listed with one joined by `·`.
    # A salutation addresses a person: one three-character name is one whatever its first character
    # (`宣守宝代表`).
    listed = len(names) > 1 and any(looks_like_name(n) or "·" in n for n in names)
    alone = len(names) == 1 and len(names[0]) == 3
    plausible = could_be_name if listed or alone else looks_like_name
    people = [Person(n, role) for n in names if plausible(n)]
    return tuple(people)


def proposers_from_field(value: str, proposal_type: str) -> tuple[Person, ...]:
    """A form's `领衔代表:刘建国` / `提案人:王立新委员` / `提案人:民盟市委会`: people by name, with the
    role the field or the proposal type gives; anything else is an organisation."""
    value = value.strip()
    if value.endswith(("代表", "委员", "代表团")):
        return proposers_from_addressee(value)
    names = [n for n in re.split(r"[、,,\s]+", value) if n]
    if names and all(looks_like_name(n) for n in names):
        role = "委员" if proposal_type == "proposal" else "代表"
        return tuple(Person(n, role) for n in names)
    return (Person(value, "组织"),) if len(value) >= 2 else ()


def proposers_from_text(text: str) -> tuple[Person, ...]:
    """A news report names its proposer: `重庆代表团向大会提交《…》`, `李四代表提出`."""
    match = _ORG_PROPOSER.search(text)
    if match:
        # The run before 代表团 may hold the clause leading into it: `国家发展和改革委员会对|四川代表团`.
        who = _CLAUSE_BEFORE_WHO.sub("", match.group("who"))
        return (Person(who, "代表团"),)
    listed = _LISTED_PROPOSERS.search(text) if _LIST_CUE.search(text) else None
    people = tuple(members_listed(listed)) if listed else ()
    if people:
        return people
    named = _NAMED_PROPOSER.search(text)
    if named and looks_like_name(named.group("who")):
        role = "代表" if "代表" in named.group("role") or named.group("role") == "建议人" else "委员"
        return (Person(named.group("who"), role),)
    for pattern in (_PERSON_PROPOSER, _ROLE_FIRST_PROPOSER, _ROLE_PROPOSER):
        for match in pattern.finditer(text):
            # The run before the role may carry the words leading into the name: `转来的王立新委员`.
            name = trailing_name(match.group("who"))
            if name:
                return (Person(name, match.group("role")),)
    return ()


def find_listed_members(line: str) -> list[Person]:
    """Everyone a line lists as having made a proposal: `就张继营、杨金锋、翟春生等委员提出的`."""
    if _LIST_CUE.search(line) is None:
        return []
    return [person for match in _LISTED_PROPOSERS.finditer(line) for person in members_listed(match)]


def members_listed(match: re.Match[str]) -> list[Person]:
    """The names of a `…、…等委员` list. An item that opens the list or a clause (after a comma) may
    carry the words leading into it (`提案会议,就张继营`): its name is the one it ends with."""
    names: list[str | None] = []
    for separator, item in _LISTED_ITEM.findall(match.group("list")):
        names.append(item if looks_like_name(item) or separator == "、" else trailing_name(item))
    return [Person(n, match.group("role")) for n in dict.fromkeys(names) if n and looks_like_name(n)]


def trailing_name(run: str) -> str | None:
    """The longest name that ends the run of Han characters (`转来的王立新` → 王立新), or None."""
    for size in (4, 3, 2):
        if len(run) >= size and looks_like_name(run[-size:]):
            return run[-size:]
    return None


def find_credits(line: str) -> list[Person]:
    """The people in a credit or byline line, each with the credit's role."""
    people: list[Person] = []
    for match in _BYLINE.finditer(line):
        if looks_like_name(match.group("name")):
            people.append(Person(match.group("name"), match.group("role")))
    for match in _BRACKET_BYLINE.finditer(line):
        people.extend(_byline_people(match.group("inner")))
    if "/" in line:
        role_match = _WORK_CREDIT_ROLE.search(line)
        for match in _WORK_CREDIT.finditer(line) if role_match else ():
            if looks_like_name(match.group("name")):
                people.append(Person(match.group("name"), role_match.group(1) if role_match else None))
    for match in _CREDIT.finditer(line):
        role = match.group("role")
        names = _BRACKETED_NOTE.sub(" ", match.group("names"))
        if role in _CONTACT_ROLES:
            names = _SPACED_PAIR.sub(r"\1\2", names)
        tokens = _CREDIT_SEPARATOR.split(names.strip())
        if line[match.end("names") : match.end("names") + 1] in ("：", ":"):
            tokens = tokens[:-1]  # `布冉 电话:0909…`: the last word is the next field's label
        for raw in tokens:
            # Named by its role, a name may open with a rare family name (`黑绍刚`, `布冉`).
            rare = (len(raw) == 3 or role in _CONTACT_ROLES) and could_be_name(raw)
            if looks_like_name(raw) or (rare and not _BYLINE_ROLE.match(raw) and raw not in _ALL_CREDIT_ROLES):
                people.append(Person(raw, role))
    if not people and len(line) <= 40 and ("记者" in line or "通讯员" in line):
        spaced = _SPACED_BYLINE.search(line)
        people.extend(_byline_people(spaced.group(0)) if spaced else ())
    if "/" in line:
        for match in _ROLE_SPACED_NAMES.finditer(line):
            people.extend(_byline_people(match.group(0)))
    once: dict[str, Person] = {}
    for person in people:
        once.setdefault(person.name, person)
    return list(once.values())


def _byline_people(byline: str) -> list[Person]:
    """`记者 刘晓燕 通讯员 陈亮`: each name takes the role written last before it."""
    people = []
    role = ""
    for token in filter(None, _BYLINE_TOKEN.split(byline)):
        if _BYLINE_ROLE.match(token):
            role = token
        elif role and looks_like_name(token):
            people.append(Person(token, role))
    return people


# `(陈若奎)` closing a news article, or opening its first paragraph (`(徐怡) 6月13日上午,…`): its
# reporter, credited by name alone.
_CREDITED_NAMES = r"[((]\s*(?P<names>[\u4e00-\u9fff]{2,3}(?:[\s、][\u4e00-\u9fff]{2,3}){0,3})\s*[))]"
_CLOSING_CREDIT = re.compile(_CREDITED_NAMES + r"\s*$")
_OPENING_CREDIT = re.compile("^" + _CREDITED_NAMES + r"\s*(?=\d)")


def closing_credit(line: str) -> list[Person]:
    """The people credited in brackets at the end of an article's last lines, or before the date
    opening its first paragraph; role unknown."""
    match = _CLOSING_CREDIT.search(line) or _OPENING_CREDIT.match(line)
    if match is None:
        return []
    names = _SPACE_OR_COMMA.split(match.group("names"))
    return [Person(n, None) for n in names if looks_like_name(n)] if all(map(looks_like_name, names)) else []


# Staff a letter names for the work, without a position: `会议明确由刘权牵头,杨天恩具体负责`.
_ASSIGNED = re.compile(r"(?:由|[,,、])(?P<name>[\u4e00-\u9fff]{2,3}?)(?:牵头|具体负责|负责)(?![人同])")


MAX_CREDIT_LINE = 30


def is_credit_line(line: str) -> bool:
    """A short line that credits people (`湖南日报记者 苏莉`): a byline, never a headline."""
    return len(line) <= MAX_CREDIT_LINE and bool(find_credits(line))


def find_speakers(sentence: str) -> list[tuple[Person, int]]:
    """(person, offset of the name) for people introduced by their position: `处长周艳介绍`,
    `省人大常委会主任刘国强,`, `全国人大代表陈晓红在`, `代表 孙立`."""
    found = []
    for pattern in (_TITLED_SPEAKER, _ROLE_THEN_NAME, _NAME_BEFORE_TITLE):
        for match in pattern.finditer(sentence):
            name = match.group("name")
            # `由巴音朝鲁主任督办`: after 由 and before a title, four characters are a transliterated name.
            after_you = sentence[match.start("name") - 1 : match.start("name")] == "由"
            before_title = pattern is _NAME_BEFORE_TITLE
            if before_title and len(name) == 2 and not after_you and not _paired_or_closing(sentence, match):
                continue  # `承办单位负责人`: two characters after a body's name are a word of it
            if before_title and name in _WORDS_BEFORE_TITLES:
                continue
            if looks_like_name(name) or (before_title and len(name) == 4 and after_you and could_be_name(name)):
                found.append((Person(name, match.group("role")), match.start("name")))
                position = match.end()
                while (more := _MORE_NAMES.match(sentence, position)) and looks_like_name(more.group("name")):
                    found.append((Person(more.group("name"), match.group("role")), more.start("name")))
                    position = more.end()
    if "牵头" in sentence or "负责" in sentence:
        for match in _ASSIGNED.finditer(sentence):
            if looks_like_name(match.group("name")):
                found.append((Person(match.group("name"), None), match.start("name")))
    return found
