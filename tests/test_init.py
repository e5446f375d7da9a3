"""`gongkai init`: a county folder, a register drafted from reports already there (only when confirmed),
and the walk of a new analyst: init, reports in, townships listed, `gongkai run`, `flags` and `sql` with no paths."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai import config
from gongkai.cli import main
from gongkai.commands.init import EXAMPLE_LINES, HEADER
from gongkai.domain.register import read_register
from gongkai.parsers.sources import is_input


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


class Terminal(io.StringIO):
    """Standard input as an analyst's terminal, answering what it was given."""

    def isatty(self) -> bool:
        return True


def test_init_makes_a_county_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, err = _cli(capsys, "init", "示例县")
    assert (code, err) == (0, "")
    folder = tmp_path / "示例县"
    assert sorted(p.name for p in folder.iterdir()) == ["gongkai.toml", "inbox", "townships.csv"]
    assert (folder / "inbox").is_dir() and not any((folder / "inbox").iterdir())
    s = config.load(folder / "gongkai.toml")
    assert s.county == "示例县"  # the folder is named like a county, and init says it took the name from it
    assert "县区名称取自文件夹名：示例县" in out
    assert (s.townships, s.inbox, s.db, s.out) == (
        folder / "townships.csv",
        folder / "inbox",
        folder / "gongkai.duckdb",
        folder / "dashboard",
    )
    # The register: its header as the reader reads it, two example lines that the reader leaves out.
    text = (folder / "townships.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == ",".join(HEADER) and lines[1:] == list(EXAMPLE_LINES)
    examples = [row for row in csv.reader(lines[2:])]
    assert [len(row) for row in examples] == [5, 5] and all(row[0].startswith("#") for row in examples)
    assert read_register(folder / "townships.csv") == []
    assert out.rstrip().endswith("下一步：\n  1. 把各乡镇的年度报告（PDF、网页、Word）放进 示例县/inbox/\n"
                                 "  2. 核对 示例县/townships.csv：每个乡镇（街道）一行\n"
                                 "  3. cd 示例县 && gongkai run")  # fmt: skip


def test_init_takes_the_county_given_and_leaves_it_out_when_unknown(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert _cli(capsys, "init", "a", "--county", "汤旺县")[0] == 0
    assert config.load(tmp_path / "a" / "gongkai.toml").county == "汤旺县"
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    code, out, _ = _cli(capsys, "init")  # the current folder, named like no county
    assert code == 0 and "没有给出县区名称（--county）" in out
    assert config.load(tmp_path / "work" / "gongkai.toml").county is None
    assert f"已建立县区文件夹 {tmp_path / 'work'}（当前文件夹）：" in out
    assert "  3. gongkai run" in out  # already there: no cd


def test_init_never_overwrites(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "示例县"
    folder.mkdir()
    (folder / "gongkai.toml").write_text("# 分析员自己的设置\n", encoding="utf-8")
    code, out, err = _cli(capsys, "init", "示例县")
    assert (code, out) == (2, "")
    assert err == "示例县/gongkai.toml 已经存在，不会覆盖它。要重新建立，请先把它改名或删除。\n"
    assert (folder / "gongkai.toml").read_text(encoding="utf-8") == "# 分析员自己的设置\n"
    assert sorted(p.name for p in folder.iterdir()) == ["gongkai.toml"]
    # A register already there is kept as it is.
    other = tmp_path / "汤旺县"
    other.mkdir()
    (other / "townships.csv").write_text("name\n汤旺河镇\n", encoding="utf-8")
    code, out, _ = _cli(capsys, "init", "汤旺县")
    assert code == 0 and "townships.csv  乡镇名册（已有，未改动）" in out
    assert (other / "townships.csv").read_text(encoding="utf-8") == "name\n汤旺河镇\n"


def test_run_in_a_new_county_folder_says_the_register_is_empty(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _cli(capsys, "init", "示例县")
    monkeypatch.chdir(tmp_path / "示例县")
    code, out, err = _cli(capsys, "run")
    assert (code, out) == (2, "")
    assert err == (
        f"乡镇名册 {tmp_path / '示例县' / 'townships.csv'}（{tmp_path / '示例县' / 'gongkai.toml'} 中的 "
        "paths.townships）还没有乡镇（# 开头的示例行不读入）：请每个乡镇（街道）填一行 name（名称），再运行。\n"
    )
    assert not (tmp_path / "示例县" / "gongkai.duckdb").exists()


# ---- with reports: the parser reads their titles in worker processes, and the walk runs the county job ----


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A small county with every kind of problem the checks find: 4 townships, 2021–2023, 11 reports."""
    from gongkai.demo.corpus import write_corpus

    out = tmp_path_factory.mktemp("generated")
    write_corpus(out, townships=4, years=(2021, 2023), seed=1, workers=1)
    return out


def _reports(generated: Path) -> list[Path]:
    return sorted(p for p in (generated / "reports").iterdir() if is_input(p))


def _bodies(generated: Path) -> list[str]:
    """The townships that sent reports, as their truth files name them."""
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in (generated / "reports").glob("*.json")]
    return sorted({t["township"] for t in truths})


def _copy_reports(generated: Path, to: Path) -> int:
    to.mkdir(parents=True, exist_ok=True)
    for report in _reports(generated):
        shutil.copy2(report, to / report.name)
    return len(_reports(generated))


@pytest.mark.slow
def test_init_drafts_the_register_from_report_titles_with_yes(generated, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    n = _copy_reports(generated, tmp_path / "汤旺县" / "报告")
    (tmp_path / "汤旺县" / "报告" / "说明.txt").write_text("不是报告", encoding="utf-8")
    _dashboard(tmp_path / "汤旺县" / "dashboard")  # left by an earlier run: not read, not the inbox
    code, out, _ = _cli(capsys, "init", "汤旺县", "--yes")
    assert code == 0
    folder = tmp_path / "汤旺县"
    bodies = _bodies(generated)
    assert [t.name for t in read_register(folder / "townships.csv")] == sorted(bodies)
    assert f"从 {n} 份报告的标题中找到 {len(bodies)} 个机关，起草的乡镇名册如下：" in out
    assert f"乡镇名册：按报告标题起草的 {len(bodies)} 个乡镇，请核对" in out
    # The one folder holding every report is the inbox; nothing was moved or made beside it.
    s = config.load(folder / "gongkai.toml")
    assert s.inbox == folder / "报告"
    assert sorted(p.name for p in folder.iterdir()) == ["dashboard", "gongkai.toml", "townships.csv", "报告"]
    assert f"报告/  收件文件夹（已有 {n} 份报告文件）" in out
    assert "未能读出标题" not in out and "注意" not in out


@pytest.mark.slow
def test_init_writes_the_draft_only_when_the_analyst_says_so(generated, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    bodies = sorted(_bodies(generated))
    examples_only = ",".join(HEADER) + "\n" + "\n".join(EXAMPLE_LINES) + "\n"

    # No terminal to ask on, no --yes: the register keeps its examples, the draft goes beside it.
    _copy_reports(generated, tmp_path / "a")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, _ = _cli(capsys, "init", "a")
    assert code == 0
    assert (tmp_path / "a" / "townships.csv").read_text(encoding="utf-8-sig") == examples_only
    assert [t.name for t in read_register(tmp_path / "a" / "townships.draft.csv")] == bodies
    assert "没有终端可以确认（加 --yes 可直接采用）：起草的名册写入了 a/townships.draft.csv" in out
    assert "核对 a/townships.draft.csv，改名为 townships.csv" in out

    # Asked on a terminal: "n" writes nothing of the draft, "y" writes it as the register.
    _copy_reports(generated, tmp_path / "b")
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    assert _cli(capsys, "init", "b")[0] == 0
    assert (tmp_path / "b" / "townships.csv").read_text(encoding="utf-8-sig") == examples_only
    assert not (tmp_path / "b" / "townships.draft.csv").exists()
    _copy_reports(generated, tmp_path / "c")
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    code, out, _ = _cli(capsys, "init", "c")
    assert code == 0 and "把这份草稿写入 townships.csv？[y/N] " in out
    assert [t.name for t in read_register(tmp_path / "c" / "townships.csv")] == bodies

    # Reports lying loose in the folder itself: the inbox is inbox/, and init says to move them there.
    _copy_reports(generated, tmp_path / "d")
    code, out, _ = _cli(capsys, "init", "d", "--yes")
    assert config.load(tmp_path / "d" / "gongkai.toml").inbox == tmp_path / "d" / "inbox"
    n = len(_reports(generated))
    assert f"注意：有 {n} 份报告不在收件文件夹 inbox/ 中" in out and "请把它们移进去" in out


@pytest.mark.slow
def test_new_analyst_walk_init_reports_townships_run_flags_sql(generated, tmp_path):
    """The issue's 'done when': an empty directory, `gongkai init 示例县`, reports into 示例县/inbox, the
    townships listed, and inside the folder `gongkai run`, `gongkai flags` and `gongkai sql` with no paths."""
    from tests.flows.truth import county_truth

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL" and not k.startswith("GONGKAI_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    work = tmp_path / "empty"
    work.mkdir()

    def gongkai(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gongkai.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
        )

    made = gongkai("init", "示例县", cwd=work)
    assert made.returncode == 0, made.stderr
    county = work / "示例县"
    n = _copy_reports(generated, county / "inbox")
    # The analyst lists the townships under the header init wrote (names, aliases, codes as the county has them).
    with open(generated / "townships.csv", encoding="utf-8-sig", newline="") as fh:
        listed = [(r["name"], r["aliases"], r["code"], "", "") for r in csv.DictReader(fh)]
    with open(county / "townships.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(listed)

    ran = gongkai("run", cwd=county)
    assert ran.returncode == 0, ran.stderr
    assert "全县汇总完成（示例县）" in ran.stdout
    assert f"数据仓库：{county / 'gongkai.duckdb'}" in ran.stdout.replace("\n", "")  # rich wraps at 80
    assert (county / "dashboard" / "index.html").is_file()

    counted = gongkai("sql", "select count(*) as n from reports", "--format", "json", cwd=county)
    assert counted.returncode == 0, counted.stderr
    assert json.loads(counted.stdout) == [{"n": n}]
    flags = gongkai("flags", "--format", "json", cwd=county)
    assert flags.returncode == 0, flags.stderr
    listed_flags = {
        (f["rule_id"], f["township"], f["year"], f["table_code"], f["row_code"], f["col_code"])
        for f in json.loads(flags.stdout)
    }
    _, truth_flags = county_truth(generated)
    assert listed_flags == truth_flags and len(truth_flags) > 10
    table = gongkai("flags", cwd=county)
    assert f"共 {len(truth_flags)} 个问题。确认或排除：gongkai review 问题编号 --confirm|--dismiss" in table.stdout
    assert gongkai("rejected", cwd=county).stdout == "没有被拒收的文件。\n"


# ---- which files init reads, and what it says of them: a stand-in parser (each file says what it is) ----


def _fake_parse(path: str):
    """`REPORT 东风镇 2022` in a file is a report of that body and year; `HANG` never ends, `DIE` kills the
    process parsing it, anything else is no report. Run in init's forked children, as the real parser is."""
    import time
    from types import SimpleNamespace

    from gongkai.parsers import ReportError

    text = Path(path).read_bytes().decode("utf-8", "replace")
    if text.startswith("REPORT "):
        _, body, year = text.split()
        return SimpleNamespace(body=body, body_full_name=f"{body}人民政府", year=int(year), pages=3)
    if text == "HANG":
        time.sleep(600)
    if text == "DIE":
        os._exit(9)
    raise ReportError("NOT_A_REPORT", "不是年度报告。")


@pytest.fixture
def fake_parser(monkeypatch):
    monkeypatch.setattr("gongkai.parsers.isolation.parse_report", _fake_parse)
    monkeypatch.setenv("GONGKAI_PARSE_TIMEOUT", "3")


def _put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _dashboard(out: Path) -> None:
    """What `gongkai run --out` leaves (dashboards/build.py): pages, charts, crops and flags.xlsx, all of
    them files the inbox would take for reports sent in."""
    _put(out / "index.html", "<html>汤旺县</html>")
    _put(out / "townships" / "东风镇.html", "<html>东风镇</html>")
    _put(out / "charts" / "county.png", "png")
    _put(out / "crops" / "1.png", "png")
    _put(out / "flags.xlsx", "xlsx")


def test_init_leaves_a_dashboard_alone_and_takes_the_reports_folder_as_inbox(
    tmp_path, monkeypatch, capsys, fake_parser
):
    from gongkai.commands.init import DASHBOARD_MARK
    from gongkai.dashboards.build import COUNTY_MARK

    assert DASHBOARD_MARK == COUNTY_MARK
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "汤旺县"
    _put(folder / "报告" / "东风镇2022.pdf", "REPORT 东风镇 2022")
    _put(folder / "报告" / "东风镇2023.pdf", "REPORT 东风镇 2023")
    _put(folder / "报告" / "2023" / "汤旺河镇2023.pdf", "REPORT 汤旺河镇 2023")
    _dashboard(folder / "dashboard")  # the default out folder
    _dashboard(folder / "看板")  # another name: known by index.html beside charts/
    _put(folder / "多县看板" / "甲县" / COUNTY_MARK, "甲县")  # a county's folder of a county-wide dashboard
    _put(folder / "多县看板" / "甲县" / "乙.html", "<html></html>")
    _put(folder / ".gongkai" / "pages" / "页面.html", "REPORT 隐藏镇 2023")  # hidden: collection's own
    _put(folder / "说明.docx", "给分析员的说明")  # a file the inbox would take, but no report
    code, out, err = _cli(capsys, "init", "汤旺县", "--yes")
    assert code == 0
    assert err == "正在读取 4 份文件的标题，起草乡镇名册……\n"
    assert config.load(folder / "gongkai.toml").inbox == folder / "报告"
    assert not (folder / "inbox").exists()
    assert [t.name for t in read_register(folder / "townships.csv")] == ["东风镇", "汤旺河镇"]
    assert "从 3 份报告的标题中找到 2 个机关，起草的乡镇名册如下：" in out
    assert "  报告/  收件文件夹（已有 3 份报告文件）\n" in out
    # Only the one file that is no report is listed; nothing is to be moved: every report is in 报告/.
    assert "未能读出标题的文件 1 个（gongkai parse 文件名 可看原因）：\n  说明.docx  [NOT_A_REPORT]\n" in out
    assert "注意" not in out and "dashboard" not in out and "看板" not in out


def test_init_counts_only_the_inbox_and_asks_to_move_only_reports(tmp_path, monkeypatch, capsys, fake_parser):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "c"
    _put(folder / "东风镇2022.pdf", "REPORT 东风镇 2022")  # loose: the inbox is then inbox/
    _put(folder / "inbox" / "汤旺河镇2022.pdf", "REPORT 汤旺河镇 2022")
    _put(folder / "notes" / "会议.html", "<html>会议纪要</html>")
    code, out, _ = _cli(capsys, "init", "c", "--yes")
    assert code == 0
    assert config.load(folder / "gongkai.toml").inbox == folder / "inbox"
    assert "  inbox/  收件文件夹（已有 1 份报告文件）\n" in out
    assert (
        "注意：有 1 份报告不在收件文件夹 inbox/ 中（如 东风镇2022.pdf），gongkai run 只读 inbox/：请把它们移进去。"
        in out
    )
    assert "notes/会议.html  [NOT_A_REPORT]" in out


def test_a_new_empty_folder_counts_no_reports(tmp_path, monkeypatch, capsys, fake_parser):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "新县"
    _dashboard(folder / "dashboard")
    _put(folder / "说明.docx", "给分析员的说明")
    code, out, _ = _cli(capsys, "init", "新县")
    assert code == 0
    assert "1 份文件的标题都没能读出，无从起草乡镇名册。\n" in out
    assert "  inbox/  收件文件夹\n" in out and "注意" not in out
    assert f"  1. 把各乡镇的年度报告（PDF、网页、Word）放进 {Path('新县') / 'inbox'}/\n" in out


def test_init_lists_a_file_that_hangs_or_kills_the_parser_and_goes_on(tmp_path, monkeypatch, capsys, fake_parser):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "d"
    for year in (2021, 2022, 2023):
        _put(folder / "报告" / f"东风镇{year}.pdf", f"REPORT 东风镇 {year}")
    _put(folder / "报告" / "卡住.pdf", "HANG")
    _put(folder / "报告" / "崩溃.pdf", "DIE")
    code, out, _ = _cli(capsys, "init", "d", "--yes")
    assert code == 0
    assert config.load(folder / "gongkai.toml").inbox == folder / "报告"
    assert [t.name for t in read_register(folder / "townships.csv")] == ["东风镇"]
    assert "从 3 份报告的标题中找到 1 个机关" in out
    assert ["东风镇", "3", "2021–2023", "东风镇人民政府"] in [line.split() for line in out.splitlines()]
    unreadable = out.split("未能读出标题的文件 2 个（gongkai parse 文件名 可看原因）：\n")[1].splitlines()[:2]
    assert sorted(unreadable) == ["  报告/卡住.pdf  [PARSE_TIMEOUT]", "  报告/崩溃.pdf  [PARSE_TIMEOUT]"]
    assert "  报告/  收件文件夹（已有 5 份报告文件）\n" in out
