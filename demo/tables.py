"""Tables 二, 三 and 四 as the national templates print them, built as grids for demo.pdf."""

from __future__ import annotations

from gongkai.demo.pdf import FONT, Grid, Style, TCell
from gongkai.domain.codes import T2_ROWS, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_ROWS

_T3_LABELS = {code: label for code, label, _ in T3_ROWS}
_T3_GROUPS = {code: group for code, _, group in T3_ROWS}
# Rows printed across the whole label area (both group columns).
_T3_FULL_WIDTH = ("new_received", "carried_over", "carried_forward")
# 2.其他法律行政止公开: the typo of the real 洪泽区 2023 report, kept by one demo township.
TYPO_LABELS = {"denied_law_prohibited": "2.其他法律行政止公开"}
# Rows whose total may be left out of a short row.
SHORT_ROW = "carried_forward"


def t2_grid(
    template: str,
    printed: dict[str, str],
    style: Style,
    width: float,
    *,
    narrow: bool = False,
    rows: tuple[str, ...] | None = None,
    headers: dict[str, str] | None = None,
) -> Grid:
    """Table 二: per 第二十条 item a section row, a header row 信息内容 + columns, then its rows. `narrow`: the
    columns a few characters wide; `rows`: the rows printed (all by default); `headers`: a column's header
    as the township prints it ("procurement.amount_wan" → 采购总金额（元）)."""
    size = style.table_size
    col_w = [5 * size + 6] + [4 * size + 6] * 3 if narrow else [width * 0.34] + [width * 0.22] * 3
    cells: list[TCell] = []
    keys: list[str] = []
    num_font = style.number_font
    last_section = ""
    for row in T2_ROWS[template]:
        if rows is not None and row.code not in rows:
            continue
        if row.section != last_section:
            last_section = row.section
            r = len(keys)
            keys.append(f"section:{row.section}")
            cells.append(TCell(r, r + 1, 0, 4, row.section, fill=True))
            r += 1
            keys.append(f"header:{row.section}")
            cells.append(TCell(r, r + 1, 0, 1, "信息内容"))
            heads = [(headers or {}).get(f"{row.code}.{col}", label) for col, label in row.columns]
            cells += _spread_cells(r, heads, FONT)
        r = len(keys)
        keys.append(row.code)
        cells.append(TCell(r, r + 1, 0, 1, row.label, align="l"))
        values = [printed[f"t2.{row.code}.{col}"] for col, _ in row.columns]
        for cell in _spread_cells(r, values, num_font):
            cell.align = style.t2_align
            if not cell.text.isascii():  # 251000元: the number font has no 元, the text font has digits too
                cell.font = FONT
            cells.append(cell)
    return Grid("t2", col_w, keys, cells, header_rows=2, min_row_h=22.0, ruling=_ruling(style, "t2"), fixed=narrow)


def _spread_cells(r: int, texts: list[str], font: str) -> list[TCell]:
    """1, 2 or 3 value cells over the three value columns (the last one takes what is left)."""
    spans = {1: [(1, 4)], 2: [(1, 2), (2, 4)], 3: [(1, 2), (2, 3), (3, 4)]}[len(texts)]
    return [TCell(r, r + 1, c0, c1, t, font=font) for (c0, c1), t in zip(spans, texts, strict=True)]


def _ruling(style: Style, table: str) -> str:
    if style.ruling == "mixed":
        return "rects" if table == "t2" else "lines"
    return style.ruling


def t3_grid(
    rows: tuple[str, ...],
    printed: dict[str, str],
    style: Style,
    width: float,
    labels: dict[str, str] | None = None,
    *,
    narrow: bool = False,
    short_row: str | None = None,
) -> Grid:
    """Table 三: two-level applicant header, grouped outcome labels, the vertical 三、本年度办理结果.
    `labels`: a row's label as the township prints it; `narrow`: the label columns a few characters wide;
    `short_row`: a row printing six cells (its total left out)."""
    size = style.table_size
    head_w = style.narrow_chars * size + 6
    wide = 2 * size + 10
    col_w = [size + 10, 4 * size + 8, 0.0, wide] + [head_w] * 5 + [wide]
    col_w[2] = width - sum(col_w)
    if narrow:
        col_w[1], col_w[2] = 3 * size + 8, 6 * size + 6
    cells = [
        TCell(0, 3, 0, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", align="l"),
        TCell(0, 1, 3, 10, "申请人情况"),
        TCell(1, 3, 3, 4, "自然人"),
        TCell(1, 2, 4, 9, "法人或其他组织"),
        TCell(1, 3, 9, 10, "总计"),
    ]
    for i, (_, label) in enumerate(T3_COLUMNS[1:6]):
        cells.append(TCell(2, 3, 4 + i, 5 + i, label))
    keys = ["header:0", "header:1", "header:2"]
    groups: dict[str, str] = {}
    group_start: dict[str, int] = {}
    outcome_first = outcome_last = -1
    labels = dict(_T3_LABELS, **(labels or {}))
    for code in rows:
        r = len(keys)
        keys.append(code)
        group = _T3_GROUPS[code]
        if code in _T3_FULL_WIDTH:
            cells.append(TCell(r, r + 1, 0, 3, labels[code], align="l"))
        elif group.startswith("（"):
            groups[code] = group
            group_start.setdefault(group, r)
            cells.append(TCell(r, r + 1, 2, 3, labels[code], align="l"))
        else:
            cells.append(TCell(r, r + 1, 1, 3, labels[code], align="l"))
        if code not in _T3_FULL_WIDTH:
            outcome_first = r if outcome_first < 0 else outcome_first
            outcome_last = r
        for i, (col, _) in enumerate(T3_COLUMNS):
            if code == short_row and col == "total":
                continue
            cells.append(TCell(r, r + 1, 3 + i, 4 + i, printed[f"t3.{code}.{col}"], font=style.number_font))
    for group, start in group_start.items():
        end = max(keys.index(k) for k, g in groups.items() if g == group) + 1
        cells.append(TCell(start, end, 1, 2, group))
    cells.append(TCell(outcome_first, outcome_last + 1, 0, 1, "三、本年度办理结果", vertical=True))
    for cell in cells:
        if cell.font != FONT:
            cell.size = style.number_size
    return Grid("t3", col_w, keys, cells, header_rows=3, groups=groups, ruling=_ruling(style, "t3"), fixed=narrow)


def t4_grid(printed: dict[str, str], style: Style, width: float, *, narrow: bool = False) -> Grid:
    """Table 四: a three-row header block and one row of 15 numbers (`narrow`: a character a line)."""
    w = 1.6 * style.table_size if narrow else width / 15
    cells = [
        TCell(0, 1, 0, 5, "行政复议"),
        TCell(0, 1, 5, 15, "行政诉讼"),
        TCell(1, 2, 5, 10, "未经复议直接起诉"),
        TCell(1, 2, 10, 15, "复议后起诉"),
    ]
    labels = [label for _, label in T4_COLUMNS]
    for i, label in enumerate(labels):
        cells.append(TCell(1, 3, i, i + 1, label))
        cells.append(TCell(2, 3, 5 + i, 6 + i, label))
        cells.append(TCell(2, 3, 10 + i, 11 + i, label))
    for j, (row, _) in enumerate(T4_ROWS):
        for i, (col, _) in enumerate(T4_COLUMNS):
            cells.append(
                TCell(3, 4, 5 * j + i, 5 * j + i + 1, printed[f"t4.{row}.{col}"], font=style.number_font, size=11)
            )
    keys = ["header:0", "header:1", "header:2", "numbers"]
    return Grid(
        "t4",
        [w] * 15,
        keys,
        cells,
        header_rows=3,
        min_row_h=20.0,
        ruling=_ruling(style, "t4"),
        keep_together=True,
        fixed=narrow,
    )


def fee_grid(style: Style, width: float, notices: int, noticed_yuan: int, charged_yuan: int) -> Grid:
    """A table of the township's own: 信息处理费收取情况 (how many fee notices, how much noticed and charged)."""
    heads = ("通知收取件数", "通知收取金额（元）", "实际收取金额（元）")
    cells = [TCell(0, 1, 0, 1, "信息处理费收取情况")]
    cells += [TCell(0, 1, i + 1, i + 2, h) for i, h in enumerate(heads)]
    cells.append(TCell(1, 2, 0, 1, "本年度"))
    for i, v in enumerate((notices, noticed_yuan, charged_yuan)):
        cells.append(TCell(1, 2, i + 1, i + 2, str(v), font=style.number_font))
    return Grid("fees", [width * 0.25] * 4, ["header:0", "fees"], cells, header_rows=1, ruling=_ruling(style, "t4"))
