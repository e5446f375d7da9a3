"""The county run: first run against the sum of single-file parse times, a rerun on an unchanged inbox
against the first run, and 1 worker against 2 (Prefect's real engine with the server each `gongkai run`
starts, a real DuckDB file, each run in a fresh process)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(
    county: Path, db: Path, workers: int, dask: bool = False, env: dict[str, str] | None = None, batch_size: int = 0
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
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PREFECT_HOME": str(db.parent / "prefect"), **(env or {})},
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


def parsed_alone(county: Path) -> float:
    """The sum of single-file parse times: each file parsed on its own, one after another, in this process."""
    from parsers import ReportError, parse_pdf

    total = 0.0
    for path in sorted((county / "reports").glob("*.pdf")):
        start = time.perf_counter()
        try:
            parse_pdf(path)
        except ReportError:
            pass
        total += time.perf_counter() - start
    return total


def measure(county: Path, home: Path, workers: int = 2) -> dict:
    """First run, rerun on the unchanged inbox, and a rerun against an already running server."""
    env = {"PREFECT_HOME": str(home / "prefect")}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "county.duckdb"
        first = run(county, db, workers, env=env)
        rerun = run(county, db, workers, env=env)
        # As under `gongkai serve`: a Prefect server already running, so none starts with the run.
        from flows.runner import PrefectServer

        server = PrefectServer(Path(tmp) / "server", ui=False)
        try:
            url = server.wait()
            # A served deployment's server has answered many runs: warm this one with a run of its own.
            run_empty(Path(tmp), {**env, "PREFECT_API_URL": url})
            served = run(county, db, workers, env={**env, "PREFECT_API_URL": url})
        finally:
            server.stop()
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import prefect, duckdb, pdfplumber"], check=True)
        startup = time.perf_counter() - start
    return {"first": first, "rerun": rerun, "rerun_served": served, "import_startup_s": startup}


def workers_compared(county: Path, home: Path, rounds: int = 2) -> dict[int, dict]:
    """The same first run with 1 and with 2 workers, interleaved; the faster of `rounds` for each."""
    env = {"PREFECT_HOME": str(home / "prefect")}
    best: dict[int, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for workers in (1, 2):
                result = run(county, Path(tmp) / f"w{workers}-{r}.duckdb", workers, env=env)
                if workers not in best or result["process_wall"] < best[workers]["process_wall"]:
                    best[workers] = result
    return best
