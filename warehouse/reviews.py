"""An analyst's answer to a flag: confirmed (a real error, the township must correct it), dismissed (not a
problem), or, for a cell the parser read in doubt or could not read, the cell's value as the analyst reads
it on the scan (a correction).

A verdict holds across runs until the cell values it was made against change. A correction is made
against the file the report was read from (its sha256): every rule counts the corrected value while the
township-year's latest report is that file (the view corrected_facts), and it lapses when another file
comes in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from gongkai.warehouse.check_runner import CheckSummary, prepare, replace_flags
from gongkai.warehouse.connection import Warehouse, connected, transaction
from gongkai.warehouse.runs import current_run
from gongkai.warehouse.vocabulary import Status

STATUSES = (Status.CONFIRMED, Status.DISMISSED)
# Flags about how one cell was read, which the analyst can settle by reading the cell on the scan. Other
# rules flag what the township printed: a wrong total is the township's to correct, not the analyst's.
CORRECTABLE_RULES = ("OCR_UNCERTAIN", "UNREADABLE_CELL")


@dataclass(frozen=True)
class Correction:
    """What `correct_cell` recorded, and what the checks made of it."""

    flag_id: str
    township: str
    year: int
    cell: str  # the cell's label: 表三 · （一）予以公开 · 自然人
    value_read: float | None  # None: the cell was unreadable
    raw: str | None  # the cell's text as read
    value: float
    checks: CheckSummary  # the checks rerun with the corrected value


def _record_review(c, flag_id: str, status: str, note: str, at: datetime, flag: tuple) -> None:
    """A row of flag_reviews: the verdict, and the flag's (rule_id, township, year, report_id, inputs,
    expected, actual) it was made against."""
    c.execute(
        "INSERT INTO flag_reviews (flag_id, status, note, reviewed_at, rule_id, township, year, report_id,"
        " inputs, expected, actual) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [flag_id, status, note, at, *flag],
    )


def review_flag(con: Warehouse, flag_id: str, status: str, note: str = "") -> None:
    """Mark flag `flag_id` confirmed or dismissed with a note. Raises KeyError for an unknown flag."""
    if status not in STATUSES:
        raise ValueError(f"状态只能是 {' 或 '.join(STATUSES)}，而不是 {status!r}。")
    with connected(con) as c, transaction(c):
        row = c.execute(
            "SELECT rule_id, township, year, report_id, inputs, expected, actual FROM flags WHERE flag_id = ?",
            [flag_id],
        ).fetchone()
        if row is None:
            raise KeyError(flag_id)
        _record_review(c, flag_id, status, note, datetime.now(), row)
        c.execute("UPDATE flags SET status = ? WHERE flag_id = ?", [status, flag_id])


def correct_cell(con: Warehouse, flag_id: str, value: float, note: str = "") -> Correction:
    """Record `value` as the true value of the cell flag `flag_id` names (an OCR_UNCERTAIN or UNREADABLE_CELL
    flag), against the file of the report it was read from; record the flag's review as corrected and rerun
    the checks, which close it, all in one transaction. Raises KeyError for an unknown flag, ValueError (with
    a Chinese message) for a flag or a value that cannot be corrected so."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError("更正的数值必须是一个数字。")
    with connected(con) as c, transaction(c):
        row = c.execute(
            "SELECT f.rule_id, f.township, f.year, f.report_id, f.table_code, f.row_code, f.col_code, f.inputs,"
            " f.expected, f.actual, r.sha256, r.template"
            " FROM flags f LEFT JOIN reports r USING (report_id) WHERE f.flag_id = ?",
            [flag_id],
        ).fetchone()
        if row is None:
            raise KeyError(flag_id)
        rule_id, township, year, report_id, table, row_code, col, inputs, expected, actual, sha256, template = row
        if rule_id not in CORRECTABLE_RULES or None in (report_id, table, row_code, col, sha256):
            raise ValueError(
                f"问题 {flag_id}（{rule_id}）不是某一格的识别问题，不能更正数值；"
                f"只有“识别结果待核实”和“数字无法读取”的问题可以用 --value 更正，其他问题请用 --confirm 或 --dismiss。"
            )
        label, is_decimal = c.execute(
            "SELECT label, is_decimal FROM cell_codes WHERE template = ? AND table_code = ? AND row_code = ?"
            " AND col_code = ?",
            [template, table, row_code, col],
        ).fetchone() or (f"{table}.{row_code}.{col}", True)
        if not is_decimal and not value.is_integer():
            raise ValueError(f"{label} 是件数，应为整数，而不是 {value:g}。")
        if value < 0 and col != "change":  # only 本年增/减 may fall
            raise ValueError(f"{label} 不能为负数（{value:g}）。")
        value_read, raw = c.execute(
            "SELECT value, raw FROM facts WHERE report_id = ? AND table_code = ? AND row_code = ? AND col_code = ?",
            [report_id, table, row_code, col],
        ).fetchone()
        now = datetime.now()
        c.execute(
            "INSERT INTO cell_corrections (township, year, table_code, row_code, col_code, sha256, value, note,"
            " corrected_at, value_read, flag_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [township, year, table, row_code, col, sha256, value, note, now, value_read, flag_id],
        )
        _record_review(
            c, flag_id, Status.CORRECTED, note, now, (rule_id, township, year, report_id, inputs, expected, actual)
        )
        # The checks see the corrected value at once, in the same transaction: the flags the misreading
        # caused close with it (checks/_t3_rows.sql and latest_facts read corrected_facts).
        prepare(c, None)
        checks = replace_flags(c, current_run(c))
    return Correction(flag_id, township, year, label, value_read, raw, value, checks)
