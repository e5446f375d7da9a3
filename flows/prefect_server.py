"""The local Prefect server a run reports to, started by gongkai on loopback.

`gongkai run` keeps the server it starts for a while after the run (`GONGKAI_PREFECT_KEEP_MINUTES`,
15 by default): the analyst can open the run in Prefect's UI, and the next run within that time reports
to the same server instead of waiting about 4 s for a new one. The server stops itself once no request
has come for that long. Its address is recorded in PREFECT_HOME, where its database is, so runs that
share a PREFECT_HOME share it. With the setting at 0 each run's server stops with the run.

`python -m flows.prefect_server --port P [--keep-minutes M]` is the server process itself: Prefect's own
API app (what `prefect server start` runs, UI included unless PREFECT_UI_ENABLED=false) under uvicorn,
plus the idle stop.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import fcntl
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from importlib.metadata import version
from pathlib import Path

KEEP_MINUTES_ENV = "GONGKAI_PREFECT_KEEP_MINUTES"
DEFAULT_KEEP_MINUTES = 15.0
RECORD = "gongkai-server.json"
LOCK = "gongkai-server.lock"  # held by a run looking for a server, and by a server about to stop idle
SCHEMA_RECORD = "gongkai-prefect-schema.json"

# A run's server schedules nothing: only the services that record its task runs and events stay on.
SCHEDULING_SERVICES = (
    "SCHEDULER",
    "LATE_RUNS",
    "FOREMAN",
    "REPOSSESSOR",
    "PAUSE_EXPIRATIONS",
    "CANCELLATION_CLEANUP",
    "CLEANUP_RECONCILER",
    "TRIGGERS",
)


def prefect_home() -> Path:
    """Where Prefect keeps its database, and gongkai the record of its kept server."""
    return Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()


def keep_minutes_setting() -> float:
    try:
        return max(0.0, float(os.environ.get(KEEP_MINUTES_ENV, DEFAULT_KEEP_MINUTES)))
    except ValueError:
        return DEFAULT_KEEP_MINUTES


class PrefectServer:
    """A Prefect server on loopback: started here as a child process, or one already running that an
    earlier run kept (`attach`). Started at once, waited for when needed."""

    def __init__(
        self,
        home: Path,
        port: int | None = None,
        *,
        ui: bool = True,
        scheduling: bool = True,
        keep_minutes: float = 0.0,
    ) -> None:
        if port is None:
            port = _free_port()
        self.url = f"http://127.0.0.1:{port}/api"
        self.keep_minutes = keep_minutes
        home.mkdir(parents=True, exist_ok=True)
        self.log_path = home / "prefect-server.log"
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env.update(
            {
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                # The UI asks the API at this address: it must be the port actually served.
                "PREFECT_SERVER_API_HOST": "127.0.0.1",
                "PREFECT_SERVER_API_PORT": str(port),
                "PREFECT_UI_ENABLED": str(ui).lower(),
                "PREFECT_SERVER_UI_ENABLED": str(ui).lower(),
            }
        )
        if not scheduling:
            env.update({f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false" for name in SCHEDULING_SERVICES})
        if database_is_current(prefect_home()):
            # Checking an up-to-date database's migrations costs about 0.6 s of every start.
            env["PREFECT_API_DATABASE_MIGRATE_ON_START"] = "false"
        kept = keep_minutes > 0
        command = [sys.executable, "-m", "flows.prefect_server", "--port", str(port)]
        command += ["--keep-minutes", str(keep_minutes)]
        with open(self.log_path, "ab") as log:
            self._process: subprocess.Popen | None = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=Path(__file__).resolve().parent.parent,
                # A kept server outlives the run, in a session of its own (Ctrl+C in the terminal is for the
                # run). Any other dies with the process that started it, even under kill -9.
                start_new_session=kept,
                preexec_fn=None if kept else _die_with_parent,
            )
        self.pid = self._process.pid
        self._ready = False

    @classmethod
    def attach(cls, url: str, pid: int, log_path: Path, keep_minutes: float) -> PrefectServer:
        """A kept server started by an earlier run; this run neither waits for its start nor stops it."""
        server = cls.__new__(cls)
        server.url, server.pid, server.log_path, server.keep_minutes = url, pid, log_path, keep_minutes
        server._process, server._ready = None, False
        return server

    @property
    def ready(self) -> bool:
        """It has answered this run."""
        return self._ready

    @property
    def ui_url(self) -> str:
        return self.url.removesuffix("/api")

    def wait(self, timeout: float = 120.0) -> str:
        """The API's address once it answers; raises if the server stopped or never answered."""
        deadline = time.monotonic() + timeout
        while not self._ready:
            self._ready = _answers(self.url, timeout=2)
            if not self._ready:
                if not self._alive() or time.monotonic() > deadline:
                    if self._process is not None:  # not left running beside the fallback
                        self._process.kill()
                    raise RuntimeError(f"Prefect 服务器未能启动，详见 {self.log_path}")
                time.sleep(0.05)
        return self.url

    def stop(self) -> None:
        """Stop a server started here for this run only; a kept server stops itself once idle."""
        if self._process is None or self.keep_minutes > 0:
            return
        self._process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=20)
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    def _alive(self) -> bool:
        if self._process is not None:
            return self._process.poll() is None
        return _is_our_server(self.pid, self.url)


def start_run_server() -> PrefectServer | None:
    """The server a run reports to, started before anything else so that it comes up while the run
    imports its libraries; None when PREFECT_API_URL names the user's own. A server kept by an earlier run
    on this PREFECT_HOME is reused. Prefect's ephemeral API would start the same server for each run,
    but only once the flow is called and after importing the whole server into this process."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    home, minutes = prefect_home(), keep_minutes_setting()
    try:
        if minutes <= 0:
            return PrefectServer(home, ui=False, scheduling=False)
        with _locked(home):
            kept = kept_server(home)
            if kept is not None:
                return kept
            server = PrefectServer(home, scheduling=False, keep_minutes=minutes)
            record = {"url": server.url, "pid": server.pid, "prefect": version("prefect"), "keep_minutes": minutes}
            try:
                _write_atomically(home / RECORD, json.dumps(record))
            except OSError:
                server._process.kill()  # a kept server nobody can find would only idle
                raise
            return server
    except OSError:
        return None  # PREFECT_HOME not writable: Prefect's ephemeral API will say so itself


def kept_server(home: Path) -> PrefectServer | None:
    """The server an earlier run kept on this PREFECT_HOME, if it is still running this Prefect and
    answers. The answer counts as use, so the server cannot stop for idleness before the run starts."""
    try:
        record = json.loads((home / RECORD).read_text(encoding="utf-8"))
        url, pid, prefect, minutes = record["url"], int(record["pid"]), record["prefect"], record["keep_minutes"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if prefect != version("prefect") or not _is_our_server(pid, url):
        return None
    if not _answers(url, timeout=5):
        return None  # still starting, or stopping: a new one is started instead
    return PrefectServer.attach(url, pid, home / "prefect-server.log", float(minutes))


def database_is_current(home: Path) -> bool:
    """Prefect's database in this PREFECT_HOME is at the revision this Prefect's server last migrated it
    to (SCHEMA_RECORD, written once a server has started). False for any other database, a new or
    upgraded Prefect, or a database named by the user's own settings: then the server migrates."""
    if any(k.startswith(("PREFECT_API_DATABASE_", "PREFECT_SERVER_DATABASE_")) for k in os.environ):
        return False
    with contextlib.suppress(OSError):
        if "DATABASE" in (home / "profiles.toml").read_text(encoding="utf-8").upper():
            return False
    try:
        record = json.loads((home / SCHEMA_RECORD).read_text(encoding="utf-8"))
        return record == {"prefect": version("prefect"), "revision": _revision(home / "prefect.db")}
    except (OSError, ValueError, sqlite3.Error):
        return False


def _revision(db: Path) -> str:
    if not db.is_file():
        raise FileNotFoundError(db)
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def _remember_schema(home: Path) -> None:
    """Once a server has started and migrated Prefect's own database in this home, record its revision."""
    from prefect.settings import get_current_settings

    database = get_current_settings().server.database
    url = database.connection_url.get_secret_value() if database.connection_url else ""
    if not database.migrate_on_start or not url.endswith(f"{home}/prefect.db"):
        return
    with contextlib.suppress(OSError, TypeError, sqlite3.Error):
        record = {"prefect": version("prefect"), "revision": _revision(home / "prefect.db")}
        _write_atomically(home / SCHEMA_RECORD, json.dumps(record))


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def stop_kept_server(home: Path, timeout: float = 20.0) -> bool:
    """Stop the server kept on this PREFECT_HOME, if any; True when one was running."""
    server = kept_server(home)
    if server is None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _is_our_server(server.pid, server.url) and time.monotonic() < deadline:
        time.sleep(0.05)
    return True


@contextlib.contextmanager
def scheduling_server(home: Path, port: int = 4200) -> Iterator[str]:
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


@contextlib.contextmanager
def _locked(home: Path) -> Iterator[None]:
    """Two runs starting together find or start one server between them."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / LOCK, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def _answers(url: str, timeout: float) -> bool:
    """The API at `url` answers its health check (a request, so it also counts as use)."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as answer:
            return answer.status == 200
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _is_our_server(pid: int, url: str) -> bool:
    """The process is running and is the gongkai Prefect server serving `url` (not another that reused
    the pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    port = url.rsplit(":", 1)[-1].split("/")[0]
    ours = b"flows.prefect_server\0--port\0" + port.encode() + b"\0" in cmdline
    return ours and stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _die_with_parent() -> None:
    """In the server's process before exec: a run killed outright (kill -9) takes its server with it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)


class _Activity:
    """ASGI middleware that knows when the server was last used: requests and websockets (a run's events
    stream) in progress, and when the last one ended."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app, self.open, self.last = app, 0, time.monotonic()

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            return await self.app(scope, receive, send)
        self.open += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.open -= 1
            self.last = time.monotonic()

    def idle_for(self) -> float:
        return 0.0 if self.open else time.monotonic() - self.last


def serve(port: int, keep_minutes: float) -> None:
    """Prefect's API app (and UI, when enabled) on loopback until stopped, or until idle for
    `keep_minutes` when that is above 0."""
    import asyncio

    import uvicorn
    from prefect.server.api.server import create_app
    from prefect.settings import get_current_settings

    api = get_current_settings().server.api
    app = _Activity(create_app(final=True))
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            timeout_keep_alive=api.keepalive_timeout,
            ws_ping_interval=api.websocket_ping_interval,
            ws_ping_timeout=api.websocket_ping_timeout,
        )
    )
    idle_limit = keep_minutes * 60

    async def stop_when_idle() -> None:
        while not server.should_exit:
            await asyncio.sleep(min(5.0, idle_limit / 4))
            if app.idle_for() > idle_limit and _forget_unless_wanted():
                server.should_exit = True

    async def remember_schema() -> None:
        while not server.started and not server.should_exit:
            await asyncio.sleep(0.1)
        if server.started:
            app.last = time.monotonic()  # idle from when it could first answer, not from launch
            _remember_schema(prefect_home())

    async def main() -> None:
        tasks = [asyncio.ensure_future(remember_schema())]
        if idle_limit > 0:
            tasks.append(asyncio.ensure_future(stop_when_idle()))
        await server.serve()
        for task in tasks:
            task.cancel()

    try:
        asyncio.run(main())
    finally:
        _forget()
    if not server.started:
        sys.exit(1)


def _forget_unless_wanted() -> bool:
    """Before an idle stop: remove the record so that no run attaches to a stopping server, unless a run
    holds the lock right now (it may be attaching: stay up, and look again later)."""
    home = prefect_home()
    with open(home / LOCK, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        _forget()
        return True


def _forget() -> None:
    """Remove this server's record on the way out, unless a newer server has replaced it."""
    record = prefect_home() / RECORD
    with contextlib.suppress(OSError, ValueError, KeyError):
        if json.loads(record.read_text(encoding="utf-8"))["pid"] == os.getpid():
            record.unlink()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="本机 Prefect 服务器（由 gongkai 启动）")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--keep-minutes", type=float, default=0.0)
    args = parser.parse_args()
    serve(args.port, args.keep_minutes)
