"""Visual debugging, as pdfplumber does it: the cells the parser read, drawn onto page images."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from PIL import ImageDraw

from gongkai.parsers.report import Report
from gongkai.parsers.sources.ocr_words import Straighten

_COLORS = {"t2": (0, 120, 255), "t3": (0, 160, 60), "t4": (180, 0, 200)}
_UNREADABLE = (230, 0, 0)
_UNCERTAIN = (255, 140, 0)


def _grown(corners: list[tuple[float, float]], by: float) -> list[tuple[float, float]]:
    """A box's four corners (top left, clockwise) moved `by` outwards, so the outline clears the digits."""
    signs = ((-1, -1), (1, -1), (1, 1), (-1, 1))
    return [(x + sx * by, y + sy * by) for (x, y), (sx, sy) in zip(corners, signs, strict=True)]


def draw_pages(pdf_path: str | Path, report: Report, out_dir: str | Path, resolution: int = 110) -> list[Path]:
    """One PNG per page holding cells: each cell boxed in its table's colour (red when unreadable,
    orange when an OCR reading in doubt), each row tagged with its code under its first cell. Returns
    the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    by_page: dict[int, list] = {}
    for cell in report.cells.values():
        by_page.setdefault(cell.page, []).append(cell)
    scale = resolution / 72
    written = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, cells in sorted(by_page.items()):
            page = pdf.pages[number - 1]
            image = page.to_image(resolution=resolution).original.convert("RGB")
            draw = ImageDraw.Draw(image)
            tagged: set[str] = set()
            # A scan's boxes are in straightened coordinates: turned back onto the page as it is.
            turn = Straighten(report.skew.get(number, 0.0), (float(page.width) / 2, float(page.height) / 2), 1.0)
            for cell in cells:
                x0, top, x1, bottom = cell.bbox
                corners = [turn.to_image(x, y) for x, y in ((x0, top), (x1, top), (x1, bottom), (x0, bottom))]
                outline = [(x * scale, y * scale) for x, y in _grown(corners, 2 / scale)]
                color = _COLORS[cell.code[:2]] if cell.readable else _UNREADABLE
                color = _UNCERTAIN if cell.uncertain else color
                draw.polygon(outline, outline=color, width=2)
                x0, bottom = outline[3][0], outline[3][1]
                row = cell.code.rsplit(".", 1)[0]
                if row not in tagged:  # one tag per row keeps the picture readable
                    tagged.add(row)
                    draw.text((x0, bottom + 1), row, fill=color)
            path = out / f"{Path(pdf_path).stem}-p{number}.png"
            image.save(path)
            written.append(path)
    return written
