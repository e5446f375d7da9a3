"""One report: title, prose and tables assembled into blocks, laid out and drawn, with its truth."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from gongkai.demo import pdf, prose, tables, untidy, web, word
from gongkai.demo.layout import WEB_MEDIA, Layout
from gongkai.demo.pdf import PAGE_W, Para, Style
from gongkai.demo.register import Township, site_host
from gongkai.domain.codes import DECIMAL_CELLS, SECTIONS, T2_ROWS

Number = int | float


def format_value(code: str, value: Number, thousands: bool) -> str:
    """A value as the report prints it: 1,234 in some townships, amounts with up to two decimals."""
    if code in DECIMAL_CELLS:
        return "0" if value == 0 else f"{value:.2f}".rstrip("0").rstrip(".")
    v = int(value)
    return f"{v:,}" if thousands and abs(v) >= 1000 else str(v)


def title_lines(t: Township, year: int, form: str, letter: bool = False) -> tuple[list[str], str]:
    """The printed title and the body's full name as the title prints it; `letter`: the report sent as a
    letter (函) to the county's office."""
    if letter:
        full = t.county + t.government if form == "county_town" else t.government
        return [f"{full}关于报送{year}年度政府信息公开工作年度报告的函"], full
    tail = f"{year}年政府信息公开工作年度报告"
    if form == "county_town":
        return [t.county + t.name, tail], t.county + t.name
    if form in ("gov", "office"):
        return [t.government, tail], t.government
    return [f"{year}年{t.name}政府信息公开工作年度报告"], t.name


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# The forms a report arrives in: a PDF exported from WPS/Word, a browser's print of the web page, the
# web page itself (UTF-8 or GB2312), the Word original, a scan of the printed PDF. The file suffix of each.
SUFFIX = {"pdf": ".pdf", "browser_pdf": ".pdf", "html": ".html", "html_gb2312": ".htm", "docx": ".docx", "scan": ".pdf"}


@dataclass
class Rendered:
    data: bytes  # the file's bytes
    pages: int
    breaks: list[dict[str, str]]
    body_full_name: str
    page_date: date | None = None  # the 发布时间 a web page states


def _style(lay: Layout, browser: tuple[str, str, str] | None = None) -> Style:
    return Style(
        body_size=lay.body_size,
        leading=lay.body_size * 1.8,
        ruling=lay.ruling,
        shading=lay.shading,
        t2_align=lay.t2_align,
        narrow_chars=lay.narrow_chars,
        number_font=lay.number_font,
        page_numbers=lay.page_numbers,
        browser=browser,
    )


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
    admin_fees_wan: str = "",
    amounts: str = "wan",
    prose_mode: str = "fresh",
    omit: str = "",
) -> Rendered:
    """Write the report in its layout's medium; for a split-target township's PDF, try spacings until the
    break falls in （四）无法提供. `admin_fees_wan`: the fees table 二 prints, when above 0 (section 六 says
    what they were); `amounts`: how the township prints its amounts (demo.untidy.amount_forms);
    `prose_mode`: demo.prose.PROSE_MODES; `omit`: a part (五 or 六) left out, heading and text."""
    kinds = lay.quirks
    title, full_name = title_lines(t, year, lay.title_form, "cover_letter" in kinds)
    site = None
    if lay.medium in WEB_MEDIA:
        # The page goes up a few days after the report is signed (or in January when it is not dated).
        day = (
            published_on + timedelta(days=rng.randint(0, 4)) if published_on else date(year + 1, 1, rng.randint(8, 28))
        )
        article = f"t{day:%Y%m%d}_{rng.randint(1000, 9999)}.html"
        address = f"http://{site_host(t.county)}/zwgk/xxgknb/{day:%Y%m}/{article}"
        site = web.Site(t.county, t.government, address, day, rng.randint(40, 2000), f"{t.code[:6]}0001")
    text = prose.sections(
        rng,
        township=t.name,
        stem=t.stem,
        gov=t.government,
        county=t.county,
        year=year,
        applications=applications,
        length=lay.prose,
        intro=lay.foreword,
        fee_yuan=0 if rng.random() < 0.9 else rng.choice((10, 20, 30, 100)),
        admin_fees_wan=admin_fees_wan,
        mode=prose_mode,
    )
    sign = t.county + t.government if lay.title_form == "county_town" else t.government
    print_title = f"{''.join(title)}_政府信息公开年报_{t.county}人民政府"
    printed_at = (
        f"{site.page_date.year}/{site.page_date.month}/{site.page_date.day} 10:{rng.randint(10, 59)}" if site else ""
    )
    style = _style(lay, (printed_at, print_title, site.address) if lay.medium == "browser_pdf" and site else None)
    if lay.medium == "browser_pdf":
        # A browser wraps the long title as the window allows, here leaving 告 alone on its last line.
        whole = "".join(title)
        title = [whole[:-1], whole[-1]]
    width = PAGE_W - 2 * style.margin_x + 16

    def heading(s: str) -> Para:
        return Para([(s, True)], space_before=4)

    # What this township does its own way (demo.untidy), drawn from a generator of its own so that a
    # township doing nothing so draws exactly what it always drew.
    own = random.Random(f"{t.county}:{t.name}:{year}:untidy")
    parts = dict(untidy.headings(kinds, own)) if kinds else dict(SECTIONS)
    narrow = "narrow" in kinds
    on_web = lay.medium in WEB_MEDIA
    t2_rows = tuple(r.code for r in T2_ROWS[template] if not ("partial_t2" in kinds and r.code == "regulations"))
    headers = {"procurement.amount_wan": "采购总金额（元）", "fees.amount_wan": "本年收费金额（单位：元）"}
    labels = dict(tables.TYPO_LABELS) if lay.label_typo else {}
    labels.update(untidy.DRIFT_LABELS if "label_drift" in kinds else {})

    def blocks(row_h: float, extra: int, *, web_page: bool = False) -> list[Any]:
        out: list[Any] = []
        if lay.medium == "browser_pdf":
            crumb, info = web.furniture_top(site)
            out.append(Para([(crumb, False)], indent=False, size=10.5))
        if not web_page:  # a web page holds its title in its own element
            out += [Para([(line, True)], indent=False, align="c", size=21) for line in title]
        if lay.medium == "browser_pdf":
            out.append(Para([(info, False)], indent=False, align="c", size=10.5))
        elif not web_page:
            out.append(Para([("", False)], indent=False))
        if on_web and "nav_in_article" in kinds:
            out.append(Para([(untidy.SHARING_TOOLS, False)], indent=False, size=10.5))
        if on_web and "pasted_css" in kinds:
            out.append(Para([(untidy.PASTED_STYLES, False)], indent=False, size=10.5))
        if "cover_letter" in kinds:
            out.append(Para([(f"{t.county}人民政府办公室：", False)], indent=False))
            letter = f"根据《中华人民共和国政府信息公开条例》要求，现将{t.government}{year}年度工作情况报送如下。"
            out.append(Para([(letter, False)]))
        out += text["序"]
        out.append(heading(parts["一"]))
        out += text["一"]
        # Extra paragraphs of 一 move the tables down the pages (a longer 总体情况).
        out += [
            Para([(prose._fill(s, {"we": t.name, "n1": 120, "n2": 12, "k": 3}), False)]) for s in prose._EXTRA[:extra]
        ]
        repeat = lay.medium == "browser_pdf"
        g2 = tables.t2_grid(
            template,
            printed,
            style,
            width,
            narrow=narrow,
            rows=t2_rows,
            headers=headers if amounts == "yuan_header" else None,
        )
        out.append((replace(g2, repeat_header=repeat), heading(parts["二"])))
        short = tables.SHORT_ROW if "short_row" in kinds else None
        g3 = tables.t3_grid(rows, printed, style, width, labels, narrow=narrow, short_row=short)
        out.append((replace(g3, min_row_h=row_h, repeat_header=repeat), heading(parts["三"])))
        out.append((tables.t4_grid(printed, style, width, narrow=narrow), heading(parts["四"])))
        if "fees" in parts:
            charged = own.choice((0, 0, 50, 100))
            out.append((tables.fee_grid(style, width, charged // 50, charged, charged), heading(parts["fees"])))
        if omit != "五":
            out.append(heading(parts["五"]))
            out += text["五"][:1]
            if "improve" in parts:
                out.append(heading(parts["improve"]))
            out += text["五"][1:]
        if omit != "六":
            out.append(heading(parts["六"]))
            out += text["六"]
        if "cover_letter" in kinds:
            out.append(Para([("此函", False)]))
        out.append(Para([(sign, False)], indent=False, align="r", space_before=30))
        if published_on is not None:
            out.append(Para([(chinese_date(published_on), False)], indent=False, align="r"))
        if on_web and "pasted_css" in kinds:
            out.append(Para([(untidy.PASTED_STYLES, False)], indent=False, size=10.5))
        if lay.medium == "browser_pdf" and "nav_in_article" in kinds:
            # The page's attachments, tools and links print on after the report, before its footer.
            out += [Para([(line, False)], indent=False, size=10.5) for line in untidy.PAGE_AFTER_ARTICLE]
        if lay.medium == "browser_pdf":
            out += [Para([(line, False)], indent=False, align="c", size=9) for line in web.furniture_bottom(site)]
        return out

    base_h = rng.choice((18.0, 19.0, 20.0))
    if lay.medium in ("html", "html_gb2312"):
        encoding = "gb2312" if lay.medium == "html_gb2312" else "utf-8"
        data = web.page(rng, "".join(title), blocks(base_h, 0, web_page=True), site, encoding, year)
        return Rendered(data, 1, [], full_name, site.page_date)
    if lay.medium == "docx":
        written = datetime(year + 1, 1, 3, 9, 0)
        return Rendered(word.document(blocks(base_h, 0), written), 1, [], full_name)
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
    return Rendered(data, len(laid.pages), laid.breaks, full_name, site.page_date if site else None)


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
