"""`gongkai init [目录] [--county 县区] [--yes]`: make a county folder (gongkai.toml, townships.csv, inbox/).

In a folder that already holds reports, the bodies their titles name are drafted into a register, shown,
and written only when the analyst says so: nothing is guessed silently.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from gongkai import config, options
from gongkai.options import Limits

REGISTER = "townships.csv"
DRAFT = "townships.draft.csv"
INBOX = "inbox"
HEADER = ("name", "aliases", "code", "url", "link_pattern")  # as parsers/register.py reads it
# `#` lines are comments to the register reader: the examples show the columns and never become townships.
EXAMPLE_LINES = (
    "# 示例（# 开头的行不读入）：每个乡镇（街道）一行。name 填名称；aliases 填报告标题中的其他叫法，用 ; 分开；"
    "code 填区划代码；url 填该乡镇网站的年报栏目，不从网站采集可以空着。",
    "#汤旺河镇,汤旺河镇人民政府,230717100000,,",
    "#东风镇,,230717101000,http://www.tangwang.gov.cn/dfz/xxgk/ndbg/index.html,",
)
COUNTY_SUFFIXES = ("县", "区", "市", "旗")  # a folder named like a county names its county


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="建立县区文件夹：配置文件 gongkai.toml、乡镇名册 townships.csv 和收件文件夹 inbox/",
        description=(
            "建立一个县区文件夹：gongkai.toml（各项设置，均有中文说明）、townships.csv（乡镇名册，只有表头和两行示例）"
            "和 inbox/（收件文件夹）。此后在该文件夹中运行 gongkai run、gongkai flags 等命令不必再给路径。"
            "文件夹中已有年度报告时，按报告标题中的机关名称起草乡镇名册，经确认后才写入。"
        ),
    )
    p.add_argument(
        "folder",
        type=Path,
        nargs="?",
        default=Path("."),
        metavar="目录",
        help="要建立的县区文件夹（不存在则新建；默认当前文件夹）",
    )
    p.add_argument(
        "--county", metavar="县区", help="县区名称，如 汤旺县（不给时，文件夹名以县、区、市、旗结尾则取文件夹名）"
    )
    p.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help="不询问：把从报告标题起草的乡镇名册直接写入 townships.csv（供脚本使用）",
    )
    p.set_defaults(handler=run)


Title = tuple[str, str, int]  # (body, body as printed, year)


@dataclass
class Body:
    """A body some reports' titles name, as the draft register lists it."""

    name: str
    printed: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    files: int = 0


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    toml = folder / config.CONFIG_NAME
    if toml.exists():
        print(f"{toml} 已经存在，不会覆盖它。要重新建立，请先把它改名或删除。", file=sys.stderr)
        return 2
    if folder.exists() and not folder.is_dir():
        print(f"{folder} 是一个文件，不是文件夹。", file=sys.stderr)
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    given = (args.county or "").strip()
    county = given or _county_from_name(folder)

    found = _candidates(folder)
    # Titles first: the inbox is where the files that are reports lie, not where any PDF or page lies.
    try:
        limits, _, _ = options.resolve({}, os.environ)  # no county folder yet: the defaults, or the environment's
    except options.OptionError as err:
        print(str(err), file=sys.stderr)
        return 2
    titles = _titles(folder, found, limits) if found else {}
    reports = [p for p in found if not isinstance(titles[p], str)]
    inbox = _inbox_for(folder, reports)
    (folder / inbox).mkdir(parents=True, exist_ok=True)
    register_note, draft_pending = _write_register(folder, found, titles, args.yes)
    toml.write_text(config.render(county, inbox=inbox), encoding="utf-8")

    here = folder.resolve() == Path.cwd().resolve()
    in_inbox = [p for p in found if _under(p, folder / inbox)]
    print(f"已建立县区文件夹 {Path.cwd()}（当前文件夹）：" if here else f"已建立县区文件夹 {folder}：")
    print(f"  {config.CONFIG_NAME}  各项设置（每项都有中文说明，可直接编辑）")
    print(f"  {REGISTER}  {register_note}")
    print(f"  {inbox}/  收件文件夹" + (f"（已有 {len(in_inbox)} 份报告文件）" if in_inbox else ""))
    if not given:
        if county:
            print(f"县区名称取自文件夹名：{county}（可在 {config.CONFIG_NAME} 中修改 county 一项）。")
        else:
            print(f"没有给出县区名称（--county）：{config.CONFIG_NAME} 中的 county 一项留待填写。")
    strays = [p for p in reports if not _under(p, folder / inbox)]
    if strays:
        print(
            f"注意：有 {len(strays)} 份报告不在收件文件夹 {inbox}/ 中（如 {strays[0].relative_to(folder)}），"
            f"gongkai run 只读 {inbox}/：请把它们移进去。"
        )
    where = "" if here else f"cd {folder} && "
    steps = [] if in_inbox or strays else [f"把各乡镇的年度报告（PDF、网页、Word）放进 {folder / inbox}/"]
    if draft_pending:
        steps.append(f"核对 {folder / DRAFT}，改名为 {REGISTER}（替换只有示例的那份）")
    else:
        steps.append(f"核对 {folder / REGISTER}：每个乡镇（街道）一行")
    steps.append(f"{where}gongkai run")
    print("下一步：")
    for i, step in enumerate(steps, 1):
        print(f"  {i}. {step}")
    return 0


def _county_from_name(folder: Path) -> str | None:
    name = folder.resolve().name
    return name if len(name) >= 2 and name.endswith(COUNTY_SUFFIXES) else None


def _under(path: Path, folder: Path) -> bool:
    return folder.resolve() in path.resolve().parents


# What a dashboard folder holds (dashboards/build.py): a county's folder carries this mark, and every
# dashboard has its index.html beside a charts/ folder. Its pages and charts are the run's output, not reports.
DASHBOARD_MARK = ".gongkai-county"


def _is_dashboard(folder: Path) -> bool:
    return (
        folder.name == config.DEFAULT_OUT  # a county folder's dashboards, by default
        or (folder / DASHBOARD_MARK).is_file()
        or ((folder / "index.html").is_file() and (folder / "charts").is_dir())
    )


def _candidates(folder: Path) -> list[Path]:
    """The files in the folder that may be reports, as the run would see them, but for dashboards' folders."""
    from gongkai.parsers.sources import input_files

    return input_files(folder, skip=_is_dashboard)


def _inbox_for(folder: Path, reports: list[Path]) -> str:
    """The inbox: the one subfolder holding every file whose title was read as a report's (an analyst's
    报告/), else inbox/."""
    tops = {p.relative_to(folder).parts[0] if len(p.relative_to(folder).parts) > 1 else None for p in reports}
    if len(tops) == 1 and None not in tops:
        return tops.pop()
    return INBOX


def _write_register(folder: Path, found: list[Path], titles: dict[Path, Title | str], yes: bool) -> tuple[str, bool]:
    """Write townships.csv (or keep the one there) and, from the reports' titles, a draft register where the
    analyst agrees to it. Returns what the register now is, for the summary, and whether a draft waits in
    townships.draft.csv to be checked and renamed."""
    target = folder / REGISTER
    bodies, unreadable = _bodies(folder, found, titles)
    if found:
        _show_draft(bodies, unreadable, len(found))
    if target.exists():
        if bodies:
            (folder / DRAFT).write_text(_draft_csv(bodies, len(found) - len(unreadable)), encoding="utf-8-sig")
            return f"乡镇名册（已有，未改动；按报告标题起草的名册写入了 {DRAFT}，供对照）", False
        return "乡镇名册（已有，未改动）", False
    if bodies and (yes or _confirmed()):
        target.write_text(_draft_csv(bodies, len(found) - len(unreadable)), encoding="utf-8-sig")
        return f"乡镇名册：按报告标题起草的 {len(bodies)} 个乡镇，请核对", False
    # UTF-8 with a byte-order mark: Excel and WPS on Windows then open the Chinese correctly.
    target.write_text(",".join(HEADER) + "\n" + "\n".join(EXAMPLE_LINES) + "\n", encoding="utf-8-sig")
    if bodies and not sys.stdin.isatty():
        (folder / DRAFT).write_text(_draft_csv(bodies, len(found) - len(unreadable)), encoding="utf-8-sig")
        print(
            f"没有终端可以确认（加 --yes 可直接采用）：起草的名册写入了 {folder / DRAFT}，"
            f"核对后改名为 {REGISTER} 即可使用。"
        )
        return f"乡镇名册：只有表头和两行示例（起草的名册在 {DRAFT}）", True
    if bodies:
        return "乡镇名册：未采用起草的名册，只有表头和两行示例，请填写", False
    return "乡镇名册：只有表头和两行示例（# 开头，不读入），请填写", False


def _confirmed() -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        answer = input(f"把这份草稿写入 {REGISTER}？[y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", "是")


def _titles(folder: Path, paths: list[Path], limits: Limits) -> dict[Path, Title | str]:
    """Each file's title, or the reason it could not be read, parsed as the run parses: in forked children
    under the run's time and memory limits (parsers/isolation.py), so that a file that hangs the parser or
    kills it is a PARSE_TIMEOUT here and init goes on. A child per core, each taking every n-th file."""
    from concurrent.futures import ThreadPoolExecutor

    from gongkai.parsers.isolation import parse_files

    print(f"正在读取 {len(paths)} 份文件的标题，起草乡镇名册……", file=sys.stderr)
    workers = max(1, min(os.cpu_count() or 1, len(paths)))

    def read(share: list[Path]) -> list[tuple[Path, Title | str]]:
        # The run's own parsing of a batch: a file too large or too long is TOO_LARGE, as the run refuses it.
        # No digests: init keeps nothing.
        parsed = parse_files([(str(p), "") for p in share], limits)
        return [
            (
                Path(p.source_file),
                p.reason if p.report is None else (p.report.body, p.report.body_full_name, p.report.year),
            )
            for p in parsed
        ]

    # Threads only wait on their children (which do the parsing), so a thread per child is enough.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        shares = pool.map(read, [paths[i::workers] for i in range(workers)])
        return {path: result for share in shares for path, result in share}


def _bodies(
    folder: Path, found: list[Path], titles: dict[Path, Title | str]
) -> tuple[dict[str, Body], list[tuple[Path, str]]]:
    """The bodies the reports' titles name, and the files whose titles could not be read, with why."""
    bodies: dict[str, Body] = defaultdict(lambda: Body(""))
    unreadable = []
    for path in found:
        result = titles[path]
        if isinstance(result, str):
            unreadable.append((path.relative_to(folder), result))
            continue
        name, printed, year = result
        body = bodies[name]
        body.name = name
        body.printed.add(printed)
        body.years.add(year)
        body.files += 1
    return dict(sorted(bodies.items())), unreadable


def _years(years: set[int]) -> str:
    ordered = sorted(years)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{ordered[0]}–{ordered[-1]}"
    return "、".join(str(y) for y in ordered)


def _show_draft(bodies: dict[str, Body], unreadable: list[tuple[Path, str]], total: int) -> None:
    from gongkai.commands.output import print_rows

    if bodies:
        print(f"从 {total - len(unreadable)} 份报告的标题中找到 {len(bodies)} 个机关，起草的乡镇名册如下：")
        rows = [(b.name, b.files, _years(b.years), "、".join(sorted(b.printed))) for b in bodies.values()]
        print_rows(["名称", "报告份数", "年度", "标题中印为"], rows)
    else:
        print(f"{total} 份文件的标题都没能读出，无从起草乡镇名册。")
    if unreadable:
        print(f"未能读出标题的文件 {len(unreadable)} 个（gongkai parse 文件名 可看原因）：")
        for path, reason in unreadable[:5]:
            print(f"  {path}  [{reason}]")
        if len(unreadable) > 5:
            print(f"  ……共 {len(unreadable)} 个")


def _draft_csv(bodies: dict[str, Body], total: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    out.write(
        f"# 由 gongkai init 按 {total} 份报告的标题起草：请核对名称；同一乡镇的不同叫法合为一行"
        "（其他叫法写入 aliases）；code、url 可以补上\n"
    )
    for body in bodies.values():
        writer.writerow((body.name, "", "", "", ""))
    return out.getvalue()
