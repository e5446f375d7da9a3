"""`make bench`: run every benchmark and write BENCHMARKS.md."""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import parse as parse_bench

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"


def corpus_dir(n: int) -> Path:
    target = DATA / f"corpus-{n}"
    if not (target / "reports").is_dir():
        from gongkai.demo.corpus import write_corpus

        write_corpus(target, townships=max(1, n // 5), years=(2020, 2024), seed=7)
    return target


def untidy_dir(n: int) -> Path:
    """A generated county of about `n` reports whose every township writes as real ones do (demo.untidy)."""
    target = DATA / f"untidy-{n}"
    if not (target / "reports").is_dir():
        from gongkai.demo.corpus import write_corpus

        write_corpus(target, townships=max(1, n // 7), years=(2019, 2025), seed=7, untidy=1.0)
    return target


def corpus(n: int) -> list[Path]:
    """A generated corpus of `n` reports of every layout and form (the demo generator), cached in bench-data/."""
    from gongkai.parsers.sources import is_input

    return sorted(p for p in (corpus_dir(n) / "reports").iterdir() if is_input(p))[:n]


def pdfs(files: list[Path]) -> list[Path]:
    return [f for f in files if f.suffix.lower() == ".pdf"]


def _fixed(run: dict) -> float:
    """A run's wall time outside its phases: interpreter, imports, Prefect's ephemeral API, flow run, shutdown."""
    t = run["timings"]
    return run["process_wall"] - t["discover_and_hash"] - t["parse_and_load"] - t["checks"]


def ocr_section(home: Path) -> list[str]:
    from bench import ocr as ocr_bench

    county = ocr_bench.scan_corpus(DATA / "scans-12")
    pages = ocr_bench.per_page(ocr_bench.scans_of(county))
    print(f"ocr: {pages['ratio']:.2f}x the bare recogniser a page", file=sys.stderr)
    return ocr_bench.markdown(pages, ocr_bench.county(county, home))


def ocr_only() -> int:
    """`python -m bench ocr`: the scans section alone, put in place in BENCHMARKS.md."""
    from bench import flow as flow_bench

    home = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    try:
        flow_bench.warm_prefect_home(home)  # Prefect's database made once, as `make bench` has it by then
        section = ocr_section(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    put_section("## Scans (OCR)", section)
    print("wrote the scans section of BENCHMARKS.md", file=sys.stderr)
    return 0


def flow_section(county: Path, home: Path, setup_s: float) -> list[str]:
    """The county run: `gongkai run` one-shot and the served nightly deployment (bench/flow.py)."""
    from bench import flow as flow_bench

    f = flow_bench.measure(county, home, workers=2)
    alone = f["alone"]
    first, rerun = f["first"], f["rerun"]
    sv = f["served"]
    s_first, s_rerun, s_scheduled = sv["first"], sv["rerun"], sv["scheduled"]
    n = first["files_parsed"]
    phases = first["timings"]
    own = s_rerun["timings"]["discover_and_hash"] + s_rerun["timings"]["checks"]
    served_ratio = s_rerun["pending_to_completed"] / s_first["pending_to_completed"]
    print(
        f"county: first {first['process_wall']:.1f} s = {first['process_wall'] / alone:.2f}× alone; "
        f"served rerun {served_ratio:.1%} of the served first run; "
        f"one-shot rerun {rerun['process_wall'] / first['process_wall']:.1%}",
        file=sys.stderr,
    )

    def served_row(label: str, r: dict, target: str = "") -> str:
        ratio = r["pending_to_completed"] / s_first["pending_to_completed"]
        return (
            f"| {label} | {r['pending_to_completed']:.1f} (flow {r['running_to_completed']:.1f}) | "
            f"**{ratio:.1%}** of the deployment's first run | {target} |"
        )

    return [
        "## County run (`gongkai run` and `gongkai serve`, 2 workers)",
        "",
        f"On a generated county of {n} reports. Sum of single-file parse times: **{alone:.1f} s** (each file "
        "parsed on its own, one after another, in one process).",
        "",
        "`gongkai run`, one-shot, dashboards off: each run a fresh process timed from start to exit, with "
        "Prefect's ephemeral API (Prefect starts its server for the run, after the flow is called, and stops "
        "it at exit). The first run and the sum above are each the faster of 2, interleaved (first runs "
        f"{', '.join(f'{x:.1f}' for x in f['firsts'])} s; sums {', '.join(f'{x:.1f}' for x in f['alones'])} s). "
        f"Before these runs, Prefect created its database for the new PREFECT_HOME in {setup_s:.1f} s: once "
        "per installation, not per run.",
        "",
        "| measure | seconds | ratio | target |",
        "|---|---|---|---|",
        f"| first run, wall | {first['process_wall']:.1f} | "
        f"**{first['process_wall'] / alone:.2f}×** the sum of single-file parse times | ≤ 0.65× |",
        f"| of which start and stop: Python, imports, Prefect's ephemeral API and flow run (wall − phases) "
        f"| {_fixed(first):.1f} | | |",
        f"| of which parse and load, overlapped | {phases['parse_and_load']:.1f} | | |",
        f"| DuckDB loading inside that, in the flow's process | {phases['load']:.1f} | "
        f"{phases['load'] / n * 1000:.1f} ms a report | |",
        f"| sum of parse times measured inside the tasks | {first['parse_seconds']:.1f} | "
        f"{first['parse_seconds'] / alone:.2f}× the files parsed alone | |",
        f"| rerun on the unchanged inbox, starting its own ephemeral API, wall | {rerun['process_wall']:.1f} | "
        f"{rerun['process_wall'] / first['process_wall']:.1%} of the first run | (not the deployment) |",
        f"| of which start and stop (wall − phases) | {_fixed(rerun):.1f} | | |",
        f"| `python -c 'import prefect, duckdb, pdfplumber'` | {f['import_startup_s']:.1f} | | |",
        "",
        "The nightly deployment: `gongkai serve` on a free port (it starts `prefect server start`; "
        f"{sv['ready_s']:.1f} s until its deployment was registered), its cron schedule far off, and flow runs "
        "of its deployment triggered through Prefect's client on a fresh warehouse, one after another: the "
        "first run and a rerun on the unchanged inbox with the parameter `dashboards` off, as above, and a "
        "rerun with the deployment's own parameters, as its schedule starts it (dashboards drawn). Each is "
        "timed by the states Prefect recorded for it: from Pending (the served process has taken the run and "
        "starts the process Prefect runs each flow run in) to Completed; in brackets, Running to Completed "
        "(the flow itself). The phases are the run's own summary in the warehouse's `runs` table.",
        "",
        "| measure | seconds | ratio | target |",
        "|---|---|---|---|",
        f"| first run of the deployment | {s_first['pending_to_completed']:.1f} (flow "
        f"{s_first['running_to_completed']:.1f}) | {s_first['pending_to_completed'] / alone:.2f}× the sum of "
        "single-file parse times | |",
        served_row("rerun on the unchanged inbox", s_rerun, "< 5%"),
        f"| the rerun's own work: hash {s_rerun['timings']['discover_and_hash']:.1f} s, checks "
        f"{s_rerun['timings']['checks']:.1f} s | {own:.1f} | {own / s_first['pending_to_completed']:.1%} | |",
        f"| rerun as scheduled, dashboards drawn | {s_scheduled['pending_to_completed']:.1f} (flow "
        f"{s_scheduled['running_to_completed']:.1f}) | of which drawing "
        f"{s_scheduled['timings'].get('dashboards', 0):.1f} s | |",
        "",
        f"Reruns parsed {rerun['files_parsed']}, {s_rerun['files_parsed']} and {s_scheduled['files_parsed']} "
        "files. The run as scheduled is the first on this warehouse to draw the dashboards, so it draws every "
        "chart (on the run's workers); a later run redraws only the charts whose numbers changed.",
        "",
    ]


def dashboards_section(county: Path, home: Path) -> list[str]:
    from bench import dashboards as dashboards_bench

    d = dashboards_bench.measure(county, home, workers=2)
    t = d["timings"]
    print(f"dashboards: {t['dashboards'] / t['parse_and_load']:.2f}x parse and load", file=sys.stderr)
    return dashboards_bench.markdown(d)


def dashboards_only(reports: int = 1000) -> int:
    """`python -m bench dashboards [N]`: the dashboards section alone, put in place in BENCHMARKS.md."""
    from bench import flow as flow_bench

    home = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    try:
        flow_bench.warm_prefect_home(home)
        section = dashboards_section(corpus_dir(reports), home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    put_section("## Dashboards of a first run", section)
    print("wrote the dashboards section of BENCHMARKS.md", file=sys.stderr)
    return 0


def put_section(heading: str, section: list[str]) -> None:
    """Put `section` in BENCHMARKS.md in place of the section whose heading starts with `heading`, or
    before the closing line when there is none."""
    path = ROOT / "BENCHMARKS.md"
    lines = path.read_text(encoding="utf-8").split("\n") if path.exists() else ["# Benchmarks", ""]
    start = next((i for i, line in enumerate(lines) if line.startswith(heading)), None)
    if start is not None:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith(("## ", "`make bench` took"))), len(lines)
        )
        del lines[start:end]
    else:
        start = next((i for i, line in enumerate(lines) if line.startswith("`make bench` took")), len(lines))
    path.write_text("\n".join(lines[:start] + section + lines[start:]), encoding="utf-8")


def flow_only(reports: int = 1000) -> int:
    """`python -m bench flow [N]`: the county-run section alone, on the generated county of N reports
    (1,000 by default, as `make bench`), put in place in BENCHMARKS.md."""
    from bench import flow as flow_bench

    home = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    try:
        setup_s = flow_bench.warm_prefect_home(home)
        section = flow_section(corpus_dir(reports), home, setup_s)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    put_section("## County run", section)
    print("wrote the county-run section of BENCHMARKS.md", file=sys.stderr)
    return 0


def warehouse_section() -> list[str]:
    from bench import warehouse_scale

    # GONGKAI_BENCH_TOWNSHIPS=2000 for a quick run; the issue-8 target is at 40,000.
    scale = warehouse_scale.measure(int(os.environ.get("GONGKAI_BENCH_TOWNSHIPS", "40000")))
    print(
        f"warehouse at scale: checks {scale['checks_s']:.1f} s, peak RSS {scale['peak_rss_mb']:.0f} MB", file=sys.stderr
    )
    return warehouse_scale.markdown(scale)


def warehouse_only() -> int:
    """`python -m bench warehouse`: the national-scale section alone, put in place in BENCHMARKS.md."""
    put_section("## Warehouse at national scale", warehouse_section())
    print("wrote the warehouse section of BENCHMARKS.md", file=sys.stderr)
    return 0


def parse_section() -> list[str]:
    """The parse benchmark: the parser against pdfplumber's floor on generated (tidy and untidy) and real
    PDFs, what reading tables by their cells costs, each form's time, and `gongkai parse` end to end."""
    real = ROOT.parent / "shared" / "real-reports"
    sets: list[tuple[str, list[Path]]] = []
    try:
        generated = corpus(200)
        sets.append((f"generated corpus, its {len(pdfs(generated))} PDFs of 200 reports", pdfs(generated)))
        untidy = sorted((untidy_dir(100) / "reports").glob("*.pdf"))
        sets.append((f"generated, written as real townships do (demo.untidy), {len(untidy)} PDFs", untidy))
    except ImportError as exc:
        print(f"no generated corpus ({exc}); parse bench runs on the real reports only", file=sys.stderr)
    if real.is_dir():
        sets.append(("real reports (../shared)", sorted(real.glob("*.pdf"))))
    lines = [
        "## Parse",
        "",
        "Floor: pdfplumber alone opening the same files and extracting words and lines of every page.",
        "Target: parser at most 1.5× the floor (issue 2), 1.3× (issue 8 and 25). Without cells: the parser",
        "reading every table line by line as it reads an unruled one (`ParserSettings.read_cells` off); the",
        "cells' cost is finding each page's rules, closing its cells and joining their words (issue 25).",
        "",
        "| corpus | files | pages | floor s | parser s | ratio | without cells s | cells cost | reports/s "
        "| pages/s | pdfminer layout s | parser ÷ layout |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, files in sets:
        m = parse_bench.measure(files)
        print(f"parse {name}: ratio {m['ratio']:.2f}, cells {m['cells_cost']:+.1%}", file=sys.stderr)
        lines.append(
            f"| {name} | {m['files']} | {m['pages']} | {m['floor_s']:.2f} | {m['parser_s']:.2f} | "
            f"**{m['ratio']:.2f}×** | {m['without_cells_s']:.2f} | {m['cells_cost']:+.1%} | "
            f"{m['reports_per_s']:.1f} | {m['pages_per_s']:.1f} | {m['layout_s']:.2f} | {m['over_layout']:.2f}× |"
        )
    lines += [
        "",
        "Profile (pyinstrument, 15 generated reports). Before: 92% of a parse was pdfplumber's `Page.chars`:",
        "63% pdfminer interpreting content streams (`Page.layout`) and 29% pdfplumber turning every layout",
        "object into a dict before `extract_words`; our own modules were under 3%. After: characters are",
        "read straight off pdfminer's LTChar objects (`parsers/sources/pdf_words.py`), so a parse costs",
        "pdfminer's layout plus the last column's small overhead. Before, the parser was 0.98–1.00× the floor.",
        "Every word goes through the text normalisation (`parsers/text.py`) in these figures.",
        "",
    ]
    if sets and sets[0][0].startswith("generated"):
        forms = parse_bench.by_form(corpus_dir(200))
        lines += [
            "## Parse by the form a report came in",
            "",
            "The same generated county, each report parsed on its own (best of 2), grouped by its form. A web",
            "page or Word file has no pdfminer layout to pay for: it is read structurally and laid out on a",
            "grid for the same reading algorithm.",
            "",
            "| form | reports | ms a report | against a WPS/Word PDF |",
            "|---|---|---|---|",
        ]
        base = forms["pdf"]["ms"]
        for form, label in parse_bench.FORMS.items():
            if form in forms:
                f = forms[form]
                lines.append(f"| {label} | {f['n']} | {f['ms']:.0f} | {f['ms'] / base:.2f}× |")
        lines.append("")
    sample = sets[-1][1][0]
    s = parse_bench.cli_startup(sample)
    lines += [
        "",
        "## `gongkai parse` on one file",
        "",
        f"`python -c 'import pdfplumber'`: {s['import_floor_s']:.2f} s; "
        f"`gongkai parse {sample.name} --json`: {s['cli_parse_s']:.2f} s "
        f"({s['cli_parse_s'] / s['import_floor_s']:.2f}× the bare import). Prefect and matplotlib are not imported.",
        "",
    ]
    county = sets[0][1][:38]  # a county's worth of text PDFs, a process each (issue 27: at most 1.5×)
    p = parse_bench.per_process(county)
    lines += [
        f"A process a file, as a script or a shell loop runs it, on {p['files']} generated text PDFs: "
        f"`gongkai parse FILE --json` {p['cli_s']:.1f} s against {p['floor_s']:.1f} s for a process a file that "
        f"imports pdfplumber and reads the file's words and lines: **{p['ratio']:.2f}×** (target ≤ 1.5×; a text "
        "PDF's parse never imports the OCR stack, numpy, python-docx or Prefect).",
        "",
    ]
    return lines


def parse_only() -> int:
    """`python -m bench parse`: the parse sections alone, put in place in BENCHMARKS.md."""
    section = parse_section()
    for heading in ("## Parse by the form", "## `gongkai parse` on one file"):
        start = next(i for i, line in enumerate(section) if line.startswith(heading))
        end = next((i for i in range(start + 1, len(section)) if section[i].startswith("## ")), len(section))
        put_section(heading, section[start:end])
        del section[start:end]
    put_section("## Parse", section)
    print("wrote the parse sections of BENCHMARKS.md", file=sys.stderr)
    return 0


def main() -> int:
    started = time.perf_counter()
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.date.today().isoformat()}: {platform.node()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}.",
        "Every figure is a ratio against a floor measured in the same run: the parse benchmarks pair the",
        "parser and its floor a file at a time and take the faster of 2 rounds for each file; the county runs",
        "are one run each unless said. This machine is shared, and the same parse has been seen to take 25%",
        "longer from one hour to the next, so ratios near a target can go either way between two runs of",
        "`make bench`.",
        "",
    ]
    lines += parse_section()
    home = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    setup_s = 0.0
    try:
        county = corpus_dir(1000)
    except ImportError:
        county = None
    if county is not None:
        from bench import flow as flow_bench

        setup_s = flow_bench.warm_prefect_home(home)
        lines += flow_section(county, home, setup_s)
        lines += dashboards_section(county, home)
    try:
        small = corpus_dir(200)
    except ImportError:
        small = None
    if small is not None:
        from bench import flow as flow_bench

        w = flow_bench.workers_compared(small, home)
        one, two = w[1], w[2]
        ratio = two["process_wall"] / one["process_wall"]
        print(f"workers: 2 against 1 = {ratio:.2f}", file=sys.stderr)
        lines += [
            "## 1 worker against 2",
            "",
            f"`gongkai run` on the {one['files_parsed']}-report corpus of the parse benchmark, each run a fresh "
            "process on a fresh warehouse with Prefect's ephemeral API, the faster of 2 runs each (interleaved).",
            "",
            "| workers | wall s | start and stop s | parse and load s | sum of parse times in the tasks s |",
            "|---|---|---|---|---|",
        ]
        for k, r in sorted(w.items()):
            lines.append(
                f"| {k} | {r['process_wall']:.1f} | {_fixed(r):.1f} | {r['timings']['parse_and_load']:.1f} | "
                f"{r['parse_seconds']:.1f} |"
            )
        phase = two["timings"]["parse_and_load"] / one["timings"]["parse_and_load"]
        lines += [
            "",
            f"2 workers take **{ratio:.2f}×** the 1-worker time (target ≤ 0.6×); the parse-and-load phase alone "
            f"{phase:.2f}×.",
            "",
        ]
    try:
        province = corpus_dir(2000)
    except ImportError:
        province = None
    if province is not None:
        from bench import province as province_bench

        if not setup_s:
            from bench import flow as flow_bench

            setup_s = flow_bench.warm_prefect_home(home)
        p = province_bench.measure(province, home, workers=2)
        from gongkai.flows.county import batches

        files = [(str(f), "") for f in corpus(2000)]
        t = p["timings"]
        n = p["files_parsed"]
        phase = t["parse_and_load"]
        start_s = _fixed(p)
        lines += [
            "## Province: a generated province through `--dask-local 2`",
            "",
            f"{n} reports in {p['process_wall']:.1f} s: **{n / p['process_wall']:.1f} reports/s** "
            f"({p['parse_seconds'] / n * 1000:.0f} ms of parsing per report, measured inside the tasks).",
            "",
            "| where the time goes | seconds |",
            "|---|---|",
            f"| start and stop: Python, Prefect's ephemeral API and flow run, Dask cluster "
            f"(wall − phases) | {start_s:.1f} |",
            f"| discover and hash every file | {t['discover_and_hash']:.1f} |",
            f"| parse and load (overlapped) | {phase:.1f} |",
            f"| of which DuckDB loading, in the flow's process | {t['load']:.1f} |",
            f"| checks | {t['checks']:.1f} |",
            "",
            f"Sum of parse times {p['parse_seconds']:.1f} s inside the tasks, over 2 workers. DuckDB loading, in "
            f"the flow's own process (the one writer), a batch per transaction: {t['load'] / n * 1000:.1f} ms a "
            f"report. A parse outcome pickles to {p['pickling']['bytes'] / 1024:.0f} KiB in "
            f"{p['pickling']['seconds'] * 1000:.1f} ms. Files are batched into tasks (`flows.county.batches`: up to "
            f"25 files, fewer towards the end), {len(batches(files, 2))} tasks for {n} files, so Prefect's per-task "
            "cost (about 0.1 s) is paid once per batch rather than once per file.",
            "",
        ]
    if not setup_s:
        from bench import flow as flow_bench

        setup_s = flow_bench.warm_prefect_home(home)
    lines += ocr_section(home)
    lines += warehouse_section()
    shutil.rmtree(home, ignore_errors=True)
    minutes = (time.perf_counter() - started) / 60
    lines += ["", f"`make bench` took {minutes:.1f} minutes (target: under 15).", ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines), encoding="utf-8")
    print("wrote BENCHMARKS.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["parse"]:
        sys.exit(parse_only())
    if sys.argv[1:] == ["ocr"]:
        sys.exit(ocr_only())
    if sys.argv[1:] == ["warehouse"]:
        sys.exit(warehouse_only())
    if sys.argv[1:2] == ["dashboards"]:
        sys.exit(dashboards_only(*(int(n) for n in sys.argv[2:3])))
    if sys.argv[1:2] == ["flow"]:
        sys.exit(flow_only(*(int(n) for n in sys.argv[2:3])))
    sys.exit(main())
