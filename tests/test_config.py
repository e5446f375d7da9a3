"""gongkai.toml: reading it strictly, where it is looked for, and the commands taking their settings from it
(the command line first, then the file, then the defaults)."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

import pytest

from gongkai import config, options, schedule, warehouse
from gongkai.cli import main
from gongkai.commands.settings import MissingSetting, resolve

PATHS = '[paths]\ntownships = "townships.csv"\ninbox = "inbox"\ndb = "gongkai.duckdb"\nout = "dashboard"\n'


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / config.CONFIG_NAME
    path.write_text(text, encoding="utf-8")
    return path


def test_load_reads_relative_paths_against_the_files_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # somewhere else than the county folder: paths still read against the file
    path = write(
        tmp_path / "汤旺县",
        'county = "汤旺县"\n[paths]\ntownships = "名册/townships.csv"\ninbox = "报告"\n'
        'db = "../仓库/county.duckdb"\nout = "/srv/gongkai/dashboard"\n'
        '[run]\nworkers = 4\nbatch_size = 10\n[serve]\nschedule = "30 1 * * 1-5"\nport = 4300\n'
        "[limits]\nparse_timeout = 90\nmax_pages = 80\n[collect]\ndelay = 0.5\n",
    )
    s = config.load(Path("汤旺县") / config.CONFIG_NAME)
    county = tmp_path / "汤旺县"
    assert s.path == path
    assert s.county == "汤旺县"
    assert s.townships == county / "名册" / "townships.csv"
    assert s.inbox == county / "报告"
    assert s.db == tmp_path / "仓库" / "county.duckdb"  # `..` folded away, not left in the path
    assert s.out == Path("/srv/gongkai/dashboard")
    assert (s.workers, s.batch_size, s.schedule, s.port) == (4, 10, "30 1 * * 1-5", 4300)
    assert dict(s.limits) == {"limits.parse_timeout": 90.0, "limits.max_pages": 80, "collect.delay": 0.5}
    limits, pace, _ = options.resolve(s.limits, {})
    assert (limits.seconds, limits.max_pages, pace.delay) == (90.0, 80, 0.5)
    assert (limits.memory_mb, pace.timeout) == (options.Limits.memory_mb, options.CollectSettings.timeout)


def test_load_defaults_what_the_file_leaves_out(tmp_path):
    s = config.load(write(tmp_path, PATHS))
    assert s.county is None
    assert (s.workers, s.batch_size, s.schedule, s.port) == (2, 0, "0 2 * * *", 4200)
    assert dict(s.limits) == {} and options.resolve(s.limits, {}) == (
        options.Limits(),
        options.CollectSettings(),
        options.CheckSettings(),
    )


def test_find_takes_the_given_file_or_folder_else_the_current_folder_only(tmp_path):
    county = tmp_path / "汤旺县"
    path = write(county, PATHS)
    assert config.find(cwd=county) == path
    assert config.find(cwd=county / "inbox") is None  # not its parents: see find's docstring
    assert config.find(cwd=tmp_path) is None
    assert config.find(path, cwd=tmp_path) == path
    assert config.find(county, cwd=tmp_path) == path  # a county folder names its file
    missing = tmp_path / "没有.toml"
    assert config.find(missing, cwd=county) == missing  # load says it is missing; no fallback to the cwd's


BAD = [
    # (file text, setting named, words of the message)
    ('county = "汤旺县"\n[paths]\ntownships = 1 2\n', None, "第 3 行第 15 列不符合 TOML 格式"),
    ('county = "汤旺县\n', None, "不符合 TOML 格式"),
    ('country = "汤旺县"\n' + PATHS, "country", "没有这个设置。是不是 county？"),
    (PATHS + "[run]\nwokers = 3\n", "run.wokers", "没有这个设置。是不是 run.workers？"),
    (PATHS + "[limits]\nparse_timout = 3\n", "limits.parse_timout", "是不是 limits.parse_timeout？"),
    (PATHS + "[dashboard]\ntitle = 1\n", "dashboard", "没有这个设置"),
    ('paths = "here"\n', "paths", '应是一组设置 [paths]，实为文字 "here"'),
    ("county = 3\n" + PATHS, "county", "应是县区名称（加英文双引号的文字），实为数字 3"),
    (
        PATHS.replace('db = "gongkai.duckdb"', "db = 3"),
        "paths.db",
        "应是数据仓库文件的路径（加英文双引号的文字），实为数字 3",
    ),
    (PATHS.replace('out = "dashboard"', 'out = ""'), "paths.out", "应是输出文件夹的路径"),
    (PATHS.replace('db = "gongkai.duckdb"\n', ""), "paths.db", "缺少这项设置（数据仓库文件的路径"),
    (PATHS + '[run]\nworkers = "4"\n', "run.workers", '应是整数，实为文字 "4"'),
    (PATHS + "[run]\nworkers = 2.5\n", "run.workers", "应是整数，实为数字 2.5"),
    (PATHS + "[run]\nworkers = true\n", "run.workers", "应是整数，实为真假值 true"),
    (PATHS + "[run]\nworkers = 0\n", "run.workers", "应不小于 1，实为 0"),
    (PATHS + "[run]\nbatch_size = -1\n", "run.batch_size", "应不小于 0，实为 -1"),
    (PATHS + "[serve]\nport = 70000\n", "serve.port", "端口应在 1 到 65535 之间，实为 70000"),
    (PATHS + '[serve]\nschedule = "0 25 * * *"\n', "serve.schedule", "小时一项“25”中的“25”应在 0 到 23 之间"),
    (PATHS + '[serve]\nschedule = "0 2 * *"\n', "serve.schedule", "应有 5 项（分 时 日 月 周，用空格分开），实有 4 项"),
    (PATHS + "[serve]\nschedule = 2\n", "serve.schedule", "应是 cron 计划"),
    (PATHS + '[serve]\ntimezone = "Beijing"\n', "serve.timezone", "“Beijing”不是已知的时区名称"),
    (PATHS + "[serve]\ntimezone = 8\n", "serve.timezone", "应是时区名称"),
    (PATHS + '[limits]\nparse_timeout = "60"\n', "limits.parse_timeout", '应是数字，实为文字 "60"'),
    (PATHS + "[limits]\nmax_pages = 0\n", "limits.max_pages", "应不小于 1，实为 0"),
    (PATHS + "[collect]\ndelay = -1\n", "collect.delay", "应不小于 0，实为 -1"),
]


@pytest.mark.parametrize(("text", "setting", "words"), BAD)
def test_every_unusable_file_names_the_setting_and_the_file(tmp_path, text, setting, words):
    path = write(tmp_path, text)
    with pytest.raises(config.ConfigError) as caught:
        config.load(path)
    err = caught.value
    assert (err.path, err.setting) == (path, setting)
    message = str(err)
    assert message.startswith(f"配置文件 {path}" + (f" 中的 {setting}：" if setting else "："))
    assert words in message


def test_toml_mistakes_are_told_in_chinese_and_a_byte_order_mark_is_fine(tmp_path):
    cases = {
        "county = 汤旺县\n": "第 1 行第 10 列不符合 TOML 格式（值写得不对）。",
        'county = "汤旺县\n': "第 1 行第 14 列不符合 TOML 格式（有不允许的字符，可能是引号没有配对）。",
        'county = "a"\ncounty = "b"\n': "第 2 行第 13 列不符合 TOML 格式（同一设置写了两次）。",
        "[paths]\ntownships\n": "第 2 行第 10 列不符合 TOML 格式（设置名后面应有 =）。",
    }
    for text, said in cases.items():
        with pytest.raises(config.ConfigError) as err:
            config.load(write(tmp_path, text))
        shown = str(err.value).replace(str(tmp_path / config.CONFIG_NAME), "")
        assert said in shown and re.findall(r"[A-Za-z]{3,}", shown) == ["TOML", "county"]  # the example setting
    # Windows Notepad's "UTF-8 with BOM"
    (tmp_path / config.CONFIG_NAME).write_bytes(('county = "汤旺县"\n' + PATHS).encode("utf-8-sig"))
    assert config.load(tmp_path / config.CONFIG_NAME).county == "汤旺县"


def test_a_file_that_is_missing_or_not_utf8_says_so(tmp_path):
    with pytest.raises(config.ConfigError, match=r"没有\.toml：文件不存在（可用 gongkai init 建立县区文件夹）"):
        config.load(tmp_path / "没有.toml")
    path = tmp_path / config.CONFIG_NAME
    path.write_bytes('county = "汤旺县"\n'.encode("gb18030"))
    with pytest.raises(config.ConfigError, match="不是 UTF-8 编码的文本"):
        config.load(path)


def test_cron_check_agrees_with_prefects_schedules():
    """What the file accepts, Prefect schedules; what Prefect refuses, the file refuses first (it is stricter
    only on croniter's sixth field, seconds, which a nightly run has no use for)."""
    from prefect.client.schemas.schedules import CronSchedule

    accepted = ["0 2 * * *", "*/15 * * * *", "0 2 * * 1-5", "30 1 1,15 * *", "0 0 * jan,jul sun", "0 3 * * 7"]
    accepted += ["0 22 * * fri-mon", "@daily"]
    refused = ["0 25 * * *", "61 * * * *", "* * 0 * *", "0 2 * * 8", "0 2 * *", "0 2 * * mon-xyz", "*/0 * * * *"]
    refused += ["*/ * * * *", "0 2 * * ²", "0 ²/2 * * *"]  # no step; a digit that is not ASCII
    assert schedule.cron_problem("0 2 * * * *") == "应有 5 项（分 时 日 月 周，用空格分开），实有 6 项。"
    for expr in accepted:
        assert schedule.cron_problem(expr) is None, expr
        CronSchedule(cron=expr)
    for expr in refused:
        assert schedule.cron_problem(expr), expr
        with pytest.raises(ValueError):
            CronSchedule(cron=expr)


def test_the_template_comments_every_setting_in_chinese_and_loads(tmp_path):
    text = config.render("汤旺县")
    lines = text.splitlines()
    settings = [i for i, line in enumerate(lines) if re.match(r"^(# )?[a-z_]+ = ", line)]
    assert len(settings) == 1 + 4 + 2 + 3 + len(options.OPTIONS)  # county, paths, run, serve, limits
    for i in settings:
        assert re.match(r"^# .*[\u4e00-\u9fff]", lines[i - 1]), lines[i]
    s = config.load(write(tmp_path, text))
    assert s.county == "汤旺县" and s.db == tmp_path / "gongkai.duckdb" and s.inbox == tmp_path / "inbox"
    assert dict(s.limits) == {}  # limits stay commented out: the program's defaults apply
    # A county name a TOML string must escape is written so that it reads back as given.
    assert config.load(write(tmp_path, config.render('汤旺"县\\'))).county == '汤旺"县\\'
    assert config.load(write(tmp_path, config.render(None))).county is None


def test_the_templates_limits_are_the_programs_defaults_and_reach_it(tmp_path):
    """Uncommented as they stand, the template's limits change nothing; set, they reach the typed limits
    the run is given, and an environment variable is the more specific."""
    from gongkai.options import CollectSettings, Limits

    text = re.sub(r"^# ([a-z_]+ = )", r"\1", config.render(None), flags=re.M)
    text = text.replace('county = "汤旺县"', "")  # the commented example county: no county given
    s = config.load(write(tmp_path, text))
    assert set(s.limits) == {o.name for o in options.OPTIONS}
    assert options.resolve(s.limits, {})[:2] == (Limits(), CollectSettings())
    s = config.load(
        write(tmp_path, PATHS + "[limits]\nparse_timeout = 90\nocr_memory_mb = 2048\n[collect]\nretries = 5\n")
    )
    limits, pace, _ = options.resolve(s.limits, {})
    assert (limits.seconds, limits.ocr_memory_mb, pace.retries) == (90.0, 2048, 5)
    limits, pace, _ = options.resolve(s.limits, {"GONGKAI_PARSE_TIMEOUT": "120", "GONGKAI_MAX_MB": "10"})
    assert (limits.seconds, limits.max_mb, pace.max_mb, pace.retries) == (120.0, 10.0, 10.0, 5)


@pytest.mark.parametrize(
    ("variable", "text", "words"),
    [
        ("GONGKAI_PARSE_TIMEOUT", "abc", "应是数字，实为“abc”"),
        ("GONGKAI_FETCH_DELAY", "abc", "应是数字，实为“abc”"),  # once silently ignored
        ("GONGKAI_MAX_PAGES", "1.5", "应是整数，实为“1.5”"),
        ("GONGKAI_FETCH_RETRIES", "-1", "应不小于 0，实为 -1"),
    ],
)
def test_an_unusable_environment_variable_is_refused_as_a_files_setting_is(variable, text, words):
    with pytest.raises(options.OptionError) as caught:
        options.resolve({}, {variable: text})
    assert str(caught.value).startswith(f"环境变量 {variable}（") and words in str(caught.value)


def test_a_run_with_an_unusable_variable_starts_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _cli(capsys, "init", "示例县")
    monkeypatch.setenv("GONGKAI_FETCH_DELAY", "abc")
    code, _, err = _cli(capsys, "--config", str(tmp_path / "示例县"), "run")
    assert code == 2
    assert err == "环境变量 GONGKAI_FETCH_DELAY（同一网站两次请求的间隔，单位秒）应是数字，实为“abc”。\n"
    assert not (tmp_path / "示例县" / "gongkai.duckdb").exists()


def _args(**given) -> argparse.Namespace:
    names = ("config", "inbox", "townships", "db", "out", "workers", "batch_size", "cron", "port")
    return argparse.Namespace(**{n: given.get(n) for n in names})


def test_resolve_takes_the_command_line_over_the_file_over_the_defaults(tmp_path, monkeypatch):
    county = tmp_path / "汤旺县"
    write(county, PATHS + "[run]\nworkers = 6\n[limits]\nparse_timeout = 90\n[collect]\ndelay = 0.5\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    env["GONGKAI_FETCH_DELAY"] = "3"  # the environment, more specific, wins over the file
    monkeypatch.setattr(os, "environ", env)
    monkeypatch.chdir(county)
    args = _args(db=tmp_path / "other.duckdb", batch_size=7)
    settings = resolve(args, ("inbox", "townships", "db", "out"), ("workers", "batch_size", "cron"), True)
    assert settings is not None and settings.county is None
    assert args.db == tmp_path / "other.duckdb"  # given: kept
    assert (args.inbox, args.out) == (county / "inbox", county / "dashboard")  # from the file
    assert (args.workers, args.batch_size, args.cron) == (6, 7, "0 2 * * *")
    assert args.from_config == {"inbox", "townships", "out", "workers", "cron"}
    assert (args.limits.seconds, args.pace.delay) == (90.0, 3.0)  # from the file; the variable's
    assert "GONGKAI_PARSE_TIMEOUT" not in env  # resolved here, not handed down through the environment

    monkeypatch.chdir(tmp_path)  # no config here: the defaults, and a path nobody gave is missing
    args = _args(inbox=tmp_path / "inbox")
    with pytest.raises(MissingSetting) as caught:
        resolve(args, ("inbox", "townships", "db", "out"), ("workers",))
    assert str(caught.value).startswith(
        "缺少 --townships、--db、--out（乡镇名册、数据仓库文件、输出文件夹）：请在命令行给出，"
        "或在 gongkai.toml 中设置 paths.townships、paths.db、paths.out。"
        f"当前文件夹 {tmp_path} 中没有 gongkai.toml"
    )
    args = _args(inbox=tmp_path / "i", townships=tmp_path / "t", db=tmp_path / "d", out=tmp_path / "o")
    assert resolve(args, ("inbox", "townships", "db", "out"), ("workers", "batch_size")) is None
    assert (args.workers, args.batch_size, args.from_config) == (2, 0, set())


def _warehouse(path: Path, names: list[str]) -> None:
    register = path.with_suffix(".csv")
    register.write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
    with warehouse.open_warehouse(path) as con:
        warehouse.load_townships(con, register)


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_analyst_commands_in_a_county_folder_need_no_db_and_a_flag_overrides_it(tmp_path, monkeypatch, capsys):
    county = tmp_path / "汤旺县"
    write(county, 'county = "汤旺县"\n' + PATHS)
    _warehouse(county / "gongkai.duckdb", ["汤旺河镇", "东风镇"])
    _warehouse(tmp_path / "other.duckdb", ["青山乡"])
    query = "select name from townships order by name"
    monkeypatch.chdir(county)
    code, out, _ = _cli(capsys, "sql", query, "--format", "csv")
    assert (code, out) == (0, "name\n东风镇\n汤旺河镇\n")
    code, out, _ = _cli(capsys, "sql", query, "--format", "csv", "--db", tmp_path / "other.duckdb")
    assert (code, out) == (0, "name\n青山乡\n")
    code, out, _ = _cli(capsys, "flags")
    assert (code, out) == (0, "没有待处理的问题。\n")
    code, out, _ = _cli(capsys, "rejected")
    assert (code, out) == (0, "没有被拒收的文件。\n")
    # From elsewhere, --config names the file, or the county folder holding it.
    monkeypatch.chdir(tmp_path)
    for given in (county / config.CONFIG_NAME, county):
        code, out, _ = _cli(capsys, "sql", query, "--format", "csv", "--config", given)
        assert (code, out) == (0, "name\n东风镇\n汤旺河镇\n")
        code, out, _ = _cli(capsys, "--config", given, "sql", query, "--format", "csv")  # before the command
        assert (code, out) == (0, "name\n东风镇\n汤旺河镇\n")
    # given twice, the one after the command wins (it is the command's own)
    write(tmp_path / "other", 'county = "其他县"\n' + PATHS.replace("gongkai.duckdb", "../other.duckdb"))
    code, out, _ = _cli(capsys, "--config", county, "sql", query, "--format", "csv", "--config", tmp_path / "other")
    assert (code, out) == (0, "name\n青山乡\n")


def test_without_a_config_a_missing_db_is_named_and_nothing_starts(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for command in (["flags"], ["sql", "select 1"], ["rejected"], ["review", "F1", "--dismiss"]):
        code, out, err = _cli(capsys, *command)
        assert code == 2 and out == ""
        assert err.startswith("缺少 --db（数据仓库文件）：请在命令行给出，或在 gongkai.toml 中设置 paths.db。")
    code, _, err = _cli(capsys, "run", "--inbox", tmp_path)
    assert code == 2 and err.startswith("缺少 --townships、--db、--out（乡镇名册、数据仓库文件、输出文件夹）")
    code, _, err = _cli(capsys, "collect", "--inbox", tmp_path)
    assert code == 2 and err.startswith("缺少 --townships（乡镇名册）")


def test_a_broken_config_stops_every_command_naming_setting_and_file(tmp_path, monkeypatch, capsys):
    path = write(tmp_path, PATHS + "[run]\nworkers = 0\n")
    (tmp_path / "inbox").mkdir()
    monkeypatch.chdir(tmp_path)
    for command in (["flags"], ["sql", "select 1", "--db", tmp_path / "x.duckdb"], ["run"], ["serve"], ["collect"]):
        code, out, err = _cli(capsys, *command)
        assert (code, out) == (2, "")
        assert err == f"配置文件 {path} 中的 run.workers：应不小于 1，实为 0。\n"
    assert not (tmp_path / "gongkai.duckdb").exists() and not (tmp_path / "x.duckdb").exists()


def test_wrong_paths_and_a_wrong_cron_name_the_setting_they_came_from(tmp_path, monkeypatch, capsys):
    path = write(tmp_path, PATHS)
    monkeypatch.chdir(tmp_path)
    code, _, err = _cli(capsys, "run")
    assert code == 2
    assert err == f"找不到收件文件夹：{tmp_path / 'inbox'}（{path} 中的 paths.inbox）\n"
    code, _, err = _cli(capsys, "flags")
    assert code == 2
    assert err == (
        f"找不到数据仓库文件：{tmp_path / 'gongkai.duckdb'}（{path} 中的 paths.db）。还没有运行过 gongkai run 吗？\n"
    )
    code, _, err = _cli(capsys, "serve", "--cron", "0 2 * * mon-xyz")
    assert code == 2 and err.startswith("运行计划“0 2 * * mon-xyz”（--cron）不是有效的 cron 计划：星期一项")


def test_a_register_saved_as_gbk_reads_as_saved_as_utf8(tmp_path):
    text = "name,aliases,code\n汤旺河镇,汤旺河镇人民政府;汤旺县汤旺河镇,230717100000\n东风镇,,230717101000\n"
    (tmp_path / "utf8.csv").write_text(text, encoding="utf-8-sig")
    (tmp_path / "gbk.csv").write_bytes(text.encode("gbk"))
    from gongkai.domain.register import read_register

    gbk = read_register(tmp_path / "gbk.csv")
    assert gbk == read_register(tmp_path / "utf8.csv")
    assert [(t.name, t.aliases, t.code) for t in gbk] == [
        ("汤旺河镇", ("汤旺河镇人民政府", "汤旺县汤旺河镇"), "230717100000"),
        ("东风镇", (), "230717101000"),
    ]


def test_a_registers_hash_lines_are_comments(tmp_path):
    from gongkai.domain.register import read_register

    csv_path = tmp_path / "townships.csv"
    csv_path.write_text("name,aliases,code\n# 示例\n#汤旺河镇,汤旺河镇人民政府,1\n东风镇,,2\n", encoding="utf-8")
    assert [(t.name, t.code) for t in read_register(csv_path)] == [("东风镇", "2")]


def test_the_demo_county_folder_keeps_the_demos_paths(tmp_path):
    """`make demo` leaves out/demo-county/ as a county folder whose file points where the demo always wrote."""
    from gongkai.commands.run import _demo_config

    s = config.load(write(tmp_path / "out" / "demo-county", _demo_config()))
    county = tmp_path / "out" / "demo-county"
    assert (s.county, s.townships, s.inbox) == ("汤旺县", county / "townships-web.csv", county / "inbox")
    assert (s.db, s.out) == (tmp_path / "out" / "gongkai.duckdb", tmp_path / "out" / "dashboard")
    assert dict(s.limits) == {"collect.delay": 0.05}  # loopback needs no 1 s pause


def test_run_on_a_register_in_no_known_encoding_says_so_and_starts_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _cli(capsys, "init", "示例县")
    register = tmp_path / "示例县" / "townships.csv"
    register.write_bytes(b"name\n\xff\x80\n")
    monkeypatch.chdir(tmp_path / "示例县")
    code, out, err = _cli(capsys, "run")
    assert (code, out) == (2, "")
    assert err == (
        f"乡镇名册 {register}（{tmp_path / '示例县' / 'gongkai.toml'} 中的 paths.townships）既不是 UTF-8 也不是 GBK "
        "编码：请用 Excel 或 WPS“另存为” CSV UTF-8，再运行。\n"
    )
    assert not (tmp_path / "示例县" / "gongkai.duckdb").exists()


def test_serve_asks_prefect_last_about_the_schedule():
    from gongkai.commands.run import _prefect_cron_problem

    assert _prefect_cron_problem("0 2 * * *") is None and _prefect_cron_problem("0 2 * * 1#1") is None
    assert _prefect_cron_problem("0 2 * * * * * *") == "Prefect 不接受这个计划，请按“分 时 日 月 周”写，如“0 2 * * *”。"


def test_config_before_a_command_that_reads_none_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(tmp_path), "parse", str(tmp_path / "r.pdf")])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.endswith("gongkai：错误：gongkai parse 不读取配置文件，--config 对它无效\n")
