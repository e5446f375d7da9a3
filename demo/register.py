"""The register of townships: canonical names, aliases and division codes, of one county or of a city's counties."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

COUNTY = "汤旺县"
COUNTY_CODE = "230717"
CITY = "伊春市"  # the province-level city 汤旺县 belongs to
CITY_CODE = "2307"
# The county seat's name, repeated in every county of a demo city, as real provinces repeat it.
SEAT = "城关镇"

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
    name: str  # as the register spells it
    kind: str  # 镇 | 乡 | 街道
    size: str  # small | medium | large: scales every count
    code: str  # 12-digit statistical division code
    county: str = COUNTY
    # The name is another county's too: the warehouse tells them apart as county+name (汤旺县城关镇).
    repeated: bool = False

    @property
    def canonical(self) -> str:
        """The township's name in the warehouse: qualified by its county when the name repeats."""
        return self.county + self.name if self.repeated else self.name

    @property
    def stem(self) -> str:
        return self.name.removesuffix(self.kind)

    @property
    def government(self) -> str:
        """The body's formal name: XX镇人民政府 or XX街道办事处."""
        return self.name + ("办事处" if self.kind == "街道" else "人民政府")

    @property
    def aliases(self) -> tuple[str, ...]:
        return (self.name, self.government, self.county + self.name)


def _generate(rng: random.Random, picked: list[tuple[str, str, str]], count: int, used_stems: set[str]) -> None:
    """Append generated townships to `picked` until it holds `count`; their stems join `used_stems`."""
    while len(picked) < count:
        stem = rng.choice(_STEM_CHARS) + rng.choice(_STEM_CHARS)
        if stem in used_stems or stem[0] == stem[1] or "旺" in stem:
            continue
        used_stems.add(stem)
        kind = rng.choice(_KINDS)
        picked.append((stem + kind, kind, rng.choice(("small", "small", "medium", "large"))))


def _coded(picked: list[tuple[str, str, str]], county: str, county_code: str, repeated: set[str]) -> list[Township]:
    # Division codes: 街道 001-099, 镇 100-199, 乡 200-299, then a shared overflow range.
    counters = {"街道": 1, "镇": 100, "乡": 200, "": 300}
    limits = {"街道": 100, "镇": 200, "乡": 300}
    result = []
    for name, kind, size in picked:
        key = kind if counters[kind] < limits[kind] else ""
        n = counters[key]
        counters[key] += 1
        result.append(Township(name, kind, size, f"{county_code}{n:03d}000", county, name in repeated))
    return result


def _named_stems() -> set[str]:
    return {n.removesuffix(k) for n, k, _ in NAMED} | {SEAT.removesuffix("镇")}


def max_townships(counties: int = 1) -> int:
    """The most townships a county can have when a city has `counties`: generated names are unique in the
    city (城关镇 aside), and the two-character stems run out (county names may take some of them too)."""
    used = _named_stems()
    free = sum(1 for a in _STEM_CHARS for b in _STEM_CHARS if a != b and a + b not in used) - (counties - 1)
    if counties == 1:
        return len(NAMED) + free

    def generated(n: int) -> int:  # 汤旺县 names n - 1 (城关镇 aside) from NAMED first; the others generate n - 1
        return max(0, n - 1 - len(NAMED)) + (counties - 1) * (n - 1)

    n = 1
    while generated(n + 1) <= free:
        n += 1
    return n


def build_register(count: int, seed: int) -> list[Township]:
    """`count` townships: the named ones first, then generated names that never contain one another."""
    if count > max_townships():
        raise ValueError(f"at most {max_townships()} townships: {count}")
    rng = random.Random(f"register-{seed}")
    used_stems = _named_stems()
    picked = list(NAMED[:count])
    _generate(rng, picked, count, used_stems)
    return _coded(picked, COUNTY, COUNTY_CODE, set())


# Invented counties' names: two characters (their pinyin names the county's web site) and 县 or 区.
_COUNTY_FIRST = "青松嘉铁翠金宝美新红桃岚双东乌白"
_COUNTY_SECOND = "林岭河山荫溪峦川源江阳泉宁安丰兴"
_PINYIN = dict(
    zip(
        _COUNTY_FIRST + _COUNTY_SECOND + "汤旺",
        "qing song jia tie cui jin bao mei xin hong tao lan shuang dong wu bai "
        "lin ling he shan yin xi luan chuan yuan jiang yang quan ning an feng xing tang wang".split(),
        strict=True,
    )
)
# Division codes of the city's counties (2307xx): 区 from 02, 县 from 21, as the national scheme numbers them;
# 汤旺县's real code, 17, is taken.
_DISTRICT_CODES = tuple(n for n in range(2, 21) if n != 17)
_COUNTY_CODES = tuple(range(21, 81))
MAX_COUNTIES = 1 + len(_DISTRICT_CODES) + len(_COUNTY_CODES)


def site_host(county: str) -> str:
    """The county government's web site: www.tangwang.gov.cn for 汤旺县."""
    return f"www.{''.join(_PINYIN[c] for c in county[:-1])}.gov.cn"


@dataclass(frozen=True)
class County:
    name: str
    code: str  # 6-digit division code
    seed: int  # the county's own stream: its townships, layouts, numbers and faults
    townships: list[Township]


def _county_names(rng: random.Random, n: int, used_stems: set[str]) -> list[tuple[str, str]]:
    """n invented (name, code): 2-character stems no township or other county uses, so no name contains another."""
    out: list[tuple[str, str]] = []
    districts, counties = list(_DISTRICT_CODES), list(_COUNTY_CODES)
    while len(out) < n:
        stem = rng.choice(_COUNTY_FIRST) + rng.choice(_COUNTY_SECOND)
        if stem in used_stems or stem[0] == stem[1]:
            continue
        used_stems.add(stem)
        kind = "区" if (districts and rng.random() < 0.3) or not counties else "县"
        out.append((stem + kind, f"{CITY_CODE}{(districts if kind == '区' else counties).pop(0):02d}"))
    return out


def build_province(counties: int, count: int, seed: int) -> list[County]:
    """`counties` counties of `count` townships each. The first is 汤旺县 on `seed` itself, its register as
    build_register's with 城关镇 in the last place; the others are invented, each on its own seed, 城关镇 first
    and then generated names. 城关镇 is in every county; every other name is unique in the city."""
    if not 1 <= counties <= MAX_COUNTIES:
        raise ValueError(f"counties must be 1..{MAX_COUNTIES}: {counties}")
    if count > max_townships(counties):
        raise ValueError(f"at most {max_townships(counties)} townships a county in {counties} counties: {count}")
    if counties == 1:
        return [County(COUNTY, COUNTY_CODE, seed, build_register(count, seed))]
    used_stems = _named_stems()
    repeated = {SEAT}
    picked = list(NAMED[: count - 1])
    _generate(random.Random(f"register-{seed}"), picked, count - 1, used_stems)
    first = County(COUNTY, COUNTY_CODE, seed, _coded([*picked, (SEAT, "镇", "large")], COUNTY, COUNTY_CODE, repeated))
    out = [first]
    for name, code in _county_names(random.Random(f"{seed}:counties"), counties - 1, used_stems):
        county_seed = random.Random(f"{seed}:county:{name}").randrange(2**31)
        picked = [(SEAT, "镇", "large")]
        _generate(random.Random(f"register-{county_seed}"), picked, count, used_stems)
        out.append(County(name, code, county_seed, _coded(picked, name, code, repeated)))
    return out


def write_register(path: Path, townships: list[Township], city: str | None = None) -> None:
    """townships.csv: name,aliases,code (aliases `;`-separated), and county,city when `city` is given."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "aliases", "code"] + (["county", "city"] if city else []))
        for t in townships:
            w.writerow([t.name, ";".join(t.aliases), t.code] + ([t.county, city] if city else []))
