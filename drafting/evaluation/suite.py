"""Eval suites: ``evals/*.yaml`` parsed into ``EvalSuite``/``EvalCase`` (unknown keys rejected).

A case is a data file plus what a good draft of it must meet. Expectations use short YAML forms in
the spirit of pydantic_evals: a bare name (``- no_errors``), a name with a scalar or list
(``- passes: [N1, Y2]``, ``- contains: 新收政府信息公开申请66件``) or a name with a mapping
(``- contains: {section: overview, paragraph: （二）, text: …}``). The models below describe the
file itself, so ``suite.schema.json`` (``write_schema``) checks a suite in an editor too.

    no_errors                      no error-severity finding of the check library (on by default)
    passes: RULE | [RULE…]         these rules of the check library report nothing
    contains: TEXT | [TEXT…] | {text, section, paragraph, regex}     must appear
    not_contains: (same forms)     must not appear
    length: {section, paragraph, min, max}     characters of the section (or of one paragraph)
    fallback: false | true | SECTION | [SECTION…]    which sections fell back to the offline text
    flagged: SECTION | {section, rule}    a deliberately flawed answer was caught: the section fell
                                   back or was re-asked, or the check library reports the rule there
    judge: RUBRIC | {rubric, name, model, graders, min_score, section}    a judge model scores the
                                   draft 1–5 on a rubric (``rubrics.py``; asked by ``judge.py``)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Generic, Literal, Self, TypeVar, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    WithJsonSchema,
    model_validator,
)

from .. import official, yamlfile
from ..checks.registry import RULES
from ..data import load_data
from ..data.load import Loaded
from ..errors import DataError, DraftingError, InputError
from . import rubrics

DEFAULT_SUITE = Path("evals/suite.yaml")
SCHEMA_FILE = "suite.schema.json"
WHAT = "评测集"
HINT = "评测集的写法见 evals/README.md；可用的检查项：" + "、".join(
    ("no_errors", "passes", "contains", "not_contains", "length", "fallback", "flagged", "judge")
)


def _section(value: str) -> str:
    if value not in official.SECTION_IDS:
        raise ValueError(f"“{value}”不是正文的部分，可用的部分：{'、'.join(official.SECTION_IDS)}")
    return value


def _rule(value: str) -> str:
    if value not in RULES:
        raise ValueError(f"“{value}”不是检查规则的编号（可用：{'、'.join(RULES)}）")
    return value


SectionId = Annotated[
    str,
    AfterValidator(_section),
    WithJsonSchema({"type": "string", "enum": list(official.SECTION_IDS)}),
]
RuleId = Annotated[
    str,
    AfterValidator(_rule),
    WithJsonSchema({"type": "string", "enum": list(RULES)}),
]
Text = Annotated[str, Field(min_length=1)]
Texts = Text | list[Text]


class _Strict(BaseModel):
    # A phrase written as a bare number (``not_contains: 999``) means its text.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


T = TypeVar("T")


def _listed(value: T | list[T]) -> list[T]:
    """A key that takes one value or a list of them (``passes: N1``, ``passes: [N1, Y2]``), as a list."""
    return value if isinstance(value, list) else [value]


class _Spec(_Strict):
    """The mapping an expectation may also be written without: its ``SHORT`` key's value alone
    (``contains: 文字`` is ``contains: {text: 文字}``)."""

    SHORT: ClassVar[str]

    @classmethod
    def of(cls, value: object) -> Self:
        return value if isinstance(value, cls) else cls.model_validate({cls.SHORT: value})


class TextSpec(_Spec):
    """Where a phrase is looked for: a section, one paragraph of it (the one that begins with
    ``paragraph``, e.g. ``（二）``), or everywhere (preamble and every section)."""

    SHORT = "text"
    text: Texts
    section: SectionId | None = None
    paragraph: str | None = None
    regex: bool = False

    def texts(self) -> list[str]:
        return _listed(self.text)


class LengthSpec(_Strict):
    section: SectionId | None = None
    paragraph: str | None = None
    min: int | None = Field(None, ge=0)
    max: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _bounds(self) -> LengthSpec:
        if self.min is None and self.max is None:
            raise ValueError("length 至少要写 min 或 max 之一")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"length 的 min（{self.min}）大于 max（{self.max}）")
        return self


class FlaggedSpec(_Spec):
    SHORT = "section"
    section: SectionId
    rule: RuleId | None = None


def _rubric(value: str) -> str:
    return rubrics.check_reference(value)


RubricRef = Annotated[
    str,
    Field(min_length=1),
    AfterValidator(_rubric),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": rubrics.shipped_ids()},
                {"type": "string", "pattern": "[\u4e00-\u9fff]", "description": "用中文写出的评分标准"},
            ]
        }
    ),
]
Name = Annotated[str, Field(min_length=1, pattern=r"^[\w.\-]+$")]


class JudgeSpec(_Spec):
    """A rubric scored 1–5 by ``graders`` samples of each judge model (``--judge-model`` replaces
    ``model``); with ``min_score`` the median must reach it for the draft to pass."""

    SHORT = "rubric"
    rubric: RubricRef
    name: Name | None = None  # what results and reports call it; default the rubric's id
    model: Annotated[str, Field(min_length=1)] | list[Annotated[str, Field(min_length=1)]] | None = None
    graders: int = Field(1, ge=1, le=9)  # samples of each model
    min_score: float | None = Field(None, ge=1, le=5)
    section: SectionId | list[SectionId] | None = None  # the parts read; default the rubric's own

    def models(self) -> list[str]:
        return [] if self.model is None else _listed(self.model)

    def sections(self) -> tuple[str, ...] | None:
        return None if self.section is None else tuple(_listed(self.section))

    def resolved(self) -> rubrics.Rubric:
        return rubrics.resolve(self.rubric, self.sections())

    @property
    def label(self) -> str:
        return self.name or self.resolved().id


SpecT = TypeVar("SpecT", bound=_Spec)


class _WithSpec(_Strict, Generic[SpecT]):
    """An expectation whose one key holds its spec in full or short: ``Contains(_WithSpec[TextSpec])``
    has ``contains: 文字`` or ``contains: {text: 文字, …}``, and ``spec()`` is the ``TextSpec`` either way."""

    def spec(self) -> SpecT:
        (value,) = (getattr(self, key) for key in type(self).model_fields)
        # The spec's class is the parameter of the ``_WithSpec[…]`` in the expectation's bases.
        (kind,) = next(
            k.__pydantic_generic_metadata__["args"]
            for k in type(self).__mro__
            if issubclass(k, _WithSpec) and k.__pydantic_generic_metadata__["origin"] is _WithSpec
        )
        return cast(SpecT, kind.of(value))


class Judge(_WithSpec[JudgeSpec]):
    judge: RubricRef | JudgeSpec


class NoErrors(_Strict):
    no_errors: bool


class Passes(_Strict):
    passes: RuleId | list[RuleId]

    def rules(self) -> list[str]:
        return _listed(self.passes)


class Contains(_WithSpec[TextSpec]):
    contains: Texts | TextSpec


class NotContains(_WithSpec[TextSpec]):
    not_contains: Texts | TextSpec


class Length(_Strict):
    length: LengthSpec


class Fallback(_Strict):
    fallback: bool | SectionId | list[SectionId]

    def sections(self) -> bool | list[str]:
        return self.fallback if isinstance(self.fallback, bool) else _listed(self.fallback)


class Flagged(_WithSpec[FlaggedSpec]):
    flagged: SectionId | FlaggedSpec


ITEM_MODELS: dict[str, type[_Strict]] = {
    "no_errors": NoErrors,
    "passes": Passes,
    "contains": Contains,
    "not_contains": NotContains,
    "length": Length,
    "fallback": Fallback,
    "flagged": Flagged,
    "judge": Judge,
}


def _tag(value: Any) -> str | None:
    """The kind of an expectation: its bare name, or the one key of its mapping."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        known = [k for k in value if k in ITEM_MODELS]
        return known[0] if known else (str(next(iter(value))) if value else None)
    if isinstance(value, BaseModel):
        return next(iter(type(value).model_fields))
    return None


Expectation = Annotated[
    Annotated[Literal["no_errors"] | NoErrors, Tag("no_errors")]
    | Annotated[Passes, Tag("passes")]
    | Annotated[Contains, Tag("contains")]
    | Annotated[NotContains, Tag("not_contains")]
    | Annotated[Length, Tag("length")]
    | Annotated[Fallback, Tag("fallback")]
    | Annotated[Flagged, Tag("flagged")]
    | Annotated[Judge, Tag("judge")],
    Discriminator(_tag),
]
EXPECTATIONS: TypeAdapter[list[Expectation]] = TypeAdapter(list[Expectation])


def kind_of(item: Expectation) -> str:
    return "no_errors" if isinstance(item, str) else str(_tag(item))


class EvalCase(_Strict):
    id: Annotated[str, Field(min_length=1, pattern=r"^[\w.\-]+$")]
    data: Annotated[str, Field(min_length=1)]  # path relative to the suite file
    previous: str | None = None  # last year's data file, as ``drafting draft --previous``
    description: str = ""
    expect: list[Expectation] = Field(default_factory=list)


def _no_errors() -> list[Expectation]:
    return ["no_errors"]


class EvalSuite(_Strict):
    """An eval suite: cases × prompt versions × models × repeats."""

    name: Annotated[str, Field(min_length=1)]
    description: str = ""
    models: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)  # default --model
    prompts: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)  # default --prompts
    repeat: int = Field(1, ge=1, le=100)
    slogans: Annotated[str, Field(min_length=1)] | None = None  # stock phrases, one a line (quality.py)
    defaults: list[Expectation] = Field(default_factory=_no_errors)  # every case gets these
    cases: list[EvalCase] = Field(min_length=1)


KNOWN_KEYS = sorted(
    {*ITEM_MODELS}
    | {
        name
        for model in (EvalSuite, EvalCase, TextSpec, LengthSpec, FlaggedSpec, JudgeSpec)
        for name in model.model_fields
    }
)


# --- loading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedCase:
    case: EvalCase
    data_path: Path
    loaded: Loaded
    expect: list[Expectation]  # the suite's defaults merged with the case's own

    @property
    def id(self) -> str:
        return self.case.id


@dataclass(frozen=True)
class LoadedSuite:
    path: Path
    suite: EvalSuite
    cases: list[LoadedCase]
    sha256: str

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def slogans(self) -> Path | None:
        """The suite's list of stock phrases (``slogans:``), relative to the suite file."""
        return self.root / self.suite.slogans if self.suite.slogans else None

    def select(self, ids: list[str]) -> LoadedSuite:
        """Only the cases named (``--case``), in the suite's order."""
        unknown = [i for i in ids if i not in {c.id for c in self.cases}]
        if unknown:
            raise InputError(
                f"评测集 {self.path} 中没有案例：{'、'.join(unknown)}。",
                hint=f"可用的案例：{'、'.join(c.id for c in self.cases)}。",
            )
        return LoadedSuite(self.path, self.suite, [c for c in self.cases if c.id in ids], self.sha256)


_SINGULAR = ("no_errors", "fallback")


def merge(defaults: list[Expectation], own: list[Expectation]) -> list[Expectation]:
    """The defaults, then the case's own; a case's ``no_errors`` or ``fallback`` replaces the
    default, and so does a case's judge of the same name."""
    kinds = {kind_of(e) for e in own}
    judges = {e.spec().label for e in own if isinstance(e, Judge)}
    kept = [
        e
        for e in defaults
        if not (kind_of(e) in _SINGULAR and kind_of(e) in kinds)
        and not (isinstance(e, Judge) and e.spec().label in judges)
    ]
    return kept + own


def load_suite(path: Path | str) -> LoadedSuite:
    """Read, validate and load a suite with every case's data file. Any problem is an
    ``InputError`` (exit 2) naming the file, the line and the fix."""
    path = Path(path)
    raw, positions, text = yamlfile.read_yaml(path, WHAT)
    if not isinstance(raw, dict):
        raise InputError(f"评测集 {path} 的内容应为一组“键: 值”（name:、cases: 等）。", hint=HINT)
    suite = yamlfile.validate(EvalSuite, raw, str(path), positions, what=WHAT, hint=HINT, known=KNOWN_KEYS)
    if suite.slogans and not (path.parent / suite.slogans).is_file():
        raise InputError(
            yamlfile.problem(
                str(path), WHAT, ("slogans",), positions, f"套话清单 {path.parent / suite.slogans} 不存在"
            ),
            hint="slogans 的路径相对于评测集文件所在的文件夹；清单每行一个套话，# 开头的行是注释。",
        )
    seen: dict[str, int] = {}
    cases = []
    for n, case in enumerate(suite.cases):
        here = ("cases", str(n))
        if case.id in seen:
            raise InputError(
                yamlfile.problem(str(path), WHAT, (*here, "id"), positions, f"案例编号“{case.id}”重复了"),
                hint="每个案例的 id 必须不同。",
            )
        seen[case.id] = n
        loaded = _load_case_data(path, case, here, positions)
        cases.append(LoadedCase(case, path.parent / case.data, loaded, merge(suite.defaults, case.expect)))
    return LoadedSuite(path, suite, cases, hashlib.sha256(text.encode("utf-8")).hexdigest())


def _load_case_data(
    path: Path, case: EvalCase, here: tuple[str, ...], positions: yamlfile.Positions
) -> Loaded:
    def unusable(key: str, what: str, hint: str) -> InputError:
        """The case's data file named at its key in the suite: ``what`` is wrong with it."""
        where = yamlfile.problem(str(path), WHAT, (*here, key), positions, f"案例“{case.id}”的数据文件{what}")
        return InputError(where, hint=hint)

    data_path = path.parent / case.data
    previous = path.parent / case.previous if case.previous else None
    for key, file in (("data", data_path), ("previous", previous)):
        if file is not None and not file.is_file():
            raise unusable(
                key, f" {file} 不存在", "数据文件的路径相对于评测集文件所在的文件夹；请改正路径或补上该文件。"
            )
    try:
        return load_data(data_path, previous=previous)
    except DataError as exc:
        first = next((i for i in exc.issues if i.is_error), None)
        detail = first.render() if first else exc.message
        raise unusable(
            "data", f" {data_path} 有错误：{detail}", f"可用 drafting validate {data_path} 查看全部问题。"
        ) from None
    except DraftingError as exc:
        raise unusable("data", f"无法读取：{exc.message}", exc.hint) from None


# --- the JSON schema ---------------------------------------------------------------------------


def json_schema() -> dict[str, Any]:
    schema = EvalSuite.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":  # python -m drafting.evaluation.suite > evals/suite.schema.json
    import sys

    sys.stdout.write(schema_text())
