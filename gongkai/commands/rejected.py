"""`gongkai rejected --db FILE`: the files that did not become reports, and why."""

from __future__ import annotations

import argparse

from gongkai.commands.output import add_db_argument, add_format_argument, open_read_only, print_rows
from gongkai.commands.settings import configured, source


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rejected",
        help="列出未能入库的文件及原因",
        description="列出收到但未能作为年度报告入库的文件：无法打开、扫描件、不在名册中、重复提交等。",
    )
    add_db_argument(p)
    add_format_argument(p)
    p.set_defaults(handler=configured(run, needs=("db",)))


def run(args: argparse.Namespace) -> int:
    from gongkai.warehouse.queries import list_rejected
    from gongkai.warehouse.vocabulary import REASON_LABELS

    con = open_read_only(args.db, source(args, "db"))
    if con is None:
        return 2
    with con:
        rows = [(r["source_file"], r["reason"], r["message"], r["seen_at"]) for r in list_rejected(con)]
    if args.format == "json":
        keys = ["source_file", "reason", "reason_label", "message", "seen_at"]
        rows = [(f, r, REASON_LABELS.get(r, r), m, t) for f, r, m, t in rows]
        print_rows(keys, rows, "json")
        return 0
    if not rows and args.format == "table":
        print("没有被拒收的文件。")
        return 0
    table = [(f, REASON_LABELS.get(r, r), m, t.strftime("%Y-%m-%d %H:%M") if t else "") for f, r, m, t in rows]
    print_rows(["文件", "原因", "说明", "时间"], table, args.format)
    if args.format == "table":
        print(f"\n共 {len(rows)} 个文件未入库。")
    return 0
