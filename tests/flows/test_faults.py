"""Faults a nightly job must survive: killed runs, two runs at once, a full or read-only disk.
Each runs the real `gongkai run` in its own process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

PREFECT_HOME = tempfile.mkdtemp(prefix="gongkai-prefect-")


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    from gongkai.demo.corpus import write_corpus

    out = tmp_path_factory.mktemp("county")
    write_corpus(out, townships=4, years=(2021, 2024), seed=3, workers=1)
    return out


def _cmd(county: Path, db: Path, out: Path) -> list[str]:
    return [
        sys.executable, "-m", "gongkai.cli", "run", "--inbox", str(county / "reports"),
        "--townships", str(county / "townships.csv"), "--db", str(db), "--out", str(out), "--workers", "1",
    ]  # fmt: skip


def _env() -> dict[str, str]:
    return {**os.environ, "PREFECT_HOME": PREFECT_HOME}


def _cells_per_report(county: Path) -> dict[str, int]:
    out = {}
    for path in (county / "reports").glob("*.json"):
        truth = json.loads(path.read_text(encoding="utf-8"))
        out[truth["file"]] = len(truth["cells"]) + len(truth["unreadable"])
    return out


def _assert_whole_reports(db: Path, county: Path) -> int:
    from gongkai import warehouse

    expected = _cells_per_report(county)
    con = warehouse.open_warehouse(db)  # what the next run does: recover, migrate if the kill came first
    rows = con.execute(
        "select r.source_file, count(f.report_id) from reports r left join facts f using (report_id) group by 1"
    ).fetchall()
    con.close()
    for source, n in rows:
        assert n == expected[Path(source).name], f"{source}: {n} facts, a partly loaded report"
    return len(rows)


def _parsing(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        # Children are listed under the thread that forked them.
        children = [c for t in Path(f"/proc/{pid}/task").iterdir() for c in (t / "children").read_text().split()]
        return any(Path(f"/proc/{c}/cmdline").read_bytes() == cmdline for c in children)
    except OSError:
        return False


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, "the run finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.mark.parametrize("phase", ["parsing", "loading"])
def test_a_run_killed_leaves_whole_reports_and_the_next_run_completes(county, tmp_path, phase):
    db = tmp_path / "county.duckdb"
    wal = db.with_name(db.name + ".wal")
    proc = subprocess.Popen(_cmd(county, db, tmp_path / "out"), env=_env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    if phase == "parsing":
        # Each file is parsed in a forked child of the run, which shares the run's command line.
        _kill_when(proc, lambda: _parsing(proc.pid))
    else:
        start = {}

        def loading() -> bool:
            if not wal.exists():
                return False
            size = wal.stat().st_size
            start.setdefault("size", size)
            # Parsing writes nothing; the first committed report grows the WAL well past the run's start.
            return size > start["size"] + 20_000

        _kill_when(proc, loading)
    assert proc.returncode == -signal.SIGKILL
    loaded = _assert_whole_reports(db, county)
    reports = len(list((county / "reports").glob("*.json")))
    assert loaded < reports
    again = subprocess.run(_cmd(county, db, tmp_path / "out"), env=_env(), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert _assert_whole_reports(db, county) == reports
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from latest_reports").fetchone() == (reports,)
    con.close()


def test_two_runs_at_once_the_second_stops_with_a_clear_message(county, tmp_path):
    db = tmp_path / "county.duckdb"
    first = subprocess.Popen(_cmd(county, db, tmp_path / "o1"), env=_env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)  # fmt: skip
    lock = db.with_name(db.name + ".lock")
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text(encoding="utf-8")):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    second = subprocess.run(_cmd(county, db, tmp_path / "o2"), env=_env(), capture_output=True, text=True)
    assert first.poll() is None, "the first run was over before the second started"
    assert second.returncode == 3
    assert "正被另一次运行使用" in second.stderr
    assert first.wait() == 0
    assert _assert_whole_reports(db, county) == len(list((county / "reports").glob("*.json")))


def _run_on_tmpfs(county: Path, tmp_path: Path, options: str) -> subprocess.CompletedProcess[str]:
    """`gongkai run` with its warehouse on a small tmpfs mounted with `options` (size, ro)."""
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs (CI runs as root)")
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(disk)], check=True)
    try:
        return subprocess.run(
            _cmd(county, disk / "county.duckdb", tmp_path / "out"), env=_env(), capture_output=True, text=True
        )
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_full_disk_ends_the_run_with_a_clear_message(county, tmp_path):
    out = _run_on_tmpfs(county, tmp_path, "size=400k")
    assert out.returncode == 4
    assert "运行无法完成，数据仓库" in out.stderr and "无法写入" in out.stderr


def test_a_read_only_warehouse_path_ends_the_run_with_a_clear_message(county, tmp_path):
    out = _run_on_tmpfs(county, tmp_path, "ro,size=1m")
    assert out.returncode == 4
    assert "无法写入" in out.stderr and "Read-only file system" in out.stderr


def test_a_dask_run_parses_under_the_analysts_limits_not_the_workers(tmp_path):
    """The limits are read where the run starts and passed to the tasks: a Dask worker whose own
    environment says 1 s (Dask's nanny sets it in each worker process it starts; it cannot override
    what the run's process has set, so the analyst leaves the default 60 s) does not stop a file that
    takes a few seconds: it is read to the end, and is no report."""
    from tests.flows.test_bad_inputs import _heavy

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _heavy(inbox / "heavy.pdf")
    (tmp_path / "townships.csv").write_text("name,aliases,code\n汤旺河镇,,1\n", encoding="utf-8")
    env = {k: v for k, v in _env().items() if k != "GONGKAI_PARSE_TIMEOUT"}
    env["DASK_DISTRIBUTED__NANNY__ENVIRON"] = "{'GONGKAI_PARSE_TIMEOUT': '1'}"
    db = tmp_path / "county.duckdb"
    cmd = [sys.executable, "-m", "gongkai.cli", "run", "--inbox", str(inbox), "--townships",
           str(tmp_path / "townships.csv"), "--db", str(db), "--out", str(tmp_path / "out"),
           "--dask-local", "1"]  # fmt: skip
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert [reason for (reason,) in con.execute("SELECT reason FROM rejected").fetchall()] == ["NOT_A_REPORT"]
    con.close()
