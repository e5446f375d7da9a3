"""The county's register of townships: canonical names, aliases and division codes."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

COUNTY = "汤旺县"
COUNTY_CODE = "230717"

# Invented townships of 汤旺县 (only 汤旺河镇 is real); (name, kind, size).
NAMED: tuple[tuple[str, str, str], ...] = (
    ("汤旺河镇", "镇", "medium"),
    ("东风镇", "镇", "large"),
    ("青山乡", "乡", "small"),
    ("站前街道", "街道", "large"),
    ("永安镇", "镇", "medium"),
    ("柳河乡", "乡", "small"),
    ("新华街道", "街道", "medium"),
    ("红星镇", "镇", "small"),
    ("白石乡", "乡", "small"),
    ("朝阳街道", "街道", "large"),
    ("金山镇", "镇", "medium"),
    ("太平乡", "乡", "small"),
)

# Two-character stems for generated names when a corpus asks for more townships than NAMED holds.
_STEM_CHARS = "长丰宁清石桥南北林泉岭和兴福春西阳源松岗家平德胜利团结民富裕峰溪湖川"
_KINDS = ("镇", "镇", "乡", "街道")


@dataclass(frozen=True)
class Township:
    name: str  # canonical, as the register spells it
    kind: str  # 镇 | 乡 | 街道
    size: str  # small | medium | large: scales every count
    code: str  # 12-digit statistical division code

    @property
    def stem(self) -> str:
        return self.name.removesuffix(self.kind)

    @property
    def government(self) -> str:
        """The body's formal name: XX镇人民政府 or XX街道办事处."""
        return self.name + ("办事处" if self.kind == "街道" else "人民政府")

    @property
    def aliases(self) -> tuple[str, ...]:
        return (self.name, self.government, COUNTY + self.name)


def build_register(count: int, seed: int) -> list[Township]:
    """`count` townships: the named ones first, then generated names that never contain one another."""
    rng = random.Random(f"register-{seed}")
    used_stems = {n.removesuffix(k) for n, k, _ in NAMED}
    picked = list(NAMED[:count])
    while len(picked) < count:
        stem = rng.choice(_STEM_CHARS) + rng.choice(_STEM_CHARS)
        if stem in used_stems or stem[0] == stem[1] or "旺" in stem:
            continue
        used_stems.add(stem)
        kind = rng.choice(_KINDS)
        picked.append((stem + kind, kind, rng.choice(("small", "small", "medium", "large"))))
    # Division codes: 街道 001-099, 镇 100-199, 乡 200-299, then a shared overflow range.
    counters = {"街道": 1, "镇": 100, "乡": 200, "": 300}
    limits = {"街道": 100, "镇": 200, "乡": 300}
    result = []
    for name, kind, size in picked:
        key = kind if counters[kind] < limits[kind] else ""
        n = counters[key]
        counters[key] += 1
        result.append(Township(name, kind, size, f"{COUNTY_CODE}{n:03d}000"))
    return result


def write_register(path: Path, townships: list[Township]) -> None:
    """townships.csv: name,aliases,code (aliases `;`-separated)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "aliases", "code"])
        for t in townships:
            w.writerow([t.name, ";".join(t.aliases), t.code])
