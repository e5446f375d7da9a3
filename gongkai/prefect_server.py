"""The Prefect server `gongkai serve` schedules on, through Prefect's public command line.

Prefect's ephemeral API (what a one-shot `gongkai run` uses) cannot schedule, so unless PREFECT_API_URL
names the user's own server, `gongkai serve` runs `prefect server start --host 127.0.0.1 --port P` as a
child process, waits for its `/api/health`, and stops it when serving ends. A Prefect server already
answering on that port is used instead of starting another.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SchedulingServer:
    url: str  # the API, …/api
    started_here: bool  # False: the user's own (PREFECT_API_URL) or one already on the port
    log_path: Path | None = None  # the log of a server started here

    @property
    def ui_url(self) -> str:
        return self.url.rstrip("/").removesuffix("/api")


class ServerDidNotStart(RuntimeError):
    """The Prefect server exited or never answered; the message says where its log is."""


def answers(api_url: str, timeout: float = 2.0) -> bool:
    """A Prefect API answers its health check at `api_url`."""
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as answer:
            return answer.status == 200
    except OSError:
        return False


def prefect_command() -> list[str]:
    """Prefect's own command line, from the environment gongkai runs in."""
    beside = Path(sys.executable).with_name("prefect")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("prefect")
    if found:
        return [found]
    raise ServerDidNotStart("找不到 prefect 命令（应与 gongkai 安装在同一环境中）")


@contextlib.contextmanager
def scheduling_server(port: int, log_path: Path, timeout: float = 180.0) -> Iterator[SchedulingServer]:
    """The server to schedule on: the user's own when PREFECT_API_URL is set; else one already answering
    on 127.0.0.1:`port`; else `prefect server start` on that port, logging to `log_path`, stopped on exit.
    Sets nothing: the caller points PREFECT_API_URL at the server's url."""
    if os.environ.get("PREFECT_API_URL"):
        yield SchedulingServer(os.environ["PREFECT_API_URL"], started_here=False)
        return
    url = f"http://127.0.0.1:{port}/api"
    if answers(url):
        yield SchedulingServer(url, started_here=False)
        return
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        {
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            # The UI asks the API at this address: it must be the port actually served.
            "PREFECT_SERVER_API_HOST": "127.0.0.1",
            "PREFECT_SERVER_API_PORT": str(port),
        }
    )
    env.pop("PREFECT_UI_ENABLED", None)  # the deprecated name would override --ui
    command = [*prefect_command(), "server", "start", "--host", "127.0.0.1", "--port", str(port), "--ui"]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            # Ctrl+C in the terminal is for `gongkai serve`, which still needs the server to pause its
            # schedule on the way out; the server is stopped after that.
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    try:
        _wait_until_it_answers(process, url, log_path, timeout)
        yield SchedulingServer(url, started_here=True, log_path=log_path)
    finally:
        _stop(process)


def _wait_until_it_answers(process: subprocess.Popen, url: str, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            raise ServerDidNotStart(f"Prefect 服务器未能启动，详见 {log_path}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
    if process.poll() is None:
        process.kill()
    process.wait()


def _die_with_parent() -> None:
    """In the server's process before exec: `gongkai serve` killed outright (kill -9) takes it along."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)
