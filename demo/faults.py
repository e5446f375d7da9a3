"""Deliberate faults chosen by the seed: totals that don't add up, broken chains, late and missing reports.

The plan says where each fault goes; `apply` changes a report's printed numbers. The expected flags
are NOT derived from this plan: demo.truth evaluates the rules on whatever ends up printed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

Number = int | float
Key = tuple[str, int]  # (township, year)

IN_REPORT = ("T3_BALANCE", "T3_OUTCOME_SUM", "T3_COLUMN_SUM", "T4_ROW_SUM")
CROSS_YEAR = ("T3_CARRY_CHAIN", "T2_IN_FORCE_CHAIN")
KINDS = (*IN_REPORT, *CROSS_YEAR, "LATE_PUBLICATION", "MISSING_REPORT", "UNREADABLE_CELL")


@dataclass
class FaultPlan:
    missing: set[Key] = field(default_factory=set)
    faults: dict[Key, list[str]] = field(default_factory=dict)  # kinds applied to a report's numbers/date
    dashes: dict[Key, str] = field(default_factory=dict)  # "t2" | "t4": zero cells printed as — or /

    def kinds(self, key: Key) -> list[str]:
        return self.faults.get(key, [])


def plan(rng: random.Random, townships: list[str], years: list[int]) -> FaultPlan:
    """Each kind at least once (when the corpus has room), then a few more at random; most reports clean."""
    p = FaultPlan()
    slots = [(t, y) for t in townships for y in years]
    if len(years) < 2 or len(slots) < 12:
        return p
    # A missing report in the middle years, so the county's year range still spans it.
    # 汤旺河镇 is never missing: its real 2022 report exists.
    middle = [(t, y) for t, y in slots if years[0] < y < years[-1] and t != "汤旺河镇"] or slots
    p.missing.add(rng.choice(middle))
    extra_missing = len(slots) // 200
    for _ in range(extra_missing):
        p.missing.add(rng.choice(middle))
    present = [k for k in slots if k not in p.missing]
    busy: set[Key] = set()

    def eligible(kind: str, key: Key) -> bool:
        t, y = key
        if key in busy:
            return False
        if kind == "T3_CARRY_CHAIN":
            return y > years[0] and (t, y - 1) not in p.missing
        if kind == "T2_IN_FORCE_CHAIN":
            return y >= 2022 and y - 1 >= years[0] and (t, y - 1) not in p.missing
        return True

    for kind in (*IN_REPORT, *CROSS_YEAR, "LATE_PUBLICATION"):
        options = [k for k in present if eligible(kind, k)]
        if options:
            key = rng.choice(options)
            busy.add(key)
            p.faults.setdefault(key, []).append(kind)
    # Beyond the guaranteed ones, about one report in fifteen has another fault.
    for key in present:
        if key not in busy and rng.random() < 0.07:
            kind = rng.choice((*IN_REPORT, *CROSS_YEAR, "LATE_PUBLICATION"))
            if eligible(kind, key):
                busy.add(key)
                p.faults.setdefault(key, []).append(kind)
    for _ in range(max(1, len(present) // 150)):
        key = rng.choice(present)
        p.dashes[key] = rng.choice(("t2", "t4"))
    return p


def _bump(rng: random.Random, value: Number) -> int:
    """A plausible typo: a few more or fewer, never below zero, never the same."""
    d = rng.choice((1, 1, 2, 3, 10))
    return int(value) + d if value < d or rng.random() < 0.6 else int(value) - d


def apply(rng: random.Random, kind: str, cells: dict[str, Number], rows: tuple[str, ...]) -> None:
    """Change the printed numbers of one report so that `kind`'s rule fails."""
    if kind == "T3_BALANCE":
        # A wrong count of new applications, carried into its row total: only the balance breaks.
        col = "natural_person"
        old = cells[f"t3.new_received.{col}"]
        new = _bump(rng, old)
        cells[f"t3.new_received.{col}"] = new
        cells["t3.new_received.total"] += new - old
    elif kind == "T3_OUTCOME_SUM":
        row = rng.choice([r for r in rows if r not in ("new_received", "carried_over", "total", "carried_forward")])
        old = cells[f"t3.{row}.natural_person"]
        new = _bump(rng, old)
        cells[f"t3.{row}.natural_person"] = new
        cells[f"t3.{row}.total"] += new - old
    elif kind == "T3_COLUMN_SUM":
        row = rng.choice(("new_received", "granted", "total", "unavailable_not_held"))
        cells[f"t3.{row}.total"] = _bump(rng, cells[f"t3.{row}.total"])
    elif kind == "T4_ROW_SUM":
        if cells["t4.review.total"]:
            cells["t4.review.total"] = 0  # as 洪泽区 2023 printed
        else:
            cells["t4.review.upheld"] = rng.randint(1, 3)
    elif kind == "T3_CARRY_CHAIN":
        # Last year's open cases counted again as new ones: carried_over too high, new_received too low.
        col = "natural_person"
        d = rng.randint(1, 3)
        new = cells[f"t3.new_received.{col}"]
        if new >= d:
            for c in (col, "total"):
                cells[f"t3.carried_over.{c}"] += d
                cells[f"t3.new_received.{c}"] -= d
        else:
            for c in (col, "total"):
                cells[f"t3.carried_over.{c}"] += d
                cells[f"t3.carried_forward.{c}"] += d
    elif kind == "T2_IN_FORCE_CHAIN":
        if "t2.normative_docs.in_force" in cells:
            cells["t2.normative_docs.in_force"] = _bump(rng, cells["t2.normative_docs.in_force"])


def dash_cells(rng: random.Random, table: str, cells: dict[str, Number]) -> dict[str, str]:
    """Zero cells of `table` that this report prints as —, / or blank instead of 0."""
    zeros = [c for c, v in cells.items() if c.startswith(table + ".") and v == 0 and not c.endswith(".change")]
    if table == "t4":
        # A clerk who had no lawsuits crossed out the whole 行政诉讼 block.
        zeros = [c for c in zeros if not c.startswith("t4.review.")] or zeros
    mark = rng.choice(("—", "/"))
    picked = zeros if table == "t4" else rng.sample(zeros, k=min(len(zeros), rng.randint(2, 4)))
    return {c: mark for c in sorted(picked, key=list(cells).index)}
