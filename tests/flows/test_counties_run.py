"""A province's register names each township's county, and 城关镇 is in two of them: a report says which by
its title (青林县城关镇) or by the inbox folder it is in (inbox/汤旺县/); one that says neither is rejected
UNKNOWN_TOWNSHIP naming both candidates, never loaded as the first listed. One real run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="gongkai-prefect-"))

from gongkai.flows.runner import run_county
from gongkai.prefect_setup import configure_prefect  # noqa: E402
from tests.parsers.builder import Spec, build  # noqa: E402

configure_prefect()


def _spec(printed: str, year: int) -> Spec:
    return Spec(
        title_lines=(printed, f"{year}年政府信息公开工作年度报告"),
        year=year,
        signature=(f"{printed}人民政府", f"{year + 1}年1月12日"),
    )


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("counties")
    register = root / "townships.csv"
    register.write_text(
        "name,county,city\n城关镇,汤旺县,伊春市\n汤旺河镇,汤旺县,伊春市\n城关镇,青林县,伊春市\n", "utf-8"
    )
    inbox = root / "inbox"
    (inbox / "汤旺县").mkdir(parents=True)
    (inbox / "其他").mkdir()
    build(inbox / "青林县城关镇-2022.pdf", _spec("青林县城关镇", 2022))  # the title names the county
    build(inbox / "汤旺县" / "城关镇-2022.pdf", _spec("城关镇", 2022))  # the folder does
    build(inbox / "城关镇-2021.pdf", _spec("城关镇", 2021))  # neither: which 城关镇?
    build(inbox / "其他" / "城关镇-2020.pdf", _spec("城关镇", 2020))  # a folder that is no county
    build(inbox / "汤旺河镇-2022.pdf", _spec("汤旺县汤旺河镇", 2022))
    db = root / "county.duckdb"
    summary = run_county(inbox, register, db, root / "out", workers=1, dashboards=False)
    con = duckdb.connect(str(db), read_only=True)
    yield {"summary": summary, "con": con, "inbox": inbox}
    con.close()


def test_the_title_or_the_folder_names_the_county(run):
    got = run["con"].execute("SELECT source_file, township, county, year FROM latest_reports").fetchall()
    assert sorted((Path(f).relative_to(run["inbox"].resolve()).as_posix(), t, c, y) for f, t, c, y in got) == [
        ("汤旺县/城关镇-2022.pdf", "汤旺县城关镇", "汤旺县", 2022),
        ("汤旺河镇-2022.pdf", "汤旺河镇", "汤旺县", 2022),
        ("青林县城关镇-2022.pdf", "青林县城关镇", "青林县", 2022),
    ]


def test_a_bare_name_of_two_counties_is_rejected_naming_both(run):
    rejected = {
        Path(f).name: (reason, message)
        for f, reason, message in run["con"].execute("SELECT source_file, reason, message FROM rejected").fetchall()
    }
    assert set(rejected) == {"城关镇-2021.pdf", "城关镇-2020.pdf"}
    for name in rejected:
        reason, message = rejected[name]
        assert reason == "UNKNOWN_TOWNSHIP"
        assert "可能是 汤旺县城关镇、青林县城关镇" in message, message
        assert "以县区命名的文件夹" in message and "别名" in message and "写明县区" in message
    assert run["summary"].files_rejected == 2 and run["summary"].reports_loaded == 3
