"""`gongkai doctor [--config FILE]`: check a county folder before the first run, and say what to fix."""

from __future__ import annotations

import argparse
import sys

from gongkai.commands.settings import add_config_argument
from gongkai.config import CONFIG_NAME


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doctor",
        help="检查县区文件夹：配置文件、乡镇名册、收件文件夹、数据仓库、Prefect、文字识别模型",
        description=(
            f"新用户的第一步：检查配置文件 {CONFIG_NAME} 能否读取、乡镇名册有无重名或空名和别名冲突、"
            "收件文件夹是否存在、数据仓库能否写入且结构是否最新、Prefect 服务器能否连接、文字识别模型是否齐全，"
            "逐项说明怎么改正。"
            "只读取，不修改任何文件。全部正常时退出状态为 0，有问题时为 1。"
        ),
    )
    add_config_argument(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from gongkai.doctor import diagnose, report

    return report(diagnose(args.config), sys.stdout)
