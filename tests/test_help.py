"""Every line of `--help` and of every argument error is Chinese, argparse's own words included.

The rule for "Chinese": after taking out what a user types literally, no ASCII word of three letters or
more remains. What a user types literally is: the command names; options (`-h`, `--help`); every token of
the parser's usage line (its metavars and choices: the usage is argparse's own listing of them); the
words of the command line that caused an error (an error quotes them); file names and paths (anything
with a `.` or `/`); environment variables (`GONGKAI_FETCH_DELAY`); text in ASCII double quotes (a command
or query to type; Chinese prose quotes with “”); the register's column names and the warehouse's table
names; and a short list of product and format names.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from gongkai.argparse_zh import translate_error
from gongkai.cli import build_parser, main
from gongkai.domain.register import Township
from gongkai.warehouse.queries import CONTRACT_TABLES

PRODUCT_NAMES = {
    "CSV", "JSON", "PDF", "DuckDB", "Prefect", "Dask", "cron", "URL", "SQL", "OCR", "HTML", "Word", "WPS",
    "Excel", "Parquet", "TOML", "gongkai",
}  # fmt: skip
REGISTER_COLUMNS = {f.name for f in dataclasses.fields(Township)} - {"listed_name"}
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _tree(parser, path=()):
    """(argv prefix, parser) for the main parser and every command and subcommand below it."""
    yield path, parser
    sub = getattr(parser, "subcommands", None)
    if sub is not None:
        for name, child in sub.choices.items():
            yield from _tree(child, (*path, name))


COMMANDS = list(_tree(build_parser()))
COMMAND_NAMES = {name for path, _ in COMMANDS for name in path}


def _literal_words(usage: str, argv=()) -> set[str]:
    words = set(re.findall(r"[A-Za-z][\w-]*", usage, re.A))
    for arg in argv:
        words |= set(re.findall(r"[A-Za-z][\w-]*", arg, re.A))
    return words | COMMAND_NAMES | PRODUCT_NAMES | REGISTER_COLUMNS | set(CONTRACT_TABLES)


def english_left(text: str, literal: set[str]) -> list[str]:
    """The English words of `text` that are not literal input, one entry per offending line."""
    bad = []
    # A command or query to type (help wraps it over lines: taken out of the whole text, keeping lines).
    unquoted = re.sub(r'"[^"]*"', lambda m: " " + "\n" * m[0].count("\n"), text)
    for line, rest in zip(text.splitlines(), unquoted.splitlines(), strict=True):
        rest = re.sub(
            r"(?<![\w-])--?[A-Za-z][\w-]*", " ", rest, flags=re.A
        )  # options (usage shows only the first name)
        rest = re.sub(r"[\w:*-]*(?:[./][\w:*-]*)+", " ", rest, flags=re.A)  # file names, paths, addresses
        rest = re.sub(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", " ", rest, flags=re.A)  # environment variables
        rest = re.sub(r"[A-Za-z][\w-]*", lambda m: " " if m[0] in literal else m[0], rest, flags=re.A)
        if ENGLISH_WORD.search(rest):
            bad.append(line)
    return bad


def _help(path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
        build_parser().parse_args([*path, "--help"])
    assert stop.value.code == 0
    return out.getvalue()


def _error(argv) -> str:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    return err.getvalue()


def test_the_command_tree_is_walked():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"", "parse", "run", "serve", "flags", "review", "sql", "export", "demo-data"} <= names


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=lambda p: " ".join(p) or "gongkai")
def test_help_is_chinese(path):
    parser = dict(COMMANDS)[path]
    text = _help(path)
    assert text.startswith(f"用法：gongkai{''.join(' ' + p for p in path)} ")
    assert "\n选项:\n" in text and "显示本帮助并退出" in text
    if parser.description:
        assert parser.description[:10] in text.replace("\n", "")
    assert english_left(text, _literal_words(parser.format_usage())) == []
    for english in ("usage:", "options:", "positional arguments", "show this help", "subcommands"):
        assert english not in text


def test_main_help_lists_commands_then_options(tmp_path):
    # The console script, as a user runs it.
    script = Path(sys.executable).with_name("gongkai")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "gongkai.cli"]
    out = subprocess.run([*cmd, "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0 and out.stderr == ""
    text = out.stdout
    assert text.startswith("用法：gongkai [-h] [--config FILE] [--version] 命令 ...")
    assert text.index("\n命令:\n") < text.index("\n选项:\n")
    for name in ("parse", "run", "flags", "review", "export"):
        assert re.search(rf"^    {name}\s+\S", text, re.M), name
    assert "--version      显示版本号并退出" in text and "--config FILE  配置文件或县区文件夹" in text
    assert english_left(text, _literal_words(build_parser().format_usage())) == []


def test_version():
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert out.getvalue() == f"gongkai {version('gongkai')}\n"


# (argv, what the error line says, in Chinese, naming the argument)
ERRORS = [
    ([], "缺少必需的参数：命令"),
    (["frobnicate"], "参数 命令：“frobnicate”不是可选的值（可选：init、doctor、parse、collect、run、"),
    (["parse"], "缺少必需的参数：file"),
    (["review", "F1", "--db", "w.duckdb"], "以下参数必须给出一个：--confirm --dismiss --value"),
    (["review", "F1", "--db", "w.duckdb", "--confirm", "--dismiss"], "参数 --dismiss：不能与 --confirm 同时使用"),
    (["flags", "--db", "w.duckdb", "--format", "xml"], "参数 --format：“xml”不是可选的值（可选：table、csv、json）"),
    (["export", "--db", "w.duckdb", "--out", "x", "--format", "doc"], "参数 --format：“doc”不是可选的值"),
    (["parse", "r.pdf", "--bogus"], "无法识别的参数：--bogus"),
    (["flags", "--db", "w.duckdb", "--year", "last"], "参数 --year：“last”不是整数"),
    (["run", "--workers", "many"], "参数 --workers：“many”不是整数"),
    (["review", "F1", "--db", "w.duckdb", "--value", "three"], "参数 --value：“three”不是数字"),
    (["flags", "--db"], "参数 --db：需要一个值"),
    (["parse", "r.pdf", "--json=yes"], "参数 --json：不接受值，却给了“yes”"),
    (["demo-data", "--out", "d", "--s", "3"], "选项 --s 不明确，可能是：--seed, --scans"),
    (["demo-data", "--out", "d", "--years", "lately"], "参数 --years：年度范围应写作 2020-2024：lately"),
]


@pytest.mark.parametrize(("argv", "said"), ERRORS, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_argument_errors_are_chinese(argv, said):
    err = _error(argv)
    usage, _, line = err.rstrip("\n").rpartition("\n")
    assert usage.startswith("用法：gongkai")
    assert re.match(r"gongkai( [\w-]+)?：错误：", line), line
    assert said in line
    assert english_left(err, _literal_words(usage, argv)) == []
    assert "error:" not in err and "usage:" not in err


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        # argparse's wording in later Pythons, and messages no command above provokes
        ("argument --pair: expected 2 arguments", "参数 --pair：需要 2 个值"),
        ("argument --x: expected at most one argument", "参数 --x：最多只能给一个值"),
        ("argument --x: expected at least one argument", "参数 --x：至少需要一个值"),
        ("argument --n: invalid Path value: 'a b'", "参数 --n：值“a b”无效"),
        ("unknown parser 'x' (choices: a, b)", "没有命令“x”（可用的命令：a、b）"),
        ("unexpected option string: --y", "意外的选项：--y"),
        (
            "argument 命令: invalid choice: 'x' (choose from parse, run)",
            "参数 命令：“x”不是可选的值（可选：parse、run）",
        ),
        (
            "argument --f: invalid choice: 'jsn', maybe you meant 'json'? (choose from table, json)",
            "参数 --f：“jsn”不是可选的值（可选：table、json）",
        ),
        ("年度范围应写作 2020-2024：x", "年度范围应写作 2020-2024：x"),
    ],
)
def test_translate_error(english, chinese):
    assert translate_error(english) == chinese


def test_the_rule_finds_english():
    literal = _literal_words("用法：gongkai flags [-h] --db FILE")
    assert english_left("  --db FILE  DuckDB 数据仓库文件", literal) == []
    assert english_left("读取文件。Then 再运行", literal) == ["读取文件。Then 再运行"]
    assert english_left("options:\n  -h, --help  show this help message and exit", literal) == [
        "options:",
        "  -h, --help  show this help message and exit",
    ]
