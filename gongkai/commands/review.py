"""`gongkai review FLAG_ID --db FILE --confirm|--dismiss|--value N --note "…"`: record an analyst's verdict on a
flag, or the true value of a cell the parser read in doubt or could not read."""

from __future__ import annotations

import argparse
import sys

from gongkai.commands.output import add_db_argument
from gongkai.commands.settings import configured, source


def _number(text: str) -> float:
    try:
        return float(text.replace(",", "").replace("，", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review",
        help="确认或排除一个问题，或更正识别有误的数字（排除后不再列出，直到相关数字改变）",
        description=(
            "记录对一个问题的审核结论。结论在以后的运行中保留；如果报告更正后相关数字变了，问题会重新待核实。"
            "“识别结果待核实”或“数字无法读取”的问题可用 --value 填入对照扫描件核实的正确数值："
            "此后各项核对按这个数值进行，直到该乡镇报来新的文件。"
        ),
    )
    p.add_argument("flag_id", metavar="问题编号", help="gongkai flags 列出的问题编号")
    add_db_argument(p)
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--confirm", action="store_const", dest="status", const="confirmed", help="确认是问题")
    verdict.add_argument("--dismiss", action="store_const", dest="status", const="dismissed", help="排除，不是问题")
    verdict.add_argument(
        "--value",
        type=_number,
        metavar="正确数值",
        help="该格的正确数值（对照扫描件核实），用于“识别结果待核实”和“数字无法读取”的问题",
    )
    p.add_argument("--note", default="", metavar="说明", help="审核说明，例如“已通知乡镇更正”")
    p.set_defaults(handler=configured(run, needs=("db",)))


def run(args: argparse.Namespace) -> int:
    import duckdb

    from gongkai import warehouse
    from gongkai.commands.output import value_text
    from gongkai.warehouse import queries
    from gongkai.warehouse.vocabulary import STATUS_LABELS

    if not args.db.is_file():
        print(f"找不到数据仓库文件：{args.db}{source(args, 'db')}", file=sys.stderr)
        return 2
    try:
        con = warehouse.open_warehouse(args.db)
    except duckdb.IOException as err:
        print(f"数据仓库正被其他程序使用，请等运行结束后再审核：{err}", file=sys.stderr)
        return 3
    with con:
        try:
            if args.value is not None:
                done = warehouse.correct_cell(con, args.flag_id, args.value, args.note)
            else:
                warehouse.review_flag(con, args.flag_id, args.status, args.note)
                reviewed = queries.flag(con, args.flag_id)
        except KeyError:
            print(f"找不到问题编号 {args.flag_id}（可用 gongkai flags 查看）。", file=sys.stderr)
            return 2
        except ValueError as err:
            print(str(err), file=sys.stderr)
            return 2
    if args.value is None:
        print(f"{STATUS_LABELS[args.status]}：{reviewed['township']} {reviewed['year']} 年 — {reviewed['message']}")
        return 0
    before = value_text(done.value_read) if done.value_read is not None else f"“{done.raw or ''}”（无法读取）"
    print(f"已更正：{done.township} {done.year} 年 {done.cell} 由 {before} 改为 {value_text(done.value)}")
    checks = done.checks
    print(f"已重新核对：消除问题 {checks.closed} 个，新增 {checks.opened} 个；现有待处理问题 {checks.open} 个。")
    return 0
