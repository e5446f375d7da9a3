"""Where `gongkai run` reports: the server PREFECT_API_URL names, with a link to the run in its UI; else
Prefect's ephemeral API, which Prefect starts for the run and stops with it (no link: nothing to open)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import duckdb
import pytest

from gongkai.prefect_server import answers, scheduling_server
from tests.flows.prefect_api import recorded


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    from gongkai.demo.corpus import write_corpus

    out = tmp_path_factory.mktemp("county")
    write_corpus(out, townships=2, years=(2023, 2024), seed=5, workers=1)
    return out


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(county: Path, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "gongkai.cli", "run", "--inbox", str(county / "reports"),
           "--townships", str(county / "townships.csv"), "--db", str(tmp_path / "c.duckdb"),
           "--out", str(tmp_path / "out"), "--workers", "1"]  # fmt: skip
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)


def _api(url: str, path: str, body: dict | None = None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def _warehouse_runs(db: Path) -> list[tuple[str, int, int]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select summary, files_parsed, files_unchanged from runs order by started_at").fetchall()
    finally:
        con.close()
    return [(json.loads(summary)["flow_run_id"], parsed, unchanged) for summary, parsed, unchanged in rows]


def test_runs_report_to_the_server_prefect_api_url_names_and_link_to_themselves(county, tmp_path, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))  # the server's database
    env = dict(os.environ)
    port = _free_port()
    # The same server `gongkai serve` starts: Prefect's own `prefect server start`.
    with scheduling_server(port, tmp_path / "prefect-server.log") as server:
        assert server.started_here and server.url == f"http://127.0.0.1:{port}/api"
        env["PREFECT_API_URL"] = server.url
        first = _run(county, tmp_path, env)
        assert first.returncode == 0, first.stderr
        second = _run(county, tmp_path, env)
        assert second.returncode == 0, second.stderr
        assert first.stderr == second.stderr == ""
        link = re.compile(r"Prefect 运行记录：\n(\S+)/runs/flow-run/(\S+)\n")
        links = [link.search(done.stdout) for done in (first, second)]
        assert [m.group(1) for m in links] == [f"http://127.0.0.1:{port}"] * 2
        # Both runs are in that server, completed, under the ids the analyst was shown and the warehouse keeps.
        runs = _api(server.url, "/flow_runs/filter", {})
        assert {r["id"]: r["state"]["type"] for r in runs} == {m.group(2): "COMPLETED" for m in links}
        assert _warehouse_runs(tmp_path / "c.duckdb") == [(links[0].group(2), 4, 0), (links[1].group(2), 0, 4)]
        # With their logs to the last, which Prefect sends as the run's process exits.
        logs = _api(server.url, "/logs/filter", {"logs": {"flow_run_id": {"any_": [links[1].group(2)]}}})
        messages = [entry["message"] for entry in logs]
        assert "收到 4 个文件：0 个待解析，4 个未变化" in messages
        assert messages[-1] == "Finished in state Completed()"
        # The link opens: the UI is served, and asks the API at the port actually served.
        assert _api(server.ui_url, "/ui-settings")["api_url"] == server.url
        opened = urllib.request.Request(f"{server.ui_url}/runs/flow-run/{links[1].group(2)}")
        opened.add_header("Accept", "text/html")  # as a browser opens it
        with urllib.request.urlopen(opened, timeout=10) as page:
            assert b"<html" in page.read().lower()
    assert not answers(server.url)  # stopped on leaving


def test_a_run_without_prefect_api_url_uses_prefects_ephemeral_api(county, tmp_path):
    home = tmp_path / "prefect"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(home)
    done = _run(county, tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "Prefect 运行记录" not in done.stdout  # its server stopped with it: no link to offer
    # The run is in Prefect's database in PREFECT_HOME, completed, with its summary artifact.
    ((flow_run_id, parsed, unchanged),) = _warehouse_runs(tmp_path / "c.duckdb")
    assert (parsed, unchanged) == (4, 0)
    runs = recorded(home)
    assert runs["flow_runs"] == [[flow_run_id, "Completed"]]
    assert runs["artifacts"] == ["county-run-summary"]
