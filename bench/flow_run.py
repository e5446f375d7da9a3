"""One county run in a fresh process, for the benchmarks (guarded: worker processes are spawned).

python -m bench.flow_run INBOX TOWNSHIPS DB WORKERS [dask]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    from flows.runner import configure_prefect

    configure_prefect()
    from flows.runner import run_county

    inbox, townships, db, workers = sys.argv[1:5]
    dask = len(sys.argv) > 5 and sys.argv[5] == "dask"
    start = time.perf_counter()
    s = run_county(
        Path(inbox),
        Path(townships),
        Path(db),
        Path(db).parent,
        workers=int(workers),
        dask_local=int(workers) if dask else None,
        dashboards=False,
    )
    keys = ("files_parsed", "files_unchanged", "reports_loaded", "parse_seconds", "timings")
    print(json.dumps({"wall": time.perf_counter() - start, **{k: s[k] for k in keys}}))
