"""Starting the county flow: quiet Prefect settings, the one-writer lock, and the task runner choice
(threads, worker processes, or a Dask cluster)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

QUIET_PREFECT = {
    # Offline and unattended: no telemetry, no version checks, nothing on the terminal but warnings.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "PREFECT_TASKS_REFRESH_CACHE": "false",
    "PREFECT_UI_ENABLED": "false",
}


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


def configure_prefect(verbose: bool = False) -> None:
    """Set before Prefect is imported; a user's own settings (PREFECT_API_URL…) are kept."""
    for key, value in QUIET_PREFECT.items():
        os.environ.setdefault(key, value)
    if verbose:
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"


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
    """Worker processes for parsing (pdfminer is pure Python, so threads would share one core)."""
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
    if workers <= 1:
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=1)
    from prefect.task_runners import ProcessPoolTaskRunner

    return ProcessPoolTaskRunner(max_workers=workers)


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
) -> dict:
    with warehouse_lock(db):
        from flows.county import county_run

        runner = task_runner(workers, dask_address, dask_local)
        return county_run.with_options(task_runner=runner)(
            inbox=str(inbox),
            townships=str(townships),
            db=str(db),
            out=str(out),
            batch_size=batch_size,
            workers=dask_local or workers,
            dashboards=dashboards,
        )


@contextlib.contextmanager
def prefect_server(home: Path, port: int = 4200) -> Iterator[str]:
    """A Prefect server for schedules (the ephemeral API cannot schedule): the user's own when
    PREFECT_API_URL is set, else one started here on loopback and stopped on exit."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    url = f"http://127.0.0.1:{port}/api"
    home.mkdir(parents=True, exist_ok=True)
    log = open(home / "prefect-server.log", "ab")  # noqa: SIM115 - closed in finally
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("prefect")), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Prefect 服务器未能启动，详见 {home / 'prefect-server.log'}")
            time.sleep(0.5)
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=20)
        log.close()
