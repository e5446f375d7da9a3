"""The county run as a Prefect flow: discover → parse (tasks, in parallel) → load → check → dashboards.

A thin wrapper around the job's plain functions (flows/job.py): its parameters are the run's typed
settings, shown in Prefect's UI; collection, parsing, loading, the checks and the dashboards are its
tasks; it returns the run's `RunSummary`. Only this flow's process opens the DuckDB file (the load,
check and dashboard tasks run in it); parse tasks return picklable outcomes. A file already loaded with
the same sha256 is not parsed again, so a rerun on an unchanged inbox only re-checks.

No `from __future__ import annotations` here: Prefect validates a served run's parameters (Limits,
CollectSettings) against the flow's annotations, which must then be the classes, not their names.
"""

import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import duckdb
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.futures import PrefectFuture, as_completed
from prefect.utilities.annotations import quote

from gongkai import collect as collection
from gongkai import warehouse
from gongkai.flows import job
from gongkai.flows.job import RunSummary
from gongkai.flows.parse_task import parse_batch, parse_report
from gongkai.options import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS, CheckSettings, CollectSettings, Limits

# The warehouse tasks run in the flow's process, on its open connection: no cache key is computed from
# their inputs (a connection has none), and they are not retried (a load half done is not redone blind).
IN_FLOW = {"cache_policy": NO_CACHE}


class Held:
    """The flow's open warehouse, handed to its own tasks. A task's parameters travel, pickled, with every
    task it submits to Dask (the dashboards' draw-charts tasks), where the connection is neither needed nor
    picklable: pickled, the handle is empty."""

    def __init__(self, con: duckdb.DuckDBPyConnection | None) -> None:
        self.con = con

    def __reduce__(self) -> tuple:
        return (Held, (None,))


def batches(items: list[tuple[str, str]], workers: int, size: int = 0) -> list[list[tuple[str, str]]]:
    """Files grouped into parse tasks, in order. Prefect costs about 0.1 s per task run, near one parse,
    so files go in batches of up to 25. With several workers the batches shrink towards the end of the
    inbox (to 3 files) so that no worker is left parsing a long last batch while the others wait. A
    given `size` is used throughout."""
    out, start = [], 0
    while start < len(items):
        n = size or (25 if workers <= 1 else max(3, min(25, (len(items) - start) // (2 * workers))))
        out.append(items[start : start + n])
        start += n
    return out


def _submit_parsing(todo: list[tuple[str, str]], workers: int, batch_size: int, limits: Limits) -> list[PrefectFuture]:
    if batch_size == 1:
        return [parse_report.submit(path, sha, limits) for path, sha in todo]
    return [parse_batch.submit(batch, limits) for batch in batches(todo, workers, batch_size)]


@task(name="collect-reports")
def collect_reports(townships: str, inbox: str, pace: CollectSettings) -> list[collection.Fetch]:
    """Each township's reports from its web site (the register's `url`) into the inbox. Runs in the flow's
    process (the inbox is this machine's), never on a Dask worker."""
    logger = get_run_logger()
    sites = collection.read_sites(townships)
    logger.info("从 %d 个乡镇网站采集年度报告", len(sites))
    return collection.collect(sites, Path(inbox), pace)


@task(name="load-reports", **IN_FLOW)
def load_reports(
    held: Held, summary: RunSummary, todo: list[tuple[str, str]], parsing: list[PrefectFuture], inbox: Path
) -> None:
    """The parse outcomes loaded in the inbox's order, each batch as soon as it and those before it are in."""
    arriving = (future.result() for future in as_completed(parsing))
    job.load_parsed(held.con, summary, job.in_order(todo, arriving, job.PROGRESS.get()), inbox)


@task(name="run-checks", **IN_FLOW)
def run_checks(held: Held, summary: RunSummary, settings: CheckSettings) -> None:
    job.check(held.con, summary, settings)


@task(name="draw-dashboards", **IN_FLOW)
def draw_dashboards(held: Held, out: Path, workers: int) -> str:
    """The dashboards, their charts drawn as tasks on the run's own task runner (flows/draw_task.py)."""
    from gongkai.flows.draw_task import painter  # matplotlib: imported only when drawing

    return job.draw(held.con, out, painter(workers))


@flow(name="gongkai-county-run", log_prints=False)
def county_run(
    inbox: str,
    townships: str,
    db: str,
    out: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = DEFAULT_WORKERS,
    dashboards: bool = True,
    collect: bool = False,
    limits: Limits = Limits(),  # noqa: B008 (frozen: a default shared by every call is safe)
    pace: CollectSettings = CollectSettings(),  # noqa: B008
    checks: CheckSettings = CheckSettings(),  # noqa: B008
) -> RunSummary:
    """Run the county's whole job once: with `collect`, first fetch the townships' reports from their web
    sites into the inbox (at `pace`). Each file is parsed under `limits`, and the rules run with `checks`.
    All three are the run's parameters, shown with it in Prefect's UI. Returns the run summary (also
    stored in `runs`)."""
    logger = get_run_logger()
    summary = RunSummary(started_at=datetime.now().isoformat(timespec="seconds"), db=db)
    summary.flow_run_id = str(get_run_context().flow_run.id)
    clock = time.perf_counter()
    inbox_dir = Path(inbox).resolve()  # absolute: the dashboard links to each PDF from its own folder
    with warehouse.open_warehouse(db) as con:
        job.open_run(con, summary, Path(townships), inbox_dir)
        if collect:
            job.record_collection(con, summary, collect_reports(townships, str(inbox_dir), pace))
            logger.info(
                "采集完成：%d 个乡镇，%d 次请求，新增或更新文件 %d 个，抓取失败 %d 处",
                *(summary.townships_collected, summary.fetches, summary.files_collected, len(summary.fetch_errors)),
            )
            clock = summary.lap("collect", clock)
        todo = job.sort_inbox(con, summary, inbox_dir)
        clock = summary.lap("discover_and_hash", clock)
        logger.info("收到 %d 个文件：%d 个待解析，%d 个未变化", summary.files_seen, len(todo), summary.files_unchanged)
        parsing = _submit_parsing(todo, workers, batch_size, limits)
        # quote: Prefect would otherwise walk every report of the outcomes looking for futures to wait on
        load_reports(Held(con), quote(summary), quote(todo), quote(parsing), inbox_dir)
        clock = summary.lap("parse_and_load", clock)
        run_checks(Held(con), quote(summary), checks)
        clock = summary.lap("checks", clock)
        if dashboards:
            summary.dashboard = draw_dashboards(Held(con), Path(out), workers)
            clock = summary.lap("dashboards", clock)
        summary.finished_at = datetime.now().isoformat(timespec="seconds")
        warehouse.finish_run(con, summary.run_id, asdict(summary))
    create_markdown_artifact(markdown=_artifact(summary), key="county-run-summary", description="本次运行摘要")
    logger.info("运行 %s 完成：%s", summary.run_id, _one_line(summary))
    return summary


def _one_line(s: RunSummary) -> str:
    return (
        f"收到 {s.files_seen}，解析 {s.files_parsed}，未变化 {s.files_unchanged}，拒收 {s.files_rejected}，"
        f"新增问题 {s.flags_opened}，已消除问题 {s.flags_closed}"
    )


def _artifact(s: RunSummary) -> str:
    rows = [
        ("收到文件", s.files_seen),
        ("本次解析", s.files_parsed),
        ("未变化（跳过）", s.files_unchanged),
        ("拒收", s.files_rejected),
        ("载入报告", s.reports_loaded),
        ("新增问题", s.flags_opened),
        ("已消除问题", s.flags_closed),
        ("当前未处理问题", s.flags_open),
    ]
    table = "\n".join(f"| {k} | {v} |" for k, v in rows)
    rejected = "\n".join(f"| {Path(f).name} | {r} | {m} |" for f, r, m in s.rejected) or "| — | — | — |"
    return (
        f"# 县级汇总运行 {s.run_id}\n\n{s.started_at} 至 {s.finished_at}\n\n| 项目 | 数量 |\n|---|---|\n{table}\n\n"
        f"## 拒收文件\n\n| 文件 | 原因 | 说明 |\n|---|---|---|\n{rejected}\n"
    )
