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

from gongkai.flows.isolation import Limits, parse_many
from gongkai.parsers import Report, ReportError


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


def parse_files(items: list[tuple[str, str]], limits: Limits) -> list[Parsed]:
    """Parse files under time and memory limits, turning every way one can fail into a reason;
    never raises for a bad file. Oversized files are refused before anything reads them. The limits
    are the analyst's, decided where the run started: a Dask worker's own environment has no say."""
    out: dict[str, Parsed] = {}
    readable = []
    for path, sha in items:
        size_mb = Path(path).stat().st_size / 1e6
        if size_mb > limits.max_mb:
            message = f"文件大小 {size_mb:.1f} MB，超过上限 {limits.max_mb:g} MB。"
            out[path] = Parsed(path, sha, None, "TOO_LARGE", message)
        else:
            readable.append(path)
    shas = dict(items)
    clock = time.perf_counter()
    for path, result in parse_many(readable, limits):
        now = time.perf_counter()
        seconds, clock = now - clock, now
        if isinstance(result, ReportError):
            out[path] = Parsed(path, shas[path], None, result.reason, result.message, seconds)
        elif result.pages > limits.max_pages:
            message = f"共 {result.pages} 页，超过上限 {limits.max_pages} 页。"
            out[path] = Parsed(path, shas[path], None, "TOO_LARGE", message, seconds)
        else:
            out[path] = Parsed(path, shas[path], result, seconds=seconds)
    return [out[path] for path, _ in items]


@task(name="parse-report", retries=1, retry_delay_seconds=1, task_run_name="parse {path}")
def parse_report(path: str, sha256: str, limits: Limits) -> Parsed:
    return parse_files([(path, sha256)], limits)[0]


@task(name="parse-batch", retries=1, retry_delay_seconds=1)
def parse_batch(items: list[tuple[str, str]], limits: Limits) -> list[Parsed]:
    """Several files in one task, for inboxes where Prefect's per-task cost would dominate."""
    return parse_files(items, limits)
