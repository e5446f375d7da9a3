"""When `gongkai serve` runs: its cron schedule, checked without importing Prefect so that a wrong one stops
the command before anything starts; the county's time zone; and when the next run will start.

Prefect reads a cron schedule with no time zone as UTC, so `0 2 * * *` would run at 10:00 in a Chinese
county office, holding the warehouse while analysts query it. The zone is the `serve.timezone` setting,
else the machine's own, else (a server set to UTC, or to nothing) China's.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_SCHEDULE = "0 2 * * *"
FALLBACK_TIMEZONE = "Asia/Shanghai"
# What a machine says when nobody set its zone: not a county's time.
_UNIVERSAL = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "GMT", "Etc/GMT", "Universal", "Etc/Universal", "Zulu"}

# Cron as Prefect's schedules take it (five fields, names for months and weekdays, the @ nicknames).
_FIELDS = (
    ("分钟", 0, 59, {}),
    ("小时", 0, 23, {}),
    ("日", 1, 31, {}),
    ("月", 1, 12, {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}),
    ("星期", 0, 7, {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())}),
)
_NICKNAMES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


class CronError(ValueError):
    """A cron schedule that cannot be read; the message (in Chinese) says why."""


def cron_problem(expr: str) -> str | None:
    """Why `expr` is not a cron schedule (in Chinese), or None when it is one."""
    try:
        read_cron(expr)
    except CronError as err:
        return str(err)
    return None


def read_cron(expr: str) -> tuple[list[str], list[set[int]]]:
    """The five fields of `expr` (a nickname spelt out) and the values each allows; CronError says why
    it cannot be read."""
    text = _NICKNAMES.get(expr.strip().lower(), expr.strip().lower())
    parts = text.split()
    if len(parts) != 5:
        raise CronError(f"应有 5 项（分 时 日 月 周，用空格分开），实有 {len(parts)} 项。")
    values = []
    for part, (label, low, high, names) in zip(parts, _FIELDS, strict=True):
        allowed: set[int] = set()
        for item in part.split(","):
            try:
                allowed |= _item_values(item, low, high, names)
            except CronError as err:
                raise CronError(f"{label}一项“{part}”{err}") from None
        values.append(allowed)
    return parts, values


def _item_values(item: str, low: int, high: int, names: dict[str, int]) -> set[int]:
    """The values of one comma-separated item of a field: `*`, a value or a range, each with a `/` step."""
    span, slash, step = item.partition("/")
    # ASCII digits only: str.isdigit also takes "²", which int() refuses
    if slash and not (step.isascii() and step.isdigit() and int(step) >= 1):
        raise CronError(f"的间隔“{step}”应是正整数。")
    every = int(step) if slash else 1
    if span == "*":
        return set(range(low, high + 1, every))
    ends = span.split("-")
    if len(ends) > 2 or not all(ends):
        raise CronError(f"中的“{item}”看不懂。")
    numbers = []
    for end in ends:
        value = names.get(end, int(end) if end.isascii() and end.isdigit() else None)
        if value is None or not low <= value <= high:
            raise CronError(f"中的“{end}”应在 {low} 到 {high} 之间。")
        numbers.append(value)
    first, last = numbers[0], numbers[-1] if len(numbers) > 1 or not slash else high
    if first <= last:
        return set(range(first, last + 1, every))
    # a range may wrap (fri-mon), as croniter, which Prefect schedules with, reads it
    return {v for i, v in enumerate([*range(first, high + 1), *range(low, last + 1)]) if i % every == 0}


def timezone_problem(name: str) -> str | None:
    """Why `name` is not a time zone this machine knows (in Chinese), or None."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f'“{name}”不是已知的时区名称，应写如 "Asia/Shanghai"（IANA 时区名）。'
    return None


def machine_timezone() -> tuple[str, str]:
    """The zone a schedule runs in when the county folder names none, and why (in Chinese): the machine's
    own (TZ, else /etc/localtime, else /etc/timezone), or Asia/Shanghai when it says UTC or nothing."""
    name = _machine_zone_name()
    if name and name not in _UNIVERSAL and timezone_problem(name) is None:
        return name, "本机时区"
    said = f"本机时区为 {name}" if name else "本机未设置时区"
    return FALLBACK_TIMEZONE, f"{said}，按中国时间"


def _machine_zone_name() -> str | None:
    tz = os.environ.get("TZ", "").strip().removeprefix(":")
    if tz:
        return tz
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "/zoneinfo/" in target:
            return target.split("/zoneinfo/", 1)[1]
    with_name = Path("/etc/timezone")
    if with_name.is_file():
        return with_name.read_text(encoding="utf-8", errors="replace").strip() or None
    return None


def next_run(expr: str, timezone: str, after: dt.datetime) -> dt.datetime:
    """The first time after `after` (aware) that `expr` fires in `timezone`, as croniter (Prefect's) reads
    cron: when both the day of the month and the weekday are restricted, either one matching is a day."""
    fields, (minutes, hours, days, months, weekdays) = read_cron(expr)
    weekdays = {d % 7 for d in weekdays}  # 7 is Sunday too
    any_day, any_weekday = fields[2] == "*", fields[4] == "*"
    zone = ZoneInfo(timezone)
    local = after.astimezone(zone)
    for offset in range(366 * 8 + 1):  # 29 February comes within eight years
        date = local.date() + dt.timedelta(days=offset)
        if date.month not in months:
            continue
        by_day, by_weekday = date.day in days, (date.weekday() + 1) % 7 in weekdays
        # an unrestricted field matches every day; two restricted ones are either-or
        if not ((by_day and by_weekday) if any_day or any_weekday else (by_day or by_weekday)):
            continue
        for hour in sorted(hours):
            for minute in sorted(minutes):
                at = dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=zone)
                if at > local:
                    return at
    raise ValueError(f"cron schedule {expr!r} never fires")
