"""`gongkai collect --townships CSV --inbox DIR [--db FILE]`: fetch each township's reports from its web site
(in a county folder, the paths come from its gongkai.toml)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongkai.commands.settings import add_config_argument, configured, from_config_help, source


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "collect",
        help="从各乡镇网站采集年度报告到收件文件夹",
        description=(
            "按乡镇名册中的 url 列访问各乡镇的年报栏目，翻页查找年度报告，保存网页正文与附件到收件文件夹。"
            "遵守 robots.txt，同一网站两次请求至少间隔 1 秒；未变化的页面和文件不会重复下载。"
        ),
    )
    p.add_argument(
        "--townships",
        type=Path,
        metavar="CSV",
        help=from_config_help("乡镇名册 CSV（name, aliases, code, url, link_pattern）", "townships"),
    )
    p.add_argument(
        "--inbox",
        type=Path,
        metavar="DIR",
        help=from_config_help("保存报告的收件文件夹（gongkai run 读取它）", "inbox"),
    )
    p.add_argument(
        "--db",
        type=Path,
        metavar="FILE",
        help="把抓取记录写入此数据仓库（不给时取 gongkai.toml 中的 paths.db；没有配置文件时留待下次 gongkai run 写入）",
    )
    p.add_argument(
        "--delay",
        type=float,
        metavar="SECONDS",
        help="同一网站两次请求的间隔秒数（默认 1，也可设 GONGKAI_FETCH_DELAY 或 gongkai.toml 中的 collect.delay）",
    )
    p.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="等待网站响应的秒数（默认 20，也可设 gongkai.toml 中的 collect.timeout）",
    )
    add_config_argument(p)
    p.set_defaults(handler=configured(run, needs=("townships", "inbox"), optional=("db",), limits=True))


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from gongkai import collect
    from gongkai.collect.store import Store

    if not args.townships.is_file():
        print(f"找不到乡镇名册：{args.townships}{source(args, 'townships')}", file=sys.stderr)
        return 2
    sites = collect.read_sites(args.townships)
    if not sites:
        print(f"乡镇名册 {args.townships} 中没有任何乡镇填写了 url 列，无从采集。", file=sys.stderr)
        return 2
    settings = args.pace
    if args.delay is not None:
        settings = replace(settings, delay=max(0.0, args.delay))
    if args.timeout is not None:
        settings = replace(settings, timeout=max(0.1, args.timeout))
    args.inbox.mkdir(parents=True, exist_ok=True)
    print(f"正在从 {len(sites)} 个乡镇网站采集……", file=sys.stderr)
    fetches = collect.collect(sites, args.inbox, settings, progress=lambda name: print(f"  {name}", file=sys.stderr))
    recorded = False
    if args.db:
        import duckdb

        from gongkai import warehouse

        try:
            with warehouse.open_warehouse(args.db) as con:
                warehouse.record_fetches(con, fetches)
            recorded = True
        except (duckdb.Error, OSError) as err:  # held by the nightly run, or not writable: keep them for it
            print(f"数据仓库 {args.db} 暂时无法写入（{err}）。", file=sys.stderr)
    if not recorded:
        Store(args.inbox).add_pending(fetches)
    _print(fetches, args, recorded)
    return 0


def _print(fetches: list, args: argparse.Namespace, recorded: bool) -> None:
    written = [f for f in fetches if f.written]
    unchanged = sum(1 for f in fetches if f.http_status == 304)
    errors = [f for f in fetches if f.error]
    asked = sum(1 for f in fetches if f.http_status is not None)
    print(f"请求 {asked} 次（未变化 {unchanged}），新增或更新文件 {len(written)} 个。")
    for f in written:
        print(f"  保存：{f.saved_file}")
    if errors:
        print(f"抓取失败 {len(errors)} 处：")
        for f in errors:
            print(f"  {f.township or '—'}  {f.url}  {f.error}")
    where = f"已写入数据仓库 {args.db}" if recorded else "保存在收件文件夹中，将在下次 gongkai run 时写入数据仓库"
    print(f"抓取记录{where}。")
