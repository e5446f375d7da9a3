"""Lay out and draw one report as an A4 PDF that reads like a WPS/Word export.

Two passes: `layout` places prose and table rows on pages as drawing operations (cheap, so a caller
can try a few variants to land a page break where it wants one), `draw` writes them with reportlab.
Chinese text uses the standard CID font STSong-Light, so nothing depends on system fonts and
pdfplumber reads every character back as text.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import mplfonts
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
PAGE_W, PAGE_H = A4

# A browser print names radical code points for some ideographs in its text layer, because its font maps
# both to one glyph (seen in Chromium prints of real reports: ⾏ for 行, ⼈ for 人, ⺠ for 民). The pairs
# are named here by Unicode character name, independently of the parser's normalisation table.
_RADICAL_NAMES = {
    "行": "KANGXI RADICAL WALK ENCLOSURE",
    "人": "KANGXI RADICAL MAN",
    "工": "KANGXI RADICAL WORK",
    "无": "KANGXI RADICAL NOT",
    "一": "KANGXI RADICAL ONE",
    "二": "KANGXI RADICAL TWO",
    "十": "KANGXI RADICAL TEN",
    "入": "KANGXI RADICAL ENTER",
    "八": "KANGXI RADICAL EIGHT",
    "力": "KANGXI RADICAL POWER",
    "口": "KANGXI RADICAL MOUTH",
    "大": "KANGXI RADICAL BIG",
    "子": "KANGXI RADICAL CHILD",
    "小": "KANGXI RADICAL SMALL",
    "心": "KANGXI RADICAL HEART",
    "文": "KANGXI RADICAL SCRIPT",
    "方": "KANGXI RADICAL SQUARE",
    "日": "KANGXI RADICAL SUN",
    "月": "KANGXI RADICAL MOON",
    "止": "KANGXI RADICAL STOP",
    "生": "KANGXI RADICAL LIFE",
    "用": "KANGXI RADICAL USE",
    "自": "KANGXI RADICAL SELF",
    "至": "KANGXI RADICAL ARRIVE",
    "言": "KANGXI RADICAL SPEECH",
    "身": "KANGXI RADICAL BODY",
    "里": "KANGXI RADICAL VILLAGE",
    "非": "KANGXI RADICAL WRONG",
    "面": "KANGXI RADICAL FACE",
    "民": "CJK RADICAL CIVILIAN",
    "长": "CJK RADICAL C-SIMPLIFIED LONG",
    "门": "CJK RADICAL C-SIMPLIFIED GATE",
    "见": "CJK RADICAL C-SIMPLIFIED SEE",
    "页": "CJK RADICAL C-SIMPLIFIED LEAF",
    "车": "CJK RADICAL C-SIMPLIFIED CART",
}
TO_RADICAL = str.maketrans({k: unicodedata.lookup(v) for k, v in _RADICAL_NAMES.items()})
BROWSER_FONT = "SimHei-Print"


def _register_browser_font() -> None:
    """SimHei (TrueType, shipped by mplfonts), embedded, its character map extended so that each radical
    above draws its ideograph's glyph: the PDF's ToUnicode then names the radical, as a browser's does."""
    if BROWSER_FONT in pdfmetrics.getRegisteredFontNames():
        return
    font = TTFont(BROWSER_FONT, str(Path(mplfonts.__file__).parent / "fonts" / "SimHei.ttf"))
    glyphs = font.face.charToGlyph
    for ideograph, name in _RADICAL_NAMES.items():
        glyphs[ord(unicodedata.lookup(name))] = glyphs[ord(ideograph)]
    pdfmetrics.registerFont(font)


# A line may not start with closing punctuation (Word's 避头尾 rule); such a char stays on the line before.
_NO_LINE_START = set("，。、；：？！）》」”’%,.;:)")
_WIDTHS: dict[tuple[str, str], float] = {}


def char_width(ch: str, font: str = FONT) -> float:
    """Width of `ch` at size 1 (cached: this runs for every character of every report)."""
    key = (ch, font)
    w = _WIDTHS.get(key)
    if w is None:
        w = _WIDTHS[key] = pdfmetrics.stringWidth(ch, font, 1.0)
    return w


def text_width(s: str, size: float, font: str = FONT) -> float:
    return sum(char_width(ch, font) for ch in s) * size


def _tokens(text: str) -> list[str]:
    """Break points: every CJK char alone, runs of ASCII letters/digits kept whole (2023年 never splits)."""
    out: list[str] = []
    for ch in text:
        if out and ch.isascii() and (ch.isalnum() or ch in ".,%-") and out[-1][-1].isascii() and out[-1][-1].isalnum():
            out[-1] += ch
        elif out and ch in _NO_LINE_START:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy line breaking of `text` into lines no wider than `width` (closing punctuation may overhang)."""
    lines: list[str] = []
    cur, cur_w = "", 0.0
    for tok in _tokens(text):
        w = text_width(tok, size)
        if cur and cur_w + w > width + 0.01:
            # Overhang a single closing punctuation mark rather than start a line with it.
            if tok in _NO_LINE_START:
                cur += tok
                lines.append(cur)
                cur, cur_w = "", 0.0
                continue
            lines.append(cur)
            cur, cur_w = "", 0.0
        cur += tok
        cur_w += w
    if cur:
        lines.append(cur)
    return lines or [""]


# --- drawing operations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    s: str
    size: float
    font: str = FONT
    bold: bool = False
    char_space: float = 0.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    stroke: bool = True
    fill: tuple[float, float, float] | None = None


@dataclass(frozen=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float


Op = Text | Rect | Line


@dataclass
class Style:
    """Page geometry and type sizes of one township's documents."""

    margin_x: float = 90.0
    margin_top: float = 72.0
    margin_bottom: float = 72.0
    body_size: float = 15.0
    leading: float = 27.0
    title_size: float = 21.0
    table_size: float = 9.5
    number_font: str = "Times-Roman"
    number_size: float = 10.5
    ruling: str = "rects"  # rects | lines | none | mixed (t2 as rects, t3/t4 as lines)
    shading: bool = False
    t2_align: str = "c"
    narrow_chars: int = 3  # characters per line in table 三's narrow applicant columns
    page_numbers: bool = True
    # A browser's print of a web page: the CJK font is an embedded TrueType font whose text layer names
    # radicals for some ideographs (as Chromium's does), and each page has the print header and footer
    # (date and page title above, the page's address and n/N below).
    browser: tuple[str, str, str] | None = None  # (printed at, page title, address)


@dataclass
class Para:
    """A paragraph: runs of (text, bold)."""

    runs: list[tuple[str, bool]]
    indent: bool = True
    align: str = "j"  # j (justified) | c | r
    size: float | None = None
    space_before: float = 0.0


@dataclass
class TCell:
    r0: int
    r1: int  # exclusive
    c0: int
    c1: int  # exclusive
    text: str
    align: str = "c"
    size: float | None = None
    font: str = FONT
    vertical: bool = False  # one character per line
    fill: bool = False


@dataclass
class Grid:
    """A table: column widths, one key per row (for recording page breaks), and cells."""

    name: str
    col_w: list[float]
    row_keys: list[str]
    cells: list[TCell]
    header_rows: int
    min_row_h: float = 18.0
    row_pad: float = 3.0
    groups: dict[str, str] = field(default_factory=dict)  # row key -> group label, to name breaks
    ruling: str = "rects"
    keep_together: bool = False
    repeat_header: bool = False  # the header rows again at the top of each page the table runs onto
    fixed: bool = False  # the columns' widths fixed, as a Word-pasted table keeps them (not stretched to the page)


@dataclass
class Laid:
    pages: list[list[Op]]
    breaks: list[dict[str, str]]  # tables broken across pages: {table, after_row, before_row, group}


class _Flow:
    def __init__(self, style: Style) -> None:
        self.st = style
        self.pages: list[list[Op]] = [[]]
        self.y = PAGE_H - style.margin_top
        self.breaks: list[dict[str, str]] = []

    @property
    def bottom(self) -> float:
        return self.st.margin_bottom

    @property
    def width(self) -> float:
        return PAGE_W - 2 * self.st.margin_x

    def new_page(self) -> None:
        self.pages.append([])
        self.y = PAGE_H - self.st.margin_top

    def need(self, h: float) -> None:
        if self.y - h < self.bottom:
            self.new_page()

    def para(self, p: Para) -> None:
        size = p.size or self.st.body_size
        lead = self.st.leading * size / self.st.body_size
        # Spacing above a paragraph is dropped at the foot of a page (the signature stays with the text).
        if self.y - p.space_before - lead >= self.bottom:
            self.y -= p.space_before
        chars: list[tuple[str, bool]] = [(ch, b) for text, b in p.runs for ch in text]
        text = "".join(ch for ch, _ in chars)
        indent = 2 * size if p.indent else 0.0
        # Wrap the first line narrower by the indent: wrap the text with a placeholder prefix.
        pad = "\u3000\u3000" if p.indent else ""
        lines = wrap(pad + text, self.width, size)
        pos = 0
        for i, line in enumerate(lines):
            if i == 0 and pad:
                line = line[len(pad) :]
            self.need(lead)
            base = self.y - lead + (lead - size) / 2 + size * 0.12
            x0 = self.st.margin_x + (indent if i == 0 else 0.0)
            used = text_width(line, size)
            avail = self.width - (indent if i == 0 else 0.0)
            cs = 0.0
            if p.align == "c":
                x0 = (PAGE_W - used) / 2
            elif p.align == "r":
                x0 = PAGE_W - self.st.margin_x - used - size
            elif i < len(lines) - 1 and len(line) > 1:
                cs = (avail - used) / (len(line) - 1)
                cs = max(min(cs, 1.5), -1.5)
            flags = [b for _, b in chars[pos : pos + len(line)]]
            pos += len(line)
            x = x0
            start = 0
            for j in range(1, len(line) + 1):
                if j == len(line) or flags[j] != flags[start]:
                    seg = line[start:j]
                    self.pages[-1].append(Text(x, base, seg, size, bold=flags[start], char_space=cs))
                    x += text_width(seg, size) + cs * len(seg)
                    start = j
            self.y -= lead

    # -- tables --

    def _cell_lines(self, cell: TCell, width: float) -> tuple[list[str], float]:
        size = cell.size or self.st.table_size
        if cell.vertical:
            return list(cell.text), size
        if cell.font != FONT:
            return [cell.text], size
        return wrap(cell.text, width - 4, size), size

    def table(self, g: Grid, heading: Para | None = None) -> None:
        n = len(g.row_keys)
        xs = [self.st.margin_x + (self.width - sum(g.col_w)) / 2]
        for w in g.col_w:
            xs.append(xs[-1] + w)
        heights = [g.min_row_h] * n
        laid: list[tuple[TCell, list[str], float]] = []
        for cell in g.cells:
            lines, size = self._cell_lines(cell, xs[cell.c1] - xs[cell.c0])
            laid.append((cell, lines, size))
            need = len(lines) * size * 1.3 + 2 * g.row_pad
            if cell.r1 - cell.r0 == 1:
                heights[cell.r0] = max(heights[cell.r0], need)
        for cell, lines, size in laid:
            span = sum(heights[cell.r0 : cell.r1])
            need = len(lines) * size * 1.3 + 2 * g.row_pad
            if span < need:
                heights[cell.r1 - 1] += need - span
        # Keep the heading with the header block and the first two rows; t4 stays whole.
        first = sum(heights[: g.header_rows + 2]) if not g.keep_together else sum(heights)
        head_h = self.st.leading + heading.space_before + 2 if heading else 0.0
        self.need(head_h + first)
        if heading:
            self.para(heading)
        # Place rows: (page index, top y) for each row; a row never splits.
        place: list[tuple[int, float]] = []
        repeats: list[tuple[int, float]] = []  # (page, top) of each repeated header block
        for i, h in enumerate(heights):
            if self.y - h < self.bottom and i > 0:
                prev, nxt = g.row_keys[i - 1], g.row_keys[i]
                group = g.groups.get(nxt, "")
                self.breaks.append(
                    {
                        "table": g.name,
                        "after_row": prev,
                        "before_row": nxt,
                        "group": group if group and g.groups.get(prev) == group else "",
                    }
                )
                self.new_page()
                if g.repeat_header and i >= g.header_rows:
                    repeats.append((len(self.pages) - 1, self.y))
                    self.y -= sum(heights[: g.header_rows])
            place.append((len(self.pages) - 1, self.y))
            self.y -= h
        self.y -= 6
        starts = [0.0]
        for h in heights:
            starts.append(starts[-1] + h)
        edges: set[tuple[int, float, float, float, float]] = set()
        for cell, lines, size in laid:
            self._draw_cell(g, cell, lines, size, xs, place, starts, heights, edges)
        for pg, top in repeats:
            again = [(pg, top - starts[r]) for r in range(g.header_rows)]
            for cell, lines, size in laid:
                if cell.r1 <= g.header_rows:
                    self._draw_cell(g, cell, lines, size, xs, again, starts, heights, edges)

    def _draw_cell(
        self,
        g: Grid,
        cell: TCell,
        lines: list[str],
        size: float,
        xs: list[float],
        place: list[tuple[int, float]],
        starts: list[float],
        heights: list[float],
        edges: set[tuple[int, float, float, float, float]],
    ) -> None:
        """One cell's ruling and text, on the page(s) its rows were placed on."""
        x0, x1 = xs[cell.c0], xs[cell.c1]
        # Pieces of the cell on each page it spans.
        pieces: dict[int, tuple[float, float]] = {}
        for r in range(cell.r0, cell.r1):
            pg, top = place[r]
            bot = top - heights[r]
            t, b = pieces.get(pg, (top, bot))
            pieces[pg] = (max(t, top), min(b, bot))
        ruling = g.ruling
        for pg, (top, bot) in pieces.items():
            ops = self.pages[pg]
            if cell.fill and ruling in ("rects", "mixed") and self.st.shading:
                ops.append(Rect(x0, bot, x1 - x0, top - bot, stroke=False, fill=(0.80, 0.86, 0.94)))
            if ruling == "rects":
                ops.append(Rect(x0, bot, x1 - x0, top - bot))
            elif ruling == "lines":
                for e in ((x0, top, x1, top), (x0, bot, x1, bot), (x0, bot, x0, top), (x1, bot, x1, top)):
                    key = (pg, *(round(v, 2) for v in e))
                    if key not in edges:
                        edges.add(key)
                        ops.append(Line(*e))
        # Text centred over the whole span; each line goes to the page its middle falls on.
        lh = size * 1.3
        span = starts[cell.r1] - starts[cell.r0]
        off = (span - len(lines) * lh) / 2
        for k, s in enumerate(lines):
            mid = starts[cell.r0] + off + (k + 0.5) * lh
            r = cell.r0
            while r < cell.r1 - 1 and starts[r + 1] <= mid:
                r += 1
            pg, top = place[r]
            ymid = top - (mid - starts[r])
            base = ymid - size * 0.35
            w = text_width(s, size, cell.font)
            if cell.align == "l":
                x = x0 + 3
            else:
                x = (x0 + x1 - w) / 2
            self.pages[pg].append(Text(x, base, s, size, font=cell.font))


def layout(blocks: list[Para | tuple[Grid, Para]], style: Style) -> Laid:
    """Place paragraphs and (table, heading) pairs on pages."""
    flow = _Flow(style)
    for block in blocks:
        if isinstance(block, Para):
            flow.para(block)
        else:
            grid, heading = block
            flow.table(grid, heading)
    if not flow.pages[-1]:
        flow.pages.pop()
    return Laid(flow.pages, flow.breaks)


def _print_margins(c: Canvas, browser: tuple[str, str, str], page: int, total: int) -> None:
    """A browser's print header (date and time, the page's title) and footer (its address, n/N)."""
    printed_at, title, address = browser
    c.setFont("Helvetica", 8)
    c.drawString(28, PAGE_H - 20, printed_at)
    c.drawString(28, 16, address)
    c.drawRightString(PAGE_W - 28, 16, f"{page}/{total}")
    c.setFont(BROWSER_FONT, 8)
    c.drawCentredString(PAGE_W / 2, PAGE_H - 20, title.translate(TO_RADICAL))


def draw(laid: Laid, style: Style, title: str) -> bytes:
    """The PDF bytes; `invariant` keeps them identical for identical input."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    if style.browser:
        _register_browser_font()
    c.setCreator("Chromium" if style.browser else "WPS 文字")
    c.setTitle(title)
    c.setLineWidth(0.5)
    total = len(laid.pages)
    for n, ops in enumerate(laid.pages, start=1):
        c.setLineWidth(0.5)
        lw = 0.5
        for op in ops:
            if isinstance(op, Text):
                t = c.beginText(op.x, op.y)
                text = op.s
                if style.browser and op.font == FONT:
                    t.setFont(BROWSER_FONT, op.size)
                    text = text.translate(TO_RADICAL)
                else:
                    t.setFont(op.font, op.size)
                if op.char_space:
                    t.setCharSpace(op.char_space)
                if op.bold:
                    # Fill+stroke is the faux bold WPS uses for a font without a bold face. The render
                    # mode outlives the text object, so it is set back before the object ends.
                    t.setTextRenderMode(2)
                    if lw != op.size * 0.03:
                        lw = op.size * 0.03
                        c.setLineWidth(lw)
                t.textOut(text)
                if op.bold:
                    t.setTextRenderMode(0)
                c.drawText(t)
                continue
            if lw != 0.5:
                lw = 0.5
                c.setLineWidth(lw)
            if isinstance(op, Rect):
                if op.fill:
                    c.setFillColorRGB(*op.fill)
                c.rect(op.x, op.y, op.w, op.h, stroke=int(op.stroke), fill=int(op.fill is not None))
                if op.fill:
                    c.setFillColorRGB(0, 0, 0)
            else:
                c.line(op.x0, op.y0, op.x1, op.y1)
        if style.browser:
            _print_margins(c, style.browser, n, total)
        elif style.page_numbers and total > 1:
            s = f"- {n} -"
            size = 12.0
            w = text_width(s, size, "Times-Roman")
            # Word's odd/even footers: odd pages on the right, even pages on the left.
            x = PAGE_W - style.margin_x - w if n % 2 else style.margin_x
            c.setFont("Times-Roman", size)
            c.drawString(x, 40, s)
        c.showPage()
    c.save()
    return buf.getvalue()
