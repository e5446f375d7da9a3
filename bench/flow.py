"""The county run: first run against the sum of single-file parse times, and a rerun on an unchanged
inbox against the first run (Prefect's real engine, ephemeral API, a real DuckDB file)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(county: Path, db: Path, workers: int, dask: bool = False, env: dict[str, str] | None = None) -> dict:
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


def measure(county: Path, workers: int = 2) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "county.duckdb"
        first = run(county, db, workers)
        rerun = run(county, db, workers)
        # As under `gongkai serve`: a Prefect server already running, so no ephemeral server starts.
        from flows.runner import prefect_server

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with prefect_server(Path(tmp) / "server", port) as url:
            served = run(county, db, workers, env={"PREFECT_API_URL": url})
        os.environ.pop("PREFECT_API_URL", None)  # prefect_server sets it for this process
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import prefect, duckdb, pdfplumber"], check=True)
        startup = time.perf_counter() - start
    return {"first": first, "rerun": rerun, "rerun_served": served, "import_startup_s": startup}
