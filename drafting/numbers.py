"""Numbers as Chinese official text states them: every mention found, each recognised for what it is.

An annual report is full of numbers that are not figures: 《条例》第二十条, 国办公开办函〔2021〕30号,
20个工作日内, 2024年1月1日至12月31日, 0000-12345678, http://…. Only counts (66件, 1,286件, 两次,
1.2万条) and amounts (900元, 24252.311082万元) can be bound to the data; percentages, 个百分点 and
multiples are computed figures (shares, year on year); the rest are citations, deadlines, dates and
contacts, and must never be compared with a table cell. ``mentions(text)`` finds them all in one pass
and gives each its kind, span, value, unit and the label words around it (the noun phrase it counts:
``新收政府信息公开申请``66件, ``组织政务公开业务培训``2次, 4件``尚未审结``).

This module is the bottom layer: it knows Chinese numerals and the shapes of official text, nothing
of the report's tables. Binding a mention to a figure is the checks' business. Every step is linear in
the text: one scan with a single pattern, then bounded look-arounds per mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Final, Literal, NamedTuple

Kind = Literal[
    "count",  # 66件, 1,286件, 两次, 1.2万条, 20余次
    "money",  # 900元, 24252.311082万元, 3.5亿元
    "number",  # a bare number with no unit
    "percent",  # 15.2%, 百分之九十五
    "points",  # 2.3个百分点
    "fraction",  # 三分之一
    "multiple",  # 1.5倍
    "clause",  # 第二十条, 第二十条第（八）项, 第五十条第四项, 第（一）项
    "doc_number",  # 国办公开办函〔2021〕30号, [2021]30号, 国令第711号
    "ordinal",  # 第3次, 第一批, 第一
    "enumeration",  # 一是, （一）, (1), 1. at the head of an item
    "year",  # 2024年, 2024年度, 二〇二四年
    "date",  # 2024年1月1日, 12月31日, 2025-01-20
    "period",  # 2024年1月1日至12月31日, 2023—2024年, 上半年, 第一季度
    "time",  # 9:00, 9时30分
    "duration",  # 20个工作日, 15日内, 3个月, 3至5个工作日
    "phone",  # 0000-12345678, 12345热线, 13800000000
    "postcode",  # 邮编 000000
    "url",
    "email",
    "code",  # digits inside a Latin word: 5G, ISO9001, H5
]

# Counts and amounts may be bound to the data; ratios are computed from it (shares, year on year).
FIGURE_KINDS: Final = frozenset({"count", "money", "number"})
RATIO_KINDS: Final = frozenset({"percent", "points", "fraction", "multiple"})
# Kinds whose value is a year (the first year of a period).
CALENDAR_KINDS: Final = frozenset({"year", "date", "period"})

# Full-width digits and signs → ASCII, one character for one, so spans stay valid.
FULLWIDTH_DIGITS: Final = str.maketrans("０１２３４５６７８９．％－／", "0123456789.%-/")


class Mention(NamedTuple):
    """One number mention. ``start``/``end`` span the whole mention in the text (number, unit and
    any 余/内 written with it); ``text`` is that span as written.

    ``value`` is the number in ``unit`` (a count's 万/亿 multiplied out; money kept in its own unit,
    元 or 万元; for years, dates and periods the (first) year, or None when no year is written);
    ``high`` is the upper end of a range (3至5个工作日) or the last year of a period.
    ``label`` is the words before the number that name what it counts, from the last comma, 、 or
    earlier mention, with fillers such as 其中/共/全年 and 为/达 trimmed (for a document number, the
    issuer's abbreviation); ``after`` the words right after it up to the next mark (``1件结转下年度``);
    ``clause`` the words from the last comma or full stop (so ``制发…5件、废止`` keeps the noun of a
    list). ``parent`` is the index, in the list ``mentions`` returns, of the figure an 其中/（…)
    clause breaks down. A tuple, so that a long paragraph's thousands of mentions cost little."""

    kind: Kind
    start: int
    end: int
    text: str
    value: Decimal | None = None
    unit: str = ""
    label: str = ""
    after: str = ""
    clause: str = ""
    high: Decimal | None = None
    approx: bool = False  # 约/近/逾/余/多/以上/左右
    chinese: bool = False  # written in Chinese numerals
    parent: int | None = None
    sentence: int = 0  # which sentence of the text (0-based; 。；！？ and line breaks end one)

    @property
    def is_figure(self) -> bool:
        """A count or an amount: the only mentions that may be bound to a figure of the data."""
        return self.kind in FIGURE_KINDS

    @property
    def is_ratio(self) -> bool:
        return self.kind in RATIO_KINDS

    def yuan(self) -> Decimal | None:
        """A money mention in 元 (24252.311082万元 → 242523110.82)."""
        if self.kind != "money" or self.value is None:
            return None
        return self.value * _MONEY_SCALE.get(self.unit, Decimal(1))


_MONEY_SCALE: Final = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(10) ** 8,
}

# --- Chinese numerals -------------------------------------------------------------------------------

_CN_DIGITS: Final = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL: Final = {"十": 10, "百": 100, "千": 1000}
_CN_BIG: Final = {"万": 10**4, "亿": 10**8}
CN_NUMERAL_CHARS: Final = "零〇一二两三四五六七八九十百千万亿"


def chinese_integer(text: str) -> int | None:
    """十二 → 12, 两 → 2, 三百零五 → 305, 一千二百 → 1200, 二十万 → 200000, 二〇二四 → 2024 (a
    string of digits is read digit by digit); None when ``text`` is not a numeral."""
    if not text:
        return None
    if len(text) > 1 and all(ch in _CN_DIGITS for ch in text):
        if not ("〇" in text or "零" in text) or "两" in text:
            return None  # 一一 (唯一一个) is not eleven; 二〇二四 and 二零二四 are read digit by digit
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and digit != 0:
                return None  # 二三 is not a number
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        elif ch in _CN_BIG:
            section += digit or 0
            total += (section or 1) * _CN_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def chinese_decimal(text: str) -> Decimal | None:
    """九十五点五 → 95.5; an integer numeral as ``chinese_integer``."""
    whole, _, frac = text.partition("点")
    head = chinese_integer(whole)
    if head is None:
        return None
    if not frac:
        return Decimal(head)
    if not all(ch in _CN_DIGITS for ch in frac):
        return None
    return Decimal(f"{head}.{''.join(str(_CN_DIGITS[ch]) for ch in frac)}")


def parse_number(text: str) -> Decimal | None:
    """An Arabic number as written (full-width digits and thousands separators allowed)."""
    plain = text.translate(FULLWIDTH_DIGITS).replace(",", "").strip()
    try:
        return Decimal(plain)
    except InvalidOperation:
        return None


# --- the one pattern --------------------------------------------------------------------------------

_CN: Final = f"[{CN_NUMERAL_CHARS}]"
_CNN: Final = rf"(?:{_CN}+|\d+)"  # a Chinese or Arabic numeral (clause and item numbers use both)
_NUM: Final = r"\d{1,3}(?:,\d{3})+(?!\d|,\d)(?:\.\d+)?|\d+(?:\.\d+)?"

# Units written after a number, longest first. A unit decides the kind (see _UNIT_KINDS).
_DURATION_UNITS: Final = (
    "个工作日",
    "工作日",
    "个自然日",
    "自然日",
    "个小时",
    "小时",
    "个月",
    "个季度",
    "个星期",
    "星期",
    "分钟",
    "秒",
    "天",
    "周",
    "年",
    "日",
)
_COUNT_UNITS: Final = (
    "人次",
    "件次",
    "份次",
    "篇次",
    "条次",
    "场次",
    "批次",
    "轮次",
    "户次",
    "家次",
    "个",
    "件",
    "次",
    "条",
    "篇",
    "期",
    "场",
    "项",
    "份",
    "名",
    "人",
    "家",
    "户",
    "起",
    "宗",
    "部",
    "批",
    "类",
    "套",
    "本",
    "册",
    "张",
    "所",
    "处",
    "座",
    "台",
    "轮",
    "页",
    "字",
    "栏",
    "位",
    "分",
)
_OTHER_UNITS: Final = ("个百分点", "百分点", "%", "倍", "元")
_UNITS: Final = sorted({*_DURATION_UNITS, *_COUNT_UNITS, *_OTHER_UNITS}, key=len, reverse=True)
_UNIT_ALT: Final = "|".join(re.escape(u) for u in _UNITS)

# Fixed phrases whose numerals are words, not figures (official labels and slogans).
_WORD_PHRASES: Final = (
    "三类内部事务",
    "四类过程性",
    "三安全一稳定",
    "三审三校",
    "三公经费",
    "三公",
    "十四五",
    "十五五",
    "一网通办",
    "一网统管",
    "一件事一次办",
    "一件事",
    "一次办",
    "一次性",
    "一站式",
    "一张网",
    "一窗受理",
    "一门式",
    "一把手",
    "一盘棋",
    "一条龙",
    "一系列",
    "一体化",
    "双随机一公开",
    "两个维护",
    "四个意识",
    "四个自信",
    "两个确立",
    "一年来",
    "一年一度",
    "一件一",
)

_PATTERN: Final = re.compile(
    "|".join(
        (
            # Web and mail addresses: ASCII only, so a Chinese character or full-width mark ends them.
            r"(?P<url>(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+)",
            r"(?P<email>(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)",
            r"(?P<domain>(?<![A-Za-z0-9@.\-])(?:[A-Za-z0-9\-]+\.)+(?:cn|com|net|org)(?:/[A-Za-z0-9\-._~/?#=&%]*)?(?![A-Za-z0-9]))",
            r"(?P<phrase>" + "|".join(re.escape(p) for p in _WORD_PHRASES) + ")",
            # 〔2021〕30号, [2021]30号, （2021）第3号.
            r"(?P<doc>[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d+\s*号)",
            # 第二十条, 第二十条第（八）项, 第五十条第四项, 第（一）项, 第三十三条第二款.
            rf"(?P<clause>(?:第{_CNN}(?:[至、\-]{_CNN})*[条款章节编目项]|第[（(]{_CNN}[)）][项款目]?)(?:之{_CN}+)?"
            rf"(?:第?{_CNN}[款项目]|第?[（(]{_CNN}[)）][项款目]?)*)",
            rf"(?P<docno>第\s*{_CNN}\s*号)",
            rf"(?P<quarter>第{_CNN}季度|(?<![{CN_NUMERAL_CHARS}])[一二三四1-4]季度|前三季度|[上下]半年)",
            rf"(?P<ordinal>第{_CNN}(?:个|次|批|届|名|位|轮|期|阶段|部分|年度|年|季|档|类|项)?)",
            r"(?P<iso>(?<!\d)(?:19|20)\d{2}[-/.](?:1[0-2]|0?[1-9])[-/.](?:3[01]|[12]\d|0?[1-9])(?!\d))",
            # 2024年1月1日, 2024年度, 二〇二四年, 12月31日, 3月份.
            r"(?P<date>(?<![\d.])(?=(?:19|20)\d{2}\s*年|[〇零一二三四五六七八九]{4}年|(?:1[0-2]|0?[1-9])\s*月)(?:(?P<y>(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年(?P<ydu>度)?)?"
            r"(?:\s*(?P<m>1[0-2]|0?[1-9])\s*月(?:份)?(?:\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号])?)?)",
            r"(?P<time>(?<![\d.:：])(?:[01]?\d|2[0-3])(?:[:：][0-5]\d(?!\d)|时(?:[0-5]?\d分)?(?![间期效]))(?:前|后|起)?)",
            r"(?P<phone>(?<!\d)(?:[(（]0\d{2,3}[)）]\s*\d{7,8}|0\d{2,3}[-—]\d{7,8}(?:[-]\d{1,6})?|400[-]?\d{3}[-]?\d{4}|1[3-9]\d{9})(?!\d))",
            rf"(?P<cnpercent>百分之{_CN}+(?:点[{CN_NUMERAL_CHARS}]+)?)",
            rf"(?P<fraction>(?<![{CN_NUMERAL_CHARS}]){_CN}+分之{_CN}+)",
            r"(?P<enumcn>(?<![第统进唯同逐之其单])[一二三四五六七八九十]{1,3}是)",
            r"(?P<enumparen>[（(](?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）])",
            # An Arabic number: thousands separators, decimals, 万/亿, 余/多, a unit, 内.
            rf"(?P<arabic>(?P<num>(?<![\d.])(?:{_NUM}))(?P<mult>[万亿千](?=[余多]?(?:{_UNIT_ALT})|[余多]|\s*[，。；、]|$))?"
            rf"(?P<nround>[余多])?\s?(?P<unit>{_UNIT_ALT})?(?P<within>以内|内)?)",
            # A Chinese numeral with a unit: 两次, 三十三件, 十余次, 二十万元.
            rf"(?P<cnnum>(?P<cn>(?<![第每之初{CN_NUMERAL_CHARS}]){_CN}+?)(?P<cnround>[余多])?(?P<cnunit>{_UNIT_ALT}|万元|亿元)(?P<cnwithin>以内|内)?)",
        )
    )
)

_UNIT_KINDS: Final[dict[str, Kind]] = {
    **{u: "duration" for u in _DURATION_UNITS},
    **{u: "count" for u in _COUNT_UNITS},
    "个百分点": "points",
    "百分点": "points",
    "%": "percent",
    "倍": "multiple",
    "元": "money",
    "万元": "money",
    "亿元": "money",
    "千元": "money",
}

# Label boundaries: a label never runs across these marks.
_SOFT_MARKS: Final = frozenset("，,、；;：:。！!？?\n（()）【】[]")
_HARD_MARKS: Final = frozenset("，,；;：:。！!？?\n（()）【】[]")
_SENTENCE_MARKS: Final = frozenset("。；;！!？?\n")
_LOOK: Final = 40  # how far back a label is read
_AHEAD: Final = 16  # how far ahead the words after a number are read

_LEAD_FILLERS: Final = (
    "其中",
    "另有",
    "另外",
    "此外",
    "同时",
    "共计",
    "合计",
    "累计",
    "总计",
    "全年共",
    "全年",
    "本年度",
    "本年",
    "年内",
    "当年",
    "分别",
    "共",
    "另",
)
_TAIL_FILLERS: Final = (
    "已达到",
    "达到",
    "共计",
    "合计",
    "累计",
    "总计",
    "分别为",
    "分别",
    "约为",
    "将近",
    "超过",
    "不少于",
    "为",
    "达",
    "共",
    "计",
    "约",
    "近",
    "逾",
    "超",
    "有",
    "了",
    "是",
)
_APPROX_BEFORE: Final = ("约", "近", "逾", "超过", "将近", "不少于", "大约")
_APPROX_AFTER: Final = ("以上", "左右")
_PHONE_CONTEXT: Final = ("电话", "热线", "传真", "Tel", "TEL", "tel", "手机", "座机")
_POSTCODE_CONTEXT: Final = ("邮编", "邮政编码")
_DOC_PREFIX_STOP: Final = re.compile(
    r".*(?:根据|按照|依据|依照|参照|落实|贯彻|执行|印发|转发|对照|结合|遵照|见|和|及|与|的|据|照|以|按)"
)
_DOC_PREFIX_ENDS: Final = tuple("发函字令办电通告文复规")
_RANGE_JOIN: Final = re.compile(r"\s*(?:至|到|—|－|-|～|~|–)\s*")


_LEAD: Final = re.compile("^(?:" + "|".join(map(re.escape, _LEAD_FILLERS + _APPROX_BEFORE)) + ")+")
_TAIL: Final = re.compile("(?:" + "|".join(map(re.escape, _TAIL_FILLERS)) + ")+$")


def _strip_fillers(label: str) -> str:
    label = label.strip(" \t　“”\"'")
    return _TAIL.sub("", _LEAD.sub("", label)).strip(" \t　")


def _back(text: str, pos: int, floor: int, marks: frozenset[str]) -> int:
    """The start of the stretch before ``pos`` that no mark interrupts (at most _LOOK back)."""
    lo = max(floor, pos - _LOOK)
    i = pos
    while i > lo and text[i - 1] not in marks:
        i -= 1
    return i


def _ahead(text: str, pos: int, ceiling: int) -> str:
    hi = min(ceiling, pos + _AHEAD, len(text))
    i = pos
    while i < hi and text[i] not in _SOFT_MARKS:
        i += 1
    return text[pos:i].strip()


def _doc_prefix(text: str, start: int) -> int:
    """Where the issuer's abbreviation before 〔2021〕 starts (国办公开办函), or ``start``."""
    i = start
    lo = max(0, start - 12)
    while i > lo and "\u4e00" <= text[i - 1] <= "\u9fff":
        i -= 1
    prefix = text[i:start]
    if not prefix.endswith(_DOC_PREFIX_ENDS):
        return start
    m = _DOC_PREFIX_STOP.match(prefix)
    if m is not None:
        i += m.end()
    return i if i < start else start


def _at_item_head(text: str, pos: int) -> bool:
    """Whether ``pos`` opens an item: line start, or right after a mark."""
    i = pos
    while i > 0 and text[i - 1] in " \t　":
        i -= 1
    return i == 0 or text[i - 1] in _SENTENCE_MARKS or text[i - 1] in "：:，,"


def _context_before(text: str, pos: int, words: tuple[str, ...], span: int = 8) -> bool:
    window = text[max(0, pos - span) : pos]
    return any(w in window for w in words)


def _scan(text: str) -> Iterator[Mention]:
    """Raw mentions in order, before ranges are joined and labels read."""
    for m in _PATTERN.finditer(text):
        group = m.lastgroup
        start, end = m.start(), m.end()
        if group in ("url", "domain"):
            end = start + len(_url_end(m.group()))
            yield Mention("url", start, end, text[start:end])
        elif group == "email":
            yield Mention("email", start, end, text[start:end])
        elif group == "phrase":
            continue
        elif group == "doc":
            begin = _doc_prefix(text, start)
            number = re.search(r"(\d+)\s*号$", m.group())
            value = Decimal(number.group(1)) if number else None
            yield Mention("doc_number", begin, end, text[begin:end], value, label=text[begin:start])
        elif group == "docno":
            begin = _doc_prefix(text, start)
            body = m.group()[1:-1].strip()
            value = Decimal(body) if body.isdigit() else _cn_value(body)
            yield Mention("doc_number", begin, end, text[begin:end], value, label=text[begin:start])
        elif group == "clause":
            yield Mention("clause", start, end, m.group(), _clause_value(m.group()))
        elif group == "quarter":
            yield Mention("period", start, end, m.group())
        elif group == "ordinal":
            body = m.group()[1:].rstrip("个次批届名位轮期阶段部分年度季档类项")
            value = Decimal(body) if body.isdigit() else _cn_value(body)
            yield Mention("ordinal", start, end, m.group(), value)
        elif group == "iso":
            yield Mention("date", start, end, m.group(), Decimal(m.group()[:4]))
        elif group == "date":
            yield _date(m)
        elif group == "time":
            yield Mention("time", start, end, m.group())
        elif group == "phone":
            yield Mention("phone", start, end, m.group())
        elif group == "cnpercent":
            yield Mention("percent", start, end, m.group(), chinese_decimal(m.group()[3:]), "%", chinese=True)
        elif group == "fraction":
            den, _, num = m.group().partition("分之")
            d, n = chinese_integer(den), chinese_integer(num)
            value = Decimal(n) / Decimal(d) if d and n is not None else None
            yield Mention("fraction", start, end, m.group(), value, chinese=True)
        elif group == "enumcn":
            yield Mention("enumeration", start, end, m.group(), _cn_value(m.group()[:-1]), chinese=True)
        elif group == "enumparen":
            inner = m.group()[1:-1]
            value = Decimal(inner) if inner.isdigit() else _cn_value(inner)
            yield Mention("enumeration", start, end, m.group(), value, chinese=not inner.isdigit())
        elif group == "arabic":
            found = _arabic(text, m)
            if found is not None:
                yield found
        elif group == "cnnum":
            found = _chinese(text, m)
            if found is not None:
                yield found


def _url_end(url: str) -> str:
    """A URL without the sentence's closing marks (a bracket it opened itself stays)."""
    while url:
        last = url[-1]
        if last in ".,;:!?'":
            url = url[:-1]
        elif last == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        elif last == "]" and url.count("[") < url.count("]"):
            url = url[:-1]
        else:
            return url
    return url


def _cn_value(text: str) -> Decimal | None:
    n = chinese_integer(text)
    return None if n is None else Decimal(n)


def _clause_value(text: str) -> Decimal | None:
    """The article number of a clause (第二十条第（八）项 → 20)."""
    m = re.match(rf"第({_CNN})", text)
    if m is None:
        return None
    body = m.group(1)
    return Decimal(body) if body.isdigit() else _cn_value(body)


def _date(m: re.Match[str]) -> Mention:
    y, month = m.group("y"), m.group("m")
    year = None
    if y is not None:
        year = Decimal(y) if y.isdigit() else _cn_value(y)
    kind: Kind = "year" if month is None else "date"
    return Mention(kind, m.start(), m.end(), m.group(), year, "年度" if m.group("ydu") else "")


def _arabic(text: str, m: re.Match[str]) -> Mention | None:
    start, end = m.start(), m.end()
    raw = m.group("num")
    value = parse_number(raw)
    if value is None:  # pragma: no cover - the pattern only matches numbers
        return None
    unit = m.group("unit") or ""
    mult = m.group("mult") or ""
    approx = bool(m.group("nround")) or _context_before(text, start, _APPROX_BEFORE, 3)
    within = m.group("within") or ""
    # 24252.311082万元: money keeps its own unit; 1.2万条 is 12000 条.
    if unit == "元" and mult:
        unit = mult + "元"
    elif mult:
        value *= _MONEY_SCALE[mult + "元"]
    kind: Kind = _UNIT_KINDS.get(unit, "number")
    if kind == "duration" and unit == "日" and _context_before(text, start, ("每月", "月"), 2):
        kind = "date"
    if text.startswith(_APPROX_AFTER, end):
        approx = True
    if unit == "" and not mult:
        after = text[end : end + 2]
        before = text[max(0, start - 1) : start]
        if re.match(r"[A-Za-z]", after) or re.match(r"[A-Za-z]", before):
            return Mention("code", start, end, text[start:end], value)
        digits = raw.replace(",", "").replace(".", "")
        if len(digits) >= 5 and (
            _context_before(text, start, _PHONE_CONTEXT, 10) or text.startswith(("热线", "政务服务"), end)
        ):
            return Mention("phone", start, end, text[start:end])
        if len(digits) == 6 and _context_before(text, start, _POSTCODE_CONTEXT, 8):
            return Mention("postcode", start, end, text[start:end])
        if after[:1] in (".", "、", "．") and not after[1:2].isdigit() and _at_item_head(text, start):
            return Mention("enumeration", start, end + 1, text[start : end + 1], value)
    if within and kind != "duration":
        end -= len(within)  # 内 after a count is a word (5件内容), not a deadline
    return Mention(kind, start, end, text[start:end], value, unit, approx=approx)


def _chinese(text: str, m: re.Match[str]) -> Mention | None:
    numeral = m.group("cn")
    unit = m.group("cnunit")
    if numeral[0] in "百千万亿" or numeral in ("万", "亿"):
        return None  # 百姓, 千家万户, 万家: words
    value = chinese_integer(numeral)
    if value is None:
        return None
    start, end = m.start(), m.end()
    tail = text[end : end + 1]
    if unit in ("年", "日", "天") and numeral in ("一",) and tail in ("来", "度", "一"):
        return None
    if tail in ("性", "式", "化"):
        return None
    within = m.group("cnwithin") or ""
    kind = _UNIT_KINDS.get(unit, "count")
    if within and kind != "duration":
        end -= len(within)
    approx = bool(m.group("cnround")) or _context_before(text, start, _APPROX_BEFORE, 3)
    return Mention(kind, start, end, text[start:end], Decimal(value), unit, approx=approx, chinese=True)


def _join_ranges(text: str, found: list[Mention]) -> list[Mention]:
    """3至5个工作日, 2024年1月1日至12月31日, 2023—2024年, 9:00-17:00 as one mention each."""
    out: list[Mention] = []
    for mention in found:
        if out:
            left = out[-1]
            gap = text[left.end : mention.start]
            if gap and left.high is None and len(gap) <= 3 and _RANGE_JOIN.fullmatch(gap):
                joined = _range(left, mention, text)
                if joined is not None:
                    out[-1] = joined
                    continue
        out.append(mention)
    return out


def _range(left: Mention, right: Mention, text: str) -> Mention | None:
    span = text[left.start : right.end]
    if left.kind in ("year", "date") and right.kind in ("year", "date"):
        high = right.value if right.value is not None else left.value
        return Mention("period", left.start, right.end, span, left.value, high=high)
    if left.kind == "number" and right.kind in ("year", "date") and left.value is not None:
        if right.kind == "year" and 1900 <= left.value <= 2099:
            return Mention("period", left.start, right.end, span, left.value, high=right.value)
        if right.kind == "date" and 1 <= left.value <= 12 and right.text.endswith(("月", "月份")):
            return Mention("period", left.start, right.end, span, right.value, high=right.value)  # 1-12月
        return None
    if left.kind == "time" and right.kind == "time":
        return Mention("time", left.start, right.end, span)
    same_unit = left.unit == right.unit and left.kind == right.kind
    bare_left = left.kind == "number" and not left.unit
    if (same_unit or bare_left) and right.kind in ("count", "money", "duration", "percent", "number"):
        if right.kind == "number" and not same_unit:
            return None
        return right._replace(
            start=left.start,
            text=span,
            value=left.value,
            high=right.value,
            chinese=left.chinese and right.chinese,
        )
    return None


def _with_context(text: str, found: list[Mention]) -> list[Mention]:
    """Each mention again with its text as given, label, words after, clause, sentence and the
    其中 parent."""
    out: list[Mention] = []
    sentence = 0
    previous_end = 0
    last_figure: int | None = None  # the last count or amount of the current sentence
    figure_sentence = -1
    count = len(found)
    for n, m in enumerate(found):
        kind, start, end = m.kind, m.start, m.end
        sentence += _count_marks(text, previous_end, start)
        clause_start = _back(text, start, 0, _HARD_MARKS)
        label_start = _back(text, start, previous_end, _SOFT_MARKS)
        label = m.label if kind == "doc_number" else _strip_fillers(text[label_start:start])
        after = _ahead(text, end, found[n + 1].start if n + 1 < count else len(text))
        figure = kind in FIGURE_KINDS
        parent = None
        if figure and last_figure is not None and figure_sentence == sentence:
            head = text[clause_start : clause_start + 4].lstrip()
            opener = text[clause_start - 1] if clause_start else ""
            if head.startswith(("其中", "包括", "含")) or opener in "（(":
                parent = last_figure
        out.append(
            Mention(
                kind,
                start,
                end,
                text[start:end],
                m.value,
                m.unit,
                label,
                after,
                text[clause_start:start],
                m.high,
                m.approx,
                m.chinese,
                parent,
                sentence,
            )
        )
        if figure and parent is None:
            last_figure, figure_sentence = n, sentence
        previous_end = end
    return out


def _count_marks(text: str, start: int, end: int) -> int:
    return sum(text.count(mark, start, end) for mark in _SENTENCE_MARKS)


def mentions(text: str) -> list[Mention]:
    """Every number mention in ``text``, in order, each recognised for what it is.

    Full-width digits are read as digits; spans index the text as given. Linear in the text."""
    plain = text.translate(FULLWIDTH_DIGITS)
    return _with_context(text, _join_ranges(plain, list(_scan(plain))))


# What punctuation normalisation must leave alone: addresses, citations, times and numbers whose
# half-width marks belong to them (1,286 / 9:00 / [2021]).
PROTECTED_KINDS: Final = frozenset(
    {"url", "email", "doc_number", "time", "phone", "date", "count", "money", "number", "percent", "code"}
)


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that punctuation normalisation must not touch: URLs, e-mail addresses,
    document numbers, times, phone numbers, ISO dates and numbers with separators."""
    return [(m.start, m.end) for m in mentions(text) if m.kind in PROTECTED_KINDS]


def figures(text: str) -> list[Mention]:
    """Only the counts and amounts of ``text``: what may be bound to the data."""
    return [m for m in mentions(text) if m.is_figure]
