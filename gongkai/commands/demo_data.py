"""`gongkai demo-data --out DIR --townships N --years 2020-2024 --seed S [--counties N] [--untidy SHARE]`: write a
demo county (or a city of N counties), a share of its townships writing as real ones do."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from gongkai.demo.register import MAX_COUNTIES, max_townships


def _years(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–~至]\s*(\d{4}))?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"年度范围应写作 2020-2024：{text}")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if first > last or first < 2019:
        raise argparse.ArgumentTypeError(f"年度范围无效（最早 2019 年，且起始不晚于结束）：{text}")
    return first, last


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo-data",
        help="生成演示用的汤旺县各乡镇年度报告（PDF、网页、Word）及其标准答案",
        description=(
            "生成一个演示县：乡镇名册 townships.csv、每个乡镇每年的年度报告（reports/ 目录；多数为 PDF，"
            "也有浏览器打印的 PDF、网页和 Word 文件，--scans 指定份数的盖章扫描件）、"
            "每份报告旁的标准答案 JSON，以及跨年度和全县核对结果 county.json。同一随机种子生成的内容完全相同。"
            "--counties 大于 1 时生成一个地级市（伊春市）的多个县区：每县区一个报告子目录，名册增加 county、city 列，"
            "各县区都有城关镇。"
        ),
    )
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="输出目录")
    p.add_argument("--townships", type=int, default=12, metavar="N", help="每个县区的乡镇（街道）数量，默认 12")
    p.add_argument(
        "--counties",
        type=int,
        default=1,
        metavar="N",
        help=f"县区数量，默认 1（只生成汤旺县）；最多 {MAX_COUNTIES}",
    )
    p.add_argument("--years", type=_years, default=(2020, 2024), metavar="起-止", help="报告年度范围，默认 2020-2024")
    p.add_argument("--seed", type=int, default=2024, metavar="S", help="随机种子，默认 2024（演示县）")
    p.add_argument("--workers", type=int, default=None, metavar="K", help="并行进程数，默认按报告数量自动决定")
    p.add_argument(
        "--scans",
        type=int,
        default=0,
        metavar="N",
        help="其中扫描件（盖章后扫描、无文字层的 PDF）的份数，默认 0（需要文字识别，每份约 25 秒）",
    )
    p.add_argument(
        "--untidy",
        type=_share,
        default=0.0,
        metavar="比例",
        help=(
            "按真实乡镇写法生成报告的乡镇比例（0 到 1）：表格列很窄、标题和行标签改写或有错字、金额带单位、"
            "沿用旧版模板、表格缺行、以报送函形式发布、自加的部分和表格、网页正文中混入的样式和分享栏等，"
            "每种写法至少一个乡镇；默认 0（各乡镇都按模板填写）"
        ),
    )
    p.set_defaults(handler=run)


def _share(text: str) -> float:
    try:
        share = float(text)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"比例应是 0 到 1 之间的数：{text}")
    return share


def run(args: argparse.Namespace) -> int:
    from gongkai.demo.corpus import write_corpus

    if args.townships < 1:
        print("乡镇数量至少为 1。", file=sys.stderr)
        return 2
    if args.scans < 0:
        print("扫描件份数不能为负数。", file=sys.stderr)
        return 2
    if not 1 <= args.counties <= MAX_COUNTIES:
        print(f"县区数量应在 1 到 {MAX_COUNTIES} 之间。", file=sys.stderr)
        return 2
    if args.townships > max_townships(args.counties):
        # Generated names are unique across the city: the two-character stems run out.
        print(f"{args.counties} 个县区时每县区最多 {max_townships(args.counties)} 个乡镇。", file=sys.stderr)
        return 2
    s = write_corpus(
        args.out,
        args.townships,
        args.years,
        args.seed,
        workers=args.workers,
        scans=args.scans,
        counties=args.counties,
        untidy=args.untidy,
    )
    towns = f"{s.townships} 个乡镇" if s.counties == 1 else f"{s.counties} 个县区，共 {s.townships} 个乡镇"
    print(f"已写入 {s.reports} 份报告到 {s.out_dir / 'reports'}（{towns}，{s.years[0]}—{s.years[1]} 年）")
    if s.scans:
        print(f"其中 {s.scans} 份为盖章扫描件（无文字层，需文字识别）。")
    scope = "全县" if s.counties == 1 else "各县区"
    print(f"乡镇名册：{s.out_dir / 'townships.csv'}；{scope}核对答案：{s.out_dir / 'county.json'}")
    flags = "、".join(f"{rule} {n} 处" for rule, n in s.flag_counts.items()) or "无"
    print(f"应被发现的问题：{flags}")
    print(f"用时 {s.seconds:.1f} 秒，每秒 {s.reports_per_second:.0f} 份。")
    return 0
