"""What a generated county's truth files say the warehouse should hold: every cell, every flag."""

from __future__ import annotations

import json
from pathlib import Path

from gongkai.demo.truth import scorecard


def county_truth(county: Path, name: str | None = None) -> tuple[dict, set]:
    """{(township, year): {code: value}} and {(rule_id, township, year, table_code, row_code, col_code)}.

    `name`: one county of a generated city (its reports in reports/<name>/, its entry in county.json)."""
    doc = json.loads((county / "county.json").read_text(encoding="utf-8"))
    reports = county / "reports"
    if name is not None:
        reports, doc = reports / name, next(c for c in doc["counties"] if c["county"] == name)
    cells, flags = {}, set()
    for path in sorted(reports.glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        cells[(truth["township"], truth["year"])] = truth["cells"]
        for f in truth["expected_flags"]:
            flags.add((f["rule_id"], truth["township"], truth["year"], f["table_code"], f["row_code"], f["col_code"]))
    for f in doc["flags"]:
        flags.add((f["rule_id"], f["township"], f["year"], f["table_code"], f["row_code"], f["col_code"]))
    return cells, flags


def county_scorecard(county: Path, unchanged: dict | None = None) -> dict[tuple[str, int], dict]:
    """`report_scorecard`'s every row for a generated county, by demo.truth.scorecard: `unchanged` by
    township-year where known (a county parsed once from its inbox knows none)."""
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((county / "reports").glob("*.json"))]
    loaded = {(t["township"], t["year"]) for t in truths}
    unchanged = unchanged or {}
    return {
        (t["township"], t["year"]): scorecard(
            t, previous=(t["township"], t["year"] - 1) in loaded, unchanged=unchanged.get((t["township"], t["year"]))
        )
        for t in truths
    }
