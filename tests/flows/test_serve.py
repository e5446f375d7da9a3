"""`gongkai serve`: a Prefect server started with Prefect's own command line (or one already on the
port), a deployment with the nightly schedule, and a run of it carried out by the served flow."""

from __future__ import annotations

import contextlib
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
from dataclasses import asdict

import duckdb

from gongkai.options import Limits

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


def _serve(inbox, townships, tmp_path, port: int, env: dict[str, str], *more: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gongkai.cli", "serve", "--inbox", str(inbox), "--townships", str(townships),
           "--db", str(tmp_path / "c.duckdb"), "--out", str(tmp_path / "out"), "--cron", "0 2 * * *",
           "--port", str(port), "--workers", "1", *more]  # fmt: skip
    return subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _stop(served: subprocess.Popen) -> str:
    """Ctrl+C, as the analyst stops it; what it printed."""
    os.killpg(served.pid, signal.SIGINT)
    try:
        output, _ = served.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(served.pid, signal.SIGKILL)
        output, _ = served.communicate()
    return output.decode(errors="replace")


def _api_servers(pid: int) -> int:
    """How many Prefect API servers run under process `pid`: `prefect server start`, or the ephemeral API
    Prefect starts on its own (uvicorn serving Prefect's app)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat = open(f"/proc/{entry}/stat").read()
                children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, todo = 0, list(children.get(pid, []))
    while todo:
        child = todo.pop()
        todo += children.get(child, [])
        with contextlib.suppress(OSError):
            command = open(f"/proc/{child}/cmdline").read().replace("\0", " ")
            found += "prefect.server.api.server:create_app" in command or " server start " in command
    return found


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = tempfile.mkdtemp(prefix="gongkai-prefect-")
    env["PREFECT_RUNNER_POLL_FREQUENCY"] = "1"  # the served flow takes a triggered run within a second
    return env


def _run_to_the_end(url: str, deployment_id: str) -> str:
    # The server answers 503 for a moment after it starts; _wait retries.
    run = _wait(lambda: _api(url, f"/deployments/{deployment_id}/create_flow_run", {}))
    final = ("COMPLETED", "FAILED", "CRASHED")
    return _wait(lambda: (s := _api(url, f"/flow_runs/{run['id']}")["state"]["type"]) in final and s)


def test_serve_registers_the_nightly_schedule_and_runs_the_flow(real_reports, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(real_reports / "hongze-2023.pdf", inbox)
    (tmp_path / "townships.csv").write_text(REGISTER, encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    served = _serve(inbox, tmp_path / "townships.csv", tmp_path, port, _env(), "--timezone", "Asia/Shanghai")
    try:
        deployment = _wait(lambda: _api(url, "/deployments/filter", {}))[0]
        assert deployment["name"] == "gongkai-nightly"
        assert [(s["schedule"]["cron"], s["schedule"]["timezone"]) for s in deployment["schedules"]] == [
            ("0 2 * * *", "Asia/Shanghai")
        ]
        assert deployment["parameters"]["collect"] is False  # the register names no web sites
        assert deployment["parameters"]["limits"] == asdict(Limits())  # what each run may spend, shown
        # 02:00 in the county is 18:00 UTC: the runs Prefect's scheduler puts ahead are at that hour.
        scheduled = {
            "flow_runs": {"deployment_id": {"any_": [deployment["id"]]}, "state": {"type": {"any_": ["SCHEDULED"]}}}
        }
        runs = _wait(lambda: _api(url, "/flow_runs/filter", scheduled))
        assert {run["expected_start_time"][11:19] for run in runs} == {"18:00:00"}
        assert _api_servers(served.pid) == 1  # the one it started: no ephemeral API beside it
        assert _run_to_the_end(url, deployment["id"]) == "COMPLETED"
    finally:
        output = _stop(served)
    assert served.returncode == 0, output
    log = tmp_path / "prefect-server.log"  # beside the warehouse
    assert f"已启动本机 Prefect 服务器（日志：{log}）" in output
    assert "时区 Asia/Shanghai（命令行所给），下次运行在 " in output
    assert "WARNING" not in output and "Traceback" not in output, output
    assert log.stat().st_size > 0
    assert not _answers(url)  # the server it started stopped with it
    con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
    assert con.execute("select township, year from reports").fetchall() == [("洪泽区", 2023)]
    con.close()


def test_serve_uses_a_prefect_server_already_on_its_port(tmp_path, monkeypatch):
    """A server already answering on the port (`prefect server start` run by the analyst) is used, and
    left running when serving stops; a register with web sites has the runs collect first."""
    from gongkai.prefect_server import scheduling_server

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    register = "name,aliases,code,url\n洪泽区,洪泽区人民政府,320813,http://127.0.0.1:9/hongze/\n淮安市,淮安市人民政府,320800,\n"
    (tmp_path / "townships.csv").write_text(register, encoding="utf-8-sig")
    port = _free_port()
    env = _env()
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", env["PREFECT_HOME"])
    with scheduling_server(port, tmp_path / "own-server.log") as own:  # as `prefect server start` would
        served = _serve(inbox, tmp_path / "townships.csv", tmp_path, port, env)
        try:
            deployment = _wait(lambda: _api(own.url, "/deployments/filter", {}))[0]
            assert deployment["name"] == "gongkai-nightly"
            assert deployment["parameters"]["collect"] is True
            assert _api_servers(served.pid) == 0  # it talks to the analyst's server, and starts none
            # A run of it collects first: the site that does not answer is recorded, and the run completes.
            assert _run_to_the_end(own.url, deployment["id"]) == "COMPLETED"
        finally:
            output = _stop(served)
        con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
        fetched = con.execute("select township, kind, url, http_status, error from sources order by kind").fetchall()
        con.close()
        refused = "无法连接：ConnectError"
        assert fetched == [
            (
                "洪泽区",
                "listing",
                "http://127.0.0.1:9/hongze/",
                None,
                f"无法读取该网站的 robots.txt（{refused}），本次不抓取该网站",
            ),
            (None, "robots", "http://127.0.0.1:9/robots.txt", None, refused),
        ]
        assert served.returncode == 0, output
        assert f"端口 {port} 上已有 Prefect 服务器在运行，直接使用它" in output
        assert "WARNING" not in output and "Traceback" not in output, output
        assert not (tmp_path / "prefect-server.log").exists()
        assert _answers(own.url)  # not stopped: not started by gongkai serve
        # Stopping paused the schedule (Prefect's pause on shutdown), so the next night runs nothing.
        assert _api(own.url, f"/deployments/{deployment['id']}")["paused"] is True


def test_a_server_that_cannot_start_says_where_its_log_is(tmp_path, monkeypatch):
    """The port is taken by something that is not Prefect: `prefect server start` exits, and waiting for
    it ends with the log's place instead of hanging."""
    from gongkai.prefect_server import ServerDidNotStart, scheduling_server

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    log = tmp_path / "prefect-server.log"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        started = time.monotonic()
        try:
            with scheduling_server(taken.getsockname()[1], log, timeout=60):
                raise AssertionError("a server on a taken port answered")
        except ServerDidNotStart as err:
            message = str(err)
    assert message == f"Prefect 服务器未能启动，详见 {log}"
    assert time.monotonic() - started < 60
    assert "already in use" in log.read_text(encoding="utf-8", errors="replace")


def _answers(url: str) -> bool:
    from gongkai.prefect_server import answers

    return answers(url)


def _serving_an_empty_inbox(tmp_path) -> tuple[subprocess.Popen, str]:
    """`gongkai serve` on an empty inbox, starting its own server on a free port; the server's API address."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (tmp_path / "townships.csv").write_text(REGISTER, encoding="utf-8")
    port = _free_port()
    return _serve(inbox, tmp_path / "townships.csv", tmp_path, port, _env()), f"http://127.0.0.1:{port}/api"


def test_serve_killed_outright_takes_its_prefect_server_with_it(tmp_path):
    """kill -9 of `gongkai serve` alone (not its process group) must not leave its server running."""
    from pathlib import Path

    served, url = _serving_an_empty_inbox(tmp_path)
    try:
        _wait(lambda: _api(url, "/deployments/filter", {}))
        children = [
            int(c) for t in Path(f"/proc/{served.pid}/task").iterdir() for c in (t / "children").read_text().split()
        ]
        (server,) = [c for c in children if b"server\0start\0" in Path(f"/proc/{c}/cmdline").read_bytes()]
        os.kill(served.pid, signal.SIGKILL)
        served.wait()
        _wait(lambda: not _answers(url), seconds=30)
        deadline = time.monotonic() + 30
        while Path(f"/proc/{server}").exists() and b"server\0start\0" in Path(f"/proc/{server}/cmdline").read_bytes():
            assert time.monotonic() < deadline, "the Prefect server outlived gongkai serve"
            time.sleep(0.1)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(served.pid, signal.SIGKILL)


def test_sigterm_stops_serving_and_the_server_it_started(tmp_path):
    """systemd stops the service with SIGTERM: serving ends without a traceback or a warning, and the
    Prefect server it started ends with it."""
    served, url = _serving_an_empty_inbox(tmp_path)
    try:
        deployment = _wait(lambda: _api(url, "/deployments/filter", {}))[0]
        assert deployment["name"] == "gongkai-nightly"
        # A run carried out: the runner is serving (its own SIGTERM handling in place), not still starting.
        assert _run_to_the_end(url, deployment["id"]) == "COMPLETED"
    finally:
        served.send_signal(signal.SIGTERM)  # the process only, as systemd's default KillMode=mixed
        try:
            output, _ = served.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(served.pid, signal.SIGKILL)
            output, _ = served.communicate()
    text = output.decode(errors="replace")
    assert served.returncode == 0, text
    assert "WARNING" not in text and "Traceback" not in text, text
    assert not _answers(url)
