"""A report as a township portal publishes it: an article page of a government CMS, with the site's
navigation, breadcrumb, info bar, related links and footer, the tables as HTML (rowspan/colspan).

Pages vary as real sites do: UTF-8 or GB2312 (declared by `<meta charset>` or `http-equiv`, or not at
all), the article in `<div>`s or in an old layout table, cells padded with `&nbsp;` or holding their
number in nested tags.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from datetime import date

from gongkai.demo.pdf import Grid, Para

# GB2312 sites declare gb2312 but, like real ones, their bytes are GB18030 (a superset) where needed.
ENCODINGS = {"utf-8": "utf-8", "gb2312": "gb18030"}


@dataclass(frozen=True)
class Site:
    county: str
    township_gov: str
    address: str  # the article's URL
    page_date: date  # the 发布时间 of the info bar
    views: int
    site_code: str = "2307170001"  # 网站标识码: the county's division code and a serial


def furniture_top(site: Site) -> tuple[str, str]:
    """The breadcrumb and the info bar, as a page shows (and prints) them."""
    crumb = "当前位置：首页 > 政务公开 > 政府信息公开年报"
    info = f"发布时间：{site.page_date.isoformat()}　浏览次数：{site.views}　字体：[大 中 小]　打印本页"
    return crumb, info


def furniture_bottom(site: Site) -> tuple[str, str]:
    return (
        f"主办：{site.county}人民政府　承办：{site.township_gov}",
        f"网站标识码：{site.site_code}　黑ICP备05001234号",
    )


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _para(p: Para) -> str:
    text = "".join(f"<strong>{_esc(t)}</strong>" if bold else _esc(t) for t, bold in p.runs)
    style = {"c": "text-align:center", "r": "text-align:right"}.get(p.align, "text-indent:2em")
    return f'<p style="{style}">{text}</p>'


def _cell_html(text: str, vertical: bool, rng: random.Random) -> str:
    if not text:
        return "&nbsp;"
    if vertical:
        return "<br/>".join(_esc(ch) for ch in text)
    if rng.random() < 0.3:  # editors' markup: the value inside nested tags, or padded
        return f'<p style="text-align:center"><span style="font-size:14px">{_esc(text)}</span></p>'
    if rng.random() < 0.2:
        return f"&nbsp;{_esc(text)}&nbsp;"
    return _esc(text)


def table(grid: Grid, rng: random.Random) -> str:
    """The grid as an HTML table: each cell in the row it starts on, spans as rowspan/colspan."""
    rows = max(cell.r1 for cell in grid.cells)
    # A Word-pasted table keeps its columns' widths (in pixels, 4/3 of a point): the browser wraps inside them.
    px = [round(w * 4 / 3) for w in grid.col_w]
    size = f'width="{sum(px)}"' if grid.fixed else 'style="border-collapse:collapse;width:100%"'
    out = [f'<table border="1" cellspacing="0" cellpadding="0" {size}>']
    for r in range(rows):
        out.append("<tr>")
        for cell in sorted((c for c in grid.cells if c.r0 == r), key=lambda c: c.c0):
            attrs = ""
            if cell.r1 - cell.r0 > 1:
                attrs += f' rowspan="{cell.r1 - cell.r0}"'
            if cell.c1 - cell.c0 > 1:
                attrs += f' colspan="{cell.c1 - cell.c0}"'
            if grid.fixed:
                attrs += f' width="{sum(px[cell.c0 : cell.c1])}"'
            out.append(f"<td{attrs}>{_cell_html(cell.text, cell.vertical, rng)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def page(
    rng: random.Random,
    title: str,
    blocks: list[Para | tuple[Grid, Para]],
    site: Site,
    encoding: str,
    year: int,
) -> bytes:
    """The page's bytes in `encoding` (utf-8 | gb2312)."""
    body = []
    for block in blocks:
        if isinstance(block, Para):
            body.append(_para(block))
        else:
            grid, heading = block
            body.append(_para(heading))
            body.append(table(grid, rng))
    article = "\n".join(body)
    if rng.random() < 0.3:  # an old CMS: the article inside a layout table
        article = f'<table width="100%"><tr><td class="content">\n{article}\n</td></tr></table>'
    declare = rng.choice(("meta", "http-equiv", "none")) if encoding == "utf-8" else rng.choice(("meta", "http-equiv"))
    charset = {
        "meta": f'<meta charset="{encoding}">',
        "http-equiv": f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">',
        "none": "",
    }[declare]
    crumb, info = furniture_top(site)
    host, sponsor = furniture_bottom(site)
    related = f"{site.township_gov}{year - 1}年政府信息公开工作年度报告"
    doc = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{charset}
<title>{_esc(title)}_政府信息公开年报_{_esc(site.county)}人民政府</title>
<meta name="ArticleTitle" content="{_esc(title)}">
<meta name="PubDate" content="{site.page_date.isoformat()} 09:30">
<script type="text/javascript">var _hmt = _hmt || []; document.write("<div>统计</div>");</script>
<style>.nav li{{float:left}} .article_title{{font-size:22px}}</style>
</head>
<body>
<div class="header"><div class="logo">{_esc(site.county)}人民政府</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="crumb">{_esc(crumb)}</div>
<div class="article">
<div class="article_title">{_esc(title)}</div>
<div class="info">{_esc(info)}</div>
<div class="article_content">
{article}
</div>
<div class="related"><span>相关链接：</span><a href="../2/">{_esc(related)}</a></div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a>
<a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer"><p>{_esc(host)}</p><p>{_esc(sponsor)}</p></div>
<div style="display:none">一、总体情况（隐藏的模板文字）</div>
</body>
</html>
"""
    return doc.encode(ENCODINGS[encoding])
