"""How large an input may be, and the checks that hold every reader to it.

Reviewers feed us files downloaded from the internet, and a small file can be made to grow huge
when read: YAML aliases that copy each other (an 11 KB file that becomes gigabytes), a .docx whose
XML deflates a thousandfold, a merged cell 100 million columns wide, nesting deeper than a parser's
stack. Each limit here is far beyond anything a real annual report holds (a report is 10–30 pages,
its data file a few KB, its widest table 15 columns), so no real file meets one; a file that does is
refused before the library that would explode reads it, with a Chinese message and exit 2.
Together they keep one input within about 500 MB of memory and a few seconds.
"""

from __future__ import annotations

import functools
import io
from typing import IO, Final, Literal

from .errors import InputError

MB: Final = 1 << 20

Kind = Literal["data", "workbook", "report", "docx", "pdf", "draft"]

# The largest file of each kind we read, in bytes, checked before reading it.
MAX_BYTES: Final[dict[Kind, int]] = {
    "data": 5 * MB,  # a data file, eval suite or replay (YAML/JSON): a full one is ~10 KB
    "workbook": 20 * MB,  # the Excel template filled in: ~30 KB
    "report": 20 * MB,  # a report as text, Markdown or a web page: a portal's page is ~1 MB
    "docx": 50 * MB,  # a Word report, its pictures included
    "pdf": 100 * MB,
    "draft": 50 * MB,  # a .draft.json we wrote, its history included
}
_WHAT: Final[dict[Kind, str]] = {
    "data": "数据文件",
    "workbook": "Excel 数据文件",
    "report": "报告文件",
    "docx": "Word 文档",
    "pdf": "PDF 文件",
    "draft": "草稿文件",
}

MAX_DEPTH: Final = 64  # nesting of YAML/JSON values and of HTML elements we walk; data files use 4
MAX_VALUES: Final = 200_000  # values in one YAML/JSON document once its aliases are copied out
MAX_DIGITS: Final = 30  # a number with more digits is no count of a report (int() has a limit too)

# Office packages (.docx/.xlsx) are zip files: their entries are checked before a library opens them.
MAX_ENTRIES: Final = 5_000
MAX_EXPANDED: Final = 200 * MB  # all entries once inflated (pictures are stored nearly as they are)
MAX_XML_PART: Final = 32 * MB  # one XML part once inflated: a 30-page report's document.xml is ~1 MB

MAX_PDF_PAGES: Final = 500
MAX_PDF_OBJECTS: Final = 50_000  # drawing and text objects on one page (a ruled table page has ~2,000)
MAX_PDF_CHARS: Final = 150_000  # characters in all (a dense page has ~3,000; a report ~60,000)
MAX_TABLE_CELLS: Final = 100_000  # one table's rows × columns, merged cells expanded (表三 has 270)
MAX_SPAN: Final = 1_000  # a colspan wider than this is capped (browsers do the same)

PAGES_HINT: Final = "请确认这是一份政府信息公开工作年度报告；如确是，请另存为 .docx 或 .txt 后再试。"


@functools.cache
def quiet(module: str) -> None:
    """Silence a library's warnings for good (``openpyxl``, ``pypdfium2``, ``docx``): they are in
    English, about parts of a file it drops or forms it cannot load, and nothing a user could act
    on. The command line silences every warning; this keeps them from scripts' users too."""
    import warnings

    warnings.filterwarnings("ignore", module=module)


def check_size(size: int, source: str, kind: Kind) -> None:
    """Refuse a file larger than any file of its kind we read, before reading it."""
    limit = MAX_BYTES[kind]
    if size > limit:
        raise InputError(
            f"{source}：文件有 {_mb(size)}，超过{_WHAT[kind]}的上限 {_mb(limit)}，不像是一份年度报告的{_WHAT[kind]}。",
            hint="请确认选择了正确的文件。"
            if kind != "data"
            else "数据文件只需填写表格数字和简短的正文素材。",
        )


DEPTH_HINT: Final = "数据文件只有几层缩进：请检查是否误粘贴了其他内容，或用 drafting init 重新生成模板。"


def too_deep(source: str, where: str = "", *, hint: str = DEPTH_HINT) -> InputError:
    return InputError(f"{source}{where}：内容嵌套超过 {MAX_DEPTH} 层，无法读取。", hint=hint)


def check_package(raw: bytes, source: str, what: str) -> None:
    """A .docx or .xlsx (a zip of XML parts) that is safe to open: not too many entries, not
    inflating beyond ``MAX_EXPANDED`` (the sizes the zip declares; ``zipfile`` never inflates an
    entry beyond its declared size), no XML part beyond ``MAX_XML_PART``, and no DTD in any XML
    part. Word and Excel never write a DTD; one in an office file declares entities that expand
    (the "billion laughs") or reach out to other files. A file that is not a zip at all is left to
    the library, whose failure the caller words."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise InputError(
                f"{source}：{what}中有 {len(entries)} 个内部文件，远超正常文档，无法读取。",
                hint="请确认文件来源可靠，或在 Word/WPS 中另存后再试。",
            )
        expanded = sum(e.file_size for e in entries)
        if expanded > MAX_EXPANDED:
            raise InputError(
                f"{source}：{what}解压后有 {_mb(expanded)}，超过上限 {_mb(MAX_EXPANDED)}，无法读取。",
                hint="文件可能经过恶意构造（“压缩炸弹”），或含有大量图片：请另存为不含图片的 .docx 或 .txt 后再试。",
            )
        for entry in entries:
            if not entry.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            if entry.file_size > MAX_XML_PART:
                raise InputError(
                    f"{source}：{what}的内部文件 {entry.filename} 解压后有 {_mb(entry.file_size)}，"
                    f"超过上限 {_mb(MAX_XML_PART)}，无法读取。",
                    hint="文件可能经过恶意构造（“压缩炸弹”）：请确认文件来源，或在 Word/WPS 中另存后再试。",
                )
            try:
                with archive.open(entry) as part:
                    declares = _declares_dtd(part)
            except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
                return  # a damaged or encrypted entry: the library refuses the file with its own words
            if declares:
                raise InputError(
                    f"{source}：{what}的内部文件 {entry.filename} 含有 DTD 声明（<!DOCTYPE>），"
                    "Word 和 Excel 从不写入这种内容，为安全起见不予读取。",
                    hint="请在 Word/WPS 或 Excel 中打开后另存一份，再试。",
                )


_DTD_MARKS: Final = tuple(
    mark.encode(encoding)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_OVERLAP: Final = max(len(m) for m in _DTD_MARKS)


def _declares_dtd(part: IO[bytes]) -> bool:
    """Whether an XML part holds a DTD, read in chunks (markup ``<!`` cannot appear in text: it
    would be written ``&lt;!``)."""
    tail = b""
    while True:
        chunk = part.read(1 << 16)
        if not chunk:
            return False
        window = tail + chunk
        if any(mark in window for mark in _DTD_MARKS):
            return True
        tail = window[-_OVERLAP:]


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB" if size < 10 * MB else f"{size // MB} MB"
