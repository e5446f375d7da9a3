"""gongkai serve's schedule: the county's time zone and the next run, read as Prefect reads cron."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai import config, schedule

MONDAY_MORNING = dt.datetime(2026, 12, 7, 2, 30, tzinfo=dt.UTC)  # 10:30 on a Monday in China


@pytest.mark.parametrize(
    ("cron", "local"),
    [
        ("0 2 * * *", "2026-12-08 02:00"),  # 18:00 UTC the day before
        ("@hourly", "2026-12-07 11:00"),
        ("*/15 * * * *", "2026-12-07 10:45"),
        ("30 9 * * mon-fri", "2026-12-08 09:30"),  # today's 09:30 has passed
        ("0 3 1 * sun", "2026-12-13 03:00"),  # day and weekday both restricted: either one
        ("0 2 * * 7", "2026-12-13 02:00"),  # 7 is Sunday too
        ("0 0 29 2 *", "2028-02-29 00:00"),
        ("0 22 * * fri-mon", "2026-12-07 22:00"),  # a range that wraps
    ],
)
def test_the_next_run_in_the_countys_time(cron, local):
    upcoming = schedule.next_run(cron, "Asia/Shanghai", MONDAY_MORNING)
    assert f"{upcoming:%Y-%m-%d %H:%M}" == local
    assert upcoming.utcoffset() == dt.timedelta(hours=8)


def test_two_am_in_china_is_six_pm_utc():
    upcoming = schedule.next_run("0 2 * * *", "Asia/Shanghai", MONDAY_MORNING)
    assert upcoming.astimezone(dt.UTC) == dt.datetime(2026, 12, 7, 18, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("tz", "zone", "why"),
    [
        ("Asia/Urumqi", "Asia/Urumqi", "本机时区"),
        (":Asia/Chongqing", "Asia/Chongqing", "本机时区"),
        ("UTC", "Asia/Shanghai", "本机时区为 UTC，按中国时间"),
        ("Etc/UTC", "Asia/Shanghai", "本机时区为 Etc/UTC，按中国时间"),
        ("Mars/Olympus", "Asia/Shanghai", "本机时区为 Mars/Olympus，按中国时间"),
    ],
)
def test_the_machines_zone_unless_it_says_utc(monkeypatch, tz, zone, why):
    monkeypatch.setenv("TZ", tz)
    assert schedule.machine_timezone() == (zone, why)


def test_a_county_folder_names_its_zone(tmp_path):
    path = tmp_path / config.CONFIG_NAME
    text = config.render("汤旺县").replace('# timezone = "Asia/Shanghai"', 'timezone = "Asia/Urumqi"')
    path.write_text(text, encoding="utf-8")
    assert config.load(path).timezone == "Asia/Urumqi"
    path.write_text(config.render("汤旺县"), encoding="utf-8")
    assert config.load(path).timezone is None  # the machine's, decided when serving
