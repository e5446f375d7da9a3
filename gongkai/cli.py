"""The `gongkai` command: a thin layer over the library packages.

Each group of commands lives in its own module under `gongkai/commands/` with a `register(subparsers)`
function; heavy libraries (Prefect, matplotlib) are imported inside the handlers, so `gongkai parse`
starts fast. Help and argument errors are Chinese (`gongkai/argparse_zh.py`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from gongkai.argparse_zh import VERSION_HELP, ChineseArgumentParser
from gongkai.commands import COMMAND_MODULES


def gongkai_version() -> str:
    try:
        return version("gongkai")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "未安装"


def build_parser() -> argparse.ArgumentParser:
    # -h and --version are added after the commands, so that the command list heads the help.
    parser = ChineseArgumentParser(
        prog="gongkai",
        description="政府信息公开工作年度报告：读取表格、核对数字、比较乡镇与年度。",
        add_help=False,
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", help="gongkai 命令 -h：查看该命令的帮助")
    sub.required = True
    for module in COMMAND_MODULES:
        module.register(sub)
    parser.add_help_option()
    # also before the command (gongkai --config 汤旺县 flags); its own dest: a subcommand's default would
    # otherwise overwrite it
    parser.add_argument(
        "--config", dest="global_config", type=Path, metavar="FILE", help="配置文件或县区文件夹（也可写在命令之后）"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {gongkai_version()}", help=VERSION_HELP)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.global_config is not None and not hasattr(args, "config"):
        parser.error(f"gongkai {args.command} 不读取配置文件，--config 对它无效")
    if getattr(args, "config", None) is None:  # given after the command, it wins
        args.config = args.global_config
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
