"""The parse task: one file in, a picklable outcome out (a report, or the reason it is not one).

Runs wherever the task runner puts it (a thread, a worker process, a Dask worker), so it touches no
warehouse: only the flow's own process writes DuckDB.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from prefect import task

from flows.isolation import Limits, parse_limited
from parsers import Report, ReportError


@dataclass
class Parsed:
    source_file: str
    sha256: str
    report: Report | None = None
    reason: str | None = None
    message: str | None = None
    seconds: float = 0.0


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_one(path: str, sha256: str, limits: Limits | None = None) -> Parsed:
    """Parse a file under time and memory limits, turning every way it can fail into a reason;
    never raises for a bad file."""
    start = time.perf_counter()
    limits = limits or Limits.from_env()
    size_mb = Path(path).stat().st_size / 1e6
    if size_mb > limits.max_mb:
        return Parsed(path, sha256, None, "TOO_LARGE", f"文件大小 {size_mb:.1f} MB，超过上限 {limits.max_mb:g} MB。")
    try:
        report = parse_limited(path, limits)
    except ReportError as err:
        return Parsed(path, sha256, None, err.reason, err.message, time.perf_counter() - start)
    if report.pages > limits.max_pages:
        return Parsed(path, sha256, None, "TOO_LARGE", f"共 {report.pages} 页，超过上限 {limits.max_pages} 页。")
    return Parsed(path, sha256, report, seconds=time.perf_counter() - start)


@task(name="parse-report", retries=1, retry_delay_seconds=1, task_run_name="parse {path}")
def parse_report(path: str, sha256: str) -> Parsed:
    return parse_one(path, sha256)


@task(name="parse-batch", retries=1, retry_delay_seconds=1)
def parse_batch(items: list[tuple[str, str]]) -> list[Parsed]:
    """Several files in one task, for inboxes where Prefect's per-task cost would dominate."""
    return [parse_one(path, sha) for path, sha in items]
