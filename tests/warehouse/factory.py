"""Reports built directly as `Report` objects: full and consistent for a template and variant, then
mutated cell by cell to make each check fail."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import itertools
import random
from datetime import date

from PIL import Image, ImageDraw, ImageFont

from gongkai import warehouse
from gongkai.domain import codes
from gongkai.parsers.report import Cell, Number, Report

# Per applicant column: how many applications each printed outcome row gets (rows not named get 0).
OUTCOMES = {"granted": 3, "partially_granted": 1, "unavailable_not_held": 1, "not_processed_duplicate": 1}
CARRIED = 1  # carried_over = carried_forward in every column, so consecutive years chain
T2_2021 = {
    "regulations": {"issued": 0, "repealed": 0, "in_force": 2},
    "normative_docs": {"issued": 1, "repealed": 1, "in_force": 9},
    "licensing": {"decisions": 40},
    "penalty": {"decisions": 12},
    "coercion": {"decisions": 0},
    "fees": {"amount_wan": 0},
}
T4 = {
    "review": {"upheld": 2, "corrected": 1, "other": 0, "pending": 1, "total": 4},
    "litigation_direct": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
    "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
}


def _cell(code: str, value: Number | None, raw: str | None = None) -> Cell:
    return Cell(code, value, raw if raw is not None else str(value), page=2, bbox=(100.0, 200.0, 130.0, 212.0))


def make_report(
    template: str = "2021",
    *,
    year: int = 2022,
    body: str = "汤旺河镇",
    body_full_name: str | None = None,
    denied_other: bool = False,
    other_split: bool = False,
    published_on: date | None = None,
    scale: int = 1,
) -> Report:
    """A report whose every rule passes; `scale` multiplies the t3 outcomes to tell townships apart."""
    values: dict[str, Number] = {}
    for row in codes.T2_ROWS[template]:
        for col, _ in row.columns:
            values[f"t2.{row.code}.{col}"] = T2_2021.get(row.code, {}).get(col, 5) if template == "2021" else 5
    rows = codes.t3_row_codes(denied_other=denied_other, other_split=other_split)
    applicants = codes.T3_APPLICANT_COLUMNS
    for col in applicants:
        total = 0
        for row in rows:
            if row in codes.T3_OUTCOME_ROWS:
                n = OUTCOMES.get(row, 0) * scale if col == "natural_person" or row == "granted" else 0
                values[f"t3.{row}.{col}"] = n
                total += n
        values[f"t3.total.{col}"] = total
        values[f"t3.carried_over.{col}"] = CARRIED
        values[f"t3.carried_forward.{col}"] = CARRIED
        values[f"t3.new_received.{col}"] = total
    for row in rows:
        values[f"t3.{row}.total"] = sum(values[f"t3.{row}.{c}"] for c in applicants)
    for row, cols in T4.items():
        for col, n in cols.items():
            values[f"t4.{row}.{col}"] = n
    assert set(values) == set(codes.expected_codes(template, denied_other=denied_other, other_split=other_split))
    received = values["t3.new_received.total"]
    return Report(
        body=body,
        body_full_name=body_full_name or body + "人民政府",
        title=f"{body_full_name or body}{year}年政府信息公开工作年度报告",
        year=year,
        template=template,
        published_on=published_on or date(year + 1, 1, 12),
        pages=5,
        cells={code: _cell(code, v) for code, v in values.items()},
        sections={
            "一": f"本年度共收到政府信息公开申请{received}件，均在法定期限内答复。",
            "五": "存在的主要问题是公开内容不够全面。",
            "六": "本年度未收取信息处理费。",
        },
    )


def set_cell(report: Report, code: str, value: Number | None, raw: str | None = None) -> Report:
    """Put `value` (None: unreadable, printed as `raw`) in cell `code`; returns the same report."""
    report.cells[code] = _cell(code, value, raw if raw is not None else ("—" if value is None else str(value)))
    return report


def crop_png(text: str, *, seed: int = 0) -> bytes:
    """A PNG like the crop of a scanned cell: `text` in dark ink on a greyish, speckled ground, a ruling line
    at the top, slightly blurred strokes (what the parser hands the warehouse for a reading in doubt)."""
    rng = random.Random(seed)
    image = Image.new("L", (72, 34), 226)
    draw = ImageDraw.Draw(image)
    for _ in range(120):  # scanner speckle
        draw.point((rng.randrange(72), rng.randrange(34)), fill=rng.randrange(150, 215))
    draw.line([(0, 1), (71, 1)], fill=70, width=2)
    draw.text((36, 19), text, fill=35, font=ImageFont.load_default(size=24), anchor="mm")
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG")
    return out.getvalue()


def ocr_cell(
    report: Report,
    code: str,
    value: Number | None,
    *,
    confidence: float,
    uncertain: bool = False,
    crop: bytes | None = None,
    raw: str | None = None,
) -> Report:
    """Make cell `code` one read by OCR: `value` (the reading) with the recogniser's `confidence`; an
    `uncertain` reading carries the crop of its image (drawn from the reading unless given)."""
    if uncertain and crop is None:
        crop = crop_png("—" if value is None else str(value))
    report.cells[code] = dataclasses.replace(
        _cell(code, value, raw if raw is not None else ("" if value is None else str(value))),
        confidence=confidence,
        uncertain=uncertain,
        crop=crop,
    )
    return report


def make_scan_report(template: str = "2021", *, confidence: float = 0.97, **kwargs) -> Report:
    """`make_report` as read by OCR from a scan: every cell with `confidence`, none in doubt."""
    report = make_report(template, **kwargs)
    report.source_format = "scan"
    for code, cell in list(report.cells.items()):
        report.cells[code] = dataclasses.replace(cell, confidence=confidence)
    return report


def drop_row(report: Report, row: str) -> Report:
    """Remove printed row `t3.xxx` and say so, as the parser does for a row it could not find."""
    for code in [c for c in report.cells if c.startswith(row + ".")]:
        del report.cells[code]
    report.missing_rows.append(row)
    return report


_files = itertools.count()


def load(con, report: Report, *, township: str | None = None, name: str | None = None, sha: str | None = None):
    """Load `report` as a file of its own (a fresh name and hash unless given)."""
    name = name or f"inbox/{report.body}-{report.year}-{next(_files)}.pdf"
    return warehouse.load_report(
        con,
        report,
        source_file=name,
        sha256=sha or hashlib.sha256(name.encode()).hexdigest(),
        township=township or report.body,
    )
