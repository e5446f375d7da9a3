"""The Word source: a .docx file's paragraphs and tables, in document order, merged cells resolved."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from gongkai.parsers.document import Document
from gongkai.parsers.report import ReportError
from gongkai.parsers.sources.grid import Block, GridCell, Paragraph, Table, clean, lay_out


def read_docx(path: str | Path) -> Document:
    path = Path(path)
    if not zipfile.is_zipfile(path):
        raise ReportError("CORRUPT_FILE", "文件不是有效的 Word（.docx）文档：已损坏、为空，或是改了扩展名的其他格式。")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds on a broken package
        raise ReportError("CORRUPT_FILE", f"Word 文档已损坏，无法读取（{type(exc).__name__}: {exc}）。") from exc
    return lay_out(list(_blocks(document)), "docx")


def _blocks(container: Any) -> Iterator[Block]:
    """Paragraphs and tables in order. A table holding tables is page layout (a web page saved as Word):
    its cells' contents are read in order instead."""
    for item in container.iter_inner_content():
        if not isinstance(item, DocxTable):
            yield Paragraph(item.text, _size(item))
            continue
        cells = list(_merged_cells(item))
        if any(cell.tables for *_, cell in cells):
            for *_, cell in cells:
                yield from _blocks(cell)
        else:
            yield Table(tuple(GridCell(r, c, rs, cs, clean(cell.text)) for r, c, rs, cs, cell in cells))


def _size(paragraph: DocxParagraph) -> float:
    """The paragraph's type size in points: its largest run's, else its style's (inherited), else 12."""
    sizes = [run.font.size.pt for run in paragraph.runs if run.font.size is not None]
    if sizes:
        return max(sizes)
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return 12.0


def _merged_cells(table: DocxTable) -> Iterator[tuple[int, int, int, int, Any]]:
    """(row, col, rowspan, colspan, cell) of each cell of a Word table, merged cells once, row by row.
    python-docx gives one cell per grid position: down a column, a vertically merged cell is the same
    object at each position it covers; along a row, a merged cell covers `grid_span` positions. (Each
    column is read once: python-docx rebuilds its grid on every call.)"""
    n_rows, n_cols = len(table.rows), len(table.columns)
    columns = [table.column_cells(c) for c in range(n_cols)]
    for r in range(n_rows):
        c = 0
        while c < n_cols:
            cell = columns[c][r]
            colspan = max(1, cell.grid_span)
            if r == 0 or columns[c][r - 1] is not cell:  # else covered by a merge starting above
                rowspan = 1
                while r + rowspan < n_rows and columns[c][r + rowspan] is cell:
                    rowspan += 1
                yield r, c, rowspan, colspan, cell
            c += colspan
