"""The `gongkai` command: a thin layer over the library packages.

Each group of commands lives in its own module under `gongkai/commands/` with a `register(subparsers)`
function; heavy libraries (Prefect, matplotlib) are imported inside the handlers, so `gongkai parse`
starts fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gongkai.commands import COMMAND_MODULES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai",
        description="政府信息公开工作年度报告：读取表格、核对数字、比较乡镇与年度。",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")
    sub.required = True
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
