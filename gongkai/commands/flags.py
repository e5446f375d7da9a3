"""`gongkai flags --db FILE [--township T] [--county C] [--year Y] [--format table|csv|json]`: the problems
found."""

from __future__ import annotations

import argparse

from gongkai.commands.output import add_db_argument, add_format_argument, open_read_only, print_rows
from gongkai.commands.settings import configured, db_option, source

COLUMNS = (
    ("flag_id", "问题编号"),
    ("severity", "级别"),
    ("township", "乡镇"),
    ("county", "县区"),
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
TABLE_COLUMNS = 8  # the terminal shows the first eight (县区 only when the register names counties); csv and
# json carry them all


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "flags",
        help="列出核对发现的问题（数字对不上、缺报、逾期等）",
        description="列出数据仓库中尚未排除的问题，可按乡镇、县区、年度筛选。",
    )
    add_db_argument(p)
    p.add_argument("--township", metavar="乡镇", help="只看这个乡镇（名册中的名称）")
    p.add_argument("--county", metavar="县区", help="只看这个县区的乡镇（乡镇名册中的 county 列）")
    p.add_argument("--year", type=int, metavar="年度", help="只看这一年度的报告")
    add_format_argument(p)
    p.add_argument("--all", action="store_true", help="也列出已排除的问题")
    p.set_defaults(handler=configured(run, needs=("db",)))


def run(args: argparse.Namespace) -> int:
    from gongkai.warehouse.queries import list_flags
    from gongkai.warehouse.vocabulary import SEVERITY_LABELS, STATUS_LABELS, Status

    con = open_read_only(args.db, source(args, "db"))
    if con is None:
        return 2
    statuses = tuple(Status) if args.all else (Status.OPEN, Status.CONFIRMED)
    with con:
        flags = list_flags(con, township=args.township, county=args.county, year=args.year, statuses=statuses)
    keys = [k for k, _ in COLUMNS]
    if args.format == "json":
        print_rows([h for _, h in COLUMNS], [[f[k] for k in keys] for f in flags], "json", keys=keys)
        return 0
    labels = {"severity": SEVERITY_LABELS, "status": STATUS_LABELS}
    rows = [[labels[k].get(f[k], f[k]) if k in labels else f[k] for k in keys] for f in flags]
    if args.format == "csv":
        print_rows([h for _, h in COLUMNS], rows, "csv")
        return 0
    if not rows:
        print("没有待处理的问题。")
        return 0
    shown = range(TABLE_COLUMNS)
    if not any(f["county"] for f in flags):
        shown = [i for i in shown if keys[i] != "county"]  # a single-county register: an empty column
    print_rows([COLUMNS[i][1] for i in shown], [[r[i] for i in shown] for r in rows])
    print(
        f"\n共 {len(rows)} 个问题。确认或排除：gongkai review 问题编号{db_option(args)} --confirm|--dismiss --note 说明"
    )
    if any(f["rule_id"] in ("OCR_UNCERTAIN", "UNREADABLE_CELL") for f in flags):
        print(f"识别有误或无法读取的格，核实后更正：gongkai review 问题编号{db_option(args)} --value 正确数值")
    return 0
