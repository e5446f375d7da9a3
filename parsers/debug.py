"""Visual debugging, as pdfplumber does it: the cells the parser read, drawn onto page images."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from PIL import ImageDraw

from parsers.report import Report

_COLORS = {"t2": (0, 120, 255), "t3": (0, 160, 60), "t4": (180, 0, 200)}
_UNREADABLE = (230, 0, 0)
_UNCERTAIN = (255, 140, 0)


def draw_pages(pdf_path: str | Path, report: Report, out_dir: str | Path, resolution: int = 110) -> list[Path]:
    """One PNG per page holding cells: each cell boxed in its table's colour (red when unreadable),
    each row tagged with its code under its first cell; an OCR reading in doubt is orange. Returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    by_page: dict[int, list] = {}
    for cell in report.cells.values():
        by_page.setdefault(cell.page, []).append(cell)
    scale = resolution / 72
    written = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, cells in sorted(by_page.items()):
            image = pdf.pages[number - 1].to_image(resolution=resolution).original.convert("RGB")
            draw = ImageDraw.Draw(image)
            tagged: set[str] = set()
            for cell in cells:
                x0, top, x1, bottom = (v * scale for v in cell.bbox)
                color = _COLORS[cell.code[:2]] if cell.readable else _UNREADABLE
                color = _UNCERTAIN if cell.uncertain else color
                draw.rectangle((x0 - 2, top - 2, x1 + 2, bottom + 2), outline=color, width=2)
                row = cell.code.rsplit(".", 1)[0]
                if row not in tagged:  # one tag per row keeps the picture readable
                    tagged.add(row)
                    draw.text((x0, bottom + 1), row, fill=color)
            path = out / f"{Path(pdf_path).stem}-p{number}.png"
            image.save(path)
            written.append(path)
    return written
