"""A province's worth of reports through a local Dask cluster, and where the time goes."""

from __future__ import annotations

import pickle
import tempfile
import time
from pathlib import Path

from bench import flow as flow_bench
from gongkai.flows.job import sha256_of
from gongkai.options import Limits
from gongkai.parsers.isolation import parse_files


def pickling(sample: list[Path]) -> dict[str, float]:
    """Bytes and seconds to move one parse outcome between processes (pickled both ways)."""
    outcomes = parse_files([(str(p), sha256_of(p)) for p in sample], Limits())
    start = time.perf_counter()
    blobs = [pickle.dumps(o) for o in outcomes]
    for blob in blobs:
        pickle.loads(blob)
    seconds = time.perf_counter() - start
    return {"bytes": sum(map(len, blobs)) / len(blobs), "seconds": seconds / len(blobs)}


def measure(county: Path, home: Path, workers: int = 2) -> dict:
    """One run through a local Dask cluster, with Prefect's ephemeral API."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {"PREFECT_HOME": str(home / "prefect")}
        result = flow_bench.run(county, Path(tmp) / "province.duckdb", workers, dask=True, env=env)
    result["pickling"] = pickling(sorted((county / "reports").glob("*.pdf"))[:20])
    return result
