"""A county folder's one config file, `gongkai.toml`: where its register, inbox, warehouse and dashboards are,
how many workers parse, when `gongkai serve` runs, and the limits of parsing and collection.

Read with the standard library's `tomllib`; written from our own template (`render`) so that every setting
carries a Chinese comment. Loading is strict: an unknown key (a typo) or a value of the wrong type is an
error naming the setting and the file, never silently ignored. Light on purpose (no Prefect, no parser):
every command reads it before doing anything else.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.options import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS, OPTIONS, Option, bound_problem
from gongkai.schedule import DEFAULT_SCHEDULE, cron_problem, timezone_problem

CONFIG_NAME = "gongkai.toml"

# The defaults of the commands; the commands take them from here, so a setting absent from the file and a
# flag not given mean the same.
DEFAULT_PORT = 4200
# the paths a new county folder's file gives (`render`), relative to the folder
DEFAULT_TOWNSHIPS, DEFAULT_INBOX, DEFAULT_DB, DEFAULT_OUT = "townships.csv", "inbox", "gongkai.duckdb", "dashboard"

PATH_KEYS = {
    "townships": "乡镇名册",
    "inbox": "收件文件夹",
    "db": "数据仓库文件",
    "out": "输出文件夹",
}


class ConfigError(Exception):
    """A config file that cannot be used; `str()` is a Chinese message naming the file and the setting."""

    def __init__(self, path: Path, setting: str | None, problem: str) -> None:
        self.path = path
        self.setting = setting
        self.problem = problem
        where = f"配置文件 {path}" + (f" 中的 {setting}" if setting else "")
        super().__init__(f"{where}：{problem}")


@dataclass(frozen=True)
class Settings:
    """A county folder's settings; paths are absolute (relative ones in the file are read against its folder)."""

    path: Path  # the toml file
    county: str | None
    townships: Path
    inbox: Path
    db: Path
    out: Path
    schedule: str = DEFAULT_SCHEDULE  # cron, for `gongkai serve`
    timezone: str | None = None  # the schedule's zone; None: the machine's (gongkai.schedule.machine_timezone)
    workers: int = DEFAULT_WORKERS
    batch_size: int = DEFAULT_BATCH_SIZE
    port: int = DEFAULT_PORT  # the local Prefect server `gongkai serve` starts
    # Only what the file sets, by option name ("limits.parse_timeout"): the rest stays the default
    # (gongkai.options resolves them, with the environment, into the run's typed limits).
    limits: Mapping[str, float] = field(default_factory=dict)


def find(explicit: Path | None = None, cwd: Path | None = None) -> Path | None:
    """The config file to use: `--config` (a file, or a county folder holding gongkai.toml), else gongkai.toml
    in the current folder, else None.

    Only the current folder, as dbt does, not its parents: a city's folder may hold counties' folders, each
    with its own file, and a command run one folder too deep must not silently act on another county's
    warehouse. An explicit path is returned even when it does not exist, so that `load` says so."""
    if explicit is not None:
        explicit = Path(explicit).expanduser()
        return explicit / CONFIG_NAME if explicit.is_dir() else explicit
    candidate = Path(cwd if cwd is not None else Path.cwd()) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load(path: Path) -> Settings:
    """Read and check a config file; raises ConfigError naming the setting and the file."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")  # Windows Notepad's "UTF-8 with BOM" too
    except FileNotFoundError:
        raise ConfigError(path, None, "文件不存在（可用 gongkai init 建立县区文件夹）。") from None
    except UnicodeDecodeError:
        raise ConfigError(path, None, "不是 UTF-8 编码的文本，请用 UTF-8 保存。") from None
    except OSError as err:
        raise ConfigError(path, None, f"无法读取：{err.strerror or err}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(path, None, _toml_problem(str(err))) from None
    return _settings(path, data)


# tomllib's commonest complaints, in the analyst's words; any other is told only by its place in the file.
_TOML_WORDS = {
    "Invalid value": "值写得不对",
    "Invalid statement": "这一行看不懂",
    "Expected '=' after a key in a key/value pair": "设置名后面应有 =",
    "Unterminated string": "引号没有配对",
    "Illegal character": "有不允许的字符，可能是引号没有配对",
    "Cannot declare": "同一节写了两次",
    "Cannot overwrite a value": "同一设置写了两次",
    "Invalid initial character for a key part": "设置名写得不对",
    "Unclosed array": "方括号没有配对",
    "Expected newline or end of document after a statement": "一行只能写一项设置",
}


def _toml_problem(message: str) -> str:
    m = re.search(r"\(at line (\d+), column (\d+)\)", message)
    where = f"第 {m.group(1)} 行第 {m.group(2)} 列" if m else "文件末尾"
    what = next((chinese for english, chinese in _TOML_WORDS.items() if message.startswith(english)), None)
    return f'{where}不符合 TOML 格式{f"（{what}）" if what else ""}。字符串要加英文双引号，如 county = "汤旺县"。'


# Every key the file may hold, by table; anything else is a typo to report.
_KNOWN: dict[str, set[str]] = {
    "": {"county", "paths", "run", "serve", "limits", "collect", "checks"},
    "paths": set(PATH_KEYS),
    "run": {"workers", "batch_size"},
    "serve": {"schedule", "timezone", "port"},
    "limits": {o.name.split(".")[1] for o in OPTIONS if o.name.startswith("limits.")},
    "collect": {o.name.split(".")[1] for o in OPTIONS if o.name.startswith("collect.")},
    "checks": {o.name.split(".")[1] for o in OPTIONS if o.name.startswith("checks.")},
}


def _all_names() -> list[str]:
    return [f"{t}.{k}" if t else k for t, keys in _KNOWN.items() for k in keys if not (t == "" and k in _KNOWN)]


def _unknown(path: Path, name: str) -> ConfigError:
    close = difflib.get_close_matches(name, _all_names(), n=1, cutoff=0.6)
    hint = f"是不是 {close[0]}？" if close else f"可用的设置：{'、'.join(sorted(_all_names()))}。"
    return ConfigError(path, name, f"没有这个设置。{hint}")


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return f"真假值 {str(value).lower()}"
    if isinstance(value, int | float):
        return f"数字 {value}"
    if isinstance(value, str):
        return f"文字 {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, dict):
        return "一组设置（表）"
    if isinstance(value, list):
        return "列表"
    return type(value).__name__


def _settings(path: Path, data: dict[str, Any]) -> Settings:
    for key, value in data.items():
        if key not in _KNOWN[""]:
            raise _unknown(path, key)
        if key in _KNOWN and key != "" and not isinstance(value, dict):
            raise ConfigError(path, key, f"应是一组设置 [{key}]，实为{_type_name(value)}。")
    for table, keys in _KNOWN.items():
        if table:
            for key in data.get(table, {}):
                if key not in keys:
                    raise _unknown(path, f"{table}.{key}")

    county = data.get("county")
    if county is not None and (not isinstance(county, str) or not county.strip()):
        raise ConfigError(path, "county", f"应是县区名称（加英文双引号的文字），实为{_type_name(county)}。")
    base = path.absolute().parent
    paths = data.get("paths", {})
    resolved = {}
    for key, label in PATH_KEYS.items():
        name = f"paths.{key}"
        if key not in paths:
            raise ConfigError(path, name, f"缺少这项设置（{label}的路径，相对路径以本文件所在文件夹为准）。")
        value = paths[key]
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(path, name, f"应是{label}的路径（加英文双引号的文字），实为{_type_name(value)}。")
        # normpath, not resolve: `../gongkai.duckdb` reads cleanly, and a symlinked folder stays as named
        resolved[key] = Path(os.path.normpath(base / Path(value.strip()).expanduser()))

    run = data.get("run", {})
    serve = data.get("serve", {})
    workers = _integer(path, "run.workers", run.get("workers", DEFAULT_WORKERS), 1)
    batch_size = _integer(path, "run.batch_size", run.get("batch_size", DEFAULT_BATCH_SIZE), 0)
    port, schedule, timezone = _serve(path, serve)
    limits: dict[str, float] = {}
    for option in OPTIONS:
        table, key = option.name.split(".")
        if key in data.get(table, {}):
            limits[option.name] = _option(path, option, data[table][key])
    return Settings(
        path=path.absolute(),
        county=county.strip() if county else None,
        schedule=schedule,
        timezone=timezone,
        workers=workers,
        batch_size=batch_size,
        port=port,
        limits=limits,
        **resolved,
    )


def _serve(path: Path, serve: dict[str, Any]) -> tuple[int, str, str | None]:
    """The [serve] table: the port, the cron schedule and its time zone (None: the machine's)."""
    port = _integer(path, "serve.port", serve.get("port", DEFAULT_PORT), 1)
    if port > 65535:
        raise ConfigError(path, "serve.port", f"端口应在 1 到 65535 之间，实为 {port}。")
    schedule = serve.get("schedule", DEFAULT_SCHEDULE)
    if not isinstance(schedule, str):
        raise ConfigError(
            path, "serve.schedule", f'应是 cron 计划（文字，如 "0 2 * * *"），实为{_type_name(schedule)}。'
        )
    problem = cron_problem(schedule)
    if problem:
        raise ConfigError(path, "serve.schedule", f"“{schedule}”不是有效的 cron 计划：{problem}")
    timezone = serve.get("timezone")
    if timezone is not None:
        if not isinstance(timezone, str):
            raise ConfigError(
                path, "serve.timezone", f'应是时区名称（文字，如 "Asia/Shanghai"），实为{_type_name(timezone)}。'
            )
        problem = timezone_problem(timezone.strip())
        if problem:
            raise ConfigError(path, "serve.timezone", problem)
    return port, schedule.strip(), timezone.strip() if timezone else None


def _option(path: Path, option: Option, value: Any) -> float:
    if option.kind is int:
        return _integer(path, option.name, value, int(option.minimum))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(path, option.name, f"应是数字，实为{_type_name(value)}。")
    problem = bound_problem(option, value)
    if problem:
        raise ConfigError(path, option.name, problem)
    return float(value)


def _integer(path: Path, name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(path, name, f"应是整数，实为{_type_name(value)}。")
    if value < minimum:
        raise ConfigError(path, name, f"应不小于 {minimum}，实为 {value}。")
    return value


def _quoted(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's."""
    return json.dumps(text, ensure_ascii=False)


def render(
    county: str | None,
    *,
    townships: str = DEFAULT_TOWNSHIPS,
    inbox: str = DEFAULT_INBOX,
    db: str = DEFAULT_DB,
    out: str = DEFAULT_OUT,
    limits: Mapping[str, float] | None = None,
    note: str = "",
) -> str:
    """The commented gongkai.toml of a county folder. `limits` ("collect.delay": 0.05) are written set; the
    others stay commented out at their defaults, so the program's defaults apply until the analyst sets one."""
    limits = dict(limits or {})
    county_line = f"county = {_quoted(county)}" if county else '# county = "汤旺县"'
    lines = [
        "# gongkai 县区配置文件。在本文件夹中运行 gongkai run、gongkai flags、gongkai sql 等命令时自动读取，",
        "# 不必再给 --db 等路径；命令行上给出的参数优先于本文件。",
        "# 相对路径以本文件所在的文件夹为准。以 # 开头的是说明；去掉设置前的 # 即可启用该设置。",
    ]
    if note:
        lines += [f"# {line}" for line in note.splitlines()]
    lines += [
        "",
        "# 县区名称，显示在运行结果中",
        county_line,
        "",
        "[paths]",
        "# 乡镇名册（CSV：name, aliases, code, url, link_pattern；# 开头的行不读入）",
        f"townships = {_quoted(townships)}",
        "# 收件文件夹：各乡镇的年度报告（PDF、网页、Word）放在这里，可以分子文件夹",
        f"inbox = {_quoted(inbox)}",
        "# DuckDB 数据仓库文件：gongkai flags、gongkai sql 等命令查询它",
        f"db = {_quoted(db)}",
        "# 输出文件夹：看板网页、图表和整改清单（flags.xlsx）",
        f"out = {_quoted(out)}",
        "",
        "[run]",
        "# 并行解析的进程数（每个进程用一个处理器核）",
        f"workers = {DEFAULT_WORKERS}",
        "# 每个解析任务处理的文件数；0 表示自动",
        f"batch_size = {DEFAULT_BATCH_SIZE}",
        "",
        "[serve]",
        "# gongkai serve 每晚运行的计划（cron：分 时 日 月 周），默认每天 2:00",
        f"schedule = {_quoted(DEFAULT_SCHEDULE)}",
        "# 计划按哪个时区的时间执行；不设置时用本机时区，本机为 UTC 或未设置时按中国时间（Asia/Shanghai）",
        '# timezone = "Asia/Shanghai"',
        "# 未设置 PREFECT_API_URL 时，gongkai serve 启动的本机 Prefect 服务器端口",
        f"port = {DEFAULT_PORT}",
    ]
    return "\n".join(lines + _options_lines(limits)) + "\n"


_OPTION_TITLES = {
    "limits": "# 解析的上限：不设置时用默认值；设置了同名环境变量时，环境变量优先",
    "collect": "# 从乡镇网站采集报告（gongkai collect、gongkai run --collect、gongkai serve）",
    "checks": "# 检查规则的设置",
}


def _options_lines(limits: Mapping[str, float]) -> list[str]:
    """The template's [limits] and [collect]: every option with its help, default and variable, those in
    `limits` set, the others commented out."""
    lines = []
    for table, title in _OPTION_TITLES.items():
        lines += ["", f"[{table}]", title]
        for option in OPTIONS:
            section, key = option.name.split(".")
            if section != table:
                continue
            lines.append(f"# {option.help}。默认 {option.default:g}，环境变量 {option.variable}")
            set_here = option.name in limits
            lines.append(f"{key} = {limits[option.name]:g}" if set_here else f"# {key} = {option.default:g}")
    return lines
