"""argparse speaking Chinese, through its public extension points only.

argparse's own words come from three places, each replaced where argparse lets a program replace it:

- the usage prefix (``usage:``): a ``HelpFormatter`` subclass gives ``add_usage`` the prefix 用法：
  (``prefix`` is the parameter argparse itself uses to pass another prefix, or none). argparse calls a
  formatter's methods an implementation detail; this one's signature has not changed since Python 2.7,
  and tests/test_help.py fails should the prefix ever stop applying;
- the section titles (``positional arguments``, ``options``) and ``-h``'s help: the parser is built
  without argparse's help option (``add_help=False``), adds its own (``action="help"``), and puts every
  argument in argument groups titled 参数 and 选项 (``add_argument_group``), so argparse's default
  groups stay empty and are never printed;
- error messages: ``ArgumentParser.error``, documented as the method to override, translates the
  message argparse hands it, keeping the argument names, and prints it after the Chinese usage.

Nothing assigns to argparse's module, patches its internals or reads its private attributes.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

USAGE_PREFIX = "用法："
POSITIONALS_TITLE = "参数"
OPTIONALS_TITLE = "选项"
COMMANDS_TITLE = "命令"
HELP_HELP = "显示本帮助并退出"
VERSION_HELP = "显示版本号并退出"


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with the usage line prefixed 用法：."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        # argparse passes a prefix only to ask for none ('' when it builds a subcommand's prog).
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and error messages are Chinese. Subcommand parsers are of the same
    class (argparse's default ``parser_class`` is the parent's class) and so are Chinese too."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._zh_groups: dict[str, Any] = {}  # title -> argument group
        self.subcommands: argparse.Action | None = None  # the action add_subparsers made, if any
        self._zh_group(POSITIONALS_TITLE)  # groups print in order of creation; an empty one not at all
        if add_help:
            self.add_help_option()

    def add_help_option(self) -> None:
        """``-h/--help`` with Chinese help; called by the constructor unless ``add_help=False`` (the main
        parser adds it after its commands, so that the command list comes first in its help)."""
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_HELP)

    def _zh_group(self, title: str) -> Any:  # an argument group
        if title not in self._zh_groups:
            self._zh_groups[title] = self.add_argument_group(title)
        return self._zh_groups[title]

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        # An option starts with a prefix character; anything else (a name, or only dest=) is positional.
        optional = bool(args) and bool(args[0]) and args[0][0] in self.prefix_chars
        return self._zh_group(OPTIONALS_TITLE if optional else POSITIONALS_TITLE).add_argument(*args, **kwargs)

    def add_mutually_exclusive_group(self, **kwargs: Any):  # -> argparse._MutuallyExclusiveGroup
        # Documented: a mutually exclusive group may be added to an argument group, which gives its
        # options the 选项 title.
        return self._zh_group(OPTIONALS_TITLE).add_mutually_exclusive_group(**kwargs)

    def add_subparsers(self, **kwargs: Any):  # -> argparse._SubParsersAction
        kwargs.setdefault("title", COMMANDS_TITLE)
        # Kept so that the command tree can be walked (its `choices` map each name to its parser).
        self.subcommands = super().add_subparsers(**kwargs)
        return self.subcommands

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate_error(message)}\n")


# argparse's error messages (Python 3.11 to 3.14) and their Chinese; names of arguments, options and
# values are carried over as they are. A message ending in an argument's own ArgumentTypeError text
# (already Chinese) passes through.
_VALUE = r"(?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\S+)"
_TYPE_NAMES = {"int": "整数", "float": "数字"}


def _value(text: str) -> str:
    """A value as argparse quoted it (with repr), unquoted."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def _choices(text: str) -> str:
    return "、".join(_value(c.strip()) for c in text.split(", "))


def _invalid_type(m: re.Match[str]) -> str:
    kind = _TYPE_NAMES.get(m["type"])
    value = _value(m["value"])
    return f"“{value}”不是{kind}" if kind else f"值“{value}”无效"


_MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"the following arguments are required: (?P<names>.+)"), lambda m: f"缺少必需的参数：{m['names']}"),
    (re.compile(r"one of the arguments (?P<names>.+) is required"), lambda m: f"以下参数必须给出一个：{m['names']}"),
    (re.compile(r"unrecognized arguments: (?P<args>.*)"), lambda m: f"无法识别的参数：{m['args']}"),
    (
        re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)"),
        lambda m: f"选项 {m['option']} 不明确，可能是：{m['matches']}",
    ),
    (re.compile(r"unexpected option string: (?P<option>.+)"), lambda m: f"意外的选项：{m['option']}"),
    (re.compile(r"not allowed with argument (?P<other>.+)"), lambda m: f"不能与 {m['other']} 同时使用"),
    (re.compile(r"ignored explicit argument " + _VALUE), lambda m: f"不接受值，却给了“{_value(m['value'])}”"),
    (re.compile(r"expected one argument"), lambda m: "需要一个值"),
    (re.compile(r"expected at most one argument"), lambda m: "最多只能给一个值"),
    (re.compile(r"expected at least one argument"), lambda m: "至少需要一个值"),
    (re.compile(r"expected (?P<n>\d+) arguments?"), lambda m: f"需要 {m['n']} 个值"),
    (re.compile(r"invalid (?P<type>\S+) value: " + _VALUE), _invalid_type),
    (
        # Python 3.14 may add ", maybe you meant 'x'?" before the choices: the choices say it already.
        re.compile(r"invalid choice: " + _VALUE + r"(?:, maybe you meant .+?\?)? \(choose from (?P<choices>.*)\)"),
        lambda m: f"“{_value(m['value'])}”不是可选的值（可选：{_choices(m['choices'])}）",
    ),
    (
        re.compile(r"unknown parser " + _VALUE + r" \(choices: (?P<choices>.*)\)"),
        lambda m: f"没有命令“{_value(m['value'])}”（可用的命令：{_choices(m['choices'])}）",
    ),
]
_ARGUMENT = re.compile(r"argument (?P<name>.+?): (?P<message>.+)", re.DOTALL)


def translate_error(message: str) -> str:
    """argparse's English error message in Chinese, keeping the names of arguments and values."""
    m = _ARGUMENT.fullmatch(message)
    if m:
        return f"参数 {m['name']}：{translate_error(m['message'])}"
    for pattern, chinese in _MESSAGES:
        m = pattern.fullmatch(message)
        if m:
            return chinese(m)
    return message  # a message of the program's own (ArgumentTypeError), already Chinese
