"""Reading one printed cell: full-width digits, thousands separators, decimals, signs and nil marks."""

from __future__ import annotations

import re

from parsers.report import Number

_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．－−–＋", "0123456789,.---+")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# Printed in place of a number; not a number, so never read as 0.
NIL_MARKS = frozenset({"-", "--", "—", "——", "―", "/", "／", "\\", "无", "空"})


def normalize(text: str) -> str:
    return text.strip().translate(_FULL_WIDTH)


def is_cell_token(text: str) -> bool:
    """True for what a numeric table cell can hold: a number or a nil mark."""
    t = normalize(text)
    return bool(_NUMBER.match(t)) or t in NIL_MARKS or text.strip() in NIL_MARKS


def parse_number(text: str) -> Number | None:
    """The value printed, or None when it is not a number (nil marks, garbage)."""
    t = normalize(text)
    if not _NUMBER.match(t):
        return None
    t = t.replace(",", "")
    return float(t) if "." in t else int(t)
