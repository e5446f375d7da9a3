"""The county run: first run against the sum of single-file parse times, a rerun on an unchanged inbox
against the first run, and 1 worker against 2 (Prefect's real engine with the server `gongkai run` starts
or finds kept, a real DuckDB file, each run in a fresh process)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flows.prefect_server import DEFAULT_KEEP_MINUTES, KEEP_MINUTES_ENV

# Runs keep their Prefect server as `gongkai run` does by default, whatever the caller's environment says.
KEEP = {KEEP_MINUTES_ENV: str(DEFAULT_KEEP_MINUTES)}


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
        env={**os.environ, **KEEP, "PREFECT_HOME": str(db.parent / "prefect"), **(env or {})},
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
    from parsers import ReportError, parse_report
    from parsers.sources import is_input

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
    """The first run of the day (no Prefect server running) and the sum of single-file parse times, the
    faster of `rounds` each, interleaved (this machine's speed drifts by the minute); a rerun on the
    unchanged inbox right after a first run (reporting to the server it kept, as an analyst's next run
    does); and a rerun that starts its own server (a run from cron once the kept server has stopped)."""
    from flows.prefect_server import stop_kept_server

    prefect = home / "prefect"
    env = {"PREFECT_HOME": str(prefect)}
    firsts, alones = [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "county.duckdb"
        for r in range(rounds):
            stop_kept_server(prefect)
            firsts.append(run(county, Path(tmp) / f"first-{r}.duckdb" if r else db, workers, env=env))
            if r == 0:
                rerun = run(county, db, workers, env=env)
                stop_kept_server(prefect)
                rerun_cold = run(county, db, workers, env=env)
                stop_kept_server(prefect)
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
        "rerun_cold": rerun_cold,
        "import_startup_s": startup,
    }


def workers_compared(county: Path, home: Path, rounds: int = 2) -> dict[int, dict]:
    """The same first run with 1 and with 2 workers, interleaved, all reporting to one kept Prefect
    server; the faster of `rounds` for each."""
    from flows.prefect_server import stop_kept_server

    env = {"PREFECT_HOME": str(home / "prefect")}
    best: dict[int, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        run_empty(Path(tmp), env)  # starts the server the runs then share
        for r in range(rounds):
            for workers in (1, 2):
                result = run(county, Path(tmp) / f"w{workers}-{r}.duckdb", workers, env=env)
                if workers not in best or result["process_wall"] < best[workers]["process_wall"]:
                    best[workers] = result
    stop_kept_server(home / "prefect")
    return best
