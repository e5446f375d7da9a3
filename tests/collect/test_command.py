"""`gongkai collect`: the command on its own, its report in Chinese, and its fetches kept in the inbox until
a run records them in the warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from gongkai.cli import main
from gongkai.collect import pending_fetches, read_sites
from tests.collect.conftest import Portal

pytestmark = pytest.mark.slow  # starts HTTP servers


def test_collect_saves_reports_says_what_failed_and_keeps_fetches_for_the_warehouse(
    portal: Portal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    argv = [
        "collect",
        "--townships",
        str(portal.register),
        "--inbox",
        str(inbox),
        "--delay",
        "0.01",
        "--timeout",
        "2",
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    broken = portal.plan.scenarios["broken_site"]
    reports = sum(len(t.reports) for t in portal.plan.townships if t.listing != broken)
    assert f"新增或更新文件 {reports + 1} 个" in out
    assert f"{portal.url(broken)}  服务器返回 503（已重试 2 次）" in out
    assert "robots.txt 不允许抓取该地址" in out
    assert out.rstrip().endswith("抓取记录保存在收件文件夹中，将在下次 gongkai run 时写入数据仓库。")
    pending = pending_fetches(inbox)
    assert {f.url for f in pending} >= {site.url for site in read_sites(portal.register)}

    # Straight into a warehouse instead: the same fetches, and nothing left pending for it.
    db = tmp_path / "county.duckdb"
    assert main([*argv, "--db", str(db)]) == 0
    assert "新增或更新文件 0 个" in capsys.readouterr().out
    con = duckdb.connect(str(db), read_only=True)
    statuses = dict(con.execute("select http_status, count(*) from sources group by all").fetchall())
    con.close()
    assert statuses[304] > reports and statuses[200] == 1  # the error page served as a PDF, never saved
    assert len(pending_fetches(inbox)) == len(pending)

    # A warehouse that cannot be written just now (a folder here; the nightly run's lock alike): the fetches
    # are kept in the inbox for the next run, never lost.
    assert main([*argv, "--db", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert f"数据仓库 {tmp_path} 暂时无法写入" in err
    assert out.rstrip().endswith("抓取记录保存在收件文件夹中，将在下次 gongkai run 时写入数据仓库。")
    assert len(pending_fetches(inbox)) == 2 * len(pending)


def test_a_register_without_urls_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    register = tmp_path / "townships.csv"
    register.write_text("name,aliases,code\n汤旺河镇,,1\n", encoding="utf-8")
    assert main(["collect", "--townships", str(register), "--inbox", str(tmp_path / "inbox")]) == 2
    assert "没有任何乡镇填写了 url 列" in capsys.readouterr().err
