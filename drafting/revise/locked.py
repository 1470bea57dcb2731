"""Two plain answers instead of a revision: the tables are locked (a data change is made in the
data file, then the draft is written again), and a free-form instruction needs a model endpoint.

The data-change test is deliberately simple and errs towards answering: an instruction that names
a table, or asks to set a count to a number ("把新收申请改为12件"), is about the data. Length
limits ("压缩到200字以内") and added facts ("补充：全年组织培训2次") are not.
"""

from __future__ import annotations

import re

from ..backends.endpoints import PRESETS
from ..config import ENV_PREFIX, config_path
from ..errors import InputError

_CHANGE = r"(?:改|修改|调整|更正|更改|变更|更新|订正|纠正|填|删|删除|增加|减少|加上|去掉|换)"
_NUMBER = r"[0-9０-９]+(?:\.[0-9]+)?|[零一二两三四五六七八九十百千万]+"
_COUNT_UNITS = r"(?:件|条|次|项|份|篇|个|万元|元|人次|名|人|场|期|宗|起|家|批)"

_PATTERNS = (
    # names a table (表二, 表3, 表格, 统计表) and asks for a change
    re.compile(
        rf"(?:表[二三四234]|表格|统计表|数据表|表中|表内|表里).*{_CHANGE}|{_CHANGE}.*(?:表[二三四234]|表格|统计表|数据表)"
    ),
    # sets a count to a number: 改为12件, 改成十二件, 调整为3条, 应为5件, 增加到6件
    re.compile(
        rf"(?:改为|改成|改作|调整为|调整成|更正为|更改为|修改为|修改成|变为|变成|换成|应为|应是|写成|写为|增加到|减少到|增至|减至|增加为|减少为)"
        rf"\s*(?:{_NUMBER})\s*{_COUNT_UNITS}"
    ),
    # changes the data itself: 修改数据, 数据改一下, 把收费金额改
    re.compile(
        rf"(?:{_CHANGE}.{{0,4}}数据|数据.{{0,4}}{_CHANGE}|{_CHANGE}.{{0,6}}(?:收费|费用|金额)|(?:收费|金额).{{0,6}}{_CHANGE})"
    ),
)


def asks_for_data_change(instruction: str) -> bool:
    text = re.sub(r"\s+", "", instruction)
    return any(p.search(text) for p in _PATTERNS)


class TablesLocked(InputError):
    """The instruction needs a change to the data, which revision never makes."""


class NeedsModel(InputError):
    """A free-form instruction with the offline backend."""


def tables_locked(instruction: str, data_file: str, draft_path: str) -> TablesLocked:
    shown = instruction.strip().replace("\n", " ")
    shown = shown if len(shown) <= 30 else shown[:30] + "…"
    return TablesLocked(
        f"表格和数字已锁定，修订只改文字、不改数据。您的要求“{shown}”涉及数据的改动，修订不能这样做。",
        hint=(
            f"请先修改数据文件 {data_file}，再重新生成草稿：drafting draft {data_file}"
            f"（输出目录与原来相同，{draft_path} 中已接受的修改在其依据的数据未变时会保留，"
            "数据变了的会逐一说明）。只改文字表述时，请换一种说法，不要要求改数字或表格。"
        ),
    )


def needs_model() -> NeedsModel:
    presets = "、".join(
        f"--model {name}（密钥放在环境变量 {p.key_env}）"
        for name, p in PRESETS.items()
        if p.default_model is not None
    )
    return NeedsModel(
        "按文字要求修订需要调用模型接口，现在是离线模式（--model offline），没有可用的模型。",
        hint=(
            f"请用 --model 指定模型，如 {presets}；"
            "其他兼容 OpenAI 的接口（含本地 Ollama、vLLM）：--model openai:<模型名> "
            "--base-url http://主机:端口/v1，必要时 --api-key-env 保存密钥的环境变量名。"
            f"也可以用环境变量 {ENV_PREFIX}MODEL、{ENV_PREFIX}BASE_URL、{ENV_PREFIX}API_KEY_ENV，"
            f'或写入配置文件 {config_path()}（如 model = "deepseek"）。'
            "离线时仍可：手工修改（edit）、按数据重新生成（regen）、固定句子（pin）、撤销（undo）和重做（redo）。"
        ),
    )
