"""The limits on inputs, one by one, through their library calls: where each starts, that what
is just inside it is still read as before, and what its message names. The hostile files
themselves go through the command in ``test_hostile_inputs.py``."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from drafting import limits
from drafting.chars import unwritable, writable
from drafting.data import load_data
from drafting.errors import DataError, InputError
from drafting.files import decode, mojibake
from drafting.official import chinese_ordinal
from drafting.reading.blocks import expand_spans
from drafting.writers.markdown import escape
from drafting.yamlfile import parse_document

from .conftest import REFERENCE_EXAMPLE
from .hostile_support import _our_docx, _rezip, example_text, with_agency_name, with_facts


def _nested(depth: int) -> str:
    return "".join(" " * (2 * n) + "a:\n" for n in range(depth - 1)) + " " * (2 * (depth - 1)) + "a: 1\n"


# --- YAML and JSON ---------------------------------------------------------------------------------


def test_nesting_is_read_up_to_the_limit_and_refused_past_it_at_its_line() -> None:
    value, _ = parse_document(_nested(limits.MAX_DEPTH), "d.yaml", ".yaml")
    for _ in range(limits.MAX_DEPTH - 1):
        value = value["a"]
    assert value == {"a": 1}
    with pytest.raises(InputError) as caught:
        parse_document(_nested(limits.MAX_DEPTH + 1), "d.yaml", ".yaml")
    assert f"第{limits.MAX_DEPTH + 1}行" in caught.value.message and "嵌套" in caught.value.message


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_flow_nesting_deeper_than_any_stack_is_refused(suffix: str) -> None:
    with pytest.raises(InputError, match="嵌套"):
        parse_document("[" * 100_000 + "]" * 100_000, f"d{suffix}", suffix)


def test_anchors_and_merge_keys_are_still_read() -> None:
    text = "base: &b {x: 1, y: 2}\nfirst:\n  <<: *b\n  z: 3\nsecond: *b\n"
    value, _ = parse_document(text, "d.yaml", ".yaml")
    assert value["first"] == {"x": 1, "y": 2, "z": 3} and value["second"] == {"x": 1, "y": 2}


def test_aliases_that_copy_out_past_the_limit_are_refused() -> None:
    lines = ["a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 7)]  # 10^7 values
    with pytest.raises(InputError, match="别名"):
        parse_document("\n".join(lines) + "\n", "d.yaml", ".yaml")


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!custom", "!!binary"])
def test_tags_other_than_plain_values_are_refused_by_name(tag: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_document(f"a: 1\nb: {tag} x\n", "d.yaml", ".yaml")
    assert "第2行" in caught.value.message and tag in caught.value.message


def test_plain_tags_are_read() -> None:
    value, _ = parse_document('a: !!str 12\nb: !!int "3"\n', "d.yaml", ".yaml")
    assert value == {"a": "12", "b": 3}


def test_a_number_longer_than_any_count_is_refused_in_yaml_and_json() -> None:
    with pytest.raises(InputError, match="位数太多"):
        parse_document("a: " + "9" * 31 + "\n", "d.yaml", ".yaml")
    with pytest.raises(InputError, match="位数太多"):
        parse_document('{"a": ' + "9" * 5000 + "}", "d.json", ".json")
    value, _ = parse_document("a: " + "9" * 30 + "\n", "d.yaml", ".yaml")
    assert value == {"a": int("9" * 30)}


def test_a_data_file_larger_than_its_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(b"#" * (limits.MAX_BYTES["data"] + 1))
    with pytest.raises(InputError) as caught:
        load_data(path)
    assert "上限" in caught.value.message and "MB" in caught.value.message


# --- what validation lets through is what the writers can write -------------------------------------


def test_control_characters_are_refused_at_their_place(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(with_facts(example_text(), "active", ["甲\x0b乙"]), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_data(path)
    (issue,) = caught.value.issues
    assert issue.path == "facts.active.0" and issue.line is not None and "U+000B" in issue.message


def test_over_long_names_and_counts_beyond_a_report_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    text = with_agency_name(example_text(), "局" * 101).replace(
        "licensing:            0", "licensing: 1000000000"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_data(path)
    found = {i.path: i.message for i in caught.value.issues}
    assert "最多 100 个字" in found["agency.name"] and "共 101 字" in found["agency.name"]
    assert "超出合理范围" in found["table2.licensing"]


def test_facts_past_ninety_nine_are_numbered_in_chinese() -> None:
    assert [chinese_ordinal(n) for n in (99, 100, 101, 110, 120, 1005)] == [
        "九十九",
        "一百",
        "一百零一",
        "一百一十",
        "一百二十",
        "一千零五",
    ]


def test_writable_drops_only_what_no_document_can_hold() -> None:
    assert writable("甲\x00乙\x07丙\x1b[K丁\t戊\n己\u3000庚\x85") == "甲乙丙[K丁\t戊\n己\u3000庚"
    assert unwritable("正常的文字，含　全角空格") is None and unwritable("a\ud800") == "\ud800"


def test_markdown_shows_the_authors_markup_as_text() -> None:
    assert escape("<script>alert(1)</script>") == "&lt;script>alert(1)&lt;/script>"
    assert escape("# 不是标题") == "\\# 不是标题" and escape("1. 不是列表") == "1\\. 不是列表"
    assert escape("[链接](javascript:x)") == "\\[链接\\](javascript:x)"
    assert escape("2023年，我局公开信息120条。") == "2023年，我局公开信息120条。"


# --- encodings ------------------------------------------------------------------------------------


def test_big5_and_shift_jis_read_as_mojibake_are_refused_naming_what_we_read() -> None:
    for raw in ("臺灣省某縣政府資訊公開".encode("big5"), "東京都情報公開課の報告".encode("shift_jis")):
        with pytest.raises(InputError) as caught:
            decode(raw, "d.yaml")
        assert "乱码" in caught.value.message and "GBK" in caught.value.message


def test_gbk_text_with_a_rare_character_is_still_read() -> None:
    text = "某市朱镕基路街道办事处2023年政府信息公开工作年度报告，公开信息120条。"
    assert decode(text.encode("gbk"), "d.yaml") == text
    assert mojibake(text, gb=True) == ""


def test_utf8_read_once_as_latin1_is_refused() -> None:
    garbled = "大兴安岭地区行政公署".encode().decode("latin-1")
    with pytest.raises(InputError, match="乱码"):
        decode(garbled.encode("utf-8"), "d.yaml")
    assert decode("Café “déjà vu”，某局".encode(), "d.yaml") == "Café “déjà vu”，某局"


# --- packages, tables --------------------------------------------------------------------------------


def test_a_package_inflating_past_the_limit_is_refused_before_a_library_reads_it() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("word/document.xml", b" " * (limits.MAX_XML_PART + 1))
    with pytest.raises(InputError, match="解压后"):
        limits.check_package(out.getvalue(), "r.docx", "Word 文档")


def test_a_dtd_in_any_xml_part_is_refused_even_across_chunks() -> None:
    padding = b"<!--" + b" " * ((1 << 16) - 7) + b"-->"  # the mark straddles the first chunk's end
    raw = _rezip(
        _our_docx(),
        lambda name, data: padding + b"<!DOCTYPE x>" + data if name.endswith("styles.xml") else data,
    )
    with pytest.raises(InputError) as caught:
        limits.check_package(raw, "r.docx", "Word 文档")
    assert "word/styles.xml" in caught.value.message and "DTD" in caught.value.message


def test_our_own_documents_pass_the_package_checks() -> None:
    limits.check_package(_our_docx(), "r.docx", "Word 文档")


def test_spans_are_capped_to_the_tables_size() -> None:
    wide = expand_spans([[("标题", 1, 100_000_000)], [("a", 1, 1), ("b", 1, 1)], [("c", 1, 1), ("d", 1, 1)]])
    assert [[c.text for c in row] for row in wide] == [["标题", "标题"], ["a", "b"], ["c", "d"]]
    tall = expand_spans([[("项目", 100_000_000, 1), ("1", 1, 1)], [("2", 1, 1)]])
    assert [[c.text for c in row] for row in tall] == [["项目", "1"], ["项目", "2"]]


def test_a_table_that_still_expands_too_far_is_refused() -> None:
    rows = [[("x", 100, 100)] * 100 for _ in range(100)]
    with pytest.raises(InputError, match="表格"):
        expand_spans(rows, "r.html")


def test_the_reference_example_is_within_every_limit() -> None:
    assert load_data(REFERENCE_EXAMPLE).data.agency.name
