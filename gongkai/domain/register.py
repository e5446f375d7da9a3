"""The township register CSV (townships.csv), read once for the warehouse and for collection alike.

Columns: `name`, optional `aliases` (`;` or `；` separated), `code`, `url`, `link_pattern`, `county`, `city`.
A line whose name starts with `#` is a comment (the examples `gongkai init` writes), never a township.
A province's or city's register names many counties, and some names recur (城关镇 in many counties):
such a township's canonical name is qualified by its county (汤旺县城关镇), its bare name kept as an alias.
Pure: no warehouse, no network (collect/ must not import warehouse/).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Township:
    """One township of the register, under its canonical name."""

    name: str  # canonical: the listed name, or county + name when the name recurs in another county
    aliases: tuple[str, ...] = ()
    code: str | None = None
    url: str | None = None
    link_pattern: str | None = None
    county: str | None = None
    city: str | None = None
    listed_name: str = ""  # the name as the CSV lists it

    @property
    def qualified(self) -> bool:
        return self.name != (self.listed_name or self.name)


def _optional(rec: dict[str, str | None], key: str) -> str | None:
    return (rec.get(key) or "").strip() or None


def split_aliases(text: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in re.split(r"[;；]", text or "") if a.strip())


# What to do about a register whose bytes are neither (register_text raises UnicodeDecodeError for them).
UNREADABLE_ENCODING = "既不是 UTF-8 也不是 GBK 编码：请用 Excel 或 WPS“另存为” CSV UTF-8"


def register_text(csv_path: str | Path) -> str:
    """The register file's text: UTF-8 (with or without Excel's byte-order mark), else GBK/GB18030, which is
    what Excel and WPS on a Chinese Windows write when asked for plain CSV."""
    data = Path(csv_path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")  # raises in turn for bytes that are neither


def read_register(csv_path: str | Path) -> list[Township]:
    """The register's townships in CSV order, each under its canonical name (see `canonical`)."""
    with io.StringIO(register_text(csv_path), newline="") as fh:
        listed = []
        for rec in csv.DictReader(fh):
            name = (rec.get("name") or "").strip()
            if not name or name.startswith("#"):
                continue
            listed.append(
                Township(
                    name=name,
                    aliases=split_aliases(rec.get("aliases")),
                    code=_optional(rec, "code"),
                    url=_optional(rec, "url"),
                    link_pattern=_optional(rec, "link_pattern"),
                    county=_optional(rec, "county"),
                    city=_optional(rec, "city"),
                    listed_name=name,
                )
            )
    return canonical(listed)


def canonical(listed: list[Township]) -> list[Township]:
    """Townships under unique canonical names. A name listed twice in one county (or with no county): the
    later line wins, in the first line's place (as the register always did). A name found in two or more
    counties: each county's becomes county + name, the bare name an alias (so 城关镇 still matches, and a
    match that cannot tell them apart is known to be ambiguous). A county name found in two cities (鼓楼区 of
    南京市 and of 徐州市) becomes city + county, as everything downstream tells counties apart by name."""
    cities: dict[str, set[str | None]] = defaultdict(set)
    for t in listed:
        if t.county:
            cities[t.county].add(t.city)
    listed = [
        replace(t, county=f"{t.city}{t.county}") if t.county and t.city and len(cities[t.county]) > 1 else t
        for t in listed
    ]
    by_key = {(t.county, t.listed_name): t for t in listed}  # dict keeps the first place, the last value
    counties: dict[str, set[str | None]] = defaultdict(set)
    for county, name in by_key:
        counties[name].add(county)
    out: dict[str, Township] = {}
    for (county, name), t in by_key.items():
        if county and len(counties[name]) > 1:
            aliases = tuple(dict.fromkeys((name, *t.aliases)))
            t = replace(t, name=f"{county}{name}", aliases=aliases)
        out[t.name] = t  # a qualified name that another line lists as it is: the later wins, as for any name
    return list(out.values())
