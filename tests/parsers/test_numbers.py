"""What a value cell prints, read: a number with its unit, or no number at all (never a guess)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.parsers.numbers import Printed, parse_number, read_amount, read_printed


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("3", Printed(Decimal(3), None)),
        ("１２", Printed(Decimal(12), None)),
        ("3,237", Printed(Decimal(3237), None)),
        ("251000 元", Printed(Decimal(251000), "元")),
        ("25.1万元", Printed(Decimal("25.1"), "万元")),
        ("3件", Printed(Decimal(3), "件")),
    ],
)
def test_a_number_is_read_with_the_unit_printed_after_it(text, printed):
    assert read_printed(text) == printed


@pytest.mark.parametrize("text", ["3 5", "1 2 0", "—", "/", "无", "第3项", "3元5角"])
def test_two_numbers_a_mark_or_words_are_no_number(text):
    # Two numbers in one cell (two paragraphs of a Word cell) are two readings, never 35.
    assert read_printed(text) is None and parse_number(text) is None


def test_counts_and_amounts():
    assert parse_number("3件") == 3
    assert parse_number("25.1万元") is None  # money is no count
    assert read_amount("251000元", None, 10_000).value == 25.1
    assert read_amount("8810055", "元", 10_000).value == 881.0055
    doubt = read_amount("1089059", None, 10_000)
    assert doubt.value is None and doubt.note.startswith("金额未注明单位")
