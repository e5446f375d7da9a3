"""The parse task: one file in, a picklable outcome out (a report, or the reason it is not one).

Runs wherever the task runner puts it (a thread, a worker process, a Dask worker), so it touches no
warehouse: only the flow's own process writes DuckDB.
"""

from __future__ import annotations

from prefect import task

from gongkai.options import Limits
from gongkai.parsers.isolation import Parsed, parse_files

__all__ = ["Parsed", "parse_batch", "parse_report"]


@task(name="parse-report", retries=1, retry_delay_seconds=1, task_run_name="parse {path}")
def parse_report(path: str, sha256: str, limits: Limits) -> Parsed:
    return parse_files([(path, sha256)], limits)[0]


@task(name="parse-batch", retries=1, retry_delay_seconds=1)
def parse_batch(items: list[tuple[str, str]], limits: Limits) -> list[Parsed]:
    """Several files in one task, for inboxes where Prefect's per-task cost would dominate."""
    return parse_files(items, limits)
