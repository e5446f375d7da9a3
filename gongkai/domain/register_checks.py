"""What is wrong with a township register CSV, in the analyst's words (for `gongkai doctor`).

`read_register` is forgiving on purpose: a line without a name is skipped, a name listed twice keeps the
later line. Here those lines are found and named, with the register's line numbers, so that the analyst
can fix the file before a run quietly reads it differently from what was meant.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from gongkai.domain.register import UNREADABLE_ENCODING, register_text, split_aliases


@dataclass(frozen=True)
class RegisterCheck:
    townships: int  # lines that name a township
    problems: list[str]  # each in Chinese, with its line numbers


def check_register(csv_path: str | Path) -> RegisterCheck:
    """The register's problems: unreadable file, no `name` column, a line with content but no name, a name
    listed twice in one county, an alias that is another township's name or alias in the same county."""
    path = Path(csv_path)
    try:
        reader = csv.DictReader(io.StringIO(register_text(path), newline=""))
        columns = reader.fieldnames or []
        rows = [(reader.line_num, rec) for rec in reader]
    except UnicodeDecodeError:
        return RegisterCheck(0, [f"{UNREADABLE_ENCODING}。"])
    except OSError as err:
        return RegisterCheck(0, [f"无法读取：{err.strerror or err}"])
    if "name" not in columns:
        shown = "，".join(c for c in columns if c) or "无"
        return RegisterCheck(0, [f"第 1 行应是列名且包含 name 列（实为：{shown}）。"])

    problems: list[str] = []
    # (county, name) -> line numbers; a register of one county has county None throughout
    listed: dict[tuple[str | None, str], list[int]] = defaultdict(list)
    aliases: list[tuple[int, str | None, str, str]] = []  # (line, county, township, alias)
    for line, rec in rows:
        name = (rec.get("name") or "").strip()
        if name.startswith("#"):  # a comment line, as read_register skips it
            continue
        if not name:
            if any((v or "").strip() for k, v in rec.items() if k is not None):
                problems.append(f"第 {line} 行有内容但乡镇名称（name）为空，这一行不会读入。")
            continue
        county = (rec.get("county") or "").strip() or None
        listed[county, name].append(line)
        aliases += [(line, county, name, a) for a in split_aliases(rec.get("aliases")) if a != name]

    for (county, name), lines in listed.items():
        if len(lines) > 1:
            where = f"{county}的" if county else ""
            numbers = "、".join(str(n) for n in lines)
            problems.append(f"第 {numbers} 行都是{where}“{name}”：只有最后一行生效，请合并为一行。")

    names_by_county: dict[str | None, set[str]] = defaultdict(set)
    for county, name in listed:
        names_by_county[county].add(name)
    alias_owners: dict[tuple[str | None, str], dict[str, int]] = defaultdict(dict)  # -> township -> line
    for line, county, name, alias in aliases:
        if alias in names_by_county[county]:
            problems.append(
                f"第 {line} 行“{name}”的别名“{alias}”是另一个乡镇的名称：报告会对不上乡镇，请删去这个别名。"
            )
        alias_owners[county, alias].setdefault(name, line)
    for (_, alias), owners in alias_owners.items():
        if len(owners) > 1:
            who = "、".join(f"第 {line} 行“{name}”" for name, line in owners.items())
            problems.append(f"别名“{alias}”同时属于{who}：报告会对不上乡镇，请只留给其中一个。")

    if not listed and not problems:
        problems.append("名册中没有任何乡镇：每个乡镇一行，name 列填写名称。")
    return RegisterCheck(len(listed), problems)
