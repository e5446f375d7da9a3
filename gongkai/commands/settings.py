"""Where a command's paths and settings come from: the command line first, then the county folder's
gongkai.toml (the current folder's, or `--config`), then the program's defaults. Not a command itself.

A command registers its handler through `configured(...)`, naming the settings it needs; the handler then
finds them on `args` as if they had been given, `args.settings` holding the file read (or None) and
`args.from_config` the names taken from it (to word hints and messages).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from gongkai import config, options, schedule

# argument name -> (Settings attribute, setting in gongkai.toml, command-line flag, what it is)
SETTINGS: dict[str, tuple[str, str, str, str]] = {
    "townships": ("townships", "paths.townships", "--townships", "乡镇名册"),
    "inbox": ("inbox", "paths.inbox", "--inbox", "收件文件夹"),
    "db": ("db", "paths.db", "--db", "数据仓库文件"),
    "out": ("out", "paths.out", "--out", "输出文件夹"),
    "workers": ("workers", "run.workers", "--workers", "并行解析的进程数"),
    "batch_size": ("batch_size", "run.batch_size", "--batch-size", "每个解析任务处理的文件数"),
    "cron": ("schedule", "serve.schedule", "--cron", "运行计划"),
    "port": ("port", "serve.port", "--port", "本机 Prefect 服务器的端口"),
    "timezone": ("timezone", "serve.timezone", "--timezone", "运行计划的时区"),
}
# What a setting is when neither the command line nor a config file gives it (paths have none: see `needs`).
DEFAULTS = {
    "workers": config.DEFAULT_WORKERS,
    "batch_size": config.DEFAULT_BATCH_SIZE,
    "cron": schedule.DEFAULT_SCHEDULE,
    "port": config.DEFAULT_PORT,
}

Handler = Callable[[argparse.Namespace], int]


class MissingSetting(Exception):
    """A setting a command needs, given neither on the command line nor by a config file."""


def add_config_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"配置文件（默认读取当前文件夹中的 {config.CONFIG_NAME}；也可给出县区文件夹）",
    )


def from_config_help(text: str, name: str) -> str:
    """A flag's help, saying which setting of gongkai.toml stands in for it."""
    note = f"不给时取 {config.CONFIG_NAME} 中的 {SETTINGS[name][1]}"
    return f"{text[:-1]}；{note}）" if text.endswith("）") else f"{text}（{note}）"


def resolve(
    args: argparse.Namespace, needs: Sequence[str] = (), optional: Sequence[str] = (), limits: bool = False
) -> config.Settings | None:
    """Fill `args` from the config file where the command line left a setting out (None). Raises ConfigError
    for a config file that cannot be used, MissingSetting when a setting in `needs` has no value anywhere.
    With `limits`, `args.limits` and `args.pace` are the run's parse limits and collection pace, resolved
    once from the defaults, the file and the environment (gongkai.options); OptionError for a variable
    that cannot be used."""
    path = config.find(getattr(args, "config", None))
    settings = config.load(path) if path is not None else None
    args.settings = settings
    args.from_config = set()
    missing = []
    for name in (*needs, *optional):
        if getattr(args, name, None) is not None:
            continue
        if settings is not None:
            setattr(args, name, getattr(settings, SETTINGS[name][0]))
            args.from_config.add(name)
        elif name in DEFAULTS:
            setattr(args, name, DEFAULTS[name])
        elif name in needs:
            missing.append(name)
        else:
            setattr(args, name, None)
    if missing:
        flags = "、".join(SETTINGS[n][2] for n in missing)
        what = "、".join(SETTINGS[n][3] for n in missing)
        names = "、".join(SETTINGS[n][1] for n in missing)
        raise MissingSetting(
            f"缺少 {flags}（{what}）：请在命令行给出，或在 {config.CONFIG_NAME} 中设置 {names}。"
            f"当前文件夹 {Path.cwd()} 中没有 {config.CONFIG_NAME}：可用 gongkai init 建立县区文件夹，"
            f"或用 --config 指定配置文件。"
        )
    if limits:
        args.limits, args.pace, args.checks = options.resolve(settings.limits if settings else {}, os.environ)
    return settings


def configured(
    handler: Handler, needs: Sequence[str] = (), optional: Sequence[str] = (), limits: bool = False
) -> Handler:
    """`handler` run with its settings resolved (see `resolve`); a config file that cannot be used or a
    setting missing stops the command with the reason, exit status 2, before anything starts."""

    def run(args: argparse.Namespace) -> int:
        try:
            resolve(args, needs, optional, limits)
        except (config.ConfigError, MissingSetting, options.OptionError) as err:
            print(str(err), file=sys.stderr)
            return 2
        return handler(args)

    return run


def source(args: argparse.Namespace, name: str) -> str:
    """Where a value came from, for a message about it: the file and setting, or nothing (the command line)."""
    settings = getattr(args, "settings", None)
    if settings is None or name not in getattr(args, "from_config", ()):
        return ""
    return f"（{settings.path} 中的 {SETTINGS[name][1]}）"


def db_option(args: argparse.Namespace) -> str:
    """` --db FILE` for a command hint, or what names the config file that already says it (nothing in the
    county folder itself)."""
    if "db" not in getattr(args, "from_config", ()):
        return f" --db {args.db}"
    return f" --config {args.config}" if getattr(args, "config", None) else ""
