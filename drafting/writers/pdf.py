"""PDF through LibreOffice headless: our .docx, converted as the office's own Word file would be.

LibreOffice runs with a throw-away profile (``HOME`` and ``-env:UserInstallation`` in a temporary
folder), so it neither touches the user's settings nor hands the job to a LibreOffice window the user
already has open. ``FONTCONFIG_FILE`` points at the aliases shipped beside this module: the .docx keeps
the official font names (仿宋_GB2312, 方正小标宋简体 …), which free systems lack, and the aliases map them
to free fonts that cover simplified Chinese instead of LibreOffice's Japanese fallback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

from ..document import Draft
from ..errors import OutputError, os_reason

TIMEOUT_SECONDS = 180
FONTS_CONF = "fonts-preview.conf"

_INSTALL_HINT = (
    "请安装 LibreOffice 后重试：Debian/Ubuntu 运行 sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk "
    "fonts-arphic-uming fonts-arphic-ukai；Windows、macOS 请从 LibreOffice 官方网站下载安装。"
    "也可以先生成 Word 文件（--format docx），用 Word 或 WPS 打开后另存为 PDF。"
)

# Where installers put soffice when it is not on PATH.
_KNOWN_PLACES = {
    "darwin": ("/Applications/LibreOffice.app/Contents/MacOS/soffice",),
    "win32": (
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    ),
}


def find_soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in _KNOWN_PLACES.get(sys.platform, ()):
        if Path(place).is_file():
            return place
    return None


def official_fonts() -> tuple[str, ...]:
    """The fonts the .docx names (标题、正文、一级和二级标题): what a PDF should be set in."""
    from .docx import FONT_BODY, FONT_HEADING_1, FONT_HEADING_2, FONT_TITLE

    return (FONT_TITLE, FONT_BODY, FONT_HEADING_1, FONT_HEADING_2)


def substitute_fonts() -> list[tuple[str, str]]:
    """The official fonts this machine lacks, each with the font the PDF is set in instead (issue
    14: the PDF silently used substitutes). Asked of fontconfig, as LibreOffice finds its fonts
    (``fc-list`` for the font, ``fc-match`` with our aliases for what replaces it); where there is no
    fontconfig (Windows, macOS without it) nothing can be told and nothing is said."""
    fc_list, fc_match = shutil.which("fc-list"), shutil.which("fc-match")
    if fc_list is None or fc_match is None:
        return []
    out = []
    with tempfile.TemporaryDirectory(prefix="drafting-fonts-") as tmp:
        conf = Path(tmp) / FONTS_CONF
        conf.write_bytes(resources.files("drafting.writers").joinpath(FONTS_CONF).read_bytes())
        for name in official_fonts():
            try:
                found = subprocess.run(
                    [fc_list, f":family={name}", "family"], capture_output=True, timeout=20, check=False
                )
                if found.stdout.strip():
                    continue
                used = subprocess.run(
                    [fc_match, "-f", "%{family}", name],
                    env={**os.environ, "FONTCONFIG_FILE": str(conf)},
                    capture_output=True,
                    timeout=20,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired):
                return []
            instead = used.stdout.decode("utf-8", "replace").split(",")[0].strip()
            out.append((name, instead or "系统默认字体"))
    return out


def font_note(missing: list[tuple[str, str]]) -> str | None:
    """What to tell the author of a PDF set in substitutes, naming each missing font."""
    if not missing:
        return None
    pairs = "、".join(f"{name}（用 {instead} 代替）" for name, instead in missing)
    return (
        f"PDF 使用了替代字体：本机没有 {pairs}。文字内容不变，但字形与正式公文不同；"
        "正式发布前请在装有这些字体的电脑上用 Word 或 WPS 打开 .docx 另存为 PDF，或安装这些字体后重新生成"
    )


def pdf_font_note() -> str | None:
    """What to tell the author after a PDF was made on this machine: the missing fonts, or None."""
    return font_note(substitute_fonts())


def render(draft: Draft) -> bytes:
    from . import docx

    return docx_to_pdf(docx.render(draft))


def docx_to_pdf(document: bytes) -> bytes:
    soffice = find_soffice()
    if soffice is None:
        raise OutputError(
            "生成 PDF 需要 LibreOffice（软件包 libreoffice-writer-nogui），本机未安装。", hint=_INSTALL_HINT
        )
    with tempfile.TemporaryDirectory(prefix="drafting-pdf-") as tmp:
        work = Path(tmp)
        source = work / "report.docx"
        source.write_bytes(document)
        conf = work / FONTS_CONF
        conf.write_bytes(resources.files("drafting.writers").joinpath(FONTS_CONF).read_bytes())
        env = {**os.environ, "HOME": str(work), "FONTCONFIG_FILE": str(conf)}
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            done = subprocess.run(command, env=env, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(
                f"LibreOffice 转换 PDF 超过 {TIMEOUT_SECONDS} 秒仍未完成，已放弃。",
                hint="请关闭其他占用 LibreOffice 的程序后重试，或先生成 Word 文件（--format docx）再另存为 PDF。",
            ) from None
        except OSError as exc:
            raise OutputError(
                f"无法运行 LibreOffice（{soffice}）：{os_reason(exc)}", hint=_INSTALL_HINT
            ) from None
        pdf = work / "report.pdf"
        if done.returncode != 0 or not pdf.is_file():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise OutputError(
                "LibreOffice 未能把报告转换为 PDF"
                + (f"（{detail[-1]}）。" if detail else f"（退出码 {done.returncode}）。"),
                hint="请确认 LibreOffice 能正常启动；也可以先生成 Word 文件（--format docx）再另存为 PDF。",
            )
        return pdf.read_bytes()
