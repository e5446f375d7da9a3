"""What a run may spend parsing a file (`Limits`), how politely it collects (`CollectSettings`) and how
alike two years' prose may be before it counts as copied (`CheckSettings`): typed,
each default written once, and the one declaration (`OPTIONS`) of how gongkai.toml and the environment set
them, with bounds and Chinese help. The command line resolves them once (`resolve`), from the defaults <
gongkai.toml < environment; everything below receives the typed objects as arguments, and the flow takes
them as parameters (so a run in Prefect's UI shows what it was allowed).

A leaf: it imports nothing of the project, and every room may import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from importlib.metadata import PackageNotFoundError, version

# How many processes parse at once, and how many files a parse task takes (0: chosen by the inbox's size).
DEFAULT_WORKERS = 2
DEFAULT_BATCH_SIZE = 0


@dataclass(frozen=True)
class Limits:
    seconds: float = 60.0
    memory_mb: int = 1024  # on top of what the process already maps
    # An annual report is a few hundred KB and under twenty pages; far more is something else.
    max_mb: float = 50.0
    max_pages: int = 60
    # A page read by OCR (a scan) takes 5-15 s on one core and about 2 GB of address space at its peak:
    # a file with such pages gets this much more time per page, and this much more memory.
    ocr_seconds_per_page: float = 30.0
    ocr_memory_mb: int = 3072


def _version() -> str:
    try:
        return version("gongkai")
    except PackageNotFoundError:
        return "dev"


@dataclass(frozen=True)
class CollectSettings:
    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 20.0  # seconds to connect, and between two reads of an answer
    retries: int = 2  # more attempts after a 5xx answer or a timeout
    backoff: float = 2.0  # seconds before the first retry, doubled for each next one
    max_pages: int = 20  # listing pages followed per township
    max_mb: float = 50.0  # a file over this is not saved (the parse limit, limits.max_mb)
    hosts_in_parallel: int = 4  # different hosts are visited at once, each at its own pace
    user_agent: str = f"gongkai/{_version()} (county annual-report collector)"


@dataclass(frozen=True)
class CheckSettings:
    # PROSE_COPIED: two texts whose two-character pieces are this alike (Jaccard index) are one text copied.
    # Copies with new figures score above 0.95, a copy with a few words swapped about 0.92; the same
    # body's parts written anew, in the same stock phrases, measured up to 0.62 in the generated county
    # (0.71 when last year's opening is kept and the rest rewritten) and 0.38-0.47 in the shared real texts.
    prose_similarity: float = 0.85


@dataclass(frozen=True)
class Option:
    """One setting of gongkai.toml and its environment variable, and the fields it sets."""

    name: str  # in gongkai.toml, "limits.parse_timeout"
    variable: str
    targets: tuple[tuple[type, str], ...]  # (Limits, "seconds"), …
    minimum: float
    help: str  # Chinese, for the template and messages
    maximum: float | None = None

    @property
    def default(self) -> float:
        cls, name = self.targets[0]
        return next(f.default for f in fields(cls) if f.name == name)

    @property
    def kind(self) -> type:
        return type(self.default)  # int or float


OPTIONS: tuple[Option, ...] = (
    Option(
        "limits.parse_timeout",
        "GONGKAI_PARSE_TIMEOUT",
        ((Limits, "seconds"),),
        1,
        "解析一份文件的时间上限，单位秒；超过记为 PARSE_TIMEOUT",
    ),
    Option(
        "limits.parse_memory_mb",
        "GONGKAI_PARSE_MEMORY_MB",
        ((Limits, "memory_mb"),),
        64,
        "解析一份文件可多用的内存，单位 MB",
    ),
    Option(
        "limits.max_mb",
        "GONGKAI_MAX_MB",
        ((Limits, "max_mb"), (CollectSettings, "max_mb")),
        0.1,
        "文件大小上限，单位 MB；超过记为 TOO_LARGE，采集时也不下载",
    ),
    Option("limits.max_pages", "GONGKAI_MAX_PAGES", ((Limits, "max_pages"),), 1, "页数上限；超过记为 TOO_LARGE"),
    Option(
        "limits.ocr_seconds_per_page",
        "GONGKAI_OCR_SECONDS_PER_PAGE",
        ((Limits, "ocr_seconds_per_page"),),
        1,
        "扫描件每页文字识别（OCR）额外给的时间，单位秒",
    ),
    Option(
        "limits.ocr_memory_mb",
        "GONGKAI_OCR_MEMORY_MB",
        ((Limits, "ocr_memory_mb"),),
        0,
        "扫描件文字识别额外给的内存，单位 MB",
    ),
    Option("collect.delay", "GONGKAI_FETCH_DELAY", ((CollectSettings, "delay"),), 0, "同一网站两次请求的间隔，单位秒"),
    Option(
        "collect.timeout", "GONGKAI_FETCH_TIMEOUT", ((CollectSettings, "timeout"),), 0.1, "等待网站响应的时间，单位秒"
    ),
    Option(
        "collect.retries",
        "GONGKAI_FETCH_RETRIES",
        ((CollectSettings, "retries"),),
        0,
        "网站出错（5xx）或超时后重试的次数",
    ),
    Option(
        "collect.backoff",
        "GONGKAI_FETCH_BACKOFF",
        ((CollectSettings, "backoff"),),
        0,
        "第一次重试前等待的时间，单位秒，此后每次加倍",
    ),
    Option(
        "collect.max_pages",
        "GONGKAI_FETCH_MAX_PAGES",
        ((CollectSettings, "max_pages"),),
        1,
        "每个乡镇的年报栏目最多翻的页数",
    ),
    Option(
        "checks.prose_similarity",
        "GONGKAI_PROSE_SIMILARITY",
        ((CheckSettings, "prose_similarity"),),
        0.5,
        "“总体情况”或“存在的主要问题及改进情况”与上一年度相似到多少（0.5～1）算照搬（PROSE_COPIED）",
        1.0,
    ),
)
BY_NAME = {o.name: o for o in OPTIONS}


class OptionError(ValueError):
    """A value an option cannot take; `str()` names where it came from and why, in Chinese."""


def bound_problem(option: Option, number: float) -> str | None:
    """Why `number` is out of `option`'s bounds (in Chinese), or None: the one check for every source."""
    if number < option.minimum:
        return f"应不小于 {option.minimum:g}，实为 {number:g}。"
    if option.maximum is not None and number > option.maximum:
        return f"应不大于 {option.maximum:g}，实为 {number:g}。"
    return None


def from_text(option: Option, text: str) -> float:
    """An environment variable's text as `option`'s number, checked as gongkai.toml's are. Raises
    OptionError naming the variable."""
    try:
        number = int(text) if option.kind is int else float(text)
    except ValueError:
        kind = "整数" if option.kind is int else "数字"
        raise OptionError(f"环境变量 {option.variable}（{option.help}）应是{kind}，实为“{text}”。") from None
    why = bound_problem(option, number)
    if why:
        raise OptionError(f"环境变量 {option.variable}（{option.help}）{why}")
    return number


def resolve(
    file_values: Mapping[str, float], environ: Mapping[str, str]
) -> tuple[Limits, CollectSettings, CheckSettings]:
    """The run's limits, collection pace and check settings: the defaults, then what gongkai.toml sets
    (`file_values`, by option name, already checked), then the environment (a variable is the more specific, as for any
    program with a config file). Raises OptionError for a variable that cannot be used."""
    chosen: dict[type, dict[str, float]] = {Limits: {}, CollectSettings: {}, CheckSettings: {}}
    for option in OPTIONS:
        given = file_values.get(option.name)
        text = environ.get(option.variable, "").strip()
        if text:
            given = from_text(option, text)
        if given is not None:
            for cls, name in option.targets:
                chosen[cls][name] = option.kind(given)
    return Limits(**chosen[Limits]), CollectSettings(**chosen[CollectSettings]), CheckSettings(**chosen[CheckSettings])
