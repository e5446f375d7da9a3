"""The county job as plain functions with explicit inputs: open the run, sort the inbox (new, unchanged,
duplicate), load parse outcomes as they arrive, check, draw. They import no Prefect: the flow
(flows/county.py) calls them in order, as its tasks, and a test or a script may call them as they are.

`CountyJob` is one run's inputs, typed: the command line, `serve`, `demo` and the tests build one and
hand it to `flows.runner.run_job`; `flow_parameters` is what the flow (and Prefect's UI) receives.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gongkai import collect as collection
from gongkai import warehouse
from gongkai.options import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS, CheckSettings, CollectSettings, Limits
from gongkai.parsers.isolation import Parsed
from gongkai.parsers.sources import input_files
from gongkai.warehouse.connection import Warehouse

# Called with (files parsed, files to parse), e.g. to draw a progress bar.
Progress = Callable[[int, int], None]

# The progress callback of the run started in this context (flows.runner.run_job sets it around the
# flow's call). A callable cannot be a flow parameter: Prefect records parameters as JSON for its UI.
PROGRESS: ContextVar[Progress | None] = ContextVar("gongkai_progress", default=None)


@dataclass(frozen=True)
class CountyJob:
    """One county run: where its files are, how it runs, the limits each file is parsed under and the
    pace of collection. With `collect`, the townships' sites are first collected into the inbox."""

    inbox: Path
    townships: Path
    db: Path
    out: Path
    workers: int = DEFAULT_WORKERS
    batch_size: int = DEFAULT_BATCH_SIZE
    dask_address: str | None = None
    dask_local: int | None = None
    dashboards: bool = True
    collect: bool = False
    limits: Limits = field(default_factory=Limits)
    pace: CollectSettings = field(default_factory=CollectSettings)
    checks: CheckSettings = field(default_factory=CheckSettings)

    def flow_parameters(self, *, as_json: bool = False) -> dict[str, Any]:
        """The flow's parameters: the workers are a local Dask cluster's when one is used. `as_json` for a
        deployment, whose parameters Prefect stores: settings as JSON, and paths absolute (a served run
        starts in another folder)."""
        path = (lambda p: str(p.resolve())) if as_json else str
        return {
            "inbox": path(self.inbox),
            "townships": path(self.townships),
            "db": path(self.db),
            "out": path(self.out),
            "batch_size": self.batch_size,
            "workers": self.dask_local or self.workers,
            "dashboards": self.dashboards,
            "collect": self.collect,
            "limits": asdict(self.limits) if as_json else self.limits,
            "pace": asdict(self.pace) if as_json else self.pace,
            "checks": asdict(self.checks) if as_json else self.checks,
        }


@dataclass
class RunSummary:
    """What a run did: the flow's return value, stored in `runs` and printed by the command line."""

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

    def reject(self, con: Warehouse, source_file: str, sha256: str, reason: str, message: str) -> None:
        """`source_file` did not become a report: a `rejected` row, and counted here."""
        warehouse.record_rejected(con, source_file, reason, message, sha256=sha256)
        self.files_rejected += 1
        self.rejected.append((source_file, reason, message))


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def discover(inbox: Path) -> list[Path]:
    """Every report sent in (.pdf, .html/.htm, .docx in any letter case, and the formats that are rejected
    as UNSUPPORTED_FORMAT: .doc, .wps, .ofd…) in the inbox, recursively but for hidden folders, oldest
    first: of two files with the same bytes, the one that arrived first is the original and the other the
    DUPLICATE. Other files (notes, the register, truth files) are left alone."""
    return sorted(input_files(inbox), key=lambda p: (p.stat().st_mtime_ns, str(p)))


def open_run(con: Warehouse, summary: RunSummary, townships: Path, inbox: Path) -> None:
    """The register loaded and the run started; the fetches `gongkai collect` made into this inbox
    without a warehouse are recorded now."""
    warehouse.load_townships(con, townships)
    summary.run_id = warehouse.start_run(con)
    warehouse.record_fetches(con, collection.pending_fetches(inbox))
    collection.clear_pending(inbox)


def record_collection(con: Warehouse, summary: RunSummary, fetches: list[collection.Fetch]) -> None:
    """The collection's requests into `sources`, and counted in the summary."""
    warehouse.record_fetches(con, fetches)
    summary.townships_collected = len({f.township for f in fetches if f.township and f.kind == "listing"})
    summary.fetches = sum(1 for f in fetches if f.http_status is not None)
    summary.files_collected = sum(1 for f in fetches if f.written)
    summary.fetch_errors = [(f.township or "", f.url, f.error) for f in fetches if f.error]


def sort_inbox(con: Warehouse, summary: RunSummary, inbox: Path) -> list[tuple[str, str]]:
    """The inbox's files to parse, with their sha256. A file loaded before under the same name is
    unchanged; the same bytes under another name (before, or earlier in this inbox) is a DUPLICATE row."""
    files = discover(inbox)
    summary.files_seen = len(files)
    arrivals = warehouse.sort_arrivals(warehouse.loaded_files(con), [(str(p), sha256_of(p)) for p in files])
    todo = []
    for arrival in arrivals:
        if arrival.status == "new":
            todo.append((arrival.source_file, arrival.sha256))
        elif arrival.status == "unchanged":
            summary.files_unchanged += 1
        else:
            summary.reject(con, arrival.source_file, arrival.sha256, "DUPLICATE", arrival.message)
    return todo


def in_order(
    todo: list[tuple[str, str]], arriving: Iterable[list[Parsed] | Parsed], progress: Progress | None = None
) -> Iterator[list[Parsed]]:
    """Parse outcomes arriving in any order, yielded in the inbox's order (a later file is a newer version)
    as soon as they and all before them are in, a list at a time, so that loading goes on while the
    workers are still parsing. `progress` hears of every arrival."""
    order = {path: i for i, (path, _) in enumerate(todo)}
    ready: dict[int, Parsed] = {}
    next_index = 0
    for result in arriving:
        for parsed in result if isinstance(result, list) else [result]:
            ready[order[parsed.source_file]] = parsed
        if progress:
            progress(len(ready) + next_index, len(todo))
        batch = []
        while next_index in ready:
            batch.append(ready.pop(next_index))
            next_index += 1
        if batch:
            yield batch


def load_parsed(
    con: Warehouse, summary: RunSummary, batches: Iterable[list[Parsed]], inbox: Path | None = None
) -> None:
    """Each batch of outcomes loaded as it comes (each a report, or a rejected row saying why not), then
    the reports collected from the web linked to the URLs they came from."""
    load_seconds = 0.0
    register = warehouse.Register.read(con)
    for parsed in batches:
        started = time.perf_counter()
        summary.files_parsed += len(parsed)
        summary.parse_seconds += sum(p.seconds for p in parsed)
        _load(con, summary, register, parsed, inbox)
        load_seconds += time.perf_counter() - started
    warehouse.link_reports(con)
    summary.timings["load"] = round(load_seconds, 3)


def check(con: Warehouse, summary: RunSummary, settings: CheckSettings | None = None) -> None:
    """Every rule run over the warehouse (with `settings`: None keeps those of the warehouse's last run);
    the flags opened, closed and open counted in the summary."""
    checks = warehouse.run_checks(con, settings=settings)
    summary.flags_opened, summary.flags_closed, summary.flags_open = checks.opened, checks.closed, checks.open


def draw(con: Warehouse, out: Path, painter: Callable[[list[Any]], list[bytes]] | None = None) -> str:
    """The dashboards under `out`, their charts drawn by `painter` (in this process when None); returns
    the index page's path."""
    from gongkai.dashboards import build_dashboard  # matplotlib: imported only when drawing
    from gongkai.dashboards.sketch import paint_all

    return str(build_dashboard(con, out, painter or paint_all))


def _load(
    con: Warehouse,
    summary: RunSummary,
    register: warehouse.Register,
    outcomes: list[Parsed],
    inbox: Path | None,
) -> None:
    reports = []
    for parsed in outcomes:
        if parsed.report is None:
            summary.reject(con, parsed.source_file, parsed.sha256, parsed.reason or "PARSE_ERROR", parsed.message or "")
            continue
        county = _county_hint(register, inbox, parsed.source_file)
        found = register.resolve(parsed.report.body, parsed.report.body_full_name, county)
        if found.township is None:
            message = warehouse.unknown_township_message(parsed.report.body_full_name, found, county)
            summary.reject(con, parsed.source_file, parsed.sha256, "UNKNOWN_TOWNSHIP", message)
            continue
        reports.append(warehouse.ToLoad(parsed.report, parsed.source_file, parsed.sha256, found.township))
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


@contextlib.contextmanager
def reporting_progress(progress: Progress | None) -> Iterator[None]:
    """`progress` hears of the parsing of the runs started inside this block (in this context only)."""
    token = PROGRESS.set(progress)
    try:
        yield
    finally:
        PROGRESS.reset(token)
