"""The pieces of the reviewer mode on their own: agency levels and regions, the manifest, the
decisions file, finding the files, the cache, and the drill-down's marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting.errors import InputError
from drafting.review.agencies import agency_key, level_of, region_of
from drafting.review.cache import ResultCache
from drafting.review.decisions import read_decisions, snippet
from drafting.review.manifest import read_manifest
from drafting.review.sources import find_reports
from drafting.review.version import check_version
from drafting.review.view import fragments, pieces


@pytest.mark.parametrize(
    ("agency", "level", "region"),
    [
        ("苏州市人民政府", "市", "苏州市"),
        ("淮安市洪泽区人民政府", "县", "淮安市洪泽区"),
        ("沭阳县人民政府", "县", "沭阳县"),
        ("昌图县七家子镇人民政府", "乡镇", "昌图县"),
        ("北京市朝阳区三里屯街道办事处", "乡镇", "北京市朝阳区"),
        ("江西省交通运输厅", "部门", "江西省"),
        ("杭州市西湖区人民政府办公室", "部门", "杭州市西湖区"),
        ("上海市科学技术委员会", "部门", "上海市"),
        ("大兴安岭地区行政公署绿色产品产业发展局", "部门", "大兴安岭地区"),
        ("平潭综合实验区", "", "平潭综合实验区"),  # the name does not say: never guessed
        ("", "", ""),
    ],
)
def test_level_and_region_from_the_agencys_name(agency: str, level: str, region: str) -> None:
    assert (level_of(agency), region_of(agency)) == (level, region)


def test_one_agency_key_whatever_spaces_or_notes() -> None:
    assert (
        agency_key("江州市 交通运输局（本级）")
        == agency_key("江州市交通运输局")
        == agency_key("江州市交通运输局(本级)")
    )


def test_a_manifest_in_chinese_columns_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "\ufeff文件,机关,地区,层级,年度,网址\n"
        "a\\b.pdf,某某局,某市,部门,2024年,https://x\n"
        ",某某镇人民政府,某县,乡镇,,\n"
        "\n",
        encoding="utf-8",
    )
    manifest = read_manifest(path)
    entry = manifest.for_file("a/b.pdf")
    assert entry is not None and (entry.agency, entry.region, entry.level, entry.year) == (
        "某某局",
        "某市",
        "部门",
        2024,
    )
    assert manifest.for_file("elsewhere/b.pdf") is entry  # by its name, when only one file has it
    town = manifest.for_agency("某某镇 人民政府")
    assert town is not None and town.level == "乡镇"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "是空的"),
        ("file,file\n", "出现了两次"),
        ("file,agency\n,\n,x\n", None),
        ("agency\n\n", None),
        ("year\n2024\n", "第2行：既没有文件"),
    ],
)
def test_manifest_problems_name_their_line(tmp_path: Path, text: str, says: str | None) -> None:
    path = tmp_path / "m.csv"
    path.write_text(text, encoding="utf-8")
    if says is None:
        read_manifest(path)
        return
    with pytest.raises(InputError, match=says):
        read_manifest(path)


def test_decisions_read_in_chinese_or_english_and_snippets_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "review-decisions.yaml"
    assert read_decisions(path) == {}  # none yet
    text = snippet("0123456789abcdef", "某局 2024年 ［H1］表三", "dismiss", '误报："已核实"') + snippet(
        "1234567890123456", "某局", "confirm"
    )
    text += '"abcdefabcdefabcd":\n  decision: dismiss\n'
    path.write_text(text, encoding="utf-8")
    decisions = read_decisions(path)
    assert decisions["0123456789abcdef"].decision == "dismiss"
    assert decisions["0123456789abcdef"].comment == '误报："已核实"'
    assert decisions["1234567890123456"].label == "确认"  # all digits, quoted: still a fingerprint
    assert decisions["abcdefabcdefabcd"].decision == "dismiss"


def test_reports_are_found_recursively_and_the_rest_left_out(tmp_path: Path) -> None:
    for name in (
        "a.txt",
        "sub/b.HTML",
        "sub/c.docx",
        "sub/~$c.docx",
        ".hidden/d.txt",
        "e.csv",
        "out/f.docx",
        "g.pdf",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = find_reports(tmp_path, (tmp_path / "out",))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.txt",
        "g.pdf",
        "sub/b.HTML",
        "sub/c.docx",
    ]
    with pytest.raises(InputError, match="不是文件夹"):
        find_reports(tmp_path / "a.txt")


def test_the_cache_serves_only_its_version_and_survives_damage(tmp_path: Path) -> None:
    path = tmp_path / ".cache" / "review.sqlite"
    cache = ResultCache(path, "v1")
    cache.put("k", {"status": "read", "agency": "某局", "year": 2024, "findings": [1, 2]})
    assert cache.get("k") == {"status": "read", "agency": "某局", "year": 2024, "findings": [1, 2]}
    assert cache.summary("k") == {
        "status": "read",
        "reason": None,
        "title": None,
        "agency": "某局",
        "year": 2024,
        "seconds": None,
    }
    cache.close()
    other = ResultCache(path, "v2")
    assert other.get("k") is None and other.count() == 0  # another version's records are dropped
    other.close()
    path.write_bytes(b"this is not a database" * 100)
    fresh = ResultCache(path, "v2")
    assert fresh.reset and fresh.count() == 0
    fresh.put("k", {"status": "read"})
    assert fresh.has("k")
    fresh.close()
    assert Path(f"{path}.damaged").exists()


def test_the_check_version_names_the_sources() -> None:
    version = check_version()
    assert len(version) == 16 and int(version, 16) >= 0
    assert check_version() == version


def test_the_words_a_finding_quotes_are_marked_with_its_figures() -> None:
    evidence = "正文“…年，我区收到政府信息公开申请75件，其中…”：75件；一、本年新收政府信息公开申请数量：74"
    assert fragments(evidence) == ["年，我区收到政府信息公开申请75件，其中"]
    assert fragments("2022年，我办认真贯彻落实（报告年度 2024）") == ["2022年，我办认真贯彻落实"]
    text = "2023年，我区收到政府信息公开申请75件，其中自然人70件。"
    cut = pieces(text, [(5, 24, "sentence", 0), (18, 21, "number", 0)])
    assert "".join(p[0] for p in cut) == text
    assert [p[1] for p in cut] == ["", "sentence", "number", "sentence", ""]
    assert cut[2][0] == "75件" and cut[2][2] == [0]


def test_a_file_written_in_pieces_appears_only_when_complete(tmp_path: Path) -> None:
    """``files.atomic_file`` (the dashboard and the finding lists): the old file stays until the new
    one is complete; a failure part way leaves the old file and no temporary file."""
    from drafting.files import atomic_file

    target = tmp_path / "审核总览.html"
    target.write_text("旧", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_file(target) as f:
        f.write("新的一半".encode())
        assert target.read_text(encoding="utf-8") == "旧"
        raise RuntimeError("中途失败")
    assert target.read_text(encoding="utf-8") == "旧"
    assert [p.name for p in tmp_path.iterdir()] == ["审核总览.html"]
    with atomic_file(target) as f:
        f.write("新的".encode())
        f.write("全文".encode())
        assert target.read_text(encoding="utf-8") == "旧"
    assert target.read_text(encoding="utf-8") == "新的全文"
    assert [p.name for p in tmp_path.iterdir()] == ["审核总览.html"]
