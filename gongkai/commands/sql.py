"""`gongkai sql --db FILE "select …"`: run a query on the warehouse, opened read-only."""

from __future__ import annotations

import argparse
import sys

from gongkai.commands.output import add_db_argument, add_format_argument, open_read_only, print_rows
from gongkai.commands.settings import configured, source


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sql",
        help="在数据仓库上执行一条 SQL 查询（只读）",
        description="以只读方式打开数据仓库并执行查询，例如："
        'gongkai sql --db gongkai.duckdb "select * from 表三 limit 5"（在县区文件夹中不必给 --db）。'
        "表和视图的说明见 docs/warehouse.md。",
    )
    add_db_argument(p)
    p.add_argument("query", metavar="SQL", help="要执行的查询语句")
    add_format_argument(p)
    p.set_defaults(handler=configured(run, needs=("db",)))


def run(args: argparse.Namespace) -> int:
    import duckdb

    con = open_read_only(args.db, source(args, "db"))
    if con is None:
        return 2
    with con:
        try:
            cur = con.execute(args.query)
            rows = cur.fetchall() if cur.description else []
            headers = [d[0] for d in cur.description or []]
        except duckdb.Error as err:
            if "read-only" in str(err).lower() or "read only" in str(err).lower():
                print("此命令只能查询，不能修改数据仓库。", file=sys.stderr)
            else:
                print(f"查询出错：{err}", file=sys.stderr)
            return 2
    if not headers:
        print("（查询没有返回结果）")
        return 0
    print_rows(headers, rows, args.format)
    if args.format == "table":
        print(f"\n共 {len(rows)} 行。")
    return 0
