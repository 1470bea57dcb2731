"""Helpers for the judge, pairwise and labels tests: a loopback model that drafts every case of a
suite (by the agency and year its system prompt names) and answers judges as a test scripts it."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drafting.data.model import ReportData
from drafting.evaluation.suite import load_suite

from .eval_support import SUITE, copy_prompts
from .llm_support import good_text, section_of

VERSION_B = "【版本B】"
# What version B's prompts make the model add: stock phrases, no fact (and nothing the checks refuse).
SLOGANS = "我局高度重视政府信息公开工作，切实加强组织领导，进一步提升公开质效。"
JUDGE_OPENING = "请按下面这一项评分标准"
PAIRWISE_OPENING = "两份正文草稿"

Reply = Callable[[dict[str, Any]], str]


def user_text(body: dict[str, Any]) -> str:
    return "\n".join(str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user")


def first_user(body: dict[str, Any]) -> str:
    return next(str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user")


def is_judge(body: dict[str, Any]) -> bool:
    return JUDGE_OPENING in first_user(body)


def is_pairwise(body: dict[str, Any]) -> bool:
    return PAIRWISE_OPENING in first_user(body)


def is_reask(body: dict[str, Any]) -> bool:
    return len(body.get("messages", [])) > 1


def rubric_of(body: dict[str, Any]) -> str:
    """The rubric's title a judge request names (``评分标准：公文文风``)."""
    match = re.search(r"评分标准：(.+)", first_user(body))
    assert match, "a judge request without its rubric"
    return match.group(1).strip()


def judged_text(body: dict[str, Any]) -> str:
    """The draft a judge request shows (between the last <<< and >>>)."""
    return first_user(body).rsplit("<<<", 1)[1].split(">>>", 1)[0]


def pair_texts(body: dict[str, Any]) -> tuple[str, str]:
    """Draft A and draft B of a pairwise request."""
    text = first_user(body)
    a = text.split("草稿A：\n<<<", 1)[1].split(">>>", 1)[0]
    b = text.split("草稿B：\n<<<", 1)[1].split(">>>", 1)[0]
    return a, b


def score(value: object, reason: str = "依据评分标准") -> str:
    return json.dumps({"score": value, "reason": reason}, ensure_ascii=False)


def prefer(better: str, reason: str = "比较两份草稿") -> str:
    return json.dumps({"better": better, "reason": reason}, ensure_ascii=False)


class Drafter:
    """Good answers for every case of a suite; version B's prompts add a sentence of slogans."""

    def __init__(self, suite: Path) -> None:
        self.data: dict[tuple[str, int], ReportData] = {}
        for case in load_suite(suite).cases:
            d = case.loaded.data
            self.data[(d.agency.name, d.year)] = d

    def __call__(self, body: dict[str, Any]) -> str:
        system = str(body["messages"][0]["content"])
        match = re.search(r"为“(.+?)”起草《(\d{4})年", system)
        assert match, "a drafting request without its agency"
        data = self.data[(match.group(1), int(match.group(2)))]
        section = section_of(body)
        text = good_text(section, data)
        if VERSION_B in system and section == "overview":
            first, rest = text.split("\n\n", 1)
            text = first + SLOGANS + "\n\n" + rest
        return text


class Counted:
    """Answers in turn for identical requests (the samples of one judge look the same on the wire):
    the n-th request with the same content gets ``answers[n % len]``. Order among concurrent
    samples is the server's, so tests assert on the set of scores, not on who gave which."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers
        self.seen: Counter[str] = Counter()
        self.lock = threading.Lock()

    def __call__(self, body: dict[str, Any]) -> str:
        key = json.dumps(body.get("messages"), ensure_ascii=False, sort_keys=True)
        with self.lock:
            n = self.seen[key]
            self.seen[key] += 1
        return self.answers[n % len(self.answers)]


def routed(*, draft: Reply, judge: Reply | None = None, pairwise: Reply | None = None) -> Reply:
    """One loopback model for drafting, judging and comparing, each answered by its own callable."""

    def reply(body: dict[str, Any]) -> str:
        if is_judge(body):
            assert judge is not None, "a judge request nobody expected"
            return judge(body)
        if is_pairwise(body):
            assert pairwise is not None, "a pairwise request nobody expected"
            return pairwise(body)
        return draft(body)

    return reply


def two_versions(folder: Path) -> tuple[Path, Path]:
    """The project's prompts as version A, and as version B with an instruction that makes the
    scripted writer (``Drafter``) add a sentence of slogans to each overview."""
    a = copy_prompts(folder / "version-a")
    b = copy_prompts(folder / "version-b", system_extra=f"{VERSION_B}请在总体情况第一段末尾表明工作态度。")
    return a, b


class Billing:
    """The loopback model of a two-version run over the project's suite: ``Drafter`` writes, the
    given scripts judge and compare; what each use was asked and billed (characters in and out)."""

    def __init__(self, *, judge: Reply, pairwise: Reply) -> None:
        self.routes = routed(draft=Drafter(SUITE), judge=judge, pairwise=pairwise)
        self.asked = {"draft": 0, "judge": 0, "pairwise": 0}
        self.billed = {"draft": 0, "judge": 0, "pairwise": 0}
        self.lock = threading.Lock()

    def __call__(self, body: dict[str, Any]) -> str:
        text = self.routes(body)
        use = "judge" if is_judge(body) else "pairwise" if is_pairwise(body) else "draft"
        with self.lock:
            self.asked[use] += 1
            self.billed[use] += sum(len(str(m["content"])) for m in body["messages"]) + len(text)
        return text


def exported(
    html: Path, label_of: Callable[[dict[str, str]], str | None], comment: str = ""
) -> dict[str, Any]:
    """The labels file the page's export button writes when a reviewer marks each draft as
    ``label_of(its data attributes)`` says (None: not marked): each draft named as the page names
    it, its fingerprint included. ``test_eval_labels_browser`` clicks the real button."""
    page = html.read_text(encoding="utf-8")
    record = re.search(r'data-record="([^"]+)"', page)
    suite = re.search(r'data-suite="([^"]+)"', page)
    assert record and suite
    out = []
    for box in re.finditer(r'<div class="label js-label"([^>]*)>', page):
        attrs = dict(re.findall(r'data-([a-z]+)="([^"]*)"', box.group(1)))
        label = label_of(attrs)
        if label is not None:
            out.append(
                {
                    "prompt": attrs["prompt"],
                    "model": attrs["model"],
                    "case": attrs["case"],
                    "repeat": int(attrs["repeat"]),
                    "draft": attrs["draft"],
                    "label": label,
                    "comment": comment,
                    "labelled": "2025-01-01T00:00:00.000Z",
                }
            )
    return {
        "schema": "drafting.eval-labels/1",
        "suite": suite.group(1),
        "record": record.group(1),
        "labels": out,
    }
