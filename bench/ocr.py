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


def per_page(scans: list[Path]) -> dict:
    """Seconds a page: the parser (render, OCR, second readings, reading) against bare RapidOCR on the
    same page images, one onnxruntime thread each, best of 2 interleaved rounds."""
    import pypdfium2
    from rapidocr_onnxruntime import RapidOCR

    from gongkai.parsers import parse_report
    from gongkai.parsers.settings import DEFAULT_SETTINGS as S
    from gongkai.parsers.sources.ocr_engine import ENGINE_OPTIONS, PAGE_OPTIONS

    bare = RapidOCR(intra_op_num_threads=S.ocr_threads, inter_op_num_threads=1, **ENGINE_OPTIONS)
    images = []
    for path in scans:
        with pypdfium2.PdfDocument(str(path)) as pdf:
            for page in pdf:
                images.append(np.ascontiguousarray(np.asarray(page.render(scale=S.ocr_dpi / 72).to_pil())[:, :, ::-1]))
    parse_report(scans[0])  # models loaded, caches warm, for both
    floors, parses = [], []
    for _ in range(2):
        t = time.perf_counter()
        for image in images:
            bare(image, **PAGE_OPTIONS)
        floors.append(time.perf_counter() - t)
        t = time.perf_counter()
        for path in scans:
            parse_report(path)
        parses.append(time.perf_counter() - t)
    pages = len(images)
    return {
        "files": len(scans),
        "pages": pages,
        "floor_page_s": min(floors) / pages,
        "parser_page_s": min(parses) / pages,
        "ratio": min(parses) / min(floors),
    }


def county(county_dir: Path, home: Path) -> dict:
    """`gongkai run` (2 workers) on a county holding scans, against the sum of its files parsed alone."""
    from bench import flow as flow_bench
    from gongkai.parsers import parse_report
    from gongkai.parsers.sources import is_input

    files = sorted(p for p in (county_dir / "reports").iterdir() if is_input(p))
    t = time.perf_counter()
    for f in files:
        parse_report(f)
    alone = time.perf_counter() - t
    db = home / "scans.duckdb"
    db.unlink(missing_ok=True)
    run = flow_bench.run(county_dir, db, workers=2)
    return {"files": len(files), "scans": len(scans_of(county_dir)), "alone": alone, "run": run}


def markdown(pages: dict, run: dict) -> list[str]:
    r = run["run"]
    return [
        "## Scans (OCR)",
        "",
        f"{pages['files']} generated scans ({pages['pages']} pages, 150–300 dpi, skewed, stamped, JPEG), one "
        "onnxruntime thread, best of 2 interleaved rounds. Floor: RapidOCR alone on the same page images "
        "(rendered beforehand), with the arguments the parser gives it.",
        "",
        "| measure | s a page | ratio | target |",
        "|---|---|---|---|",
        f"| bare recogniser (floor) | {pages['floor_page_s']:.2f} | | |",
        f"| `parse_report` on the scans: render, OCR, second readings, reading | {pages['parser_page_s']:.2f} | "
        f"**{pages['ratio']:.2f}×** | ≤ 1.3× |",
        "",
        f"`gongkai run` with 2 workers on a generated county of {run['files']} reports, {run['scans']} of them "
        f"scans: **{r['process_wall']:.1f} s** wall, {r['process_wall'] / run['alone']:.2f}× the sum of its "
        f"files parsed one by one in one process ({run['alone']:.1f} s); parse time measured inside the tasks "
        f"{r['parse_seconds']:.1f} s. Each worker's onnxruntime uses one thread, so two workers use two cores.",
        "",
    ]
