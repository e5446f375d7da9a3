"""`gongkai parse FILE [--json] [--debug DIR]`: read one report (PDF, web page, Word) and print what was read."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "parse",
        help="读取一份年度报告（PDF、网页或 Word），打印其中每个单元格",
        description=(
            "读取一份年度报告（PDF、网页 .html/.htm 或 Word .docx），"
            "打印机关、年度、模板、发布日期和三张表格的每个单元格。"
        ),
    )
    p.add_argument("file", type=Path, help="年度报告文件：PDF、网页（.html/.htm）或 Word（.docx）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（供脚本使用）")
    p.add_argument("--debug", type=Path, metavar="DIR", help="把解析器读到的单元格画在页面图片上，存入该目录")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import os

    from gongkai.domain.codes import cell_label
    from gongkai.parsers import ReportError, parse_report
    from gongkai.parsers.document import FORMAT_LABELS
    from gongkai.parsers.settings import ParserSettings

    try:
        # One file, nothing else running: OCR may use every core.
        report = parse_report(args.file, ParserSettings(ocr_threads=os.cpu_count() or 1))
    except ReportError as err:
        print(f"无法读取 {args.file}：[{err.reason}] {err.message}", file=sys.stderr)
        return 2
    if args.debug and report.source_format not in ("pdf", "scan"):
        print("--debug 只适用于 PDF：网页和 Word 文件没有页面图片可画。", file=sys.stderr)
    elif args.debug:
        from gongkai.parsers.debug import draw_pages

        written = draw_pages(args.file, report, args.debug)
        print(f"已把读到的单元格画在 {len(written)} 张页面图片上：{args.debug}", file=sys.stderr)
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    date = report.published_on.isoformat() if report.published_on else "未印发布日期"
    print(f"机关：{report.body}（标题印为：{report.body_full_name}）")
    paged = report.source_format in ("pdf", "scan")
    kind = FORMAT_LABELS[report.source_format] + (f"，共 {report.pages} 页" if paged else "")
    print(f"年度：{report.year}　模板：{report.template}年版　发布日期：{date}　来源：{kind}")
    for code, cell in report.cells.items():
        value = cell.raw if cell.value is None else cell.value
        mark = "" if cell.readable else "　← 无法读取" + (f"（印为“{cell.raw}”）" if cell.raw else "（空白）")
        if cell.uncertain:
            mark = f"　← 识别存疑（置信度 {cell.confidence:.2f}），请对照扫描件第 {cell.page} 页核实"
        print(f"{code:<42} {value!s:>10}  {cell_label(code, report.template)}{mark}")
    if report.ocr:
        doubt = f"其中 {len(report.uncertain)} 格识别存疑，已标出" if report.uncertain else "各格均经合计或二次识别核对"
        print(f"表格数字由文字识别（OCR）读出：{doubt}。")
    if report.missing_rows:
        print("缺少的行：" + "、".join(report.missing_rows))
    for warning in report.warnings:
        print(f"注意：{warning}")
    return 0
