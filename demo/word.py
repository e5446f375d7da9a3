"""A report as the township wrote it in Word: a .docx with the tables' merged cells, written by python-docx."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from gongkai.demo.pdf import Grid, Para

_ALIGN = {"c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT, "j": WD_ALIGN_PARAGRAPH.JUSTIFY}


def _paragraph(document: docx.document.Document, p: Para) -> None:
    para = document.add_paragraph()
    para.alignment = _ALIGN.get(p.align, WD_ALIGN_PARAGRAPH.JUSTIFY)
    for text, bold in p.runs:
        run = para.add_run(text)
        run.bold = bold
        if p.size:
            run.font.size = Pt(p.size)


def _table(document: docx.document.Document, grid: Grid) -> None:
    rows = max(cell.r1 for cell in grid.cells)
    table = document.add_table(rows=rows, cols=len(grid.col_w))
    table.style = "Table Grid"
    table.autofit = False
    # The template's column widths (a narrow label column would wrap every label character by character).
    for c, width in enumerate(grid.col_w):
        table.columns[c].width = Pt(width)
        for r in range(rows):
            table.cell(r, c).width = Pt(width)
    for cell in grid.cells:
        target = table.cell(cell.r0, cell.c0)
        if cell.r1 - cell.r0 > 1 or cell.c1 - cell.c0 > 1:
            target = target.merge(table.cell(cell.r1 - 1, cell.c1 - 1))
        # A vertical label is typed one character per line, as clerks do in a narrow cell.
        target.text = "\n".join(cell.text) if cell.vertical else cell.text


def document(blocks: list[Para | tuple[Grid, Para]], written: datetime) -> bytes:
    """The .docx bytes, the same for the same input: the package's dates are `written`, not now."""
    doc = docx.Document()
    doc.core_properties.created = doc.core_properties.modified = written
    for block in blocks:
        if isinstance(block, Para):
            _paragraph(doc, block)
        else:
            grid, heading = block
            _paragraph(doc, heading)
            _table(doc, grid)
    buf = io.BytesIO()
    doc.save(buf)
    # The zip stamps each part with the time of saving; restamp them for reproducible bytes.
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = zipfile.ZipInfo(info.filename, date_time=written.timetuple()[:6])
            part.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(part, src.read(info))
    return out.getvalue()
