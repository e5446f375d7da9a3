"""Reading one printed cell: full-width digits, thousands separators, decimals, signs, nil marks and units.

One number reader for every source. A value cell holds a number, perhaps with a unit after it (`251000元`,
`3件`), or a nil mark (—, /, 无) that is no number and so is never read as 0. Amounts are stored in the
contract's unit, 万元: a unit printed in the cell wins, else the unit its column's header names
(`采购总金额（元）`), else the template's own 万元; an amount whose unit is not printed anywhere and whose
size in 万元 is not believable is left unread with the reason (`amount_unit_doubt`), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from gongkai.parsers.report import Number

_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．－−–＋", "0123456789,.---+")
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# Money: the amount's unit to 万元. Counts: what a count may be printed with (3件, 2个).
MONEY_UNITS: dict[str, Decimal] = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal(1),
    "万": Decimal(1),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
}
COUNT_UNITS = frozenset("件个项条次宗起人家")
_UNIT = "|".join(sorted(MONEY_UNITS, key=len, reverse=True)) + "|" + "|".join(sorted(COUNT_UNITS))
_VALUE = re.compile(rf"^({_NUMBER})\s*({_UNIT})?$")
# Printed in place of a number; not a number, so never read as 0.
NIL_MARKS = frozenset({"-", "--", "—", "——", "―", "/", "／", "\\", "无", "空"})
# A unit a column header names: 金额（元）, （单位：万元）, (千元).
_HEADER_UNIT = re.compile(r"[（(]\s*(?:单位\s*[：:]\s*)?(元|千元|万元|亿元)\s*[）)]|单位\s*[：:]\s*(元|千元|万元|亿元)")


@dataclass(frozen=True)
class Printed:
    """What a value cell prints: a number and the unit after it (None when printed bare)."""

    number: Decimal
    unit: str | None


def normalize(text: str) -> str:
    return text.strip().translate(_FULL_WIDTH)


def read_printed(text: str) -> Printed | None:
    """The number and unit printed, or None when the text is no number (nil marks, labels, garbage)."""
    m = _VALUE.match(normalize(text))
    if not m:
        return None
    return Printed(Decimal(m.group(1).replace(",", "")), m.group(2))


def is_value_token(text: str) -> bool:
    """True for what a value cell can hold: a number (with its unit, if any) or a nil mark."""
    t = text.strip()
    return t in NIL_MARKS or normalize(t) in NIL_MARKS or read_printed(t) is not None


def _number(d: Decimal) -> Number:
    return int(d) if d == d.to_integral_value() and "." not in str(d) else float(d)


def parse_number(text: str) -> Number | None:
    """The count printed (a bare number, or one with a count's unit: 3件), or None when it is not a count."""
    printed = read_printed(text)
    if printed is None or printed.unit in MONEY_UNITS:
        return None
    return _number(printed.number)


def header_unit(text: str) -> str | None:
    """The money unit a column header names (`采购总金额（元）` → 元), or None."""
    m = _HEADER_UNIT.search(text.replace(" ", ""))
    return (m.group(1) or m.group(2)) if m else None


@dataclass(frozen=True)
class Amount:
    """An amount read in 万元, or None with the reason it was not taken."""

    value: Number | None
    note: str | None = None


def read_amount(text: str, column_unit: str | None, doubt_wan: float) -> Amount:
    """An amount cell's value in 万元. The cell's own unit wins, then its column's; a bare amount is taken
    in the template's 万元 unless it comes to `doubt_wan` 万元 or more (a township's whole year in 元,
    printed without its unit, would read as thousands of 亿元)."""
    printed = read_printed(text)
    if printed is None:
        return Amount(None)
    unit = printed.unit or column_unit
    if unit in COUNT_UNITS:
        return Amount(None, f"金额印有数量单位“{unit}”，无法换算为万元")
    if unit is None and printed.number >= Decimal(str(doubt_wan)):
        return Amount(
            None,
            f"金额未注明单位：按万元计为 {printed.number} 万元，数额异常，可能以元为单位；请向乡镇核实单位",
        )
    wan = printed.number * MONEY_UNITS[unit] if unit else printed.number
    # 万元 keep at most the decimals the conversion gives (881.0055 for 8810055元), as a float.
    return Amount(float(wan) if wan != wan.to_integral_value() or "." in str(printed.number) else int(wan))
