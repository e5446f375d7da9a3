"""The Prefect server `gongkai run` keeps for the next run: reused, shown to the analyst, and gone once idle."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from flows.prefect_server import RECORD, SCHEMA_RECORD, database_is_current, kept_server, stop_kept_server


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    from demo.corpus import write_corpus

    out = tmp_path_factory.mktemp("county")
    write_corpus(out, townships=2, years=(2023, 2024), seed=5, workers=1)
    return out


def _run(county: Path, tmp_path: Path, home: Path, keep_minutes: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update({"PREFECT_HOME": str(home), "GONGKAI_PREFECT_KEEP_MINUTES": keep_minutes})
    cmd = [sys.executable, "-m", "gongkai.cli", "run", "--inbox", str(county / "reports"),
           "--townships", str(county / "townships.csv"), "--db", str(tmp_path / "c.duckdb"),
           "--out", str(tmp_path / "out")]  # fmt: skip
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)


def _api(url: str, path: str, body: dict | None = None):
    request = urllib.request.Request(
        url + path,
        data=json.dumps(body).encode() if body is not None else None,
        method="GET" if body is None else "POST",
    )
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def test_the_next_run_reports_to_the_server_the_first_kept(county, tmp_path):
    home = tmp_path / "prefect"
    try:
        first = _run(county, tmp_path, home, "0.25")
        assert first.returncode == 0, first.stderr
        server = kept_server(home)
        assert server is not None
        # Its database is recorded as migrated: the next server to start here skips the check.
        assert database_is_current(home)
        second = _run(county, tmp_path, home, "0.25")
        assert second.returncode == 0, second.stderr
        assert kept_server(home).pid == server.pid  # the same process answered both runs
        assert first.stderr == second.stderr == ""
        link = re.compile(r"Prefect 运行记录（界面空闲 0.25 分钟后关闭）：\n(\S+)/runs/flow-run/(\S+)\n")
        links = [link.search(done.stdout) for done in (first, second)]
        assert [m.group(1) for m in links] == [server.ui_url, server.ui_url]
        # Both runs are in that server, completed, under the ids the analyst was shown.
        runs = _api(server.url, "/flow_runs/filter", {})
        assert {r["id"]: r["state"]["type"] for r in runs} == {m.group(2): "COMPLETED" for m in links}
        # With their logs, which the terminal did not show.
        logs = _api(server.url, "/logs/filter", {"logs": {"flow_run_id": {"any_": [links[1].group(2)]}}})
        assert "收到 4 个文件：0 个待解析，4 个未变化" in [entry["message"] for entry in logs]
        # Its UI is served, and asks the API at the port actually served.
        assert _api(server.ui_url, "/ui-settings")["api_url"] == server.url
        with urllib.request.urlopen(server.ui_url, timeout=10) as page:
            assert b"<html" in page.read().lower()
        con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
        assert con.execute("select files_parsed, files_unchanged from runs order by started_at").fetchall() == [
            (4, 0),
            (0, 4),
        ]
        con.close()
        # Idle for its 15 s, it stops by itself and takes its record with it.
        deadline = time.monotonic() + 60
        while Path(f"/proc/{server.pid}").exists():
            assert time.monotonic() < deadline, "the kept server did not stop once idle"
            time.sleep(0.5)
        assert not (home / RECORD).exists()
    finally:
        stop_kept_server(home)


def test_a_run_with_nothing_kept_stops_its_server_with_it(county, tmp_path):
    home = tmp_path / "prefect"
    done = _run(county, tmp_path, home, "0")
    assert done.returncode == 0, done.stderr
    assert "Prefect 运行记录" not in done.stdout
    assert kept_server(home) is None and not (home / RECORD).exists()


def test_a_record_left_by_a_server_that_is_gone_is_ignored(tmp_path):
    from importlib.metadata import version

    (tmp_path / RECORD).write_text(
        json.dumps(
            {"url": "http://127.0.0.1:9/api", "pid": os.getpid(), "prefect": version("prefect"), "keep_minutes": 15}
        ),
        encoding="utf-8",
    )
    assert kept_server(tmp_path) is None  # this pid runs pytest, not a gongkai server
    assert stop_kept_server(tmp_path) is False


def test_a_database_not_known_to_be_current_is_migrated(tmp_path, monkeypatch):
    import sqlite3

    assert not database_is_current(tmp_path)  # nothing here yet
    with sqlite3.connect(tmp_path / "prefect.db") as con:
        con.execute("CREATE TABLE alembic_version (version_num TEXT)")
        con.execute("INSERT INTO alembic_version VALUES ('abc123')")
    con.close()
    from importlib.metadata import version

    record = tmp_path / SCHEMA_RECORD
    record.write_text(json.dumps({"prefect": version("prefect"), "revision": "abc123"}), encoding="utf-8")
    assert database_is_current(tmp_path)
    record.write_text(json.dumps({"prefect": "2.0.0", "revision": "abc123"}), encoding="utf-8")
    assert not database_is_current(tmp_path)  # another Prefect migrated it
    record.write_text(json.dumps({"prefect": version("prefect"), "revision": "older"}), encoding="utf-8")
    assert not database_is_current(tmp_path)
    record.write_text(json.dumps({"prefect": version("prefect"), "revision": "abc123"}), encoding="utf-8")
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", "postgresql+asyncpg://db/prefect")
    assert not database_is_current(tmp_path)  # the user's own database: not ours to judge


def test_an_idle_server_stays_up_while_a_run_may_be_attaching(tmp_path, monkeypatch):
    """The idle stop first removes the record, under the lock a run holds while it looks for a server:
    so a run never attaches to a server that is stopping."""
    import fcntl

    from flows.prefect_server import _forget_unless_wanted

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    (tmp_path / RECORD).write_text(json.dumps({"pid": os.getpid()}), encoding="utf-8")  # as if this were it
    with open(tmp_path / "gongkai-server.lock", "a") as run_looking:
        fcntl.flock(run_looking, fcntl.LOCK_EX)
        assert _forget_unless_wanted() is False
        assert (tmp_path / RECORD).exists()
    assert _forget_unless_wanted() is True
    assert not (tmp_path / RECORD).exists()
