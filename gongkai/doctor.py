"""`gongkai doctor`'s checks of a county folder, a new user's first step: is everything a run needs there,
and if not, what to do about it. Each check asks the layer it concerns (the config file, the register, the
warehouse, Prefect, OCR, LibreOffice) and changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from gongkai import config, schedule

OK, NOTE, PROBLEM, SKIPPED = "ok", "note", "problem", "skipped"
MARKS = {OK: "✓", NOTE: "!", PROBLEM: "✗", SKIPPED: "-"}
PREFECT_TIMEOUT = 3.0  # seconds: a server that takes longer to answer its health check is as good as down


@dataclass(frozen=True)
class Check:
    name: str  # what was checked, in Chinese
    status: str  # OK, NOTE (fine, but worth knowing), PROBLEM or SKIPPED
    detail: str
    problems: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)  # what to do, in Chinese


def _setting_hint(settings: config.Settings, key: str) -> str:
    return f"改正 {settings.path.name} 中的 paths.{key}"


def check_config(explicit: Path | None, cwd: Path | None = None) -> tuple[Check, config.Settings | None]:
    name = "配置文件"
    path = config.find(explicit, cwd)
    if path is None:
        where = Path(cwd) if cwd is not None else Path.cwd()
        return (
            Check(
                name,
                PROBLEM,
                f"当前文件夹 {where} 中没有 {config.CONFIG_NAME}",
                fixes=[f"运行 gongkai init 文件夹 建立县区文件夹（并进入它），或用 --config 指定 {config.CONFIG_NAME}"],
            ),
            None,
        )
    try:
        settings = config.load(path)
    except config.ConfigError as err:
        return Check(name, PROBLEM, str(err), fixes=[f"按上面的说明改正 {path.name}，再运行 gongkai doctor"]), None
    county = f"（{settings.county}）" if settings.county else ""
    return Check(name, OK, f"{settings.path}{county}"), settings


def check_register(settings: config.Settings) -> Check:
    from gongkai.domain.register_checks import check_register as inspect

    name, path = "乡镇名册", settings.townships
    if not path.is_file():
        fix = f"把乡镇名册（CSV，列 name、aliases、code……）放在 {path}，或{_setting_hint(settings, 'townships')}"
        return Check(name, PROBLEM, f"找不到 {path}", fixes=[fix])
    found = inspect(path)
    if found.problems:
        return Check(
            name,
            PROBLEM,
            f"{path}：{len(found.problems)} 处问题",
            problems=found.problems,
            fixes=["按上面逐条改正乡镇名册，再运行 gongkai doctor"],
        )
    return Check(name, OK, f"{path}，{found.townships} 个乡镇")


def check_inbox(settings: config.Settings) -> Check:
    from gongkai.parsers.sources import input_files, readable_here

    name, path = "收件文件夹", settings.inbox
    if not path.exists():
        fix = (
            "新建这个文件夹，把各乡镇的年度报告放进去（名册填了网址的可用 gongkai collect 采集），"
            f"或{_setting_hint(settings, 'inbox')}"
        )
        return Check(name, PROBLEM, f"找不到 {path}", fixes=[fix])
    if not path.is_dir():
        return Check(name, PROBLEM, f"{path} 是文件而不是文件夹", fixes=[_setting_hint(settings, "inbox")])
    files = input_files(path)  # as the run finds them
    if not files:
        return Check(
            name,
            NOTE,
            f"{path} 中还没有报告文件",
            fixes=["把各乡镇的年度报告（PDF、网页、Word）放进去，或用 gongkai collect 从乡镇网站采集"],
        )
    unsupported = [p for p in files if not readable_here(p)]
    also = f"（其中 {len(unsupported)} 份格式不能读取，运行时拒收并说明怎么办）" if unsupported else ""
    return Check(name, OK, f"{path}，{len(files)} 份报告文件{also}")


def check_office(settings: config.Settings | None) -> Check:
    """LibreOffice, which converts .doc, .wps, .rtf and .odt reports: there, or missing (a problem only when
    the inbox holds such files)."""
    from gongkai.parsers.sources import input_files
    from gongkai.parsers.sources.office import OFFICE_FORMATS, libreoffice

    name = "LibreOffice"
    command = libreoffice()
    if command is not None:
        return Check(name, OK, f"{command}：旧版 Word（.doc）、WPS（.wps）、RTF、ODT 格式的报告可以读取")
    inbox = settings.inbox if settings is not None and settings.inbox.is_dir() else None
    waiting = [p for p in input_files(inbox) if p.suffix.lower() in OFFICE_FORMATS] if inbox else []
    fix = "安装 LibreOffice：sudo apt-get install libreoffice-writer-nogui（Debian/Ubuntu），之后无需其他设置"
    if waiting:
        return Check(
            name,
            PROBLEM,
            f"未安装：收件文件夹中有 {len(waiting)} 份 .doc/.wps/.rtf/.odt 报告，运行时将无法读取",
            fixes=[fix],
        )
    return Check(name, NOTE, "未安装：.doc/.wps/.rtf/.odt 格式的报告将被拒收（拒收时说明怎么办）", fixes=[fix])


def check_warehouse(settings: config.Settings) -> Check:
    from gongkai.warehouse.health import check_warehouse as inspect

    name, path = "数据仓库", settings.db
    health = inspect(path)
    problems, fixes = [], []
    if path.is_dir():  # not a permission to give: the setting names a folder
        fix = f"{_setting_hint(settings, 'db')}：写数据仓库文件的路径，如 {path / 'gongkai.duckdb'}"
        return Check(name, PROBLEM, f"{path} 是文件夹，不是数据仓库文件", fixes=[fix])
    if not health.writable:
        problems.append(f"无法写入：{health.unwritable}")
        fixes.append(f"给它写入权限（DuckDB 还在同一文件夹中写 .wal 日志），或{_setting_hint(settings, 'db')}")
    if not health.exists:
        if problems:
            return Check(name, PROBLEM, f"{path} 尚未建立，也无法建立", problems, fixes)
        return Check(name, OK, f"{path} 尚未建立，第一次 gongkai run 时建立")
    if health.error:
        problems.append(f"不是可用的 DuckDB 数据仓库（{health.error}）")
        fixes.append(f"{_setting_hint(settings, 'db')}，或把这个文件移走（下次 gongkai run 新建数据仓库）")
    elif health.busy:
        detail = f"{path} 正被另一个程序使用（可能是正在进行的 gongkai run），无法读取结构版本"
        if problems:
            return Check(name, PROBLEM, detail, problems, fixes)
        return Check(name, NOTE, detail, fixes=["等运行结束后再运行 gongkai doctor"])
    elif health.version is not None and health.version < health.latest:
        problems.append(
            f"结构版本 {health.version}，比本程序的 {health.latest} 旧："
            "查询命令（gongkai flags、sql 等）读不到新的表和列"
        )
        fixes.append("运行一次 gongkai run：数据仓库自动升级到本程序的结构，数据都保留")
    elif health.version is not None and health.version > health.latest:
        problems.append(f"结构版本 {health.version}，比本程序的 {health.latest} 新：由更新版本的 gongkai 写入")
        fixes.append("升级 gongkai 到写入它的版本后再使用；旧版本不能读写它")
    if problems:
        return Check(name, PROBLEM, f"{path}：{len(problems)} 处问题", problems, fixes)
    return Check(name, OK, f"{path}，结构版本 {health.version}（最新）")


def check_prefect() -> Check:
    from gongkai.prefect_server import answers

    name = "Prefect"
    url = os.environ.get("PREFECT_API_URL", "").strip()
    if not url:
        home = os.environ.get("PREFECT_HOME") or str(Path.home() / ".prefect")
        return Check(
            name,
            OK,
            f"未设置 PREFECT_API_URL：gongkai run 使用 Prefect 的临时模式（ephemeral），运行记录存于 {home}；"
            "gongkai serve 自行启动本机服务器",
        )
    if answers(url, timeout=PREFECT_TIMEOUT):
        return Check(name, OK, f"PREFECT_API_URL 指定的服务器 {url} 可以连接")
    return Check(
        name,
        PROBLEM,
        f"连不上 PREFECT_API_URL 指定的 Prefect 服务器 {url}",
        fixes=[
            "启动该服务器（如 prefect server start），或检查地址是否写错（应以 /api 结尾）",
            "或取消 PREFECT_API_URL（unset PREFECT_API_URL）：gongkai run 改用临时模式，无需服务器",
        ],
    )


def check_schedule(settings: config.Settings | None, now: datetime | None = None) -> Check:
    """When `gongkai serve` would run: the schedule, its zone and why that zone, the next run. China's time
    because the machine says UTC (or nothing) is the default working as meant: said, with where to change it."""
    cron = settings.schedule if settings else schedule.DEFAULT_SCHEDULE
    zone, why = schedule.machine_timezone()
    if settings is not None and settings.timezone:
        zone, why = settings.timezone, f"{settings.path.name} 中的 serve.timezone"
    upcoming = schedule.next_run(cron, zone, now or datetime.now(UTC))
    detail = f"gongkai serve 按“{cron}”运行，时区 {zone}（{why}），下次运行在 {upcoming:%Y-%m-%d %H:%M}"
    if why.endswith("按中国时间"):
        detail += "（另一时区可在 gongkai.toml 的 [serve] 中设置 timezone）"
    return Check("运行计划", OK, detail)


def check_ocr(package: Path | None = None) -> Check:
    from gongkai.parsers.sources.ocr_models import check_models, libraries_problem

    name = "文字识别（OCR）"
    models = check_models(package)
    problems, fixes = list(models.problems), []
    if problems:
        fixes.append(
            "重新安装文字识别组件：.venv/bin/pip install --force-reinstall rapidocr-onnxruntime==1.4.4"
            "（只有扫描件需要文字识别）"
        )
    library = libraries_problem()
    if library:
        problems.append(f"文字识别组件无法加载：{library}")
        fixes.append("安装系统库：apt-get install libgl1 libglib2.0-0")
    if problems:
        return Check(name, PROBLEM, f"扫描件将无法读取：{len(problems)} 处问题", problems, fixes)
    return Check(name, OK, f"{len(models.files)} 个模型文件齐全（{models.package}）")


def diagnose(explicit: Path | None = None, cwd: Path | None = None, *, ocr_package: Path | None = None) -> list[Check]:
    """Every check, in the order a new user would fix them. Without a usable config file, the checks of
    the folders it names are skipped; Prefect, OCR and LibreOffice do not depend on it."""
    first, settings = check_config(explicit, cwd)
    checks = [first]
    for name, check in (("乡镇名册", check_register), ("收件文件夹", check_inbox), ("数据仓库", check_warehouse)):
        if settings is None:
            checks.append(Check(name, SKIPPED, "未检查（需要先有可用的配置文件）"))
        else:
            checks.append(check(settings))
    checks.append(check_prefect())
    checks.append(check_schedule(settings))
    checks.append(check_ocr(ocr_package))
    checks.append(check_office(settings))
    return checks


def report(checks: list[Check], out: TextIO) -> int:
    """Print the checks, one line each with what to fix under a problem; the exit status: 1 if any problem."""
    for c in checks:
        out.write(f"{MARKS[c.status]} {c.name}：{c.detail}\n")
        for problem in c.problems:
            out.write(f"    · {problem}\n")
        for fix in c.fixes:
            out.write(f"    {'建议' if c.status == NOTE else '解决'}：{fix}\n")
    problems = sum(c.status == PROBLEM for c in checks)
    if problems:
        out.write(f"\n发现 {problems} 项问题，按“解决”处理后再运行 gongkai doctor。\n")
        return 1
    notes = sum(c.status == NOTE for c in checks)
    out.write("\n全部正常" + (f"（{notes} 项提示）" if notes else "") + "，可以运行 gongkai run。\n")
    return 0
