"""Starting the county flow: quiet Prefect settings, the one-writer lock, and where the parse tasks run
(threads that fork parsing children, or a Dask cluster). A run reports to PREFECT_API_URL when it is set,
and to Prefect's ephemeral API otherwise (Prefect starts it for the run and stops it at exit); the server
`gongkai serve` schedules on is in flows/prefect_server.py."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

QUIET_PREFECT = {
    # Offline and unattended: no telemetry, no version checks, nothing on the terminal but warnings.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    # Run and task logs go to Prefect's UI at INFO; the terminal shows warnings only.
    "PREFECT_LOGGING_LEVEL": "INFO",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "PREFECT_TASKS_REFRESH_CACHE": "false",
    # A local Dask cluster logs every scheduler and worker step at INFO.
    "DASK_LOGGING__DISTRIBUTED": "warning",
    # Prefect gives its ephemeral API 20 s to start; a county office's two cores, busy starting a Dask
    # cluster beside it, have been seen to need more (the run then failed before it began).
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


def configure_prefect(verbose: bool = False) -> None:
    """Set before Prefect is imported; a user's own settings (PREFECT_API_URL…) are kept."""
    for key, value in QUIET_PREFECT.items():
        os.environ.setdefault(key, value)
    if verbose:
        os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "INFO"
        os.environ["DASK_LOGGING__DISTRIBUTED"] = "info"


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
    batch under the limits (flows/isolation.py), so the parsing runs on every core while the tasks
    themselves stay in the flow's process, with no worker processes to spawn and import Prefect in (that
    cost about 9 s a run). On Dask, the cluster's worker processes run the tasks and fork the same way."""
    if dask_address or dask_local:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
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


def run_county(
    inbox: Path,
    townships: Path,
    db: Path,
    out: Path,
    *,
    workers: int = 2,
    batch_size: int = 0,
    dask_address: str | None = None,
    dask_local: int | None = None,
    dashboards: bool = True,
    collect: bool = False,
) -> dict:
    """One county run, reporting to PREFECT_API_URL or to Prefect's ephemeral API. With `collect`, the
    flow first collects each township's reports from its web site into the inbox."""
    with warehouse_lock(db):
        from gongkai.flows.county import county_run

        runner = task_runner(workers, dask_address, dask_local)
        return county_run.with_options(task_runner=runner)(
            inbox=str(inbox),
            townships=str(townships),
            db=str(db),
            out=str(out),
            batch_size=batch_size,
            workers=dask_local or workers,
            dashboards=dashboards,
            collect=collect,
        )


def ui_link(flow_run_id: str) -> str | None:
    """The run's page in Prefect's UI, when the run reported to a server that outlives it
    (PREFECT_API_URL); None with the ephemeral API, which stopped with the run."""
    if not os.environ.get("PREFECT_API_URL") or not flow_run_id:
        return None
    from prefect.settings import get_current_settings

    ui = get_current_settings().ui_url  # PREFECT_UI_URL, derived from the API's address unless set
    return f"{ui.rstrip('/')}/runs/flow-run/{flow_run_id}" if ui else None
