"""Scans: OCR per page against the bare recogniser on the same page images, and a county run holding a
share of scans on 2 workers against the sum of its files parsed one by one.

The floor is RapidOCR itself, called as its users call it, with the arguments the parser gives it, on
the page images the parser would render: what any OCR of these pages costs. Over the floor, the parser
pays for rendering, straightening, the second readings of the cells no sum confirms, and the reading
algorithm.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np


def scan_corpus(target: Path, townships: int = 6, years: tuple[int, int] = (2022, 2023), scans: int = 4) -> Path:
    """A generated county with `scans` of its township-years scanned, cached in bench-data/."""
    if not (target / "reports").is_dir():
        from gongkai.demo.corpus import write_corpus

        write_corpus(target, townships=townships, years=years, seed=7, scans=scans)
    return target


def scans_of(county: Path) -> list[Path]:
    out = []
    for truth in sorted((county / "reports").glob("*.json")):
        t = json.loads(truth.read_text(encoding="utf-8"))
        if t.get("scan"):
            out.append(county / "reports" / t["file"])
    return out


def per_page(scans: list[Path], rounds: int = 2) -> dict:
    """Seconds a page: the parser (render, OCR, second readings, reading) against bare RapidOCR on the
    same page images, one onnxruntime thread each. Paired a file at a time (its pages bare, then the file
    parsed), the faster of `rounds` for each: this machine's speed drifts by ±10% from one minute to the
    next, more than the parser's own share of a page."""
    import pypdfium2
    from rapidocr_onnxruntime import RapidOCR

    from gongkai.parsers import parse_report
    from gongkai.parsers.settings import DEFAULT_SETTINGS as S
    from gongkai.parsers.sources.ocr_engine import ENGINE_OPTIONS, PAGE_OPTIONS

    bare = RapidOCR(intra_op_num_threads=S.ocr_threads, inter_op_num_threads=1, **ENGINE_OPTIONS)
    images: dict[Path, list[np.ndarray]] = {}
    for path in scans:
        with pypdfium2.PdfDocument(str(path)) as pdf:
            images[path] = [
                np.ascontiguousarray(np.asarray(page.render(scale=S.ocr_dpi / 72).to_pil())[:, :, ::-1]) for page in pdf
            ]
    parse_report(scans[0])  # models loaded, caches warm, for both
    floors: dict[Path, list[float]] = {p: [] for p in scans}
    parses: dict[Path, list[float]] = {p: [] for p in scans}
    for _ in range(rounds):
        for path in scans:
            t = time.perf_counter()
            for image in images[path]:
                bare(image, **PAGE_OPTIONS)
            floors[path].append(time.perf_counter() - t)
            t = time.perf_counter()
            parse_report(path)
            parses[path].append(time.perf_counter() - t)
    pages = sum(len(i) for i in images.values())
    floor, parser = sum(min(f) for f in floors.values()), sum(min(p) for p in parses.values())
    return {
        "files": len(scans),
        "pages": pages,
        "floor_page_s": floor / pages,
        "parser_page_s": parser / pages,
        "ratio": parser / floor,
    }


def county(county_dir: Path, home: Path, rounds: int = 2) -> dict:
    """`gongkai run` (2 workers) on a county holding scans, against the sum of its files parsed alone in
    a fresh process (models loaded once, as a run's batch loads them), the faster of `rounds` each,
    interleaved. `home`'s Prefect database must exist already (`flow.warm_prefect_home`): creating it is
    a cost of an installation, not of a run."""
    from bench import flow as flow_bench
    from gongkai.parsers.sources import is_input

    runs, alones = [], []
    for r in range(rounds):
        db = home / f"scans-{r}.duckdb"
        db.unlink(missing_ok=True)
        runs.append(flow_bench.run(county_dir, db, workers=2))
        alones.append(flow_bench.parsed_alone_fresh(county_dir))
    run = min(runs, key=lambda r: r["process_wall"])
    files = sum(1 for p in (county_dir / "reports").iterdir() if is_input(p))
    return {"files": files, "scans": len(scans_of(county_dir)), "alone": min(alones), "run": run, "runs": runs}


def markdown(pages: dict, run: dict) -> list[str]:
    r = run["run"]
    walls = ", ".join(f"{x['process_wall']:.1f}" for x in run["runs"])
    return [
        "## Scans (OCR)",
        "",
        f"{pages['files']} generated scans ({pages['pages']} pages, 150–300 dpi, skewed, stamped, JPEG), one "
        "onnxruntime thread. Floor: RapidOCR alone on the same page images (rendered beforehand), with the "
        "arguments the parser gives it. Paired a file at a time (its pages bare, then the file parsed), the "
        "faster of 2 rounds for each file. The parser hands the recogniser the page's red channel (the seal "
        "taken out), which it reads in about the time of the colour page, at times less: the ratio can fall "
        "under 1.",
        "",
        "| measure | s a page | ratio | target |",
        "|---|---|---|---|",
        f"| bare recogniser (floor) | {pages['floor_page_s']:.2f} | | |",
        f"| `parse_report` on the scans: render, OCR, second readings, reading | {pages['parser_page_s']:.2f} | "
        f"**{pages['ratio']:.2f}×** | ≤ 1.3× |",
        "",
        f"`gongkai run` with 2 workers on a generated county of {run['files']} reports, {run['scans']} of them "
        f"scans: **{r['process_wall']:.1f} s** wall, **{r['process_wall'] / run['alone']:.2f}×** the sum of its "
        f"files parsed one by one in a fresh process ({run['alone']:.1f} s); each the faster of 2, interleaved "
        f"(runs {walls} s), on a Prefect home whose "
        f"database already exists; parse time measured inside the tasks {r['parse_seconds']:.1f} s. Each "
        "worker's onnxruntime uses one thread, so two workers use two cores.",
        "",
    ]
