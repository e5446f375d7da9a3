"""An independent oracle: the flags the format doc's rules raise on the PRINTED numbers.

It never looks at which faults were injected; one wrong cell may fail several rules, and the
oracle finds each failing location the way a checker reading the report would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from gongkai.demo.faults import IN_REPORT  # the sum rules within one report
from gongkai.domain.codes import T3_APPLICANT_COLUMNS, T3_COLUMNS, T4_COLUMNS, T4_ROWS, t3_row_codes

Number = int | float
Flag = dict[str, Any]

_T3_COLS = tuple(code for code, _ in T3_COLUMNS)
_OUTCOME_EXCLUDED = ("new_received", "carried_over", "total", "carried_forward")


def _flag(rule: str, table: str | None, row: str | None, col: str | None) -> Flag:
    return {"rule_id": rule, "table_code": table, "row_code": row, "col_code": col}


def _sum_ok(cells: Mapping[str, Number], total: str, parts: Iterable[str]) -> bool | None:
    """True/False whether cells[total] == sum(parts); None when an input is not printed as a number."""
    codes = [total, *parts]
    if any(c not in cells for c in codes):
        return None
    return abs(cells[total] - sum(cells[c] for c in codes[1:])) < 1e-6


def report_flags(
    cells: Mapping[str, Number],
    unreadable: Iterable[str],
    *,
    year: int,
    published_on: date | None,
    denied_other: bool,
    other_split: bool,
    template: str = "",
    missing_rows: Iterable[str] = (),
    omitted: str = "",
) -> list[Flag]:
    """The in-report flags of one report: UNREADABLE_CELL, MISSING_ROW, TEMPLATE_OUTDATED, T3_*,
    T4_ROW_SUM, LATE_PUBLICATION and SECTION_MISSING (`omitted`: the part the report leaves out)."""
    flags = [_flag("UNREADABLE_CELL", *code.split(".")) for code in unreadable]
    if omitted:
        flags.append(_flag("SECTION_MISSING", None, omitted, None))
    flags += [_flag("MISSING_ROW", *code.split("."), None) for code in missing_rows]
    if template == "2019" and year >= 2021:
        flags.append(_flag("TEMPLATE_OUTDATED", "t2", None, None))
    rows = t3_row_codes(denied_other=denied_other, other_split=other_split)
    outcome_rows = [r for r in rows if r not in _OUTCOME_EXCLUDED]
    for col in _T3_COLS:
        new, over, total, fwd = (f"t3.{r}.{col}" for r in _OUTCOME_EXCLUDED)
        if all(c in cells for c in (new, over, total, fwd)):
            if abs(cells[new] + cells[over] - cells[total] - cells[fwd]) > 1e-6:
                flags.append(_flag("T3_BALANCE", "t3", None, col))
    for col in _T3_COLS:
        if _sum_ok(cells, f"t3.total.{col}", [f"t3.{r}.{col}" for r in outcome_rows]) is False:
            flags.append(_flag("T3_OUTCOME_SUM", "t3", None, col))
    for row in rows:
        parts = [f"t3.{row}.{c}" for c in T3_APPLICANT_COLUMNS]
        if _sum_ok(cells, f"t3.{row}.total", parts) is False:
            flags.append(_flag("T3_COLUMN_SUM", "t3", row, None))
    for row, _ in T4_ROWS:
        parts = [f"t4.{row}.{c}" for c, _ in T4_COLUMNS[:-1]]
        if _sum_ok(cells, f"t4.{row}.total", parts) is False:
            flags.append(_flag("T4_ROW_SUM", "t4", row, None))
    if published_on is not None and published_on > date(year + 1, 1, 31):
        flags.append(_flag("LATE_PUBLICATION", None, None, None))
    return flags


def county_flags(reports: Mapping[tuple[str, int], Mapping[str, Any]], townships: list[str]) -> list[Flag]:
    """Cross-year and county flags. `reports` maps (township, year) to a truth dict (cells, template)."""
    flags: list[Flag] = []
    if not reports:
        return flags
    years = [y for _, y in reports]
    first, last = min(years), max(years)

    def add(rule: str, town: str, year: int, table: str | None, row: str | None, col: str | None) -> None:
        flags.append(
            {"rule_id": rule, "township": town, "year": year, "table_code": table, "row_code": row, "col_code": col}
        )

    for town in townships:
        for year in range(first, last + 1):
            this = reports.get((town, year))
            if this is None:
                add("MISSING_REPORT", town, year, None, None, None)
                continue
            prev = reports.get((town, year - 1))
            if prev is None:
                continue
            if this.get("prose") == "copied":  # both parts of prose: 总体情况 and 存在的主要问题及改进情况
                for part in ("一", "五"):
                    if part not in (this.get("omitted_part"), prev.get("omitted_part")):
                        add("PROSE_COPIED", town, year, None, part, None)
            now, before = this["cells"], prev["cells"]
            for col in _T3_COLS:
                a, b = f"t3.carried_over.{col}", f"t3.carried_forward.{col}"
                if a in now and b in before and now[a] != before[b]:
                    add("T3_CARRY_CHAIN", town, year, "t3", "carried_over", col)
            if this["template"] == "2021" and prev["template"] == "2021":
                for row in ("regulations", "normative_docs"):
                    codes = [f"t2.{row}.{c}" for c in ("in_force", "issued", "repealed")]
                    if f"t2.{row}.in_force" not in before or any(c not in now for c in codes):
                        continue
                    expected = before[codes[0]] + now[codes[1]] - now[codes[2]]
                    if now[codes[0]] != expected:
                        add("T2_IN_FORCE_CHAIN", town, year, "t2", row, "in_force")
    return flags


def scorecard(truth: Mapping[str, Any], *, previous: bool, unchanged: bool | None = None) -> dict[str, Any]:
    """What `report_scorecard` should say of a report from its truth record (a generated or a real one):
    on time unless dated after 31 January (unknown undated), the current template unless a 2021-or-later
    report prints the 2019 one, its parts complete unless it left one out, its sums right unless a sum rule
    fails, its prose fresh unless copied (unknown without the year before, `previous`), `unchanged` as the
    caller knows it, and the score. A real report's truth says nothing of parts or prose: unknown."""
    year, published = truth["year"], truth.get("published_on")
    row: dict[str, Any] = {
        "on_time": None if published is None else str(published) <= f"{year + 1}-01-31",
        "unchanged": unchanged,
        "current_template": not (truth["template"] == "2019" and year >= 2021),
        "sections_complete": truth["omitted_part"] is None if "omitted_part" in truth else None,
        "sums_ok": not any(f["rule_id"] in IN_REPORT for f in truth["expected_flags"]),
        "prose_fresh": truth["prose"] != "copied" if previous and "prose" in truth else None,
    }
    known = [v for v in row.values() if v is not None]
    row["score"] = round(100 * sum(known) / len(known))
    return row
