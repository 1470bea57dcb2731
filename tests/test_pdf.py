"""PDF through LibreOffice. The rendering tests need LibreOffice and poppler and skip without them
(CI has neither); the "not installed" message is tested everywhere."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting import official
from drafting.cli import cli
from drafting.errors import OutputError
from drafting.writers import pdf, render

from .conftest import REFERENCE_EXAMPLE
from .output_support import AGENCY, sample_draft

needs_libreoffice = pytest.mark.skipif(
    pdf.find_soffice() is None or not (shutil.which("pdftoppm") and shutil.which("pdffonts")),
    reason="LibreOffice (soffice) and poppler-utils (pdftoppm, pdffonts) are not installed: "
    "apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai",
)


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = render(sample_draft(), "pdf")
    assert isinstance(out, bytes)
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(out)
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, check=True, text=True, timeout=120).stdout


@needs_libreoffice
def test_pdf_text_is_the_report(pdf_file: Path) -> None:
    assert pdf_file.read_bytes().startswith(b"%PDF")
    text = "".join(_run("pdftotext", "-layout", str(pdf_file), "-").split())
    assert AGENCY in text
    for part in official.PARTS:
        assert part.heading in text
    for label in (
        official.TABLE3_APPLICANTS,
        official.TABLE3_LEGAL_PERSONS,
        official.TABLE4_BLOCKS[1][1],
        "行政规范性文件",
    ):
        assert label in text
    assert "—1—" in text  # the page-number footer
    assert "\ufffd" not in text


@needs_libreoffice
def test_fonts_are_embedded_chinese_fonts(pdf_file: Path) -> None:
    lines = _run("pdffonts", str(pdf_file)).splitlines()[2:]
    assert lines, "no fonts in the PDF"
    names = [line.split()[0] for line in lines]
    assert all(" yes " in f" {line} " for line in lines), "every font is embedded"
    cjk = ("UMing", "UKai", "NotoSerifCJK", "NotoSansCJK", "WenQuanYi", "FangSong", "KaiTi", "SimHei")
    assert any(any(c in name for c in cjk) for name in names), names


@needs_libreoffice
def test_pages_render_to_png(pdf_file: Path, tmp_path: Path) -> None:
    pages = int(
        next(
            line.split()[-1]
            for line in _run("pdfinfo", str(pdf_file)).splitlines()
            if line.startswith("Pages:")
        )
    )
    assert 2 <= pages <= 8
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf_file), str(tmp_path / "page")], check=True, timeout=120
    )
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == pages
    assert all(p.stat().st_size > 5_000 for p in pngs)  # not blank pages


@needs_libreoffice
def test_draft_command_writes_pdf(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["draft", str(REFERENCE_EXAMPLE), "-o", str(tmp_path), "--format", "pdf"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"{REFERENCE_EXAMPLE.stem}.pdf").read_bytes().startswith(b"%PDF")


def test_missing_libreoffice_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(pdf, "_KNOWN_PLACES", {})
    with pytest.raises(OutputError) as caught:
        render(sample_draft(), "pdf")
    assert "libreoffice-writer-nogui" in str(caught.value)
    out = tmp_path / "drafts"
    result = CliRunner().invoke(cli, ["draft", str(REFERENCE_EXAMPLE), "-o", str(out), "--format", "md,pdf"])
    assert result.exit_code == 2
    assert "LibreOffice" in result.output and "Traceback" not in result.output
    # Everything is rendered before anything is written: no Markdown left without its PDF.
    assert not list(out.glob(f"{REFERENCE_EXAMPLE.stem}.*")) if out.exists() else True


@needs_libreoffice
def test_substitute_fonts_are_named_by_draft_and_by_revise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: wherever a PDF is made — draft, the documents revise brings up to date — the
    author is told which official fonts it was set without (the web page shows the same note)."""
    from .revise_support import revise_cli

    empty = tmp_path / "fonts.conf"  # a fontconfig that knows no font: every official font missing
    empty.write_text('<?xml version="1.0"?><fontconfig><dir>' + str(tmp_path) + "</dir></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    out = tmp_path / "out"
    drafted = CliRunner().invoke(cli, ["draft", str(REFERENCE_EXAMPLE), "-o", str(out), "--format", "md,pdf"])
    assert drafted.exit_code == 0, drafted.output
    assert "PDF 使用了替代字体" in drafted.output and "仿宋_GB2312" in drafted.output
    draft = out / f"{REFERENCE_EXAMPLE.stem}.draft.json"
    text = tmp_path / "other.txt"
    from drafting.document import load_draft

    kept = load_draft(draft).section("other").paragraphs
    text.write_text("\n".join([*kept, "本年度无其他需要报告的事项。"]), encoding="utf-8")
    revised = revise_cli(draft, "--section", "other", "--text-file", str(text))
    assert revised.exit_code == 0, revised.output
    assert f"{REFERENCE_EXAMPLE.stem}.pdf" in revised.output
    assert "PDF 使用了替代字体" in revised.output and "仿宋_GB2312" in revised.output
