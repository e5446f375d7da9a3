"""`gongkai serve`: a Prefect server started by the project, a deployment with the nightly schedule,
and a run of it carried out by the served flow."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import duckdb

REGISTER = "name,aliases,code\n洪泽区,洪泽区人民政府;淮安市洪泽区人民政府,320813\n淮安市,淮安市人民政府,320800\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(url: str, path: str, body: dict | None = None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def _wait(what, seconds: float = 150):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = what()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(1)
    raise AssertionError("timed out")


def test_serve_registers_the_nightly_schedule_and_runs_the_flow(real_reports, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(real_reports / "hongze-2023.pdf", inbox)
    (tmp_path / "townships.csv").write_text(REGISTER, encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = tempfile.mkdtemp(prefix="gongkai-prefect-")
    cmd = [sys.executable, "-m", "gongkai.cli", "serve", "--inbox", str(inbox), "--townships",
           str(tmp_path / "townships.csv"), "--db", str(tmp_path / "c.duckdb"), "--out", str(tmp_path / "out"),
           "--cron", "0 2 * * *", "--port", str(port), "--workers", "1"]  # fmt: skip
    served = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deployment = _wait(lambda: _api(url, "/deployments/filter", {}))[0]
        assert deployment["name"] == "gongkai-nightly"
        assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["0 2 * * *"]
        # The server answers 503 for a moment after it starts; _wait retries.
        run = _wait(lambda: _api(url, f"/deployments/{deployment['id']}/create_flow_run", {}))
        state = _wait(
            lambda: (
                (s := _api(url, f"/flow_runs/{run['id']}")["state"]["type"]) in ("COMPLETED", "FAILED", "CRASHED") and s
            )
        )
        assert state == "COMPLETED"
    finally:
        os.killpg(served.pid, signal.SIGINT)
        try:
            served.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(served.pid, signal.SIGKILL)
    con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
    assert con.execute("select township, year from reports").fetchall() == [("洪泽区", 2023)]
    con.close()


def test_a_server_that_cannot_start_says_where_its_log_is(tmp_path):
    """The port is taken by something that is not Prefect: the server exits, and waiting for it ends
    with the reason's place instead of hanging (a run then falls back to Prefect's ephemeral API)."""
    from flows.prefect_server import PrefectServer

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = PrefectServer(tmp_path / "home", taken.getsockname()[1], ui=False)
        try:
            started = time.monotonic()
            try:
                server.wait(timeout=60)
            except RuntimeError as err:
                message = str(err)
            else:
                raise AssertionError("a server on a taken port answered")
        finally:
            server.stop()
    assert message == f"Prefect 服务器未能启动，详见 {tmp_path / 'home' / 'prefect-server.log'}"
    assert time.monotonic() - started < 60
    assert (tmp_path / "home" / "prefect-server.log").stat().st_size > 0
