"""One county run in a fresh process, as `gongkai run` does it (Prefect's ephemeral API unless
PREFECT_API_URL is set), for the benchmarks (guarded: the Dask
cluster spawns processes).

python -m bench.flow_run INBOX TOWNSHIPS DB WORKERS [BATCH_SIZE] [dask | dashboards]

With `dashboards`, the run draws them into DB's folder/out, as `gongkai run` does; else it leaves them out.
"""

from __future__ import annotations

import atexit
import gc
import json
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    start = time.perf_counter()
    from gongkai.prefect_setup import configure_prefect

    configure_prefect()
    from gongkai.flows.runner import run_county

    inbox, townships, db, workers = sys.argv[1:5]
    batch_size = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5].isdigit() else 0
    dask = sys.argv[-1] == "dask"
    dashboards = sys.argv[-1] == "dashboards"
    s = run_county(
        Path(inbox),
        Path(townships),
        Path(db),
        Path(db).parent / "out" if dashboards else Path(db).parent,
        workers=int(workers),
        batch_size=batch_size,
        dask_local=int(workers) if dask else None,
        dashboards=dashboards,
    )
    keys = ("files_parsed", "files_unchanged", "reports_loaded", "parse_seconds", "timings")
    print(json.dumps({"wall": time.perf_counter() - start, **{k: getattr(s, k) for k in keys}}))
    atexit.register(gc.freeze)  # as `gongkai run` does
