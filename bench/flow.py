"""The county run: first run against the sum of single-file parse times, a rerun on an unchanged inbox
against the first run, and 1 worker against 2. Prefect's real engine and a real DuckDB file: `gongkai run`
as a fresh process with Prefect's ephemeral API, and the nightly deployment as `gongkai serve` runs it
(flow runs of the served deployment on a Prefect server started with Prefect's own command line)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOYMENT = "gongkai-county-run/gongkai-nightly"
NEVER = "0 3 29 2 *"  # 3:00 on 29 February: no scheduled run starts during the bench


def run(
    county: Path,
    db: Path,
    workers: int,
    dask: bool = False,
    env: dict[str, str] | None = None,
    batch_size: int = 0,
    dashboards: bool = False,
) -> dict:
    import json

    t = time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.flow_run",
            str(county / "reports"),
            str(county / "townships.csv"),
            str(db),
            str(workers),
            str(batch_size),
            *(["dask"] if dask else []),
            *(["dashboards"] if dashboards else []),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**_without_api_url(), "PREFECT_HOME": str(db.parent / "prefect"), **(env or {})},
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_wall"] = time.perf_counter() - t
    return result


def warm_prefect_home(home: Path) -> float:
    """Prefect creates its database the first time a PREFECT_HOME is used: a one-time cost of an
    installation, not of a county run. Paid here, on an empty inbox, and reported on its own."""
    return run_empty(home, {"PREFECT_HOME": str(home / "prefect")})["process_wall"]


def run_empty(folder: Path, env: dict[str, str]) -> dict:
    """A run on an empty inbox, in `folder`: everything a run costs but the files."""
    empty = folder / "empty-county"
    (empty / "reports").mkdir(parents=True, exist_ok=True)
    (empty / "townships.csv").write_text("name\n示例镇\n", encoding="utf-8")
    return run(empty, folder / "empty.duckdb", 1, env=env)


def parsed_alone_fresh(county: Path) -> float:
    """`parsed_alone` in a fresh process, as each run is: in the bench's own process, after the parse
    benchmark, the same sum came out 20% slower (113.7 s against 95.0 s the same hour)."""
    code = f"from pathlib import Path; from bench.flow import parsed_alone; print(parsed_alone(Path({str(county)!r})))"
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    return float(out.stdout.strip().splitlines()[-1])


def parsed_alone(county: Path) -> float:
    """The sum of single-file parse times: each file parsed on its own, one after another, in this process."""
    from gongkai.parsers import ReportError, parse_report
    from gongkai.parsers.sources import is_input

    total = 0.0
    for path in sorted(p for p in (county / "reports").iterdir() if is_input(p)):
        start = time.perf_counter()
        try:
            parse_report(path)
        except ReportError:
            pass
        total += time.perf_counter() - start
    return total


def measure(county: Path, home: Path, workers: int = 2, rounds: int = 2) -> dict:
    """`gongkai run` one-shot, each a fresh process with Prefect's ephemeral API: the first run and the
    sum of single-file parse times, the faster of `rounds` each, interleaved (this machine's speed drifts
    by the minute), and a rerun on the unchanged inbox (it starts its own ephemeral API, as every one-shot
    run does). Then the nightly deployment: `served`."""
    env = {"PREFECT_HOME": str(home / "prefect")}
    firsts, alones = [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "county.duckdb"
        for r in range(rounds):
            firsts.append(run(county, Path(tmp) / f"first-{r}.duckdb" if r else db, workers, env=env))
            if r == 0:
                rerun = run(county, db, workers, env=env)
            alones.append(parsed_alone_fresh(county))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import prefect, duckdb, pdfplumber"], check=True)
        startup = time.perf_counter() - start
    return {
        "first": min(firsts, key=lambda f: f["process_wall"]),
        "firsts": [f["process_wall"] for f in firsts],
        "alone": min(alones),
        "alones": alones,
        "rerun": rerun,
        "import_startup_s": startup,
        "served": served(county, home, workers),
    }


def served(county: Path, home: Path, workers: int = 2) -> dict:
    """Flow runs of the nightly deployment: `gongkai serve` on a free port (it starts a Prefect server
    with `prefect server start`), its schedule far off, and runs of its deployment triggered through
    Prefect's client on a fresh warehouse: the first run, a rerun on the unchanged inbox (both with
    dashboards off, as the one-shot runs here), and a rerun as the schedule starts it (dashboards drawn).

    Each is timed by the states Prefect recorded: from Pending (the served process has taken the run and
    starts the process it runs in) to Completed; Running to Completed is the flow itself, without that
    process's start. The phases are the summary's own, from the warehouse's `runs` table."""
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "served.duckdb"
        log = Path(tmp) / "serve.log"
        # The served process looks for runs every second instead of every 10: a run waits less for it,
        # which no figure below includes anyway.
        env = {**_without_api_url(), "PREFECT_HOME": str(home / "prefect"), "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
        cmd = [sys.executable, "-m", "gongkai.cli", "serve", "--inbox", str(county / "reports"),
               "--townships", str(county / "townships.csv"), "--db", str(db), "--out", str(Path(tmp) / "out"),
               "--cron", NEVER, "--port", str(port), "--workers", str(workers)]  # fmt: skip
        started = time.perf_counter()
        with open(log, "wb") as out:
            serving = subprocess.Popen(
                cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            deployment = _deployment_when_served(api, serving, log)
            ready_s = time.perf_counter() - started
            first = _deployment_run(api, deployment, {"dashboards": False})
            rerun = _deployment_run(api, deployment, {"dashboards": False})
            scheduled = _deployment_run(api, deployment, {})
        finally:
            _stop(serving)
        for r in (first, rerun, scheduled):
            r.update(_summary(db, r["flow_run_id"]))
    return {"ready_s": ready_s, "first": first, "rerun": rerun, "scheduled": scheduled}


def _deployment_when_served(api: str, serving: subprocess.Popen, log: Path, timeout: float = 300) -> str:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    deadline = time.monotonic() + timeout
    with temporary_settings(updates={PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        while True:
            if serving.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gongkai serve did not serve its deployment: {log.read_text(errors='replace')}")
            try:
                return str(client.read_deployment_by_name(DEPLOYMENT).id)
            except Exception:  # not answering yet, or the deployment not created yet
                time.sleep(0.5)


def _deployment_run(api: str, deployment: str, parameters: dict, timeout: float = 3600) -> dict:
    """One flow run of the served deployment, triggered and waited for; its recorded timings."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        flow_run = client.create_flow_run_from_deployment(deployment, parameters=parameters)
        deadline = time.monotonic() + timeout
        while not (flow_run := client.read_flow_run(flow_run.id)).state.is_final():
            if time.monotonic() > deadline:
                raise RuntimeError(f"flow run {flow_run.id} still {flow_run.state.name}")
            time.sleep(0.2)
        states = {s.type.value: s.timestamp for s in client.read_flow_run_states(flow_run.id)}
    if flow_run.state.type.value != "COMPLETED":
        raise RuntimeError(f"flow run {flow_run.id} ended {flow_run.state.name}: {flow_run.state.message}")
    end = states["COMPLETED"]
    return {
        "flow_run_id": str(flow_run.id),
        "pending_to_completed": (end - states["PENDING"]).total_seconds(),
        "running_to_completed": (end - states["RUNNING"]).total_seconds(),
        "created_to_completed": (end - flow_run.created).total_seconds(),
    }


def _summary(db: Path, flow_run_id: str) -> dict:
    """The run's own summary in the warehouse (`runs.summary`): files parsed and its phases."""
    import json

    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = [json.loads(s) for (s,) in con.execute("SELECT summary FROM runs WHERE summary IS NOT NULL").fetchall()]
    finally:
        con.close()
    summary = next(s for s in rows if s.get("flow_run_id") == flow_run_id)
    return {k: summary[k] for k in ("files_parsed", "files_unchanged", "parse_seconds", "timings")}


def _stop(serving: subprocess.Popen) -> None:
    """Ctrl+C, as the analyst stops it: the served process pauses its schedule and stops its server."""
    os.killpg(serving.pid, signal.SIGINT)
    try:
        serving.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(serving.pid, signal.SIGKILL)
        serving.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _without_api_url() -> dict[str, str]:
    """This environment, without a PREFECT_API_URL: the runs here use Prefect's ephemeral API or the
    server `gongkai serve` starts, never the caller's own server."""
    return {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}


def workers_compared(county: Path, home: Path, rounds: int = 2) -> dict[int, dict]:
    """The same first run with 1 and with 2 workers, interleaved, each with Prefect's ephemeral API; the
    faster of `rounds` for each."""
    env = {"PREFECT_HOME": str(home / "prefect")}
    best: dict[int, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for workers in (1, 2):
                result = run(county, Path(tmp) / f"w{workers}-{r}.duckdb", workers, env=env)
                if workers not in best or result["process_wall"] < best[workers]["process_wall"]:
                    best[workers] = result
    return best
