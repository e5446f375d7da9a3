"""One county run in a fresh process, for bench/flow.py (guarded: worker processes are spawned)."""

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
    start = time.perf_counter()
    s = run_county(Path(inbox), Path(townships), Path(db), Path(db).parent, workers=int(workers), dashboards=False)
    keys = ("files_parsed", "files_unchanged", "parse_seconds")
    print(json.dumps({"wall": time.perf_counter() - start, **{k: s[k] for k in keys}}))
