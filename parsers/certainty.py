"""Which OCR'd cells are in doubt: the report's own totals as a second opinion, then a second reading.

A misread digit breaks every sum the cell is part of; a cell in a sum that holds is confirmed by it. A
cell that no holding sum confirms (table 二 has none; a sum the township got wrong has none) is read a
second time from a sharper crop:
- the two readings agree, confidently enough → it stands;
- they differ, and the second makes the failing sums hold → the second is taken;
- otherwise it is `uncertain`: the value is the best reading, listed for the analyst with its crop.

The sums are the report's printed arithmetic (the warehouse's T3_*/T4_* rules say the same in SQL, and
flag what fails; here they only decide what to trust).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from gongkai.domain import codes
from gongkai.parsers.document import CellImages
from gongkai.parsers.report import Cell, Report
from gongkai.parsers.settings import ParserSettings
from gongkai.parsers.tables import read_value

_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
# A sum: (codes added, codes subtracted) that must come to zero.
Sum = tuple[tuple[str, ...], tuple[str, ...]]


def report_sums(printed: Iterable[str]) -> list[Sum]:
    """The sums a report's printed cells must satisfy: T3 column, balance and outcome sums, T4 row sums."""
    present = set(printed)
    sums: list[Sum] = []
    rows = {code.split(".")[1] for code in present if code.startswith("t3.")}
    for row in rows:
        sums.append(((f"t3.{row}.total",), tuple(f"t3.{row}.{c}" for c in codes.T3_APPLICANT_COLUMNS)))
    outcome = [r for r in codes.T3_OUTCOME_ROWS if r in rows]
    for col, _ in codes.T3_COLUMNS:
        sums.append(
            ((f"t3.new_received.{col}", f"t3.carried_over.{col}"), (f"t3.total.{col}", f"t3.carried_forward.{col}"))
        )
        sums.append(((f"t3.total.{col}",), tuple(f"t3.{r}.{col}" for r in outcome)))
    for row, _ in codes.T4_ROWS:
        parts = tuple(f"t4.{row}.{c}" for c, _ in codes.T4_COLUMNS if c != "total")
        sums.append(((f"t4.{row}.total",), parts))
    return [s for s in sums if all(code in present for code in s[0] + s[1])]


def _holds(s: Sum, values: dict[str, float | int | None]) -> bool | None:
    """True or False; None when a cell of it holds no number."""
    plus, minus = [values[c] for c in s[0]], [values[c] for c in s[1]]
    if any(v is None for v in plus + minus):
        return None
    return abs(sum(plus) - sum(minus)) < 1e-6  # type: ignore[arg-type]


def settle(report: Report, images: CellImages, settings: ParserSettings) -> None:
    """Mark the OCR'd cells of `report` in doubt (or correct them from a second reading), in place;
    a cell in doubt gets the crop of its image."""
    # OCR'd cells, and blank cells on OCR'd pages: a digit the detector missed leaves a blank.
    ocr = {
        code: c
        for code, c in report.cells.items()
        if c.ocr or (c.value is None and not c.raw and images.covers(c.page) and c.bbox[3] > c.bbox[1])
    }
    if not any(c.ocr for c in ocr.values()):
        return
    values = {code: c.value for code, c in report.cells.items()}
    fractional = _as_thousands(ocr, values)
    sums = report_sums(report.cells)
    doubtful = [code for code in ocr if code not in _confirmed(sums, values)]
    if not doubtful:
        return
    boxes = [ocr[c].bbox if ocr[c].raw else _blank_box(ocr[c].bbox, settings) for c in doubtful]
    readings = images.reread((ocr[c].page, box) for c, box in zip(doubtful, boxes, strict=True))
    second = dict(zip(doubtful, readings, strict=True))
    # A second reading is read as the first was (an amount by its unit).
    again_values = {code: read_value(code, second[code][0], ocr[code].unit, settings)[0] for code in doubtful}
    _adopt_second_readings(ocr, again_values, sums, values)
    confirmed = _confirmed(sums, values)
    for code in doubtful:
        cell, (text, confidence) = ocr[code], second[code]
        if values[code] is None:
            # Printed blank, or a mark that is no number (— or /): unreadable, not in doubt; its crop
            # lets the analyst see what was printed.
            report.cells[code] = replace(cell, crop=images.crop_png(cell.page, cell.bbox))
            continue
        first = cell.confidence or 0.0
        changed = values[code] != cell.value
        fields = {"value": values[code], "raw": cell.raw if code in fractional else text} if changed else {}
        if changed and code not in fractional:
            fields["confidence"] = confidence
        # Two readings agree: the second is the number the first came to (a count read with a point,
        # as thousands). A digit only the second reading found has no first to agree with.
        agree = cell.value is not None and again_values[code] == values[code]
        contested = any(code in s[0] + s[1] and _holds(s, values) is False for s in sums)
        threshold = settings.ocr_contested if contested else settings.ocr_agree
        if code in confirmed or (agree and max(first, confidence) >= threshold):
            if agree:
                fields["confidence"] = max(first, confidence)
            report.cells[code] = replace(cell, **fields)
        else:
            report.cells[code] = replace(cell, **fields, uncertain=True, crop=images.crop_png(cell.page, cell.bbox))


def _as_thousands(ocr: dict[str, Cell], values: dict[str, float | None]) -> set[str]:
    """The counts read with a decimal point, the recogniser having taken a thousands separator (3,237)
    for a point: read as thousands in `values`, trusted only if a sum confirms it."""
    fractional = {
        code
        for code, c in ocr.items()
        if c.value is not None and c.value != int(c.value) and code not in codes.DECIMAL_CELLS
    }
    for code in fractional:
        if _THOUSANDS.match(ocr[code].raw):
            values[code] = int(re.sub(r"\D", "", ocr[code].raw))
    return fractional


def _adopt_second_readings(
    ocr: dict[str, Cell], again_values: dict[str, float | None], sums: list, values: dict[str, float | None]
) -> None:
    """The second readings, in `values`, where the first had none (a digit the detector missed), or where
    the second makes every sum of the cell hold (a misreading). A value the parser declined for a reason
    of its own (`note`: a unit that cannot be told, a row that cannot be told apart) a sharper crop does
    not change: it stays unread."""
    for code, again in again_values.items():
        cell = ocr[code]
        if cell.note is not None or again is None:
            continue
        mine = [s for s in sums if code in s[0] + s[1]]
        if cell.value is None or (
            again != cell.value and mine and all(_holds(s, {**values, code: again}) for s in mine)
        ):
            values[code] = again


def _blank_box(box: tuple[float, float, float, float], settings: ParserSettings) -> tuple[float, float, float, float]:
    """Where to look for a digit the detector missed: its column's centre, wide enough for a number,
    and the row's height with a margin (the row's box is that of the digits found beside it)."""
    x, half = (box[0] + box[2]) / 2, settings.ocr_blank_half_width
    margin = settings.ocr_blank_margin * (box[3] - box[1])
    return (x - half, box[1] - margin, x + half, box[3] + margin)


def _confirmed(sums: list[Sum], values: dict[str, float | int | None]) -> set[str]:
    """The cells of every sum that holds."""
    return {code for s in sums if _holds(s, values) for code in s[0] + s[1]}
