"""Small web pages and Word files built for the source tests, written by hand here (not by the demo
generator): the report's blocks as paragraphs and tables of rows of (text, rowspan, colspan), in the
national template's shape, then as HTML or as a .docx with merged cells.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import docx

from gongkai.domain import codes
from tests.parsers.builder import Spec

Row = list[tuple[str, int, int]]
Block = str | list[Row]


def _v(spec: Spec, code: str) -> str:
    value = spec.expected()[code]
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{value:,}" if spec.number_style == "thousands" and abs(value) >= 1000 else str(value)


def blocks(spec: Spec) -> list[Block]:
    """The report as paragraphs and tables (2021 template; table 三 with its grouped outcome rows)."""
    out: list[Block] = [*spec.title_lines, *spec.preamble]
    out += [h for h in (spec.heading("一"), "本镇认真贯彻《条例》，全年主动公开信息120条。") if h]
    out += list(spec.headings_after.get("一", ()))
    out += [spec.heading("二")] if spec.heading("二") else []
    t2: list[Row] = []
    section = None
    for row in codes.T2_ROWS[spec.template]:
        spans = {1: [3], 2: [1, 2], 3: [1, 1, 1]}[len(row.columns)]
        if row.section != section:
            section = row.section
            t2.append([(row.section, 1, 4)])
            heads = [spec.column_headers.get(f"{row.code}.{col}", label) for col, label in row.columns]
            t2.append([("信息内容", 1, 1)] + [(label, 1, n) for label, n in zip(heads, spans, strict=True)])
        values = [_v(spec, f"t2.{row.code}.{col}") for col, _ in row.columns]
        t2.append(
            [(spec.labels.get(row.code, row.label), 1, 1)] + [(v, 1, n) for v, n in zip(values, spans, strict=True)]
        )
    out.append(t2)
    out += [spec.heading("三")] if spec.heading("三") else []
    rows = spec.t3_rows()
    outcome = [r for r in rows if r not in ("new_received", "carried_over", "carried_forward")]
    groups = {code: group for code, _, group in codes.T3_ROWS}
    labels = {code: spec.labels.get(code, label) for code, label, _ in codes.T3_ROWS}
    t3: list[Row] = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [(label, 1, 1) for _, label in codes.T3_COLUMNS[1:6]],
    ]
    seen_groups: set[str] = set()
    for code in rows:
        cells: Row = []
        group = groups[code]
        if code == outcome[0]:
            cells.append(("三、本年度办理结果", len(outcome), 1))
        if code in ("new_received", "carried_over", "carried_forward"):
            cells.append((labels[code], 1, 3))
        elif group.startswith("（"):
            if group not in seen_groups:
                seen_groups.add(group)
                cells.append((group, sum(groups[r] == group for r in rows), 1))
            cells.append((labels[code], 1, 1))
        else:
            cells.append((labels[code], 1, 2))
        cells += [(_v(spec, f"t3.{code}.{col}"), 1, 1) for col, _ in codes.T3_COLUMNS]
        t3.append(cells)
    out.append(t3)
    out += [spec.heading("四")] if spec.heading("四") else []
    heads = [label for _, label in codes.T4_COLUMNS]
    out.append(
        [
            [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
            [(h, 2, 1) for h in heads] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
            [(h, 1, 1) for h in heads * 2],
            [(_v(spec, f"t4.{r}.{c}"), 1, 1) for r, _ in codes.T4_ROWS for c, _ in codes.T4_COLUMNS],
        ]
    )
    out += list(spec.headings_after.get("四", ()))
    out += [h for h in (spec.heading("五"), "信息公开的及时性有待提高。") if h]
    out += list(spec.headings_after.get("五", ()))
    out += [h for h in (spec.heading("六"), "无。") if h]
    out += [*spec.signature, *spec.postscript]
    return out


def write_html(
    spec: Spec,
    path: Path,
    *,
    encoding: str = "utf-8",
    declare: str = "meta",  # meta | http-equiv | bom | none
    cell: str = "{}",  # how a cell's text is marked up, e.g. "<p><span>{}</span></p>"
    layout_table: bool = False,
    furniture: bool = True,
    title_in_page: bool = True,
    td_width: int | None = None,  # every cell this many pixels wide, as Word-pasted tables fix them
) -> Path:
    parts: list[str] = []
    body = blocks(spec)
    title = "".join(spec.title_lines)
    for block in body[len(spec.title_lines) :]:
        if isinstance(block, str):
            parts.append(f"<p>{html.escape(block)}</p>")
            continue
        parts.append('<table border="1">')
        for row in block:
            tds = []
            for text, rs, cs in row:
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                attrs += f' width="{td_width * cs}"' if td_width else ""
                inner = cell.format(html.escape(text)) if text else "&nbsp;"
                tds.append(f"<td{attrs}>{inner}</td>")
            parts.append("<tr>" + "".join(tds) + "</tr>")
        parts.append("</table>")
    article = "\n".join(parts)
    if layout_table:
        article = f"<table><tr><td>{article}</td></tr></table>"
    meta = {
        "meta": f'<meta charset="{encoding}">',
        "http-equiv": f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">',
    }.get(declare, "")
    nav = (
        '<div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a></div>'
        "<div>当前位置：首页 &gt; 政务公开 &gt; 年报</div>"
        f'<ul class="links"><li><a href="/a">{html.escape(spec.title_lines[0])}'
        "2021年政府信息公开工作年度报告</a></li></ul>"
        if furniture
        else ""
    )
    footer = "<div class='footer'><p>主办：汤旺县人民政府</p><p>网站标识码：2307170001</p></div>" if furniture else ""
    heading = f"<h2>{html.escape(title)}</h2>" if title_in_page else ""
    page = (
        f"<!DOCTYPE html><html><head>{meta}<title>{html.escape(title)}_年报_汤旺县人民政府</title>"
        "<script>var x = '三、收到和处理政府信息公开申请情况';</script></head>"
        f"<body>{nav}{heading}<div class='info'>发布时间：2023-01-20 浏览次数：12</div>"
        f"<div class='content'>{article}</div>{footer}</body></html>"
    )
    data = page.encode("gb18030" if encoding.lower() in ("gb2312", "gbk") else encoding)
    if declare == "bom":
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def write_docx(spec: Spec, path: Path) -> Path:
    document = docx.Document()
    for block in blocks(spec):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        n_cols = max(sum(cs for _, _, cs in row) for row in block)
        table = document.add_table(rows=len(block), cols=n_cols)
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(block):
            c = 0
            for text, rs, cs in row:
                while (r, c) in taken:
                    c += 1
                taken |= {(r + dr, c + dc) for dr in range(rs) for dc in range(cs)}
                target = table.cell(r, c)
                if rs > 1 or cs > 1:
                    target = target.merge(table.cell(r + rs - 1, c + cs - 1))
                target.text = text
                c += cs
    buf = io.BytesIO()
    document.save(buf)
    path.write_bytes(buf.getvalue())
    return path
