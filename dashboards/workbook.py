"""The correction lists (整改清单): one sheet per township with its open flags, ready to send; and, where the
county collects the reports from the townships' sites, a sheet of the due year's publication status."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.dashboards.labels import CRITERION_LABEL, location_labels, rule_name
from gongkai.text_safety import set_text
from gongkai.warehouse.rules import RULES, SCORECARD
from gongkai.warehouse.vocabulary import PUBLICATION_LABELS, SEVERITY_LABELS, STATUS_LABELS

HEADER = ("年度", "表", "行", "列", "应为", "实为", "说明", "级别", "规则", "原文页码", "状态", "扫描件")
WIDTHS = (8, 7, 30, 14, 10, 10, 70, 7, 22, 9, 8, 14)
CROP_COLUMN = "L"  # the flagged cell's image from the scan, beside the row's 实为
SUMMARY_HEADER = ("乡镇", "错误", "提醒", "合计", "工作表")
SCORECARD_SHEET = "年报质量"
SCORECARD_HEADER = ("乡镇", "年度", *(CRITERION_LABEL[c] for c, _ in SCORECARD), "得分", "不符合的依据")
SCORECARD_WIDTHS = (16, 7, *(12 for _ in SCORECARD), 7, 90)
PUBLICATION_SHEET = "发布情况"
PUBLICATION_HEADER = ("乡镇", "年度", "状态", "原文网址", "附件网址", "首次发现", "最近检查", "发布后有修改",
                      "最近修改", "原因")  # fmt: skip
PUBLICATION_WIDTHS = (16, 7, 10, 50, 50, 17, 17, 12, 17, 50)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, not starting or ending with ', at most 31 characters."""
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'") or "乡镇"
    title, n = base[:31], 1
    while title.lower() in taken:  # Excel compares sheet names case-insensitively
        n += 1
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _header(ws: Worksheet, header: tuple[str, ...], widths: tuple[int, ...]) -> None:
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for col, (text, width) in enumerate(zip(header, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"


def _place_crop(ws: Worksheet, row: int, png: bytes) -> None:
    """Put the cell's image from the scan in the row's 扫描件 column, the row made tall enough to show it."""
    image = Image(io.BytesIO(png))
    ws.add_image(image, f"{CROP_COLUMN}{row}")
    ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 15, image.height * 0.75 + 4)  # px → pt


def _publication_sheet(ws: Worksheet, rows: pl.DataFrame) -> None:
    """The due year's publication status, a row per township; the urls are links to the townships' sites."""
    _header(ws, PUBLICATION_HEADER, PUBLICATION_WIDTHS)
    for r, pub in enumerate(rows.iter_rows(named=True), start=2):
        values = (
            pub["township"],
            pub["year"],
            PUBLICATION_LABELS.get(pub["status"], pub["status"]),
            pub["original_url"],
            pub["file_url"],
            pub["first_seen"],
            pub["last_checked"],
            "是" if pub["changed_after_publication"] else "",
            pub["last_changed"],
            pub["error"],
        )
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            set_text(cell, value)
            if isinstance(value, str) and c in (4, 5) and value.lower().startswith(("http://", "https://")):
                cell.hyperlink = value
                cell.style = "Hyperlink"
            elif c in (6, 7, 9) and value is not None:
                cell.number_format = "yyyy-mm-dd hh:mm"


def _scorecard_sheet(ws: Worksheet, rows: pl.DataFrame) -> None:
    """Each township-year's report-quality criteria: ✓ met, ✗ not met, — unknown; the flags that show what
    is not met, by their messages."""
    _header(ws, SCORECARD_HEADER, SCORECARD_WIDTHS)
    wrap, centre = Alignment(wrap_text=True, vertical="top"), Alignment(horizontal="center", vertical="top")
    fonts = {"✓": Font(color="2E7D32"), "✗": Font(color="C62828", bold=True), "—": Font(color="8A8F98")}
    for r, row in enumerate(rows.iter_rows(named=True), start=2):
        marks = ["—" if row[c] is None else "✓" if row[c] else "✗" for c, _ in SCORECARD]
        evidence = "\n".join(f"{rule_name(f['rule_id'])}：{f['message']}" for f in row["evidence"] or [])
        for c, value in enumerate((row["township"], row["year"], *marks, row["score"], evidence), start=1):
            cell = ws.cell(row=r, column=c)
            set_text(cell, value)
            cell.alignment = wrap
            if value in fonts:
                cell.alignment, cell.font = centre, fonts[value]


def _flags_sheet(ws: Worksheet, flags: pl.DataFrame, crops: Mapping[str, bytes]) -> None:
    """A township's sheet: a row per open flag, where it is, what was expected and what is printed."""
    _header(ws, HEADER, WIDTHS)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, flag in enumerate(flags.iter_rows(named=True), start=2):
        table, row_label, col_label = location_labels(
            flag["table_code"], flag["row_code"], flag["col_code"], flag["template"]
        )
        values = (
            flag["year"],
            table,
            row_label,
            col_label,
            _number(flag["expected"]),
            _number(flag["actual"]),
            flag["message"],
            SEVERITY_LABELS.get(flag["severity"], flag["severity"]),
            rule_name(flag["rule_id"]),
            flag["page"],
            STATUS_LABELS.get(flag["status"], flag["status"]),
        )
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            set_text(cell, value)
            cell.alignment = wrap
        if flag["flag_id"] in crops:
            _place_crop(ws, r, crops[flag["flag_id"]])


def write_workbook(
    flags: pl.DataFrame,
    townships: list[str],
    path: Path,
    *,
    crops: Mapping[str, bytes] | None = None,
    publication: pl.DataFrame | None = None,
    scorecard: pl.DataFrame | None = None,
) -> Path:
    """Write `path`: a summary sheet, the publication sheet (`publication`: the due year's rows of the
    warehouse's publication_status; None leaves it out), then one sheet per township that has open flags
    it must correct itself (`Rule.for_township`: not SITE_UNREACHABLE, the county's to follow). `scorecard`
    (dashboards.data.scorecard; None leaves it out) is the 年报质量 sheet, after the publication sheet.
    `crops`: flag_id → the PNG of its cell from the scan, placed in the flag's row."""
    crops = crops or {}
    # Only what the township itself must correct: a site the county could not read is the county's to follow.
    flags = flags.filter(pl.col("rule_id").is_in([r.rule_id for r in RULES if r.for_township]))
    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    _header(summary, SUMMARY_HEADER, (16, 8, 8, 8, 16))
    taken = {"汇总"}
    if publication is not None:
        _publication_sheet(wb.create_sheet(sheet_title(PUBLICATION_SHEET, taken)), publication)
    if scorecard is not None and scorecard.height:
        _scorecard_sheet(wb.create_sheet(sheet_title(SCORECARD_SHEET, taken)), scorecard)
    for township in townships:
        own = flags.filter(pl.col("township") == township)
        errors = own.filter(pl.col("severity") == "error").height
        row = [township, errors, own.height - errors, own.height, ""]
        if own.height:
            ws = wb.create_sheet(sheet_title(township, taken))
            row[4] = ws.title
            _flags_sheet(ws, own, crops)
        next_row = summary.max_row + 1
        for c, value in enumerate(row, start=1):
            set_text(summary.cell(row=next_row, column=c), value)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
