"""`gongkai flags --db FILE [--township T] [--year Y] [--format table|csv|json]`: the problems found."""

from __future__ import annotations

import argparse
from pathlib import Path

from gongkai.commands.output import FORMATS, open_read_only, print_rows

COLUMNS = (
    ("flag_id", "问题编号"),
    ("severity", "级别"),
    ("township", "乡镇"),
    ("year", "年度"),
    ("rule_name", "问题类型"),
    ("message", "说明"),
    ("status", "状态"),
    ("rule_id", "规则代码"),
    ("table_code", "表"),
    ("row_code", "行"),
    ("col_code", "列"),
    ("expected", "应为"),
    ("actual", "实为"),
    ("explanation", "规则说明"),
    ("review_note", "审核意见"),
)
TABLE_COLUMNS = 7  # the terminal shows the first seven; csv and json carry them all
SEVERITY = {"error": "错误", "warning": "提示"}
STATUS = {"open": "待核实", "confirmed": "已确认", "dismissed": "已排除"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "flags",
        help="列出核对发现的问题（数字对不上、缺报、逾期等）",
        description="列出数据仓库中尚未排除的问题，可按乡镇、年度筛选。",
    )
    p.add_argument("--db", type=Path, required=True, metavar="FILE", help="DuckDB 数据仓库文件")
    p.add_argument("--township", metavar="乡镇", help="只看这个乡镇（名册中的名称）")
    p.add_argument("--year", type=int, metavar="年度", help="只看这一年度的报告")
    p.add_argument("--format", choices=FORMATS, default="table", help="输出格式：table（默认）、csv 或 json")
    p.add_argument("--all", action="store_true", help="也列出已排除的问题")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    con = open_read_only(args.db)
    if con is None:
        return 2
    source = "flags f LEFT JOIN rules ru USING (rule_id)" if args.all else "open_flags f"
    select = ", ".join(
        {
            "rule_name": "ru.name" if args.all else "f.rule_name",
            "explanation": "ru.explanation" if args.all else "f.explanation",
            "review_note": "NULL" if args.all else "f.review_note",
        }.get(key, f"f.{key}")
        for key, _ in COLUMNS
    )
    where, params = [], []
    if args.township:
        # The register's aliases work too (洪泽区人民政府 finds 洪泽区).
        where.append("(f.township = ? OR f.township IN (SELECT name FROM townships WHERE list_contains(aliases, ?)))")
        params += [args.township, args.township]
    if args.year is not None:
        where.append("f.year = ?")
        params.append(args.year)
    sql = f"SELECT {select} FROM {source}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY f.township, f.year, f.severity, f.rule_id, f.table_code, f.row_code, f.col_code"
    with con:
        rows = con.execute(sql, params).fetchall()
    if args.format == "json":
        print_rows([h for _, h in COLUMNS], rows, "json", keys=[k for k, _ in COLUMNS])
        return 0
    rows = [(r[0], SEVERITY.get(r[1], r[1]), *r[2:6], STATUS.get(r[6], r[6]), *r[7:]) for r in rows]
    if args.format == "csv":
        print_rows([h for _, h in COLUMNS], rows, "csv")
        return 0
    if not rows:
        print("没有待处理的问题。")
        return 0
    print_rows([h for _, h in COLUMNS[:TABLE_COLUMNS]], [r[:TABLE_COLUMNS] for r in rows])
    print(
        f"\n共 {len(rows)} 个问题。确认或排除：gongkai review 问题编号 --db {args.db} --confirm|--dismiss --note 说明"
    )
    return 0
