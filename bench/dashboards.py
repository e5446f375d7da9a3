"""The dashboards of a first run: drawing against parsing and loading in the same run, and the same
dashboards drawn serially in one process (the floor the workers are measured against), byte for byte."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from bench import flow as flow_bench

ROOT = Path(__file__).resolve().parent.parent

_SERIAL = """
import json, sys, time
from pathlib import Path
import duckdb
from gongkai.dashboards import build_dashboard
con = duckdb.connect(sys.argv[1], read_only=True)
start = time.perf_counter()
build_dashboard(con, Path(sys.argv[2]))
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def measure(county: Path, home: Path, workers: int = 2) -> dict:
    """A first `gongkai run` with its dashboards, on a fresh warehouse and output folder; then the same
    dashboards built again serially (one process, one chart after another) from that warehouse."""
    import json

    env = {"PREFECT_HOME": str(home / "prefect")}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "county.duckdb"
        first = flow_bench.run(county, db, workers, env=env, dashboards=True)
        # the serial draw's folder as deep as the run's, so that the pages' relative links match
        serial_out = Path(tmp) / "serial" / "out"
        out = subprocess.run(
            [sys.executable, "-c", _SERIAL, str(db), str(serial_out)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        serial_s = json.loads(out.stdout.strip().splitlines()[-1])["seconds"]
        drawn = sorted((db.parent / "out").rglob("*.png"))
        same = sum(
            1
            for p in drawn
            if (serial_out / p.relative_to(db.parent / "out")).is_file()
            and p.read_bytes() == (serial_out / p.relative_to(db.parent / "out")).read_bytes()
        )
        serial_pngs = len(list(serial_out.rglob("*.png")))
    return {**first, "serial_s": serial_s, "pngs": len(drawn), "identical": same, "serial_pngs": serial_pngs}


def markdown(d: dict, workers: int = 2) -> list[str]:
    t = d["timings"]
    ratio = t["dashboards"] / t["parse_and_load"]
    return [
        f"## Dashboards of a first run ({workers} workers)",
        "",
        f"`gongkai run` on the generated county of {d['files_parsed']} reports, a fresh warehouse and output "
        f"folder, dashboards drawn ({d['pngs']} charts): each phase as the run's own summary times it.",
        "",
        "| measure | seconds | ratio | target |",
        "|---|---|---|---|",
        f"| parse and load | {t['parse_and_load']:.1f} | | |",
        f"| dashboards: charts drawn as tasks on the run's workers, pages and workbook | {t['dashboards']:.1f} | "
        f"**{ratio:.2f}×** parse and load | ≤ 0.5× |",
        f"| the same dashboards built serially in one process (from the run's warehouse) | {d['serial_s']:.1f} | "
        f"workers take {t['dashboards'] / d['serial_s']:.2f}× | |",
        "",
        f"PNGs identical to the serial draw, byte for byte: {d['identical']} of {d['pngs']} "
        f"(the serial draw wrote {d['serial_pngs']}).",
        "",
    ]
