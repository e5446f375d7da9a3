"""Clean numbers for a township's reports over several years, consistent like a real county's.

Everything holds before faults are injected: t3 balance, outcome and column sums, the carry chain
(carried_over(y) = carried_forward(y-1)), the in-force chain of 2021-template years, t4 row totals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from gongkai.domain.codes import T2_ROWS, T3_APPLICANT_COLUMNS, T4_COLUMNS, T4_ROWS, t3_row_codes

Number = int | float

# Relative frequency of each outcome among handled applications (a township mostly grants or
# does not hold the information asked for).
_OUTCOME_WEIGHTS = {
    "granted": 40.0,
    "partially_granted": 7.0,
    "denied_state_secret": 0.3,
    "denied_law_prohibited": 0.3,
    "denied_three_safety": 0.3,
    "denied_third_party": 1.0,
    "denied_internal_affairs": 1.0,
    "denied_process_info": 1.5,
    "denied_enforcement_file": 0.5,
    "denied_query_item": 1.5,
    "denied_other": 1.0,
    "unavailable_not_held": 15.0,
    "unavailable_needs_creation": 4.0,
    "unavailable_unclear": 2.0,
    "not_processed_petition": 3.0,
    "not_processed_duplicate": 2.0,
    "not_processed_publication": 0.5,
    "not_processed_massive": 0.3,
    "not_processed_confirmation": 1.0,
    "other_processing": 3.0,
    "other_no_correction": 1.5,
    "other_no_fee": 0.2,
    "other_misc": 1.5,
}
# Share of applications by applicant type: overwhelmingly natural persons.
_APPLICANT_WEIGHTS = {
    "natural_person": 85.0,
    "commercial": 7.0,
    "research": 0.5,
    "social_welfare": 1.0,
    "legal_services": 2.5,
    "other_org": 4.0,
}
_NEW_RANGE = {"small": (0, 4), "medium": (2, 14), "large": (8, 45)}
_SCALE = {"small": 1, "medium": 3, "large": 8}


def template_for(year: int, stale: bool = False) -> str:
    """The national template a report of this year uses (`stale`: a township keeping the 2019 one)."""
    return "2019" if year <= 2020 or stale else "2021"


@dataclass
class _State:
    """What carries from one year to the next."""

    carried_forward: dict[str, int]
    in_force: dict[str, int]
    total_public: dict[str, int]
    prev_items: dict[str, int]


def _spread(rng: random.Random, n: int, weights: dict[str, float]) -> dict[str, int]:
    """Distribute n items over the keys of weights at random."""
    keys = list(weights)
    out = dict.fromkeys(keys, 0)
    for key in rng.choices(keys, weights=[weights[k] for k in keys], k=n):
        out[key] += 1
    return out


def _t3(rng: random.Random, size: str, state: _State, rows: tuple[str, ...]) -> dict[str, Number]:
    lo, hi = _NEW_RANGE[size]
    new = _spread(rng, rng.randint(lo, hi), _APPLICANT_WEIGHTS)
    outcome_rows = [r for r in rows if r in _OUTCOME_WEIGHTS]
    weights = {r: _OUTCOME_WEIGHTS[r] for r in outcome_rows}
    cells: dict[str, Number] = {}
    forward: dict[str, int] = {}
    for col in T3_APPLICANT_COLUMNS:
        over = state.carried_forward.get(col, 0)
        open_cases = new[col] + over
        # Applications received late in December are answered in January: a few carry forward.
        fwd = sum(1 for _ in range(new[col]) if rng.random() < 0.06)
        forward[col] = fwd
        handled = open_cases - fwd
        spread = _spread(rng, handled, weights)
        cells[f"t3.new_received.{col}"] = new[col]
        cells[f"t3.carried_over.{col}"] = over
        for r in outcome_rows:
            cells[f"t3.{r}.{col}"] = spread[r]
        cells[f"t3.total.{col}"] = handled
        cells[f"t3.carried_forward.{col}"] = fwd
    for r in rows:
        cells[f"t3.{r}.total"] = sum(int(cells[f"t3.{r}.{c}"]) for c in T3_APPLICANT_COLUMNS)
    state.carried_forward = forward
    return cells


def _t4(rng: random.Random, size: str) -> dict[str, Number]:
    chance = {"small": 0.05, "medium": 0.15, "large": 0.35}[size]
    cells: dict[str, Number] = {}
    for row, _ in T4_ROWS:
        p = chance if row == "review" else chance / 3
        n = rng.randint(1, 3) if rng.random() < p else 0
        spread = _spread(rng, n, {"upheld": 6.0, "corrected": 1.0, "other": 1.5, "pending": 1.5})
        for col, _ in T4_COLUMNS[:-1]:
            cells[f"t4.{row}.{col}"] = spread[col]
        cells[f"t4.{row}.total"] = n
    return cells


def _fee(rng: random.Random, size: str) -> float:
    if rng.random() < 0.55:
        return 0.0
    return round(rng.uniform(0.3, 4.0) * _SCALE[size], 2)


def _t2_2021(rng: random.Random, size: str, state: _State, big: bool) -> dict[str, Number]:
    k = _SCALE[size]
    cells: dict[str, Number] = {}
    for row in ("regulations", "normative_docs"):
        before = state.in_force[row]
        # Townships make no 规章; their own normative documents are few.
        issued = 0 if row == "regulations" else rng.choice((0, 0, 0, 1, 1, 2, 3))
        repealed = 0 if row == "regulations" or before == 0 else rng.choice((0, 0, 0, 1, min(2, before)))
        state.in_force[row] = before + issued - repealed
        cells[f"t2.{row}.issued"] = issued
        cells[f"t2.{row}.repealed"] = repealed
        cells[f"t2.{row}.in_force"] = state.in_force[row]
    cells["t2.licensing.decisions"] = rng.randint(1000, 4800) if big else rng.randint(0, 60) * k
    cells["t2.penalty.decisions"] = rng.randint(0, 12) * k
    cells["t2.coercion.decisions"] = rng.choice((0, 0, 0, 1, 2)) * (1 if size == "small" else 2)
    cells["t2.fees.amount_wan"] = _fee(rng, size)
    return cells


def _t2_2019(rng: random.Random, size: str, state: _State, big: bool) -> dict[str, Number]:
    k = _SCALE[size]
    cells: dict[str, Number] = {}
    for row in ("regulations", "normative_docs"):
        made = 0 if row == "regulations" else rng.choice((0, 0, 1, 2, 3))
        published = made if rng.random() < 0.8 else max(0, made - 1)
        state.total_public[row] += published
        cells[f"t2.{row}.made"] = made
        cells[f"t2.{row}.published"] = published
        cells[f"t2.{row}.total_public"] = state.total_public[row]
    for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
        prev = state.prev_items[row]
        change = rng.choice((0, 0, 0, 1, 2, -1, -2, -3)) if prev > 3 else rng.choice((0, 1, 2))
        state.prev_items[row] = prev + change
        cells[f"t2.{row}.prev_items"] = prev
        cells[f"t2.{row}.change"] = change
    cells["t2.licensing.decisions"] = rng.randint(1000, 4800) if big else rng.randint(0, 60) * k
    cells["t2.other_services.decisions"] = rng.randint(0, 30) * k
    cells["t2.penalty.decisions"] = rng.randint(0, 12) * k
    cells["t2.coercion.decisions"] = rng.choice((0, 0, 0, 1, 2))
    projects = rng.choice((0, 0, 1, 2, 3)) * (2 if size == "large" else 1)
    cells["t2.procurement.projects"] = projects
    cells["t2.procurement.amount_wan"] = round(rng.uniform(2, 40) * projects, 2) if projects else 0.0
    return cells


def township_numbers(
    rng: random.Random,
    size: str,
    years: list[int],
    *,
    denied_other: bool,
    other_split: bool,
    big_counts: bool = False,
    stale: bool = False,
) -> dict[int, dict[str, Number]]:
    """Clean printed values of one township for every year in `years` (consecutive, ascending); `stale`:
    table 二 on the 2019 template in every year."""
    k = _SCALE[size]
    state = _State(
        # The first year's report carries over what was open at the end of the year before it.
        carried_forward={"natural_person": rng.choice((0, 0, 0, 1))},
        in_force={"regulations": 0, "normative_docs": rng.randint(0, 4) * k},
        total_public={"regulations": 0, "normative_docs": rng.randint(0, 6) * k},
        prev_items={
            "licensing": rng.randint(5, 40),
            "other_services": rng.randint(2, 25),
            "penalty": rng.randint(10, 90),
            "coercion": rng.randint(0, 8),
            "fees": rng.randint(0, 4),
        },
    )
    rows = t3_row_codes(denied_other=denied_other, other_split=other_split)
    out: dict[int, dict[str, Number]] = {}
    for year in years:
        template = template_for(year, stale)
        t2 = _t2_2019 if template == "2019" else _t2_2021
        cells = t2(rng, size, state, big_counts)
        cells.update(_t3(rng, size, state, rows))
        cells.update(_t4(rng, size))
        # Keep the printed order of codes.py, whatever order they were made in.
        order = [f"t2.{r.code}.{c}" for r in T2_ROWS[template] for c, _ in r.columns]
        order += [f"t3.{r}.{c}" for r in rows for c in (*T3_APPLICANT_COLUMNS, "total")]
        order += [f"t4.{r}.{c}" for r, _ in T4_ROWS for c, _ in T4_COLUMNS]
        out[year] = {code: cells[code] for code in order}
    return out
