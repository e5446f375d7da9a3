"""Small report PDFs built for parser tests, one layout feature at a time.

Deliberately plain (the demo generator makes the realistic ones): a spec of rows and values in, a PDF
out, with switches for the layout features the parser must survive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from gongkai.domain import codes

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
W, H = A4
LEFT, RIGHT, TOP, BOTTOM = 60.0, W - 50.0, 60.0, H - 70.0
FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")
PROSE = {
    "一": "本年度，我镇认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。",
    "五": "政务公开形式还比较单一，下一步将拓宽公开渠道。",
    "六": "本年度未收取信息处理费。",
}

Value = int | float | str | None  # str: printed as is ("—", "/"), None: blank cell


@dataclass
class Spec:
    title_lines: tuple[str, ...] = ("汤旺县汤旺河镇", "2022年政府信息公开工作年度报告")
    year: int = 2022
    template: str = "2021"
    ruling: str = "rects"  # rects | lines | none
    denied_other: bool = False
    other_split: bool = False
    values: dict[str, Value] = field(default_factory=dict)
    number_style: str = "plain"  # plain | fullwidth | thousands
    labels: dict[str, str] = field(default_factory=dict)  # row code (t2, t3) -> label printed instead (typos)
    wrap: dict[str, tuple[str, str]] = field(default_factory=dict)  # row code -> label over two lines
    drop_rows: tuple[str, ...] = ()  # t3 row codes not printed
    break_before: str | None = None  # t3 row code that starts a new page
    prose_lines: int = 4
    signature: tuple[str, ...] = ("汤旺县汤旺河镇人民政府", "2023年1月12日")
    encrypt: str | None = None
    # Headings printed instead of the template's ("四" -> its text; "" leaves it out), and more of them
    # after a part's own (numbered points of a report's own sections).
    headings: dict[str, str] = field(default_factory=dict)
    headings_after: dict[str, tuple[str, ...]] = field(default_factory=dict)
    column_headers: dict[str, str] = field(default_factory=dict)  # "procurement.amount_wan" -> header printed
    preamble: tuple[str, ...] = ()  # lines between the title and 一 (a cover letter's, pasted styles)
    postscript: tuple[str, ...] = ()  # lines after the signature

    def heading(self, key: str) -> str:
        return self.headings.get(key, codes.SECTIONS[key])

    def t3_rows(self) -> list[str]:
        rows = codes.t3_row_codes(denied_other=self.denied_other, other_split=self.other_split)
        return [r for r in rows if r not in self.drop_rows]

    def expected(self) -> dict[str, Value]:
        """Every printed cell's value as printed (before number styling)."""
        out = {}
        for row in codes.T2_ROWS[self.template]:
            for col, _ in row.columns:
                out[f"t2.{row.code}.{col}"] = self.values.get(f"t2.{row.code}.{col}", 0)
        for row in self.t3_rows():
            for col, _ in codes.T3_COLUMNS:
                out[f"t3.{row}.{col}"] = self.values.get(f"t3.{row}.{col}", 0)
        for row, _ in codes.T4_ROWS:
            for col, _ in codes.T4_COLUMNS:
                out[f"t4.{row}.{col}"] = self.values.get(f"t4.{row}.{col}", 0)
        return out


class _Writer:
    def __init__(self, path: Path, spec: Spec) -> None:
        kwargs = {"encrypt": spec.encrypt} if spec.encrypt else {}
        self.c = canvas.Canvas(str(path), pagesize=A4, **kwargs)
        self.spec = spec
        self.y = TOP
        self.page = 1

    def new_page(self) -> None:
        self.c.setFont(FONT, 9)
        self.c.drawCentredString(W / 2, 40, f"- {self.page} -")
        self.c.showPage()
        self.page += 1
        self.y = TOP

    def ensure(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.new_page()

    def text(self, x: float, y: float, s: str, size: float = 10.5, center: bool = False) -> None:
        self.c.setFont(FONT, size)
        (self.c.drawCentredString if center else self.c.drawString)(x, H - y, s)

    def para(self, s: str, size: float = 12, center: bool = False) -> None:
        self.ensure(size * 1.8)
        self.text(W / 2 if center else LEFT, self.y + size, s, size, center)
        self.y += size * 1.8

    def rule(self, x0: float, top: float, x1: float, bottom: float, edges: str = "tblr") -> None:
        c = self.c
        if self.spec.ruling == "rects":
            c.rect(x0, H - bottom, x1 - x0, bottom - top, stroke=1, fill=0)
        elif self.spec.ruling == "lines":
            if "t" in edges:
                c.line(x0, H - top, x1, H - top)
            c.line(x0, H - bottom, x1, H - bottom)
            c.line(x0, H - top, x0, H - bottom)
            c.line(x1, H - top, x1, H - bottom)

    def number(self, x: float, y: float, value: Value) -> None:
        if value is None:
            return
        s = value if isinstance(value, str) else _fmt(value, self.spec.number_style)
        self.text(x, y, s, 10.5, center=True)


def _fmt(value: int | float, style: str) -> str:
    s = f"{value:,}" if style == "thousands" else str(value)
    return s.translate(FULL_WIDTH) if style == "fullwidth" else s


def build(path: Path, spec: Spec) -> Path:
    w = _Writer(path, spec)
    for line in spec.title_lines:
        w.para(line, size=16, center=True)

    def head(key: str) -> None:
        if spec.heading(key):
            w.para(spec.heading(key))

    def after(key: str) -> None:
        for text in spec.headings_after.get(key, ()):
            w.para(text)

    for line in spec.preamble:
        w.para(line, size=9)
    head("一")
    for _ in range(spec.prose_lines):
        w.para(PROSE["一"])
    after("一")
    head("二")
    _t2(w, spec)
    head("三")
    _t3(w, spec)
    head("四")
    _t4(w, spec)
    after("四")
    head("五")
    w.para(PROSE["五"])
    after("五")
    head("六")
    w.para(PROSE["六"])
    for line in (*spec.signature, *spec.postscript):
        w.para(line, size=9 if line in spec.postscript else 12)
    w.c.setFont(FONT, 9)
    w.c.drawCentredString(W / 2, 40, f"- {w.page} -")
    w.c.save()
    return path


def _t2(w: _Writer, spec: Spec) -> None:
    label_w = 150.0
    sections: dict[str, list[codes.T2Row]] = {}
    for row in codes.T2_ROWS[spec.template]:
        sections.setdefault(row.section, []).append(row)
    for section, rows in sections.items():
        cols = rows[0].columns
        col_w = (RIGHT - LEFT - label_w) / len(cols)
        w.ensure(18 * (len(rows) + 2))
        w.rule(LEFT, w.y, RIGHT, w.y + 18)
        w.text(W / 2, w.y + 13, section, center=True)
        w.y += 18
        w.rule(LEFT, w.y, LEFT + label_w, w.y + 18)
        w.text(LEFT + 4, w.y + 13, "信息内容")
        for i, (col, header) in enumerate(cols):
            x0 = LEFT + label_w + i * col_w
            w.rule(x0, w.y, x0 + col_w, w.y + 18)
            header = spec.column_headers.get(f"{rows[0].code}.{col}", header)
            w.text(x0 + col_w / 2, w.y + 13, header, size=9, center=True)
        w.y += 18
        for row in rows:
            w.rule(LEFT, w.y, LEFT + label_w, w.y + 18)
            w.text(LEFT + 4, w.y + 13, spec.labels.get(row.code, row.label))
            for i, (col, _) in enumerate(row.columns):
                x0 = LEFT + label_w + i * col_w
                w.rule(x0, w.y, x0 + col_w, w.y + 18)
                w.number(x0 + col_w / 2, w.y + 13, spec.values.get(f"t2.{row.code}.{col}", 0))
            w.y += 18
    w.y += 10


_T3_LABEL = {code: label for code, label, _ in codes.T3_ROWS}
_VERTICAL = "三、本年度办理结果"


def _t3(w: _Writer, spec: Spec) -> None:
    x_group, x_label, x_num = LEFT, LEFT + 70, LEFT + 250
    col_w = (RIGHT - x_num) / 7
    w.ensure(60)
    # Header: two levels, with 商业企业-like titles split over two lines as narrow columns print them.
    w.rule(LEFT, w.y, x_num, w.y + 48)
    w.text(LEFT + 4, w.y + 20, "（本列数据的勾稽关系为：第一项加第二项之和，", size=8)
    w.text(LEFT + 4, w.y + 32, "等于第三项加第四项之和）", size=8)
    w.text(x_num + 3.5 * col_w, w.y + 12, "申请人情况", size=9, center=True)
    for i, (_, header) in enumerate(codes.T3_COLUMNS):
        x0 = x_num + i * col_w
        w.rule(x0, w.y + 16, x0 + col_w, w.y + 48)
        top, bottom = (header, "") if len(header) <= 3 else (header[:3], header[3:])
        w.text(x0 + col_w / 2, w.y + 30, top, size=8.5, center=True)
        if bottom:
            w.text(x0 + col_w / 2, w.y + 42, bottom, size=8.5, center=True)
    w.y += 48
    vertical = iter(_VERTICAL)
    for row in spec.t3_rows():
        if row == spec.break_before:
            w.new_page()
        wrapped = spec.wrap.get(row)
        height = 30.0 if wrapped else 18.0
        w.ensure(height)
        in_outcomes = row in codes.T3_OUTCOME_ROWS
        if in_outcomes:
            ch = next(vertical, "")
            w.text(x_group + 4, w.y + height / 2 + 4, ch, size=9)
        label = spec.labels.get(row, _T3_LABEL[row])
        if row == "denied_state_secret":
            label = "（三）不予公开 " + label
        x_text = x_label if in_outcomes else LEFT + 4
        w.rule(x_text - 4, w.y, x_num, w.y + height)
        if wrapped:
            w.text(x_text, w.y + 12, wrapped[0], size=9)
            w.text(x_text, w.y + 25, wrapped[1], size=9)
        else:
            w.text(x_text, w.y + 13, label[:20], size=9)
        for i, (col, _) in enumerate(codes.T3_COLUMNS):
            x0 = x_num + i * col_w
            w.rule(x0, w.y, x0 + col_w, w.y + height)
            w.number(x0 + col_w / 2, w.y + height / 2 + 4, spec.values.get(f"t3.{row}.{col}", 0))
        w.y += height
    w.y += 10


def _t4(w: _Writer, spec: Spec) -> None:
    col_w = (RIGHT - LEFT) / 15
    w.ensure(90)
    w.rule(LEFT, w.y, LEFT + 5 * col_w, w.y + 18)
    w.text(LEFT + 2.5 * col_w, w.y + 13, "行政复议", center=True)
    w.rule(LEFT + 5 * col_w, w.y, RIGHT, w.y + 18)
    w.text(LEFT + 10 * col_w, w.y + 13, "行政诉讼", center=True)
    w.y += 18
    for k, title in ((1, "未经复议直接起诉"), (2, "复议后起诉")):
        w.rule(LEFT + 5 * k * col_w, w.y, LEFT + 5 * (k + 1) * col_w, w.y + 18)
        w.text(LEFT + (5 * k + 2.5) * col_w, w.y + 13, title, size=9, center=True)
    w.y += 18
    for i in range(15):
        _, header = codes.T4_COLUMNS[i % 5]
        x0 = LEFT + i * col_w
        w.rule(x0, w.y, x0 + col_w, w.y + 30)
        w.text(x0 + col_w / 2, w.y + 12, header[:2], size=8, center=True)
        w.text(x0 + col_w / 2, w.y + 24, header[2:], size=8, center=True)
    w.y += 30
    for i, (row, col) in enumerate((r, c) for r, _ in codes.T4_ROWS for c, _ in codes.T4_COLUMNS):
        x0 = LEFT + i * col_w
        w.rule(x0, w.y, x0 + col_w, w.y + 20)
        w.number(x0 + col_w / 2, w.y + 14, spec.values.get(f"t4.{row}.{col}", 0))
    w.y += 30
