"""The county run as a Prefect flow: discover → parse (tasks, in parallel) → load → check → dashboards.

Only this flow's process opens the DuckDB file; parse tasks return picklable outcomes. A file already
loaded with the same sha256 is not parsed again, so a rerun on an unchanged inbox only re-checks.

No `from __future__ import annotations` here: Prefect validates a served run's parameters (Limits,
CollectSettings) against the flow's annotations, which must then be the classes, not their names.
"""

import functools
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.context import get_run_context
from prefect.futures import as_completed

from gongkai import collect as collection
from gongkai import warehouse
from gongkai.flows.parse_task import Parsed, parse_batch, parse_report, sha256_of
from gongkai.options import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS, CollectSettings, Limits
from gongkai.parsers.sources import input_files

# Set by the CLI to draw a progress bar; called with (files parsed, files to parse).
progress_listener: Callable[[int, int], None] | None = None


@dataclass
class RunSummary:
    run_id: str = ""
    started_at: str = ""
    finished_at: str = ""
    townships_collected: int = 0  # townships whose sites were visited (gongkai run --collect, serve)
    fetches: int = 0  # requests made by the collection
    files_collected: int = 0  # report files written into the inbox: new, or changed since the last fetch
    fetch_errors: list[tuple[str, str, str]] = field(default_factory=list)  # (township, url, reason)
    files_seen: int = 0
    files_parsed: int = 0
    files_unchanged: int = 0
    files_rejected: int = 0
    reports_loaded: int = 0
    formats_loaded: dict[str, int] = field(default_factory=dict)  # reports loaded, by source_format
    flags_opened: int = 0
    flags_closed: int = 0
    flags_open: int = 0
    rejected: list[tuple[str, str, str]] = field(default_factory=list)
    db: str = ""
    dashboard: str = ""
    flow_run_id: str = ""  # the run in Prefect's UI
    parse_seconds: float = 0.0  # the sum of single-file parse times, measured inside the tasks
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds of each phase

    def lap(self, phase: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[phase] = round(now - since, 3)
        return now


def discover(inbox: Path) -> list[Path]:
    """Every report sent in (.pdf, .html/.htm, .docx in any letter case, and the formats that are rejected
    as UNSUPPORTED_FORMAT: .doc, .wps, .ofd…) in the inbox, recursively but for hidden folders, oldest
    first: of two files with
    the same bytes, the one that arrived first is the original and the other the DUPLICATE. Other files
    (notes, the register, truth files) are left alone."""
    return sorted(input_files(inbox), key=lambda p: (p.stat().st_mtime_ns, str(p)))


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


def _parsed_in_order(
    todo: list[tuple[str, str]], workers: int, batch_size: int, limits: Limits
) -> Iterator[list[Parsed]]:
    """Outcomes in arrival order (a later file is a newer version), as soon as they and all before them
    are parsed, a list at a time, so the flow loads in bulk while the workers are still parsing."""
    if batch_size == 1:
        futures = [parse_report.submit(path, sha, limits) for path, sha in todo]
    else:
        futures = [parse_batch.submit(batch, limits) for batch in batches(todo, workers, batch_size)]
    order = {path: i for i, (path, _) in enumerate(todo)}
    ready: dict[int, Parsed] = {}
    next_index = 0
    for future in as_completed(futures):
        result = future.result()
        for parsed in result if isinstance(result, list) else [result]:
            ready[order[parsed.source_file]] = parsed
        if progress_listener:
            progress_listener(len(ready) + next_index, len(todo))
        in_order = []
        while next_index in ready:
            in_order.append(ready.pop(next_index))
            next_index += 1
        if in_order:
            yield in_order


@task(name="collect-reports")
def collect_reports(townships: str, inbox: str, pace: CollectSettings) -> list[collection.Fetch]:
    """Each township's reports from its web site (the register's `url`) into the inbox. Runs in the flow's
    process (the inbox is this machine's), never on a Dask worker."""
    logger = get_run_logger()
    sites = collection.read_sites(townships)
    logger.info("从 %d 个乡镇网站采集年度报告", len(sites))
    return collection.collect(sites, Path(inbox), pace)


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
) -> dict:
    """Run the county's whole job once: with `collect`, first fetch the townships' reports from their web
    sites into the inbox (at `pace`). Each file is parsed under `limits`. Both are the run's parameters,
    shown with it in Prefect's UI. Returns the run summary (also stored in `runs`)."""
    logger = get_run_logger()
    summary = RunSummary(started_at=datetime.now().isoformat(timespec="seconds"), db=db)
    summary.flow_run_id = str(get_run_context().flow_run.id)
    clock = time.perf_counter()
    inbox_dir = Path(inbox).resolve()  # absolute: the dashboard links to each PDF from its own folder
    with warehouse.open_warehouse(db) as con:
        warehouse.load_townships(con, Path(townships))
        summary.run_id = warehouse.start_run(con)
        # Fetches `gongkai collect` made into this inbox without a warehouse are recorded now.
        warehouse.record_fetches(con, collection.pending_fetches(inbox_dir))
        collection.clear_pending(inbox_dir)
        if collect:
            _collect(con, summary, townships, inbox_dir, pace)
            clock = summary.lap("collect", clock)
        todo = _new_files(con, summary, inbox_dir)
        clock = summary.lap("discover_and_hash", clock)
        logger.info("收到 %d 个文件：%d 个待解析，%d 个未变化", summary.files_seen, len(todo), summary.files_unchanged)
        _parse_and_load(con, summary, todo, inbox_dir, workers, batch_size, limits)
        clock = summary.lap("parse_and_load", clock)
        checks = warehouse.run_checks(con)
        summary.flags_opened, summary.flags_closed = checks.opened, checks.closed
        summary.flags_open = checks.open
        clock = summary.lap("checks", clock)
        if dashboards:
            summary.dashboard = _draw_dashboards(con, Path(out), workers)
            clock = summary.lap("dashboards", clock)
        summary.finished_at = datetime.now().isoformat(timespec="seconds")
        warehouse.finish_run(con, summary.run_id, asdict(summary))
    create_markdown_artifact(markdown=_artifact(summary), key="county-run-summary", description="本次运行摘要")
    logger.info("运行 %s 完成：%s", summary.run_id, _one_line(summary))
    return asdict(summary)


def _parse_and_load(
    con, summary: RunSummary, todo: list[tuple[str, str]], inbox: Path, workers: int, batch_size: int, limits: Limits
) -> None:
    """Each batch loaded as soon as it and those before it are parsed (the warehouse in the files' order),
    then the reports collected from the web linked to the URLs they came from."""
    load_seconds = 0.0
    register = warehouse.Register.read(con)
    for parsed in _parsed_in_order(todo, workers, batch_size, limits):
        started = time.perf_counter()
        summary.files_parsed += len(parsed)
        summary.parse_seconds += sum(p.seconds for p in parsed)
        _load(con, summary, register, parsed, inbox)
        load_seconds += time.perf_counter() - started
    warehouse.link_reports(con)
    summary.timings["load"] = round(load_seconds, 3)


def _collect(con, summary: RunSummary, townships: str, inbox: Path, pace: CollectSettings) -> None:
    """The townships' sites into the inbox, each request recorded in `sources`."""
    fetches = collect_reports(townships, str(inbox), pace)
    warehouse.record_fetches(con, fetches)
    _note_collection(summary, fetches)
    get_run_logger().info(
        "采集完成：%d 个乡镇，%d 次请求，新增或更新文件 %d 个，抓取失败 %d 处",
        summary.townships_collected,
        summary.fetches,
        summary.files_collected,
        len(summary.fetch_errors),
    )


def _new_files(con, summary: RunSummary, inbox: Path) -> list[tuple[str, str]]:
    """The inbox's files to parse, with their sha256: a file loaded before under the same name is
    unchanged; the same content under another name (before, or in this inbox) is a DUPLICATE row."""
    files = discover(inbox)
    summary.files_seen = len(files)
    known = warehouse.loaded_files(con)  # sha256 -> source_file already loaded or rejected
    todo: list[tuple[str, str]] = []
    first_seen: dict[str, str] = {}
    for path in files:
        sha = sha256_of(path)
        if sha in known and known[sha] == str(path):
            summary.files_unchanged += 1
        elif sha in known or sha in first_seen:
            original = known.get(sha) or first_seen[sha]
            _reject(con, summary, str(path), sha, "DUPLICATE", f"与已收到的文件 {original} 内容完全相同。")
        else:
            first_seen[sha] = str(path)
            todo.append((str(path), sha))
    return todo


def _note_collection(summary: RunSummary, fetches: list[collection.Fetch]) -> None:
    summary.townships_collected = len({f.township for f in fetches if f.township and f.kind == "listing"})
    summary.fetches = sum(1 for f in fetches if f.http_status is not None)
    summary.files_collected = sum(1 for f in fetches if f.written)
    summary.fetch_errors = [(f.township or "", f.url, f.error) for f in fetches if f.error]


def _reject(con, summary: RunSummary, source_file: str, sha256: str, reason: str, message: str) -> None:
    warehouse.record_rejected(con, source_file, reason, message, sha256=sha256)
    summary.files_rejected += 1
    summary.rejected.append((source_file, reason, message))


def _load(
    con, summary: RunSummary, register: warehouse.Register, outcomes: list[Parsed], inbox: Path | None = None
) -> None:
    """Parse outcomes into the warehouse: each a report, or a rejected row saying why not."""
    reports = []
    for parsed in outcomes:
        if parsed.report is None:
            reason, message = parsed.reason or "PARSE_ERROR", parsed.message or ""
            _reject(con, summary, parsed.source_file, parsed.sha256, reason, message)
            continue
        county = _county_hint(register, inbox, parsed.source_file)
        found = register.resolve(parsed.report.body, parsed.report.body_full_name, county)
        township = found.township
        if township is None:
            message = warehouse.unknown_township_message(parsed.report.body_full_name, found, county)
            _reject(con, summary, parsed.source_file, parsed.sha256, "UNKNOWN_TOWNSHIP", message)
            continue
        reports.append(warehouse.ToLoad(parsed.report, parsed.source_file, parsed.sha256, township))
    results = warehouse.load_reports(con, reports, run_id=summary.run_id) if reports else []
    for item, result in zip(reports, results, strict=True):
        if result.status in ("loaded", "new_version"):
            summary.reports_loaded += 1
            kind = item.report.source_format
            summary.formats_loaded[kind] = summary.formats_loaded.get(kind, 0) + 1


def _county_hint(register: warehouse.Register, inbox: Path | None, source_file: str) -> str | None:
    """The county a file's folder names (inbox/汤旺县/城关镇-2023.pdf), when it is one of the register's:
    the analyst's (or the collection's) way to tell apart townships of the same name in two counties."""
    if inbox is None or not register.counties:
        return None
    try:
        parts = Path(source_file).relative_to(inbox).parts
    except ValueError:
        return None
    return _county_folders(register.counties).get(parts[0]) if len(parts) > 1 else None


@functools.cache
def _county_folders(counties: frozenset[str]) -> dict[str, str]:
    """Folder name → county, once per register rather than once per file: the folder as the analyst names
    it, or as collection made it safe for the file system."""
    return {**{collection.safe_name(c): c for c in counties}, **{c: c for c in counties}}


def _draw_dashboards(con, out: Path, workers: int) -> str:
    from gongkai.dashboards import build_dashboard  # matplotlib: imported only when drawing
    from gongkai.flows.draw_task import painter

    return str(build_dashboard(con, out, painter(workers)))


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
