"""`gongkai run`, `gongkai serve` and `gongkai demo`: the county job, once, nightly, or on the demo county."""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai import config, options, schedule
from gongkai.commands.settings import add_config_argument, configured, db_option, from_config_help, source

if TYPE_CHECKING:
    from gongkai.flows.job import CountyJob, RunSummary

DEMO_SEED = 2024
DEMO_TOWNSHIPS = 12
DEMO_YEARS = (2021, 2025)  # up to the year whose reports were due last January: the dashboard's 发布情况
DEMO_PORTAL_PORT = 8765  # the demo portal's port when free: the same URLs each time, so a rerun sees 304s
DEMO_SCANS = 3  # stamped scans read by OCR (about 25 s each): enough to show them, few enough to wait for
DEMO_UNTIDY = 1 / 3  # townships writing as real ones do (demo/untidy.py): each of its kinds in one of them


JOB_PATHS = ("inbox", "townships", "db", "out")


def _job_args(p: argparse.ArgumentParser) -> None:
    """The county job's arguments; each path and number may come from gongkai.toml instead (settings.py)."""
    p.add_argument("--inbox", type=Path, metavar="DIR", help=from_config_help("存放各乡镇年度报告的文件夹", "inbox"))
    p.add_argument(
        "--townships",
        type=Path,
        metavar="CSV",
        help=from_config_help("乡镇名册 CSV（name, aliases, code）", "townships"),
    )
    p.add_argument("--db", type=Path, metavar="FILE", help=from_config_help("DuckDB 数据仓库文件", "db"))
    p.add_argument("--out", type=Path, metavar="DIR", help=from_config_help("图表、网页和整改清单的输出文件夹", "out"))
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help=from_config_help(f"并行解析的进程数（默认 {config.DEFAULT_WORKERS}）", "workers"),
    )
    p.add_argument(
        "--batch-size",
        type=int,
        metavar="N",
        help=from_config_help("每个解析任务处理的文件数（默认自动）", "batch_size"),
    )
    p.add_argument("--dask-address", metavar="tcp://HOST:PORT", help="在已有的 Dask 集群上解析")
    p.add_argument("--dask-local", type=int, metavar="N", help="启动 N 个进程的本地 Dask 集群来解析")
    p.add_argument("--verbose", action="store_true", help="在终端显示 Prefect 的逐个任务日志")
    add_config_argument(p)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help="运行一次全县汇总：解析、入库、核对、出图",
        description="运行一次全县汇总。在县区文件夹（有 gongkai.toml）中运行时，路径和设置取自该文件。",
    )
    _job_args(p)
    p.add_argument("--collect", action="store_true", help="先从各乡镇网站采集年度报告到收件文件夹")
    p.set_defaults(handler=configured(run, needs=JOB_PATHS, optional=("workers", "batch_size"), limits=True))
    s = sub.add_parser(
        "serve",
        help="按计划每晚运行全县汇总（Prefect 部署）",
        description="按 cron 计划运行。在县区文件夹（有 gongkai.toml）中运行时，路径、计划和设置取自该文件。",
    )
    _job_args(s)
    s.add_argument(
        "--cron",
        metavar="CRON",
        help=from_config_help(f"cron 计划（默认“{config.DEFAULT_SCHEDULE}”，每天 2:00）", "cron"),
    )
    s.add_argument(
        "--port",
        type=int,
        metavar="PORT",
        help=from_config_help(
            f"未设置 PREFECT_API_URL 时，本机 Prefect 服务器的端口（默认 {config.DEFAULT_PORT}）", "port"
        ),
    )
    s.add_argument(
        "--timezone",
        metavar="ZONE",
        help=from_config_help("计划按哪个时区执行（默认本机时区；本机未设时区时按中国时间）", "timezone"),
    )
    s.set_defaults(
        handler=configured(
            serve, needs=JOB_PATHS, optional=("workers", "batch_size", "cron", "port", "timezone"), limits=True
        )
    )
    d = sub.add_parser("demo", help="生成示范县的报告并运行全县汇总", description="生成示范县并运行一次全县汇总。")
    d.add_argument("--out", type=Path, default=Path("out"), help="输出文件夹（默认 out/）")
    d.add_argument(
        "--workers",
        type=int,
        default=options.DEFAULT_WORKERS,
        help=f"并行解析的进程数（默认 {options.DEFAULT_WORKERS}）",
    )
    d.add_argument("--verbose", action="store_true", help="在终端显示 Prefect 的逐个任务日志")
    d.set_defaults(handler=demo)


def run(args: argparse.Namespace) -> int:
    if not args.inbox.is_dir():
        print(f"找不到收件文件夹：{args.inbox}{source(args, 'inbox')}", file=sys.stderr)
        return 2
    if not args.townships.is_file():
        print(f"找不到乡镇名册：{args.townships}{source(args, 'townships')}", file=sys.stderr)
        return 2
    if not _register_lists_townships(args):
        return 2
    settings = getattr(args, "settings", None)
    county = settings.county if settings is not None else None
    return run_job(job_of(args, collect=getattr(args, "collect", False)), args.verbose, county, db_option(args))


def job_of(args: argparse.Namespace, *, collect: bool = False) -> CountyJob:
    """The county job the command's resolved settings describe."""
    from gongkai.flows.job import CountyJob

    return CountyJob(
        inbox=args.inbox,
        townships=args.townships,
        db=args.db,
        out=args.out,
        workers=args.workers,
        batch_size=args.batch_size,
        dask_address=args.dask_address,
        dask_local=args.dask_local,
        collect=collect,
        limits=args.limits,
        pace=args.pace,
        checks=args.checks,
    )


def run_job(job: CountyJob, verbose: bool, county: str | None, db_hint: str) -> int:
    """`job` run once with a progress bar, its summary printed; the exit status. `db_hint` is how a later
    command names the warehouse (e.g. ` --db FILE`)."""
    from gongkai.flows.runner import WarehouseBusy
    from gongkai.prefect_setup import configure_prefect

    configure_prefect(verbose)
    import duckdb

    try:
        summary = _run_with_progress(job)
    except WarehouseBusy as err:
        print(str(err), file=sys.stderr)
        return 3
    except (OSError, duckdb.Error) as err:
        # Disk full, a read-only or missing folder, a warehouse file that cannot be written.
        print(f"运行无法完成，数据仓库 {job.db} 无法写入：{err}", file=sys.stderr)
        return 4
    _print_summary(summary, county, db_hint)
    # Everything the run made is still referenced at exit; the interpreter's last garbage collections over
    # it cost about 0.3 s, a tenth of a rerun. Frozen at exit, those objects are skipped; refcounts still
    # free them.
    atexit.register(gc.freeze)
    return 0


def _register_lists_townships(args: argparse.Namespace) -> bool:
    """A register with no township (a new county folder's, its example lines still commented out) would turn
    every report away as UNKNOWN_TOWNSHIP: say so before anything starts."""
    from gongkai.domain.register import UNREADABLE_ENCODING, read_register

    try:
        if read_register(args.townships):
            return True
    except UnicodeDecodeError:
        print(f"乡镇名册 {args.townships}{source(args, 'townships')}{UNREADABLE_ENCODING}，再运行。", file=sys.stderr)
        return False
    print(
        f"乡镇名册 {args.townships}{source(args, 'townships')}还没有乡镇（# 开头的示例行不读入）："
        "请每个乡镇（街道）填一行 name（名称），再运行。",
        file=sys.stderr,
    )
    return False


def _server_log(db: Path) -> Path:
    """Where `gongkai serve` logs the Prefect server it starts: beside the warehouse."""
    return db.resolve().parent / "prefect-server.log"


def _run_with_progress(job: CountyJob) -> RunSummary:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from gongkai.flows.runner import run_job as run_county_job

    with Progress(
        TextColumn("解析报告"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True
    ) as progress:
        bar = progress.add_task("parse", total=None)
        return run_county_job(job, lambda done, total: progress.update(bar, completed=done, total=total))


def _print_summary(s: RunSummary, county: str | None, db_hint: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from gongkai.parsers.document import FORMAT_LABELS
    from gongkai.prefect_setup import ui_link

    table = Table(title=f"全县汇总完成{f'（{county}）' if county else ''}", show_header=False)
    if s.townships_collected:
        table.add_row(
            "网站采集",
            f"{s.townships_collected} 个乡镇，请求 {s.fetches} 次，新增或更新文件 {s.files_collected} 个",
        )
        table.add_row("抓取失败", str(len(s.fetch_errors)))
    for label, key in (
        ("收到文件", "files_seen"),
        ("本次解析", "files_parsed"),
        ("未变化（跳过）", "files_unchanged"),
        ("拒收", "files_rejected"),
        ("载入报告", "reports_loaded"),
        ("新增问题", "flags_opened"),
        ("已消除问题", "flags_closed"),
        ("当前未处理问题", "flags_open"),
    ):
        value = str(getattr(s, key))
        if key == "reports_loaded" and s.formats_loaded:
            counts = s.formats_loaded
            value += "（" + "，".join(f"{FORMAT_LABELS[k]} {counts[k]}" for k in FORMAT_LABELS if k in counts) + "）"
        table.add_row(label, value)
    console = Console()
    console.print(table)
    console.print(f"运行编号：{s.run_id}")
    console.print(f"数据仓库：{s.db}")
    if s.dashboard:
        console.print(f"看板：{s.dashboard}")
    if s.rejected:
        console.print(f"拒收文件见：gongkai rejected{db_hint}")
    if s.fetch_errors:
        console.print("抓取失败（不影响本次运行，看板“发布情况”中按乡镇列出）：")
        for township, url, error in s.fetch_errors[:10]:
            console.print(f"  {township or '—'}  {url}  {error}", soft_wrap=True)
        if len(s.fetch_errors) > 10:
            console.print(f"  ……共 {len(s.fetch_errors)} 处，全部记录在数据仓库的 sources 表中")
    link = ui_link(s.flow_run_id)
    if link:
        console.print("Prefect 运行记录：")
        console.print(link, soft_wrap=True)  # one line: a link


def _prefect_cron_problem(expr: str) -> str | None:
    """What Prefect itself refuses in a schedule the file's own check let through (its check is the last
    word: it schedules the runs)."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=expr)
    except ValueError:
        return "Prefect 不接受这个计划，请按“分 时 日 月 周”写，如“0 2 * * *”。"
    return None


def _schedule_problem(args: argparse.Namespace) -> str | None:
    """Why the schedule or its zone cannot be served, naming where it came from; None when both can."""
    zone_problem = schedule.timezone_problem(args.timezone) if args.timezone else None
    if zone_problem:
        return f"时区{source(args, 'timezone') or '（--timezone）'}有误：{zone_problem}"
    problem = schedule.cron_problem(args.cron) or _prefect_cron_problem(args.cron)
    if problem:
        return f"运行计划“{args.cron}”{source(args, 'cron') or '（--cron）'}不是有效的 cron 计划：{problem}"
    return None


def serve(args: argparse.Namespace) -> int:
    from gongkai.prefect_server import ServerDidNotStart, scheduling_server
    from gongkai.prefect_setup import configure_prefect

    problem = _schedule_problem(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    zone, why = schedule.machine_timezone()
    if args.timezone:
        zone, why = args.timezone, "配置文件所设" if "timezone" in args.from_config else "命令行所给"
    configure_prefect(args.verbose)
    # Stopped by SIGTERM (systemd) before serving starts: the server started here is stopped too, and the
    # stop is as clean as one once serving, when Prefect's runner handles SIGTERM and returns from serve()
    # (exit status 0 either way: a stop asked for is no failure, whichever moment it came at).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with scheduling_server(args.port, _server_log(args.db)) as server:
            if server.started_here:
                where = f"已启动本机 Prefect 服务器（日志：{server.log_path}）"
            elif server.url == f"http://127.0.0.1:{args.port}/api":
                where = f"端口 {args.port} 上已有 Prefect 服务器在运行，直接使用它"
            else:
                where = f"使用 PREFECT_API_URL 指定的 Prefect 服务器 {server.url}"
            upcoming = schedule.next_run(args.cron, zone, datetime.now(UTC))
            print(
                f"{where}。已按计划“{args.cron}”开始服务，时区 {zone}（{why}），"
                f"下次运行在 {upcoming:%Y-%m-%d %H:%M}。Prefect 界面：{server.ui_url}，按 Ctrl+C 停止。",
                file=sys.stderr,
            )
            _serve_on(server.url, args, zone)
    except ServerDidNotStart as err:
        print(str(err), file=sys.stderr)
        return 5
    return 0


def _serve_on(api_url: str, args: argparse.Namespace, zone: str) -> None:
    """The nightly deployment served on `api_url` until Ctrl+C or SIGTERM. Prefect in this process talks to
    that server only (its settings were read when it was first imported, before the server was chosen), and
    the runs it starts in their own processes inherit the address."""
    os.environ["PREFECT_API_URL"] = api_url
    from prefect.schedules import Cron
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from gongkai.collect import register_has_urls
    from gongkai.flows.county import county_run
    from gongkai.flows.runner import task_runner

    parameters = job_of(args, collect=register_has_urls(args.townships)).flow_parameters(as_json=True)
    runner = task_runner(args.workers, args.dask_address, args.dask_local)
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        county_run.with_options(task_runner=runner).serve(
            name="gongkai-nightly",
            schedule=Cron(args.cron, timezone=zone),
            print_starting_message=False,
            parameters=parameters,
        )


def demo(args: argparse.Namespace) -> int:
    """The demo county end to end: its reports published on a generated township portal served on loopback,
    collected from there into the inbox, and run; then a second night, after one township corrected a
    report it had published, collected and run again (so the scorecard can tell changed from unchanged)."""
    from gongkai.demo.portal import write_register
    from gongkai.flows.job import CountyJob

    county = args.out / "demo-county"
    plan = _demo_county(county)
    site = county / "portal"
    toml = county / config.CONFIG_NAME
    if not toml.is_file():
        toml.write_text(_demo_config(), encoding="utf-8")
    try:
        settings = config.load(toml)
        limits, pace, checks = options.resolve(settings.limits, os.environ)
    except (config.ConfigError, options.OptionError) as err:
        print(str(err), file=sys.stderr)
        return 2
    with _demo_portal(site, plan) as server:
        write_register(plan, county, settings.townships, server.base_url)
        print(f"示范县各乡镇的网站已在本机 {server.base_url}/ 上运行，先从那里采集年度报告。", file=sys.stderr)
        settings.inbox.mkdir(parents=True, exist_ok=True)
        job = CountyJob(
            settings.inbox,
            settings.townships,
            settings.db,
            settings.out,
            workers=args.workers,
            batch_size=settings.batch_size,
            collect=True,
            limits=limits,
            pace=pace,
            checks=checks,
        )
        code = run_job(job, args.verbose, settings.county, f" --config {toml}")
        if code == 0 and plan.correct(server, county):
            fixed = plan.correction
            print(
                f"第二晚：{fixed['township']}更正了{fixed['year']}年度报告，在网站上原址重新发布；再次采集并运行。",
                file=sys.stderr,
            )
            code = run_job(job, args.verbose, settings.county, f" --config {toml}")
    if code == 0:
        print(f"示范县文件夹：{county}（设置在 {config.CONFIG_NAME}）。进入它之后查询不必给路径：")
        print(f"  cd {county} && gongkai flags")
    return code


def _demo_county(county: Path):  # -> PortalPlan
    """The demo county's reports and township portal, generated the first time and kept after."""
    from gongkai.demo.corpus import write_corpus
    from gongkai.demo.portal import PortalPlan, write_portal

    if not (county / "townships.csv").is_file():
        print(
            f"正在生成示范县（{DEMO_TOWNSHIPS} 个乡镇，{DEMO_YEARS[0]}–{DEMO_YEARS[1]} 年，{DEMO_SCANS} 份扫描件，"
            f"{round(DEMO_TOWNSHIPS * DEMO_UNTIDY)} 个乡镇按真实写法）……",
            file=sys.stderr,
        )
        write_corpus(
            county,
            townships=DEMO_TOWNSHIPS,
            years=DEMO_YEARS,
            seed=DEMO_SEED,
            scans=DEMO_SCANS,
            untidy=DEMO_UNTIDY,
        )
    site = county / "portal"
    if (site / "portal.json").is_file():
        return PortalPlan.load(site / "portal.json")
    return write_portal(county, site, seed=DEMO_SEED)


def _demo_config() -> str:
    """The demo county folder's gongkai.toml. The warehouse and dashboards stay where the demo always put
    them, beside the county folder; the register is the one with the portal's addresses."""
    return config.render(
        "汤旺县",
        townships="townships-web.csv",
        db="../gongkai.duckdb",
        out="../dashboard",
        # On loopback the 1 s pause between two requests to one host is not needed: 0.05 s keeps the demo short.
        limits={"collect.delay": 0.05},
        note=(
            "示范县（gongkai demo 生成）。townships-web.csv 中的网址指向 gongkai demo 运行时才有的本机示范网站，\n"
            "gongkai demo 每次运行时重写它；数据仓库和看板在上一级文件夹中。"
        ),
    )


def _demo_portal(site: Path, plan):  # -> PortalServer
    """The demo portal on its usual port, or any free one; without the page that answers too slowly (a
    scenario for the tests: in the demo it would only make the analyst wait)."""
    from gongkai.demo.portal_server import serve_portal

    faults = plan.faults_without("slow")
    try:
        return serve_portal(site, faults=faults, content_types=plan.content_types, port=DEMO_PORTAL_PORT)
    except OSError:
        return serve_portal(site, faults=faults, content_types=plan.content_types)
