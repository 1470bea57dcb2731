"""The reader's parts: decoding, normalising labels, splitting run-together digits, headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting.errors import InputError
from drafting.files import decode
from drafting.reading import read_report
from drafting.reading.headings import match_heading
from drafting.reading.labels import find_labels, fuzzy_label
from drafting.reading.normalize import norm
from drafting.reading.splitting import document_counts_split, split_blocks, split_with_total


def test_decode_utf8_gb18030_and_refuse_binary(tmp_path: Path) -> None:
    text = "二、主动公开政府信息情况"
    assert decode(text.encode("utf-8-sig"), "x") == text
    assert decode(text.encode("gb18030"), "x") == text
    with pytest.raises(InputError, match="二进制"):
        decode(b"PK\x00\x00\x01\x02binary", "x")
    blank = tmp_path / "blank.txt"  # an empty report is refused by the reader, before decoding
    blank.write_bytes(b"  \n")
    with pytest.raises(InputError, match="空的"):
        read_report(blank)


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("(三)不予公开", "（三）不予公开"),
        ("1、属于国家秘密", "1.属于国家秘密"),
        ("１．属于 国家秘密", "1.属于国家秘密"),
        ('3.危及"三安全一稳定"', "3.危及三安全一稳定"),
        ("商业 企业", "商业企业"),
    ],
)
def test_norm_makes_variants_comparable(written: str, official: str) -> None:
    assert norm(written) == norm(official)


def test_labels_found_longest_first_and_ambiguous_ones_need_numbering() -> None:
    found = [lab.id for _, _, lab in find_labels("table3", norm("三、本年度办理结果（一）予以公开"))]
    assert found == ["", "disclosed"]
    assert [lab.id for _, _, lab in find_labels("table3", "其他")] == []
    assert [lab.id for _, _, lab in find_labels("table3", "3.其他")] == ["other_handling.other"]
    assert [lab.id for _, _, lab in find_labels("table2", "行政规范性文件")] == ["normative"]
    typo = fuzzy_label("table3", "2.其他法律行政止公开")
    assert typo is not None and typo.id == "withheld.prohibited_by_law"


def test_split_with_total_uses_the_row_sum() -> None:
    assert split_with_total(["713000074"], 7) == [(71, 3, 0, 0, 0, 0, 74)]
    assert split_with_total(["500000", "5"], 7) == [(5, 0, 0, 0, 0, 0, 5)]
    assert split_with_total(["0000000"], 7) == [(0,) * 7]
    assert len(split_with_total(["220000325"], 7)) == 2  # 2|20|… or 22|0|…: resolved by the columns
    assert split_with_total(["12345"], 7) == []


def test_split_blocks_uses_each_block_total() -> None:
    assert split_blocks(["10203120001200000"], 3, 5) == [(1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)]


def test_document_counts_split() -> None:
    assert document_counts_split(["000"]) == ((0, 0, 0), 1)
    assert document_counts_split(["693665"])[0] == (69, 3, 665)
    split, count = document_counts_split(["8855698"])
    assert split == (88, 55, 698) and count > 1  # plausible but not certain: the reader says so
    assert document_counts_split(["8855698"], previous_in_force=665) == ((88, 55, 698), 1)


@pytest.mark.parametrize(
    ("line", "part", "kind"),
    [
        ("一、总体情况", "overview", "official"),
        ("五、政府信息公开工作存在的主要问题及改进情况", "problems_improvements", "variant"),
        ("四、政府信息公开行政法复议、行政诉讼情况", "appeals", "typo"),
        ("、主动公开政府信息情况", "proactive", "no_numeral"),
        ("三、主动公开政府信息情况", "proactive", "wrong_numeral"),
    ],
)
def test_headings(line: str, part: str, kind: str) -> None:
    found = match_heading(line)
    assert found is not None and (found.part, found.kind) == (part, kind)


@pytest.mark.parametrize(
    "line",
    ["四、结转下年度继续办理", "一、本年新收政府信息公开申请数量", "一是加强学习", "无其他需要报告的事项。"],
)
def test_not_headings(line: str) -> None:
    assert match_heading(line) is None
