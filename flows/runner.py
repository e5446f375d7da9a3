"""Starting the county flow: quiet Prefect settings, the one-writer lock, and where the parse tasks run
(threads that fork parsing children, or a Dask cluster). The server a run reports to is in
flows/prefect_server.py."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.prefect_server import PrefectServer

QUIET_PREFECT = {
    # Offline and unattended: no telemetry, no version checks, nothing on the terminal but warnings.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    # Run and task logs go to Prefect's UI at INFO; the terminal shows warnings only.
    "PREFECT_LOGGING_LEVEL": "INFO",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "PREFECT_TASKS_REFRESH_CACHE": "false",
    "PREFECT_UI_ENABLED": "false",
    # A local Dask cluster logs every scheduler and worker step at INFO.
    "DASK_LOGGING__DISTRIBUTED": "warning",
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
    server: PrefectServer | None = None,
) -> dict:
    """One county run. With `server` (see `start_run_server`), the flow reports to it; without, to
    PREFECT_API_URL or Prefect's own ephemeral API."""
    with warehouse_lock(db):
        from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        from flows.county import county_run

        runner = task_runner(workers, dask_address, dask_local)
        api = {}
        if server:
            try:
                # Heartbeats let automations spot a crashed run; gongkai's own server runs none, and the
                # engine's heartbeat thread holds up the end of every run by up to a second.
                api = {PREFECT_API_URL: server.wait(), PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
            except RuntimeError as err:  # Prefect's ephemeral API still works: slower to start, same result
                print(f"{err}；改用 Prefect 的临时 API。", file=sys.stderr)
        with temporary_settings(updates=api):
            try:
                return county_run.with_options(task_runner=runner)(
                    inbox=str(inbox),
                    townships=str(townships),
                    db=str(db),
                    out=str(out),
                    batch_size=batch_size,
                    workers=dask_local or workers,
                    dashboards=dashboards,
                )
            finally:
                if api:
                    _send_queued_to_api()


def _send_queued_to_api() -> None:
    """The run's last logs and events go to the server now: it may stop with the run, before Prefect
    would send them at exit."""
    import logging

    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):  # not "Still processing items" on the terminal
        logging.getLogger(worker.__name__).setLevel(logging.ERROR)
    APILogWorker.drain_all(timeout=5)
    EventsWorker.drain_all(timeout=5)
