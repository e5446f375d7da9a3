"""Clean numbers hold every rule; the oracle finds what a checker would."""

from __future__ import annotations

import random
from datetime import date

import pytest

from gongkai.demo.numbers import template_for, township_numbers
from gongkai.demo.truth import county_flags, report_flags


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("size", ["small", "medium", "large"])
def test_clean_numbers_hold_every_rule(seed: int, size: str) -> None:
    years = list(range(2019, 2025))
    split = seed % 2 == 0
    numbers = township_numbers(random.Random(seed), size, years, denied_other=not split, other_split=split)
    reports = {}
    for year in years:
        cells = numbers[year]
        flags = report_flags(
            cells, [], year=year, published_on=date(year + 1, 1, 20), denied_other=not split, other_split=split
        )
        assert flags == []
        assert all(v >= 0 for c, v in cells.items() if not c.endswith(".change"))
        reports[("甲镇", year)] = {"cells": cells, "template": template_for(year)}
    assert county_flags(reports, ["甲镇"]) == []
    for year in years[1:]:
        for col in ("natural_person", "total"):
            assert numbers[year][f"t3.carried_over.{col}"] == numbers[year - 1][f"t3.carried_forward.{col}"]
        if year >= 2022:
            now, before = numbers[year], numbers[year - 1]
            assert now["t2.normative_docs.in_force"] == (
                before["t2.normative_docs.in_force"]
                + now["t2.normative_docs.issued"]
                - now["t2.normative_docs.repealed"]
            )


def test_deterministic_numbers() -> None:
    a = township_numbers(random.Random(3), "medium", [2021, 2022], denied_other=False, other_split=False)
    b = township_numbers(random.Random(3), "medium", [2021, 2022], denied_other=False, other_split=False)
    assert a == b


def _t4(**row: int) -> dict[str, int]:
    cells = {
        f"t4.{r}.{c}": 0
        for r in ("review", "litigation_direct", "litigation_after_review")
        for c in ("upheld", "corrected", "other", "pending", "total")
    }
    cells.update({f"t4.review.{k}": v for k, v in row.items()})
    return cells


def test_oracle_flags_hongze_t4_and_late_date() -> None:
    # 洪泽区 2023: 行政复议 维持 10, 纠正 1, 总计 0.
    cells = _t4(upheld=10, corrected=1, total=0)
    flags = report_flags(cells, [], year=2023, published_on=date(2024, 2, 2), denied_other=False, other_split=False)
    assert flags == [
        {"rule_id": "T4_ROW_SUM", "table_code": "t4", "row_code": "review", "col_code": None},
        {"rule_id": "LATE_PUBLICATION", "table_code": None, "row_code": None, "col_code": None},
    ]
    on_time = report_flags(_t4(), [], year=2023, published_on=date(2024, 1, 31), denied_other=False, other_split=False)
    assert on_time == []


def test_oracle_skips_locations_with_unreadable_inputs() -> None:
    cells = _t4(upheld=10, corrected=1, total=0)
    del cells["t4.review.total"]
    flags = report_flags(
        cells, ["t4.review.total"], year=2023, published_on=None, denied_other=False, other_split=False
    )
    assert flags == [{"rule_id": "UNREADABLE_CELL", "table_code": "t4", "row_code": "review", "col_code": "total"}]


def test_county_flags_missing_and_chains() -> None:
    base = township_numbers(random.Random(1), "medium", [2021, 2022, 2023], denied_other=False, other_split=False)
    bad = dict(base[2022], **{"t3.carried_over.total": base[2022]["t3.carried_over.total"] + 1})
    reports = {
        ("甲镇", 2021): {"cells": base[2021], "template": "2021"},
        ("甲镇", 2022): {"cells": bad, "template": "2021"},
        ("乙乡", 2021): {"cells": base[2021], "template": "2021"},
        ("乙乡", 2023): {"cells": base[2023], "template": "2021"},
    }
    flags = county_flags(reports, ["甲镇", "乙乡"])
    assert flags == [
        {
            "rule_id": "T3_CARRY_CHAIN",
            "township": "甲镇",
            "year": 2022,
            "table_code": "t3",
            "row_code": "carried_over",
            "col_code": "total",
        },
        {
            "rule_id": "MISSING_REPORT",
            "township": "甲镇",
            "year": 2023,
            "table_code": None,
            "row_code": None,
            "col_code": None,
        },
        {
            "rule_id": "MISSING_REPORT",
            "township": "乙乡",
            "year": 2022,
            "table_code": None,
            "row_code": None,
            "col_code": None,
        },
    ]
