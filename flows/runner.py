"""Starting the county flow: quiet Prefect settings, the one-writer lock, where the parse tasks run
(threads that fork parsing children, or a Dask cluster), and the Prefect server a run reports to."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import signal
import socket
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
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
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
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from flows.county import county_run

        runner = task_runner(workers, dask_address, dask_local)
        api = {}
        if server:
            try:
                api = {PREFECT_API_URL: server.wait()}
            except RuntimeError as err:  # Prefect's ephemeral API still works: slower to start, same result
                print(f"{err}；改用 Prefect 的临时 API。", file=sys.stderr)
        with temporary_settings(updates=api):
            return county_run.with_options(task_runner=runner)(
                inbox=str(inbox),
                townships=str(townships),
                db=str(db),
                out=str(out),
                batch_size=batch_size,
                workers=dask_local or workers,
                dashboards=dashboards,
            )


# A run's own server schedules nothing: only the services that record its task runs and events stay on.
_SCHEDULING_SERVICES = (
    "SCHEDULER",
    "LATE_RUNS",
    "FOREMAN",
    "REPOSSESSOR",
    "PAUSE_EXPIRATIONS",
    "CANCELLATION_CLEANUP",
    "CLEANUP_RECONCILER",
    "TRIGGERS",
)


class PrefectServer:
    """`prefect server start` on loopback as a child process: started at once, waited for when needed."""

    def __init__(
        self,
        home: Path,
        port: int | None = None,
        *,
        ui: bool = True,
        scheduling: bool = True,
        die_with_parent: bool = False,
    ) -> None:
        if port is None:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api"
        home.mkdir(parents=True, exist_ok=True)
        self.log_path = home / "prefect-server.log"
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
        if not scheduling:
            env.update({f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false" for name in _SCHEDULING_SERVICES})
        command = [str(Path(sys.executable).with_name("prefect")), "server", "start", "--host", "127.0.0.1"]
        self._process = subprocess.Popen(
            [*command, "--port", str(port), *([] if ui else ["--no-ui"])],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=_die_with_parent if die_with_parent else None,
        )
        self._ready = False

    def wait(self, timeout: float = 120.0) -> str:
        """The API's address once it answers; raises if the server stopped or never answered."""
        deadline = time.monotonic() + timeout
        while not self._ready:
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as answer:
                    self._ready = answer.status == 200
            except OSError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Prefect 服务器未能启动，详见 {self.log_path}") from None
                time.sleep(0.1)
        return self.url

    def stop(self) -> None:
        self._process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=20)
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._log.close()


def _die_with_parent() -> None:
    """In the server's process before exec: a run killed outright (kill -9) takes its server with it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)


def start_run_server() -> PrefectServer | None:
    """A server for one run, started before anything else so that it comes up while the run imports its
    libraries; None when PREFECT_API_URL names the user's own. Prefect's ephemeral API would start the
    same server, but only once the flow is called and after importing the whole server into this
    process: about 4 s more per run. The runs land in the same local database (PREFECT_HOME)."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    try:
        return PrefectServer(home, ui=False, scheduling=False, die_with_parent=True)
    except OSError:
        return None  # PREFECT_HOME not writable: Prefect's ephemeral API will say so itself


@contextlib.contextmanager
def prefect_server(home: Path, port: int = 4200) -> Iterator[str]:
    """A Prefect server for schedules (the ephemeral API cannot schedule): the user's own when
    PREFECT_API_URL is set, else one started here on loopback and stopped on exit."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    server = PrefectServer(home, port)
    try:
        os.environ["PREFECT_API_URL"] = server.wait()
        yield server.url
    finally:
        server.stop()
