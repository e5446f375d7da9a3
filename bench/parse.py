"""Parser throughput against the floor: pdfplumber alone opening the same files and extracting the
words and lines of every page."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pdfplumber

from gongkai.parsers import parse_report
from gongkai.parsers.settings import DEFAULT_SETTINGS

# The parser reading every table line by line, as it reads an unruled one: what cells cost is the difference.
WITHOUT_CELLS = replace(DEFAULT_SETTINGS, read_cells=False)


def floor_read(path: Path) -> int:
    pages = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
            _ = page.lines
            pages += 1
    return pages


def layout_read(path: Path) -> int:
    """pdfminer's layout of every page and nothing else: the cost no reader of this PDF can avoid."""
    pages = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            _ = page.layout
            pages += 1
    return pages


def parser_read(path: Path) -> int:
    return parse_report(path).pages


def parser_read_without_cells(path: Path) -> int:
    return parse_report(path, WITHOUT_CELLS).pages


def _timed(fn: Callable[[Path], int], files: list[Path]) -> tuple[float, int]:
    start = time.perf_counter()
    pages = sum(fn(f) for f in files)
    return time.perf_counter() - start, pages


def measure(files: list[Path], rounds: int = 2) -> dict[str, float]:
    """The parser, the parser without cells and their floor, paired a file at a time (the three read one
    file one after another, so that this machine's drift from one minute to the next hits them alike), the
    faster of `rounds` for each file and each reader, summed; pdfminer's bare layout, for information, once."""
    readers = (floor_read, parser_read, parser_read_without_cells)
    best = [[float("inf")] * len(files) for _ in readers]
    pages = 0
    for _ in range(rounds):
        pages = 0
        for i, path in enumerate(files):
            for r, read in enumerate(readers):
                start = time.perf_counter()
                n = read(path)
                best[r][i] = min(best[r][i], time.perf_counter() - start)
            pages += n
    floor_best, parser_best, plain_best = (sum(b) for b in best)
    layout_best, _ = _timed(layout_read, files)
    return {
        "files": len(files),
        "pages": pages,
        "floor_s": floor_best,
        "parser_s": parser_best,
        "ratio": parser_best / floor_best,
        "without_cells_s": plain_best,
        "cells_cost": parser_best / plain_best - 1,
        "layout_s": layout_best,
        "over_layout": parser_best / layout_best,
        "reports_per_s": len(files) / parser_best,
        "pages_per_s": pages / parser_best,
    }


FORMS = {
    "pdf": "PDF exported by WPS/Word",
    "browser_pdf": "PDF printed by a browser (radical code points, web furniture)",
    "html": "web page, UTF-8",
    "html_gb2312": "web page, GB2312",
    "docx": "Word file (.docx)",
}


def by_form(county: Path, rounds: int = 2) -> dict[str, dict[str, float]]:
    """Mean parse time per report of each form in a generated county (the form from its truth file)."""
    forms: dict[str, list[Path]] = {}
    for truth in sorted((county / "reports").glob("*.json")):
        record = json.loads(truth.read_text(encoding="utf-8"))
        forms.setdefault(record["layout"]["medium"], []).append(truth.with_name(record["file"]))
    out = {}
    for form, files in forms.items():
        best = min(_timed(parser_read, files)[0] for _ in range(rounds))
        out[form] = {"n": len(files), "ms": best / len(files) * 1000}
    return out


def cli_startup(sample: Path, rounds: int = 5) -> dict[str, float]:
    """`gongkai parse FILE` end to end against `python -c 'import pdfplumber'` (interpreter + floor import)."""

    def best(cmd: list[str]) -> float:
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        return min(times)

    floor = best([sys.executable, "-c", "import pdfplumber"])
    full = best([sys.executable, "-m", "gongkai.cli", "parse", str(sample), "--json"])
    return {"import_floor_s": floor, "cli_parse_s": full}


_FLOOR_SCRIPT = """
import sys
import pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_words()
        page.lines
"""


def per_process(files: list[Path], rounds: int = 2) -> dict[str, float]:
    """`gongkai parse FILE --json`, one process a file as a script or a shell loop runs it, against the
    floor in the same shape: a process a file that imports pdfplumber and reads the file's words and lines.
    Best of `rounds` for each, summed over the files; start-up (interpreter, imports) is in both."""

    def total(command: Callable[[Path], list[str]]) -> float:
        spent = 0.0
        for path in files:
            start = time.perf_counter()
            subprocess.run(command(path), check=True, capture_output=True)
            spent += time.perf_counter() - start
        return spent

    floor = cli = float("inf")
    for _ in range(rounds):
        floor = min(floor, total(lambda p: [sys.executable, "-c", _FLOOR_SCRIPT, str(p)]))
        cli = min(cli, total(lambda p: [sys.executable, "-m", "gongkai.cli", "parse", str(p), "--json"]))
    return {"files": len(files), "floor_s": floor, "cli_s": cli, "ratio": cli / floor}
