"""The township register (`townships`) and matching a report's printed body name against it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gongkai.domain.register import read_register
from gongkai.warehouse.connection import Warehouse, connected, transaction

# Suffixes naming the government of a place rather than the place: stripped before comparing.
GOVERNMENT_SUFFIXES = ("人民政府", "街道办事处", "办事处", "政府")
# Level suffixes: a title may print 汤旺河 for the register's 汤旺河镇; tried only when nothing matches whole.
LEVEL_SUFFIXES = ("街道", "镇", "乡", "区", "县")


def load_townships(con: Warehouse, csv_path: str | Path) -> int:
    """Replace the register with the CSV's (columns `name`, optional `aliases` `;`-separated, optional `code`,
    optional `url` where the township publishes its reports and `link_pattern`, see collect/, optional
    `county` and `city` for a register of many counties; see parsers/register.py for the canonical names).

    Returns the number of townships. A register is the county's whole list, so a township dropped
    from the CSV leaves the register (its reports stay).
    """
    rows = [(t.name, list(t.aliases), t.code, t.url, t.link_pattern, t.county, t.city) for t in read_register(csv_path)]
    with connected(con) as c, transaction(c):
        c.execute("DELETE FROM townships")
        if rows:
            # One statement: executemany costs a round trip per township (0.3 s for 200).
            c.execute(
                "INSERT INTO townships (name, aliases, code, url, link_pattern, county, city) SELECT "
                "unnest(?::VARCHAR[]), unnest(?::VARCHAR[][]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
                "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
                [list(column) for column in zip(*rows, strict=True)],
            )
    return len(rows)


def _clean(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text or "")


def _strip_government(name: str) -> str:
    for suffix in GOVERNMENT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            # 街道办事处 → 街道: keep the level, drop only the office.
            return name[: -len(suffix)] + ("街道" if suffix == "街道办事处" else "")
    return name


def _strip_level(name: str) -> str:
    for suffix in LEVEL_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def match_township(con: Warehouse, body: str, title: str, county: str | None = None) -> str | None:
    """The register's name for the body a report names, or None (see `Register.match`)."""
    return Register.read(con).match(body, title, county)


@dataclass(frozen=True)
class Match:
    """What a report's printed name matched: one township, or none (`candidates` lists the townships it
    could equally be when the register cannot tell them apart, e.g. 城关镇 in two counties)."""

    township: str | None
    candidates: tuple[str, ...] = ()


class Register:
    """The township register read once, for matching many reports (reading it per report cost 4 ms)."""

    def __init__(self, rows: list[tuple]) -> None:
        """`rows`: (name, aliases) or (name, aliases, county) per township."""
        self._county = {row[0]: (row[2] if len(row) > 2 else None) for row in rows}
        self.counties = frozenset(c for c in self._county.values() if c)
        # (form to look for, canonical name), with and without the level suffix
        self._forms = [
            (_strip_government(_clean(form)), row[0])
            for row in rows
            for form in dict.fromkeys([row[0], *(row[1] or [])])
        ]
        self._short = [(_strip_level(form), name) for form, name in self._forms]
        self._by_county: dict[str, tuple[list, list]] = {}

    @classmethod
    def read(cls, con: Warehouse) -> Register:
        with connected(con) as c:
            return cls(c.execute("SELECT name, aliases, county FROM townships").fetchall())

    def county_of(self, township: str) -> str | None:
        return self._county.get(township)

    def _lists(self, county: str | None) -> tuple[list, list]:
        if county is None:
            return self._forms, self._short
        if county not in self._by_county:
            self._by_county[county] = (
                [(f, n) for f, n in self._forms if self._county.get(n) == county],
                [(f, n) for f, n in self._short if self._county.get(n) == county],
            )
        return self._by_county[county]

    def match(self, body: str, title: str, county: str | None = None) -> str | None:
        """The township a report names, or None: not in the register, or ambiguous (see `resolve`)."""
        return self.resolve(body, title, county).township

    def resolve(self, body: str, title: str, county: str | None = None) -> Match:
        """Titles name higher levels first (汤旺县汤旺河镇, 淮安市洪泽区人民政府), so of all register names and
        aliases found in the text, the one ending last — the most specific — wins; among those ending at
        the same place, the longest. Two different townships tying is never settled by register order: the
        title is tried next (青林县城关镇 tells the 城关镇 apart), and if nothing tells them apart the match
        is None with the candidates. `county` (e.g. the inbox folder the file is in) settles only such a tie,
        among that county's townships: what the report itself names wins over where the file was put."""
        found = self._resolve(body, title, None)
        if found.township is not None or not found.candidates or county is None:
            return found
        narrowed = self._resolve(body, title, county)
        return narrowed if narrowed.township is not None else found

    def _resolve(self, body: str, title: str, county: str | None) -> Match:
        forms, short = self._lists(county)
        texts = [_strip_government(_clean(t)) for t in (body, title) if t]
        ambiguous: list[str] = []
        for text in texts:
            exact = list(dict.fromkeys(name for form, name in forms if form == text))
            if len(exact) == 1:
                return Match(exact[0])
            ambiguous = ambiguous or exact
        for candidate_forms in (forms, short):
            for text in texts:
                best: tuple[int, int] | None = None
                names: list[str] = []
                for form, name in candidate_forms:
                    pos = text.rfind(form)
                    if pos < 0 or not form:
                        continue
                    key = (pos + len(form), len(form))
                    if best is None or key > best:
                        best, names = key, [name]
                    elif key == best and name not in names:
                        names.append(name)
                if len(names) == 1:
                    return Match(names[0])
                ambiguous = ambiguous or names
            if ambiguous:
                break  # whole names could not tell them apart: names cut shorter will not either
        return Match(None, tuple(ambiguous))


def unknown_township_message(printed: str, match: Match, county: str | None = None) -> str:
    """Why a report was rejected UNKNOWN_TOWNSHIP, and how to fix it, in the analyst's words."""
    where = f"（文件所在的“{county}”文件夹也未能区分）" if county and match.candidates else ""
    if not match.candidates:
        return f"报告机关“{printed}”不在乡镇名册中{where}。"
    names = "、".join(match.candidates)
    return (
        f"报告机关“{printed}”无法确定是哪个乡镇{where}：可能是 {names}。"
        "请在报告标题中写明县区（如“某县某镇”），或把文件放进以县区命名的文件夹（如 收件箱/某县/），"
        "或在乡镇名册中为该乡镇添加能区分的别名。"
    )
