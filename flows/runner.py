"""Starting the county flow: the one-writer lock, and where the parse tasks run (threads that fork parsing
children, or a Dask cluster). A run reports to PREFECT_API_URL when it is set, and to Prefect's ephemeral
API otherwise (Prefect starts it for the run and stops it at exit); how the command line sets Prefect up
is gongkai/prefect_setup.py, the server `gongkai serve` schedules on gongkai/prefect_server.py."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gongkai.flows.job import CountyJob, Progress, RunSummary, reporting_progress


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


@contextlib.contextmanager
def warehouse_lock(db: Path) -> Iterator[None]:
    """One run per warehouse at a time: a second run fails at once instead of waiting or corrupting."""
    db.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db.with_name(db.name + ".lock")
    with open(lock_path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.seek(0)
            holder = fh.read().strip() or "另一个进程"
            raise WarehouseBusy(f"数据仓库 {db} 正被另一次运行使用（{holder}），请等它结束后再运行。") from exc
        fh.seek(0)
        fh.truncate()
        fh.write(f"进程 {os.getpid()}")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def task_runner(workers: int, dask_address: str | None = None, dask_local: int | None = None):
    """Where the parse tasks run. Locally, a thread per worker: each task forks a child that parses its
    batch under the limits (parsers/isolation.py), so the parsing runs on every core while the tasks
    themselves stay in the flow's process, with no worker processes to spawn and import Prefect in (that
    cost about 9 s a run). On Dask, the cluster's worker processes run the tasks and fork the same way."""
    if dask_address or dask_local:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        # A local cluster's nannies stop their workers when the run ends, and one still finishing its own
        # shutdown after 4 s on a busy machine is killed with a WARNING on the analyst's terminal: the run
        # is over and nothing is lost, so only errors are shown.
        logging.getLogger("distributed.nanny").setLevel(logging.ERROR)
        return DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={
                "n_workers": dask_local,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            },
        )
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=max(1, workers))


def run_job(job: CountyJob, progress: Progress | None = None) -> RunSummary:
    """One county run, reporting to PREFECT_API_URL or to Prefect's ephemeral API; `progress` hears how
    many of the files to parse are parsed."""
    with warehouse_lock(job.db):
        from gongkai.flows.county import county_run

        runner = task_runner(job.workers, job.dask_address, job.dask_local)
        with reporting_progress(progress):
            return county_run.with_options(task_runner=runner)(**job.flow_parameters())


def run_county(inbox: Path, townships: Path, db: Path, out: Path, **options: Any) -> RunSummary:
    """`run_job` with the job's fields as arguments (those of `CountyJob` after the four paths)."""
    return run_job(CountyJob(Path(inbox), Path(townships), Path(db), Path(out), **options))
