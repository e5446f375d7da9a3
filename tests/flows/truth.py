"""What a generated county's truth files say the warehouse should hold: every cell, every flag."""

from __future__ import annotations

import json
from pathlib import Path


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


SUM_RULES = {"T3_BALANCE", "T3_OUTCOME_SUM", "T3_COLUMN_SUM", "T4_ROW_SUM"}


def report_scorecard(truth: dict) -> dict:
    """What `report_scorecard` should say of one report from its truth file, for the criteria a single
    report settles: on time (unknown without a date), current template, sums adding up."""
    published = truth.get("published_on")
    year = truth["year"]
    return {
        "on_time": None if published is None else published <= f"{year + 1}-01-31",
        "current_template": not (truth["template"] == "2019" and year >= 2021),
        "sums_ok": not any(f["rule_id"] in SUM_RULES for f in truth["expected_flags"]),
    }


def county_scorecard(county: Path) -> dict[tuple[str, int], dict]:
    """`report_scorecard`'s every row for a generated county collected or parsed once: each report's own
    criteria, its parts complete unless it left one out, its prose fresh unless copied (unknown in its
    township's first year), `unchanged` unknown (one copy of each, the site not read again), and the score."""
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((county / "reports").glob("*.json"))]
    loaded = {(t["township"], t["year"]) for t in truths}
    rows = {}
    for t in truths:
        row = report_scorecard(t)
        row["unchanged"] = None
        row["sections_complete"] = t["omitted_part"] is None
        row["prose_fresh"] = t["prose"] != "copied" if (t["township"], t["year"] - 1) in loaded else None
        known = [v for v in row.values() if v is not None]
        row["score"] = round(100 * sum(known) / len(known))
        rows[(t["township"], t["year"])] = row
    return rows
