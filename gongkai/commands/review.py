"""`gongkai review FLAG_ID --db FILE --confirm|--dismiss --note "…"`: record an analyst's verdict on a flag."""

from __future__ import annotations

import argparse
import sys

from gongkai.commands.output import add_db_argument


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review",
        help="确认或排除一个问题（排除后不再列出，直到相关数字改变）",
        description="记录对一个问题的审核结论。结论在以后的运行中保留；如果报告更正后相关数字变了，问题会重新待核实。",
    )
    p.add_argument("flag_id", metavar="问题编号", help="gongkai flags 列出的问题编号")
    add_db_argument(p)
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--confirm", action="store_const", dest="status", const="confirmed", help="确认是问题")
    verdict.add_argument("--dismiss", action="store_const", dest="status", const="dismissed", help="排除，不是问题")
    p.add_argument("--note", default="", metavar="说明", help="审核说明，例如“已通知乡镇更正”")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import duckdb

    import warehouse
    import warehouse.queries
    from warehouse.vocabulary import STATUS_LABELS

    if not args.db.is_file():
        print(f"找不到数据仓库文件：{args.db}", file=sys.stderr)
        return 2
    try:
        con = warehouse.open_warehouse(args.db)
    except duckdb.IOException as err:
        print(f"数据仓库正被其他程序使用，请等运行结束后再审核：{err}", file=sys.stderr)
        return 3
    with con:
        try:
            warehouse.review_flag(con, args.flag_id, args.status, args.note)
        except KeyError:
            print(f"找不到问题编号 {args.flag_id}（可用 gongkai flags 查看）。", file=sys.stderr)
            return 2
        reviewed = warehouse.queries.flag(con, args.flag_id)
    print(f"{STATUS_LABELS[args.status]}：{reviewed['township']} {reviewed['year']} 年 — {reviewed['message']}")
    return 0
