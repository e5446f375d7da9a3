"""The dictionaries stored beside the data so that analysts can read codes in Chinese: `cell_codes`
(every cell code of both templates, labels from parsers.codes), `rules` (every rule id) and `labels`
(every other code: warehouse.vocabulary)."""

from __future__ import annotations

import duckdb

from gongkai.domain import codes
from gongkai.warehouse.rules import RULES
from gongkai.warehouse.vocabulary import LABELS, TABLE_LABELS


def cell_code_rows() -> list[tuple]:
    """(template, code, table, row, col, label, table_label, row_label, col_label, col_short, row_pos, col_pos,
    is_decimal) for every code either template can print, in printed order."""
    rows = []
    for template in codes.TEMPLATES:
        every = codes.expected_codes(template, denied_other=True, other_split=True)
        every += codes.expected_codes(template, denied_other=True, other_split=False)
        seen: set[str] = set()
        ordered = [c for c in every if not (c in seen or seen.add(c))]
        row_order: dict[tuple[str, str], int] = {}
        for code in ordered:
            table, row, col = code.split(".")
            row_order.setdefault((table, row), len(row_order))
        for code in ordered:
            table, row, col = code.split(".")
            label = codes.cell_label(code, template)
            # cell_label is "表三 · row label · column label"; the parts name row and column alone.
            _, row_label, col_label = label.split(" · ")
            # Messages say 维持/纠正/其他 as analysts do, not the header's 结果维持/其他结果.
            col_short = col_label.replace("结果", "") if table == "t4" else col_label
            col_pos = _col_position(table, row, col, template)
            rows.append(
                (
                    template,
                    code,
                    table,
                    row,
                    col,
                    label,
                    TABLE_LABELS[table],
                    row_label,
                    col_label,
                    col_short,
                    row_order[(table, row)],
                    col_pos,
                    code in codes.DECIMAL_CELLS,
                )
            )
    return rows


def _col_position(table: str, row: str, col: str, template: str) -> int:
    if table == "t3":
        return [c for c, _ in codes.T3_COLUMNS].index(col)
    if table == "t4":
        return [c for c, _ in codes.T4_COLUMNS].index(col)
    for r in codes.T2_ROWS[template]:
        if r.code == row:
            return [c for c, _ in r.columns].index(col)
    return 0


def refresh_dictionaries(con: duckdb.DuckDBPyConnection) -> None:
    con.begin()
    try:
        con.execute("DELETE FROM cell_codes")
        rows = cell_code_rows()
        columns = list(zip(*rows, strict=True))
        # One statement over column lists, as in load.py: executemany is a round trip per row.
        con.execute(
            "INSERT INTO cell_codes (template, code, table_code, row_code, col_code, label, table_label, row_label,"
            " col_label, col_short, row_pos, col_pos, is_decimal) SELECT " + ", ".join("unnest(?)" for _ in columns),
            [list(col) for col in columns],
        )
        con.execute("DELETE FROM rules")
        con.executemany(
            "INSERT INTO rules VALUES (?, ?, ?, ?)",
            [(r.rule_id, r.severity, r.name, r.explanation) for r in RULES],
        )
        con.execute("DELETE FROM labels")
        con.executemany("INSERT INTO labels VALUES (?, ?, ?)", list(LABELS))
        con.commit()
    except Exception:
        con.rollback()
        raise
