"""Narrative pairs for calibrating 内容雷同 (rule Y4, ``checks.yearly``): last year's part against
this year's, built so that the right answer is known.

- ``copied``: this year's text is last year's with the year moved on and every figure changed, and a
  share of its sentences (``rewritten``) replaced by new ones — a copy when little is rewritten;
- ``other_agency``: two agencies' narratives that share only the official phrases (the format's
  headings, the regulation, the stock wording of the genre) — never a copy;
- ``honest``: one agency's two years written afresh, sharing its name, its channels and the
  official phrases — never a copy.

Narratives are composed from small pools of the genre's words (domains, actions, channels, items
published) by sentence patterns, so two agencies' texts meet only where the genre does. They are
written for this calibration, not taken from any report.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

# The slots of a sentence and the words each is drawn from, one slot a line, in the order
# ``sentence`` draws them: a pair is the same from its seed only while these stay as they are.
_POOLS = """
action  围绕 聚焦 紧扣 结合 对照 立足 针对 瞄准 面向 突出
domain  义务教育招生 城乡低保 保障性住房 道路交通安全 生态环境保护 食品药品安全 就业创业 医疗保障 农村人居环境整治 安全生产 文化旅游 乡村振兴 优化营商环境 财政预决算 重大建设项目 公共资源配置 征地补偿 养老服务 防汛抗旱 耕地保护 住房公积金 知识产权保护 残疾人帮扶 退役军人服务 燃气管网改造 老旧小区改造 校外培训治理 水资源管理 林长制 河湖长制
link    ，依托 ，通过 ，在 ，利用 ，借助 ，经由 ，用好
verb    梳理更新 集中发布 分类公开 动态调整 及时公布 专题展示 逐项核对 汇编印发 滚动更新 定期通报 挂网公示 统一归集 同步推送 按月晾晒 分批披露 全量上线
item    办事指南 政策文件 统计数据 资金分配结果 项目审批信息 执法检查结果 考核结果 服务事项清单 收费目录清单 权责清单 招标采购公告 人事任免信息 应急预案 规划批后公告 督查通报 补贴发放名册 抽检结果 双随机抽查结果
unit    条 项 份 批次 期 篇
channel 门户网站专栏 政务服务大厅查阅点 微信公众号 村务公开栏 社区公告栏 新闻发布会 政务服务热线 融媒体中心 档案馆查阅室 政务微博 短视频账号 便民服务站 电子显示屏 广播电视台
mean    图解 短视频 一图读懂 问答 现场解读 专家访谈 案例说明 漫画 H5 音频
result  回应关切 解答疑问 化解争议 收集建议 澄清误读 引导预期
"""
POOLS: dict[str, tuple[str, ...]] = {
    slot: tuple(words) for slot, *words in (line.split() for line in _POOLS.strip().splitlines())
}

WEAKNESSES = (
    "解读材料的可读性还不够强",
    "基层公开目录更新不够及时",
    "部分栏目信息分类不够清晰",
    "依申请答复文书的规范性有待提高",
    "工作人员业务能力参差不齐",
    "公众参与渠道较少",
    "数据开放的范围还不够广",
    "网站检索功能不够便捷",
    "政策发布与解读衔接不够紧密",
    "个别单位对公开工作重视程度不够",
)

# The official phrases every narrative of the genre may use: both sides of a pair share them.
OFFICIAL = (
    "根据《中华人民共和国政府信息公开条例》",
    "坚持以习近平新时代中国特色社会主义思想为指导",
    "坚持以公开为常态、不公开为例外",
    "（一）主动公开",
    "（二）依申请公开",
    "（三）政府信息管理",
    "（四）政府信息公开平台建设",
    "（五）监督保障",
    "严格落实“先审查、后公开”",
    "保障人民群众的知情权、参与权和监督权",
    "按照《政府信息公开信息处理费管理办法》",
)

# Sentences as slots joined by a few characters at most, so that two texts share ten characters in
# a row only when several slots happen to agree.
_PATTERNS = (
    "{action}{domain}{link}{channel}{verb}{item}{n}{unit}。",
    "{channel}{verb}{domain}{item}{n}{unit}，以{mean}{result}{m}次。",
    "{domain}方面{verb}{item}{m}{unit}，{result}。",
    "{action}{domain}，{verb}{item}{k}{unit}{link}{channel}{result}。",
    "{link}{channel}就{domain}{result}{n}人次，{verb}{item}。",
    "{verb}{domain}{item}{n}{unit}，配发{mean}{m}{unit}。",
)


@dataclass(frozen=True)
class Pair:
    kind: str  # copied / other_agency / honest
    last: str
    this: str
    rewritten: float = 0.0  # for ``copied``: the share of sentences replaced


def sentence(rng: random.Random) -> str:
    """One sentence of the genre, its slots drawn from the pools."""
    pattern = rng.choice(_PATTERNS)
    words = {slot: rng.choice(pool) for slot, pool in POOLS.items()}
    text = pattern.format(
        **words,
        n=rng.randint(12, 980),
        m=rng.randint(2, 40),
        k=rng.randint(1, 15),
    )
    return text.removeprefix("，")


def narrative(rng: random.Random, agency: str, year: int, sentences: int = 14) -> list[str]:
    """A 总体情况 of five paragraphs and a 存在问题 sentence: the official phrases, the agency's
    own sentences between them."""
    paragraphs = [
        f"{year}年，{agency}{OFFICIAL[1]}，{OFFICIAL[0]}，{OFFICIAL[2]}，"
        + "".join(sentence(rng) for _ in range(2))
    ]
    per = max(1, (sentences - 2) // 5)
    for head in OFFICIAL[3:8]:
        body = "".join(sentence(rng) for _ in range(per))
        extra = OFFICIAL[8] + "。" if "管理" in head else OFFICIAL[9] + "。" if "监督" in head else ""
        paragraphs.append(f"{head}。{extra}{body}")
    weak = "；".join(rng.sample(WEAKNESSES, 2))
    paragraphs.append(f"{year}年{agency}政务公开工作仍存在一些不足：{weak}。")
    return paragraphs


def _next_year(text: str, rng: random.Random) -> str:
    """The same words a year on: every year plus one, every other figure changed."""

    def figure(m: re.Match[str]) -> str:
        value = int(m.group())
        if 1990 <= value <= 2100:
            return str(value + 1)
        return str(value + rng.randint(1, 30))

    return re.sub(r"\d+", figure, text)


def _split(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；])", text) if s]


def copied(seed: int, rewritten: float, agency: str = "某市某局", year: int = 2023) -> Pair:
    """Last year's narrative carried over with the year and figures changed, ``rewritten`` of its
    sentences replaced by new ones."""
    rng = random.Random(seed)
    last = "\n".join(narrative(rng, agency, year))
    this_paragraphs = []
    for paragraph in last.split("\n"):
        sentences = _split(_next_year(paragraph, rng))
        out = [sentence(rng) if k and rng.random() < rewritten else s for k, s in enumerate(sentences)]
        this_paragraphs.append("".join(out))
    return Pair("copied", last, "\n".join(this_paragraphs), rewritten)


def other_agency(seed: int, year: int = 2023) -> Pair:
    """Two agencies' narratives of one year: only the official phrases in common."""
    a, b = random.Random(seed), random.Random(seed + 7919)
    last = "\n".join(narrative(a, "某市教育局", year))
    this = "\n".join(narrative(b, "某县交通运输局", year))
    return Pair("other_agency", last, this)


def honest(seed: int, agency: str = "某区人力资源和社会保障局", year: int = 2023) -> Pair:
    """One agency's two years, each written afresh."""
    last = "\n".join(narrative(random.Random(seed), agency, year))
    this = "\n".join(narrative(random.Random(seed + 104729), agency, year + 1))
    return Pair("honest", last, this)


def pairs(count: int = 40) -> list[Pair]:
    """The calibration set: ``count`` of each kind, copies at 0 %, 20 %, 40 %, 60 % and 80 %
    rewritten."""
    out: list[Pair] = []
    for seed in range(count):
        out.append(other_agency(seed))
        out.append(honest(seed))
        out.append(copied(seed, (0.0, 0.2, 0.4, 0.6, 0.8)[seed % 5]))
    return out
