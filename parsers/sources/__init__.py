"""Sources: each kind of input file turned into a `Document` of positioned words for the one reader.

`read_document` picks the source by the file's extension (any letter case). A format the project does
not read is an UNSUPPORTED_FORMAT rejection whose message tells the analyst what to save it as.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from gongkai.parsers.document import CONVERTED, Document
from gongkai.parsers.report import ReportError
from gongkai.parsers.settings import ParserSettings


def _reader(module: str, name: str, *, settings: bool = True) -> Callable[[Path, ParserSettings], Document]:
    """A source's reader, its module imported on first use: a PDF's parse (one process a file) loads
    neither Word's libraries nor the OCR stack it does not need."""

    def read(path: Path, parser_settings: ParserSettings) -> Document:
        function = getattr(import_module(f"gongkai.parsers.sources.{module}"), name)
        return function(path, parser_settings) if settings else function(path)

    return read


READERS: dict[str, Callable[[Path, ParserSettings], Document]] = {
    ".pdf": _reader("pdf", "read_pdf"),
    ".html": _reader("html", "read_html", settings=False),
    ".htm": _reader("html", "read_html", settings=False),
    ".docx": _reader("word", "read_docx", settings=False),
    # .doc .wps .rtf .odt, through LibreOffice
    **{f".{form}": _reader("office", "read_office") for form in CONVERTED},
}
_SAVE_AS = "请用 Word 或 WPS 打开后“另存为” .docx 或 PDF，放回收件箱后重新运行"
# Formats a township may send that are not read: what each is, and what to do with it.
UNSUPPORTED: dict[str, str] = {
    ".wpt": f"WPS 模板（.wpt），{_SAVE_AS}",
    ".dot": f"Word 模板（.dot），{_SAVE_AS}",
    ".dotx": f"Word 模板（.dotx），{_SAVE_AS}",
    ".ofd": "OFD 版式文件（.ofd），请用 OFD 阅读器（如数科阅读器）导出为 PDF，放回收件箱后重新运行",
    ".xls": "Excel 表格（.xls），年度报告应为 PDF、网页或 Word 文档：请向乡镇索取报告原件",
    ".xlsx": "Excel 表格（.xlsx），年度报告应为 PDF、网页或 Word 文档：请向乡镇索取报告原件",
    ".et": "WPS 表格（.et），年度报告应为 PDF、网页或 Word 文档：请向乡镇索取报告原件",
    ".mht": "网页归档（.mht），请在浏览器中打开后“另存为”网页（.html）或打印为 PDF",
    ".mhtml": "网页归档（.mhtml），请在浏览器中打开后“另存为”网页（.html）或打印为 PDF",
    ".jpg": "图片（.jpg），暂不能识别图片中的文字：请转换为 PDF 或索取文字版报告",
    ".jpeg": "图片（.jpeg），暂不能识别图片中的文字：请转换为 PDF 或索取文字版报告",
    ".png": "图片（.png），暂不能识别图片中的文字：请转换为 PDF 或索取文字版报告",
    ".tif": "图片（.tif），暂不能识别图片中的文字：请转换为 PDF 或索取文字版报告",
    ".tiff": "图片（.tiff），暂不能识别图片中的文字：请转换为 PDF 或索取文字版报告",
    ".zip": "压缩包（.zip），请解压后把其中的报告放入收件箱",
    ".rar": "压缩包（.rar），请解压后把其中的报告放入收件箱",
    ".7z": "压缩包（.7z），请解压后把其中的报告放入收件箱",
}


def is_input(path: Path) -> bool:
    """Whether the inbox treats `path` as a report sent in: a readable format or a known unsupported one.
    Anything else (notes, truth files, the register) is left alone."""
    suffix = path.suffix.lower()
    return (suffix in READERS or suffix in UNSUPPORTED) and not path.name.startswith((".", "~$"))


def readable_here(path: Path) -> bool:
    """Whether this machine reads `path`'s form: one of READERS, and for .doc/.wps/.rtf/.odt LibreOffice
    installed to convert it."""
    from gongkai.parsers.sources import office

    suffix = path.suffix.lower()
    return suffix in READERS and (suffix not in office.OFFICE_FORMATS or office.libreoffice() is not None)


def input_files(folder: Path, skip: Callable[[Path], bool] | None = None) -> list[Path]:
    """The reports sent in under `folder` (`is_input` files), recursively, sorted by path.

    Hidden folders below `folder` are not entered: collection keeps its pages and state in `.gongkai/`.
    Folders for which `skip` says so are not entered either (init leaves a dashboard's pages alone).
    Symlinked folders are not followed."""
    found = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (skip and skip(here / d)))
        found += (here / name for name in files if is_input(here / name) and (here / name).is_file())
    return sorted(found)


def read_document(path: str | Path, settings: ParserSettings) -> Document:
    path = Path(path)
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        what = UNSUPPORTED.get(
            suffix, f"不支持的文件格式（{suffix or '无扩展名'}），请保存为 PDF、网页（.html）或 .docx"
        )
        raise ReportError("UNSUPPORTED_FORMAT", f"{what}。")
    if not path.exists():
        raise ReportError("CORRUPT_FILE" if suffix != ".pdf" else "CORRUPT_PDF", f"文件不存在：{path}")
    return reader(path, settings)
