"""`gongkai export --db FILE --format xlsx|csv|parquet --out PATH`: the contract tables as files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongkai.commands.output import add_db_argument
from gongkai.commands.settings import configured, source
from gongkai.text_safety import csv_safe, set_text

SHEET_NAMES = {"reports": "报告 reports", "facts": "单元格 facts", "flags": "问题 flags", "rejected": "拒收 rejected"}
XLSX_MAX_ROWS = 1_048_575  # Excel's row limit, less the header


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="把数据仓库的报告、单元格、问题和拒收文件四张表导出为 Excel、CSV 或 Parquet",
        description="以只读方式打开数据仓库，导出 reports（报告）、facts（单元格）、flags（问题）、"
        "rejected（拒收文件）四张表。xlsx：一个文件，每张表一个工作表；csv、parquet：在 --out 文件夹中每张表一个文件。",
    )
    add_db_argument(p)
    p.add_argument("--format", choices=("xlsx", "csv", "parquet"), required=True, help="导出格式：xlsx、csv 或 parquet")
    p.add_argument(
        "--out", type=Path, required=True, metavar="PATH", help="xlsx：要写入的文件；csv、parquet：要写入的文件夹"
    )
    p.set_defaults(handler=configured(run, needs=("db",)))


def run(args: argparse.Namespace) -> int:
    import polars as pl

    from gongkai.commands.output import open_read_only
    from gongkai.warehouse.queries import CONTRACT_TABLES, missing_tables, table_relation

    con = open_read_only(args.db, source(args, "db"))
    if con is None:
        return 2
    with con:
        missing = missing_tables(con)
        if missing:
            print(f"数据仓库中缺少表：{'、'.join(missing)}；它不是本程序建立的数据仓库吗？", file=sys.stderr)
            return 2
        frames = {t: pl.DataFrame(table_relation(con, t, flat=args.format != "parquet")) for t in CONTRACT_TABLES}
    try:
        written = {"xlsx": _xlsx, "csv": _csv, "parquet": _parquet}[args.format](frames, args.out)
    except (OSError, ValueError) as err:
        print(f"导出失败：{err}", file=sys.stderr)
        return 2
    for table, path in written:
        print(f"{table}：{frames[table].height} 行 → {path}")
    return 0


def _csv(frames, out: Path):
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table, frame in frames.items():
        path = out / f"{table}.csv"
        # UTF-8 with a byte-order mark: Excel on Windows then shows the Chinese text correctly
        csv_safe(frame).write_csv(path, include_bom=True)
        written.append((table, path))
    return written


def _parquet(frames, out: Path):
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table, frame in frames.items():
        path = out / f"{table}.parquet"
        frame.write_parquet(path)
        written.append((table, path))
    return written


def _xlsx(frames, out: Path):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if out.is_dir():
        out = out / "warehouse.xlsx"
    too_big = [t for t, f in frames.items() if f.height > XLSX_MAX_ROWS]
    if too_big:
        raise ValueError(f"表 {'、'.join(too_big)} 超过 Excel 的行数上限，请改用 --format csv 或 parquet")
    wb = Workbook(write_only=True)  # streams rows: a county's facts table has hundreds of thousands
    bold = Font(bold=True)
    for table, frame in frames.items():
        ws = wb.create_sheet(SHEET_NAMES[table])
        header = []
        for name in frame.columns:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in frame.iter_rows():
            cells = []
            for value in row:
                cell = WriteOnlyCell(ws)
                set_text(cell, value)
                cells.append(cell)
            ws.append(cells)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return [(t, out) for t in frames]
