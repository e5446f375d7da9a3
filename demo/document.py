"""One report: title, prose and tables assembled into blocks, laid out and drawn, with its truth."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from demo import pdf, prose, tables
from demo.layout import Layout
from demo.pdf import PAGE_W, Para, Style
from demo.register import COUNTY, Township
from parsers.codes import DECIMAL_CELLS

Number = int | float


def format_value(code: str, value: Number, thousands: bool) -> str:
    """A value as the report prints it: 1,234 in some townships, amounts with up to two decimals."""
    if code in DECIMAL_CELLS:
        return "0" if value == 0 else f"{value:.2f}".rstrip("0").rstrip(".")
    v = int(value)
    return f"{v:,}" if thousands and abs(v) >= 1000 else str(v)


def title_lines(t: Township, year: int, form: str) -> tuple[list[str], str]:
    """The printed title and the body's full name as the title prints it."""
    tail = f"{year}年政府信息公开工作年度报告"
    if form == "county_town":
        return [COUNTY + t.name, tail], COUNTY + t.name
    if form in ("gov", "office"):
        return [t.government, tail], t.government
    return [f"{year}年{t.name}政府信息公开工作年度报告"], t.name


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    breaks: list[dict[str, str]]
    body_full_name: str


def _style(lay: Layout) -> Style:
    return Style(
        body_size=lay.body_size,
        leading=lay.body_size * 1.8,
        ruling=lay.ruling,
        shading=lay.shading,
        t2_align=lay.t2_align,
        narrow_chars=lay.narrow_chars,
        number_font=lay.number_font,
        page_numbers=lay.page_numbers,
    )


def _admin_fees(printed: str) -> str:
    """The fee amount as printed when it is a positive number, else ""."""
    try:
        return printed if float(printed.replace(",", "")) > 0 else ""
    except ValueError:
        return ""


def render(
    rng: random.Random,
    t: Township,
    year: int,
    template: str,
    lay: Layout,
    printed: dict[str, str],
    rows: tuple[str, ...],
    published_on: date | None,
    applications: int,
) -> Rendered:
    """Draw the report; for a split-target township, try spacings until the break falls in （四）无法提供."""
    title, full_name = title_lines(t, year, lay.title_form)
    text = prose.sections(
        rng,
        township=t.name,
        stem=t.stem,
        gov=t.government,
        county=COUNTY,
        year=year,
        applications=applications,
        length=lay.prose,
        intro=lay.foreword,
        fee_yuan=0 if rng.random() < 0.9 else rng.choice((10, 20, 30, 100)),
        admin_fees_wan=_admin_fees(printed.get("t2.fees.amount_wan", "")),
    )
    sign = COUNTY + t.government if lay.title_form == "county_town" else t.government
    style = _style(lay)
    width = PAGE_W - 2 * style.margin_x + 16

    def heading(s: str) -> Para:
        return Para([(s, True)], space_before=4)

    def blocks(row_h: float, extra: int) -> list[Any]:
        out: list[Any] = [Para([(line, True)], indent=False, align="c", size=21) for line in title]
        out.append(Para([("", False)], indent=False))
        out += text["序"]
        out.append(heading("一、总体情况"))
        out += text["一"]
        # Extra paragraphs of 一 move the tables down the pages (a longer 总体情况).
        out += [
            Para([(prose._fill(s, {"we": t.name, "n1": 120, "n2": 12, "k": 3}), False)]) for s in prose._EXTRA[:extra]
        ]
        out.append((tables.t2_grid(template, printed, style, width), heading("二、主动公开政府信息情况")))
        g3 = tables.t3_grid(rows, printed, style, width, lay.label_typo)
        out.append((replace(g3, min_row_h=row_h), heading("三、收到和处理政府信息公开申请情况")))
        out.append((tables.t4_grid(printed, style, width), heading("四、政府信息公开行政复议、行政诉讼情况")))
        out.append(heading("五、存在的主要问题及改进情况"))
        out += text["五"]
        out.append(heading("六、其他需要报告的事项"))
        out += text["六"]
        out.append(Para([(sign, False)], indent=False, align="r", space_before=30))
        if published_on is not None:
            out.append(Para([(chinese_date(published_on), False)], indent=False, align="r"))
        return out

    base_h = rng.choice((18.0, 19.0, 20.0))
    laid = pdf.layout(blocks(base_h, 0), style)
    if lay.split_target == "t3_unavailable":
        for extra in range(0, 6):
            for step in range(13):
                laid = pdf.layout(blocks(17.0 + step * 0.75, extra), style)
                if any(b["group"] == "（四）无法提供" for b in laid.breaks):
                    break
            else:
                continue
            break
    data = pdf.draw(laid, style, "".join(title))
    return Rendered(data, len(laid.pages), laid.breaks, full_name)


def page_split_tags(breaks: list[dict[str, str]]) -> list[str]:
    """Summary of where tables broke: t2, t3, t3_in_group, t3_in_unavailable."""
    tags = set()
    for b in breaks:
        tags.add(b["table"])
        if b["group"]:
            tags.add(f"{b['table']}_in_group")
        if b["group"] == "（四）无法提供":
            tags.add(f"{b['table']}_in_unavailable")
    return sorted(tags)
