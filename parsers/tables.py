"""Reading tables 二, 三 and 四 out of a report's lines into cells under their canonical codes.

The method is the same for every ruling style (rects, lines, both, none): rows are recognised by their
labels (`parsers.labels`), number rows are matched to labels by position (`parsers.align`), and values
to columns by order or by column centre (`parsers.columns`). Rules drawn on the page are never needed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from gongkai.domain import codes
from gongkai.parsers.align import align
from gongkai.parsers.columns import assign, centers_from_header, centers_from_rows
from gongkai.parsers.labels import (
    T2_HEADER,
    T2_KEYS,
    T3_HEADER,
    T3_KEYS,
    T3_LABELS,
    label_from_number,
    likeliest_row,
    match_row,
)
from gongkai.parsers.layout import Line, Word
from gongkai.parsers.numbers import COUNT_UNITS, MONEY_UNITS, header_unit, parse_number, read_amount, read_printed
from gongkai.parsers.report import Cell, Number
from gongkai.parsers.settings import ParserSettings


@dataclass
class LabelHit:
    code: str
    vy: float
    page: int
    first_line: int  # index in the region


@dataclass
class NumberRow:
    tokens: list[Word]
    vy: float
    page: int


@dataclass
class Matched:
    """Number rows by the code of the label each was matched to, and the rows matched to none."""

    rows: dict[str, NumberRow]
    unlabelled: list[NumberRow]

    def printed_between(self, code: str, order: Sequence[str], hits: Sequence[LabelHit]) -> list[NumberRow]:
        """The unlabelled number rows where row `code` would print: below the nearest row before it in
        `order` that has a label, above the nearest after it. Row `code`, with no label found, is printed
        all the same when one is there (its label unreadable, or alike two rows')."""
        found = {h.code: h.vy for h in hits}
        k = order.index(code)
        low = next((found[c] for c in reversed(order[:k]) if c in found), float("-inf"))
        high = next((found[c] for c in order[k + 1 :] if c in found), float("inf"))
        return [r for r in self.unlabelled if low < r.vy < high]


@dataclass
class TableResult:
    cells: dict[str, Cell] = field(default_factory=dict)
    missing_rows: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    present_rows: list[str] = field(default_factory=list)


def find_labels(
    region: Sequence[Line],
    keys,
    settings: ParserSettings,
    skip: re.Pattern[str] | None = None,
    labels: dict[str, str] | None = None,
    notes: list[str] | None = None,
    table: str = "",
) -> list[LabelHit]:
    """Label lines in document order; consecutive lines of one wrapped label merge into one hit.

    A line's label is its rightmost label cell where it has one (a group's label stands left of its
    rows'), else its words together. Key phrases first; a label cell on a line with values and no key
    phrase is likened to the template's `labels`, and one alike enough to one row (`label_similarity`,
    `label_margin`) is read as it, noted in `notes`. Alike to two, or to none, it is no label: its values
    stay unread."""
    hits: list[LabelHit] = []
    for i, line in enumerate(region):
        words = [w for w in line.words if not w.is_value]
        text = "".join(w.text for w in words).replace(" ", "")
        if not text or (skip is not None and skip.search(text)):
            continue
        in_cell = words[-1].cell is not None
        own = words[-1].text.replace(" ", "") if in_cell else text
        code = match_row(own, keys) or (match_row(text, keys) if in_cell else None)
        # Likeness only for a whole label: read from its cell, or from its number on (4.保护第三放…) on a
        # line of an unruled table, whose lines hold pieces of labels (a group's 他处理 beside a row's
        # middle): a piece alike to some row is no reading.
        whole = own if in_cell else label_from_number(text)
        if code is None and labels and whole and line.words[-1].is_value:
            likeness = likeliest_row(whole, labels, settings.label_similarity, settings.label_margin)
            code = likeness.code
            if notes is not None and code is not None:
                notes.append(f"{table}：行标签印为“{whole}”，按“{labels[code]}”读取（相似度 {likeness.score:.2f}）。")
            elif notes is not None and likeness.close:
                rows = "”“".join(labels[c] for c in likeness.close)
                notes.append(f"{table}：行标签“{whole}”与“{rows}”都相近，无法确定是哪一行，该行数字未读取。")
        if code is None:
            continue
        last = hits[-1] if hits else None
        if last and last.code == code and last.page == line.page and i - last.first_line <= settings.label_wrap_lines:
            # A wrapped label matched twice: its numbers sit at the centre of the whole label.
            last.vy = (last.vy + line.vy) / 2
            continue
        hits.append(LabelHit(code, line.vy, line.page, i))
    return hits


def find_number_rows(region: Sequence[Line], max_cells: int) -> list[NumberRow]:
    """Each line's trailing run of cell tokens (at most `max_cells`): the values of a row.

    Taken from the right, so a label that overflows its column, or ends in a stray digit, never
    shifts the values (labels are text; a row's values are the tokens at its right end).
    """
    rows = []
    for line in region:
        run: list[Word] = []
        for word in reversed(_units_attached(line.words)):
            if not word.is_value or len(run) == max_cells:
                break
            run.append(word)
        if run:
            rows.append(NumberRow(run[::-1], line.vy, line.page))
    return rows


def _units_attached(words: Sequence[Word]) -> list[Word]:
    """A line's words with a unit printed apart from its number (`251000 元` in an unruled table, where the
    font changes between them) joined to it, as one value."""
    out: list[Word] = []
    for word in words:
        last = out[-1] if out else None
        unit = word.text.strip()
        if last is not None and (unit in MONEY_UNITS or unit in COUNT_UNITS) and read_printed(last.text):
            out[-1] = replace(last, text=last.text + unit, x1=word.x1, bottom=max(last.bottom, word.bottom))
            continue
        out.append(word)
    return out


def _left_edge(rows: Sequence[NumberRow], settings: ParserSettings) -> float:
    """Left edge of the value columns: header words right of it are column titles."""
    return min((r.tokens[0].x0 for r in rows if r.tokens), default=0.0) - settings.header_margin


def read_value(code: str, text: str, unit: str | None, settings: ParserSettings) -> tuple[Number | None, str | None]:
    """A printed value of cell `code` and, when it is not taken, why: amounts in 万元 by their printed
    or their column's unit (`unit`), counts as printed."""
    if code in codes.DECIMAL_CELLS:
        amount = read_amount(text, unit, settings.amount_unit_doubt)
        return amount.value, amount.note
    value = parse_number(text)
    printed = read_printed(text) if value is None else None
    if printed is not None:  # a number, with a unit of money where a count is printed
        return None, f"数量一栏印有金额单位“{printed.unit}”"
    return value, None


def _cell(
    code: str,
    token: Word | None,
    row: NumberRow,
    center: float | None,
    settings: ParserSettings,
    unit: str | None = None,
) -> Cell:
    if token is None:
        x, half = center if center is not None else 0.0, settings.blank_cell_width / 2
        if row.tokens:
            top, bottom = min(w.top for w in row.tokens), max(w.bottom for w in row.tokens)
        else:  # a row with no value printed (or none found): the height of its label's line
            y = row.vy - (row.page - 1) * settings.page_gap
            top, bottom = y - settings.blank_cell_height / 2, y + settings.blank_cell_height / 2
        box = (round(x - half, 2), round(top, 2), round(x + half, 2), round(bottom, 2))
        return Cell(code, None, "", row.page, box)
    value, note = read_value(code, token.text, unit, settings)
    return Cell(code, value, token.text.strip(), token.page, token.bbox, token.confidence, note=note, unit=unit)


def _match(
    hits: list[LabelHit], rows: list[NumberRow], settings: ParserSettings, result: TableResult, table: str
) -> Matched:
    matched = Matched({}, [])
    pairs = align([h.vy for h in hits], [r.vy for r in rows], settings.max_label_distance)
    for row, label_index in zip(rows, pairs, strict=True):
        if label_index is None:
            values = " ".join(w.text for w in row.tokens)
            result.warnings.append(f"{table} 第{row.page}页有一行数字未能对应到任何行标签：{values}")
            matched.unlabelled.append(row)
            continue
        code = hits[label_index].code
        if code in matched.rows:
            result.warnings.append(f"{table} 行“{code}”出现了两次，取第一次。")
            continue
        matched.rows[code] = row
    return matched


def _unlabelled_row(
    result: TableResult, prefix: str, cols: Sequence[str], printed: Sequence[NumberRow], settings: ParserSettings
) -> None:
    """A row whose label was not told, where unlabelled numbers are printed: its cells unread, saying so."""
    values = "；".join(" ".join(w.text for w in r.tokens) for r in printed)
    note = f"该行的行标签未能识别，所在位置印有数字（{values}），未读取"
    # Which number is whose column is not known either: each cell is placed on the numbers' span.
    page = printed[0].page
    tokens = [w for r in printed for w in r.tokens if w.page == page]
    box = (
        min(w.x0 for w in tokens),
        min(w.top for w in tokens),
        max(w.x1 for w in tokens),
        max(w.bottom for w in tokens),
    )
    for col in cols:
        result.cells[f"{prefix}.{col}"] = Cell(f"{prefix}.{col}", None, "", page, box, note=note)


def drop_repeated_header(region: Sequence[Line]) -> list[Line]:
    """Table 三 without copies of its header below its first row: a browser (or Word's 标题行重复) prints
    the header again at the top of each page the table runs onto, and its 总计 is a column title, not
    the row （七）总计. A copy is a run of lines holding no value and no row label but 总计, naming
    an applicant column (自然人, 法人或其他组织…)."""
    lines = list(region)
    first = next((i for i, line in enumerate(lines) if match_row(line.text, T3_KEYS) == "new_received"), None)
    if first is None:
        return lines
    kept = lines[: first + 1]
    run: list[Line] = []
    for line in lines[first + 1 :]:
        if not any(w.is_value for w in line.words) and match_row(line.text, T3_KEYS) in (None, "total"):
            run.append(line)
            continue
        kept += [] if T3_HEADER.search("".join(x.text for x in run)) else run
        run = []
        kept.append(line)
    return kept + run


def read_t3(region: Sequence[Line], settings: ParserSettings) -> TableResult:
    result = TableResult()
    region = drop_repeated_header(region)
    hits = find_labels(region, T3_KEYS, settings, labels=T3_LABELS, notes=result.warnings, table="表三")
    first = next((i for i, h in enumerate(hits) if h.code == "new_received"), 0)
    hits = hits[first:]  # the header above the first row prints 总计 and 其他 as column titles
    other_split = any(h.code in ("other_no_correction", "other_no_fee") for h in hits)
    drop = "other_processing" if other_split else "other_misc"
    hits = [h for h in hits if h.code != drop]
    if not hits:
        result.warnings.append("表三：没有找到任何行标签。")
        return result
    n = len(codes.T3_COLUMNS)
    rows = find_number_rows(region, n)
    matched = _match(hits, rows, settings, result, "表三")
    boundary = _left_edge(list(matched.rows.values()), settings)
    header = [line for line in region if line.vy < hits[0].vy]
    centers = centers_from_rows([r.tokens for r in matched.rows.values()], n) or centers_from_header(
        header, n, boundary
    )
    denied_other = any(h.code == "denied_other" for h in hits)
    expected = codes.t3_row_codes(denied_other=denied_other, other_split=other_split)
    _fill(result, "t3", expected, [c for c, _ in codes.T3_COLUMNS], matched, hits, centers, settings)
    return result


def detect_template(region: Sequence[Line], year: int) -> str:
    text = "".join(line.text for line in region)
    if re.search(r"新制作|上一年项目|对外公开总数|本年增", text):
        return "2019"
    if re.search(r"制发件数|废止件数|现行有效", text):
        return "2021"
    return "2019" if year <= 2020 else "2021"


def read_t2(region: Sequence[Line], template: str, settings: ParserSettings) -> TableResult:
    result = TableResult()
    spec = {row.code: row for row in codes.T2_ROWS[template]}
    hits = []
    labels = {row.code: row.label for row in codes.T2_ROWS[template]}
    for hit in find_labels(region, T2_KEYS, settings, T2_HEADER, labels, result.warnings, "表二"):
        if hit.code in spec:
            hits.append(hit)
        else:
            result.warnings.append(f"表二：{template}年版模板没有“{hit.code}”这一行，已忽略。")
    if not hits:
        result.warnings.append("表二：没有找到任何行标签。")
        return result
    rows = find_number_rows(region, max(len(r.columns) for r in spec.values()))
    matched = _match(hits, rows, settings, result, "表二")
    boundary = _left_edge(list(matched.rows.values()), settings)
    order = [r.code for r in codes.T2_ROWS[template]]
    for row_spec in codes.T2_ROWS[template]:
        code = row_spec.code
        cols = [c for c, _ in row_spec.columns]
        hit = next((h for h in hits if h.code == code), None)
        if hit is None:
            printed = matched.printed_between(code, order, hits)
            if printed:
                _unlabelled_row(result, f"t2.{code}", cols, printed, settings)
            else:
                result.missing_rows.append(f"t2.{code}")
            continue
        result.present_rows.append(code)
        row = matched.rows.get(code) or NumberRow([], hit.vy, hit.page)
        header_start = max(
            (i for i, line in enumerate(region) if i < hit.first_line and "信息内容" in line.text),
            default=None,
        )
        header = [] if header_start is None else list(region[header_start : hit.first_line])
        header = [line for line in header if not (line.words and line.words[-1].is_value)]
        centers = centers_from_header(header, len(cols), boundary)
        # 采购总金额（元）, 本年收费金额（单位：万元）: the unit of the row's amount, as its header names it.
        unit = header_unit("".join(line.text for line in header))
        _fill_row(result, f"t2.{code}", cols, row, centers, settings, unit)
    return result


def read_t4(region: Sequence[Line], settings: ParserSettings) -> TableResult:
    result = TableResult()
    n_cols = len(codes.T4_COLUMNS)
    n = len(codes.T4_ROWS) * n_cols
    rows = [line for line in region if len(line.words) >= 3 and all(w.is_value for w in line.words)]
    if not rows:
        result.warnings.append("表四：没有找到数字行。")
        result.missing_rows += [f"t4.{r}" for r, _ in codes.T4_ROWS]
        return result
    line = max(rows[:3], key=lambda r: len(r.words))
    index = list(region).index(line)
    header = [h for h in region[:index] if not all(w.is_value for w in h.words)]
    left = min(w.x0 for w in line.words) - settings.t4_header_margin
    centers = None if len(line.words) == n else centers_from_header(header, n, left)
    row = NumberRow(list(line.words), line.vy, line.page)
    flat = [f"{r}.{c}" for r, _ in codes.T4_ROWS for c, _ in codes.T4_COLUMNS]
    _fill_row(result, "t4", flat, row, centers, settings)
    result.present_rows = [r for r, _ in codes.T4_ROWS]
    return result


def _fill(
    result: TableResult,
    table: str,
    expected: Sequence[str],
    cols: list[str],
    matched: Matched,
    hits: list[LabelHit],
    centers: list[float] | None,
    settings: ParserSettings,
) -> None:
    labelled = {h.code: h for h in hits}
    for code in expected:
        if code not in labelled:
            printed = matched.printed_between(code, expected, hits)
            if printed:
                _unlabelled_row(result, f"{table}.{code}", cols, printed, settings)
            else:
                result.missing_rows.append(f"{table}.{code}")
            continue
        result.present_rows.append(code)
        hit = labelled[code]
        row = matched.rows.get(code) or NumberRow([], hit.vy, hit.page)
        _fill_row(result, f"{table}.{code}", cols, row, centers, settings)


def _fill_row(
    result: TableResult,
    prefix: str,
    cols: Sequence[str],
    row: NumberRow,
    centers: Sequence[float] | None,
    settings: ParserSettings,
    unit: str | None = None,
) -> None:
    slots, certain = assign(row.tokens, len(cols), centers)
    if not certain:
        printed = " ".join(w.text for w in row.tokens)
        result.warnings.append(f"{prefix}：第{row.page}页这一行的数字无法对应到各列（印为：{printed}）。")
    for i, col in enumerate(cols):
        center = centers[i] if centers is not None else None
        result.cells[f"{prefix}.{col}"] = _cell(f"{prefix}.{col}", slots[i], row, center, settings, unit)
