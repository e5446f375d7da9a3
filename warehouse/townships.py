"""The township register (`townships`) and matching a report's printed body name against it."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from warehouse.connection import Warehouse, connected, transaction

# Suffixes naming the government of a place rather than the place: stripped before comparing.
GOVERNMENT_SUFFIXES = ("人民政府", "街道办事处", "办事处", "政府")
# Level suffixes: a title may print 汤旺河 for the register's 汤旺河镇; tried only when nothing matches whole.
LEVEL_SUFFIXES = ("街道", "镇", "乡", "区", "县")


def load_townships(con: Warehouse, csv_path: str | Path) -> int:
    """Replace the register with the CSV's (columns `name`, optional `aliases` `;`-separated, optional `code`,
    optional `url` where the township publishes its reports and `link_pattern`, see collect/).

    Returns the number of townships. A register is the county's whole list, so a township dropped
    from the CSV leaves the register (its reports stay).
    """
    rows = []
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        for rec in csv.DictReader(fh):
            name = (rec.get("name") or "").strip()
            if not name:
                continue
            aliases = [a.strip() for a in re.split(r"[;；]", rec.get("aliases") or "") if a.strip()]
            optional = [(rec.get(key) or "").strip() or None for key in ("code", "url", "link_pattern")]
            rows.append((name, aliases, *optional))
    rows = list({row[0]: row for row in rows}.values())  # a name listed twice: the later line wins
    with connected(con) as c, transaction(c):
        c.execute("DELETE FROM townships")
        if rows:
            # One statement: executemany costs a round trip per township (0.3 s for 200).
            c.execute(
                "INSERT INTO townships (name, aliases, code, url, link_pattern) SELECT unnest(?::VARCHAR[]), "
                "unnest(?::VARCHAR[][]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
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


def match_township(con: Warehouse, body: str, title: str) -> str | None:
    """The register's name for the body a report names, or None (see `Register.match`)."""
    return Register.read(con).match(body, title)


class Register:
    """The township register read once, for matching many reports (reading it per report cost 4 ms)."""

    def __init__(self, rows: list[tuple[str, list[str] | None]]) -> None:
        # (form to look for, canonical name), with and without the level suffix
        self._forms = [
            (_strip_government(_clean(form)), name) for name, aliases in rows for form in {name, *(aliases or [])}
        ]
        self._short = [(_strip_level(form), name) for form, name in self._forms]

    @classmethod
    def read(cls, con: Warehouse) -> Register:
        with connected(con) as c:
            return cls(c.execute("SELECT name, aliases FROM townships").fetchall())

    def match(self, body: str, title: str) -> str | None:
        """Titles name higher levels first (汤旺县汤旺河镇, 淮安市洪泽区人民政府), so of all register names and
        aliases found in the text, the one ending last — the most specific — wins; among those ending at
        the same place, the longest."""
        texts = [_strip_government(_clean(t)) for t in (body, title) if t]
        for text in texts:
            exact = {name for form, name in self._forms if form == text}
            if len(exact) == 1:
                return exact.pop()
        for forms in (self._forms, self._short):
            for text in texts:
                best: tuple[int, int, str] | None = None
                for form, name in forms:
                    pos = text.rfind(form)
                    if pos < 0 or not form:
                        continue
                    key = (pos + len(form), len(form), name)
                    if best is None or key[:2] > best[:2]:
                        best = key
                if best:
                    return best[2]
        return None
