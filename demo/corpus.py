"""A whole demo county, or a city of counties: register, every township's reports over the years, truth files."""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from gongkai.demo import faults, quality, scan, truth, untidy
from gongkai.demo.document import SUFFIX, format_value, page_split_tags, render
from gongkai.demo.layout import Layout, choose_layouts, year_layout
from gongkai.demo.numbers import template_for, township_numbers
from gongkai.demo.register import CITY, County, Township, build_province, write_register
from gongkai.domain.codes import DECIMAL_CELLS, t3_row_codes

Number = int | float


@dataclass
class CorpusSummary:
    out_dir: Path
    townships: int
    years: tuple[int, int]
    reports: int
    missing: int
    scans: int
    report_flags: int
    county_flags: int
    seconds: float
    flag_counts: dict[str, int] = field(default_factory=dict)
    counties: int = 1

    @property
    def reports_per_second(self) -> float:
        return self.reports / self.seconds if self.seconds else 0.0


@dataclass
class _Job:
    """Everything needed to write one report; picklable for worker processes."""

    seed: int  # the county's
    township: Township
    year: int
    layout: Layout
    cells: dict[str, Number]
    kinds: list[str]
    dashes: str
    path: Path
    prose: str = "fresh"  # demo.prose.PROSE_MODES
    omit: str = ""  # a part left out (demo.quality)
    corrected: bool = False  # printed again with its faults put right (corrections/)


def _published_on(rng: random.Random, year: int, late: bool, dated: bool) -> date | None:
    if late:
        return date(year + 1, rng.randint(2, 4), rng.randint(1, 28))
    if not dated:
        return None
    return date(year + 1, 1, rng.randint(5, 30))


def _write_report(job: _Job) -> dict[str, Any]:
    """Apply faults, print, draw and write one report and its truth; returns the truth."""
    rng = random.Random(f"{job.seed}:{job.township.name}:{job.year}:report")
    lay = job.layout
    template = template_for(job.year, "stale_template" in lay.quirks)
    rows = t3_row_codes(denied_other=lay.denied_other, other_split=lay.other_split)
    cells = dict(job.cells)
    for kind in job.kinds:
        # a correction draws as the report it corrects did, and prints the numbers as they should be
        faults.apply(rng, kind, dict(cells) if job.corrected else cells, rows)
    late = "LATE_PUBLICATION" in job.kinds  # never corrected (demo.corpus._corrections)
    published_on = _published_on(rng, job.year, late, lay.dated or late)
    marks = faults.dash_cells(rng, job.dashes, cells) if job.dashes else {}
    lay = replace(lay, dashes=job.dashes or "none")
    printed = {c: marks.get(c) or format_value(c, v, lay.thousands_sep) for c, v in cells.items()}
    fees = cells.get("t2.fees.amount_wan", 0)
    admin_fees = printed["t2.fees.amount_wan"] if fees > 0 and "t2.fees.amount_wan" not in marks else ""
    unreadable, missing_rows, amounts = _untidy(job, template, cells, marks, printed)
    readable = {
        c: (float(v) if c in DECIMAL_CELLS else int(v))
        for c, v in cells.items()
        if c not in marks and c not in unreadable and c.rsplit(".", 1)[0] not in missing_rows
    }
    applications = int(cells["t3.new_received.total"])
    scanned = lay.medium == "scan"
    # A scan is of the report as WPS prints it: the same draws, so the same text and numbers.
    drawn = replace(lay, medium="pdf") if scanned else lay
    out = render(
        rng,
        job.township,
        job.year,
        template,
        drawn,
        printed,
        rows,
        published_on,
        applications,
        admin_fees,
        amounts,
        prose_mode=job.prose,
        omit=job.omit,
    )
    scan_params = _scan(job, out.data) if scanned else None
    if not scanned:
        job.path.write_bytes(out.data)
    # A report that prints no date is dated by the page it was published on, when it came from the web.
    published_on = published_on or out.page_date
    record = {
        "file": job.path.name,
        "body": job.township.name,
        "body_full_name": out.body_full_name,
        "township": job.township.canonical,
        "year": job.year,
        "template": template,
        "published_on": published_on.isoformat() if published_on else None,
        "pages": out.pages,
        "cells": readable,
        "unreadable": [*marks, *unreadable],
        "missing_rows": missing_rows,
        "layout": {**lay.to_json(), "page_split": page_split_tags(out.breaks), "page_breaks": out.breaks},
        **({"scan": scan_params.to_json()} if scan_params else {}),
        "injected_faults": [] if job.corrected else job.kinds,
        "prose": job.prose,
        "omitted_part": job.omit or None,
        "expected_flags": truth.report_flags(
            readable,
            [*marks, *unreadable],
            year=job.year,
            published_on=published_on,
            denied_other=lay.denied_other,
            other_split=lay.other_split,
            template=template,
            missing_rows=missing_rows,
            omitted=job.omit,
        ),
    }
    text = json.dumps(record, ensure_ascii=False, indent=1)
    job.path.with_suffix(".json").write_text(text + "\n", encoding="utf-8")
    return record


def _untidy(
    job: _Job, template: str, cells: dict[str, Number], marks: dict[str, str], printed: dict[str, str]
) -> tuple[list[str], list[str], str]:
    """What the township's own ways (demo.untidy) change in its report: the cells it prints that no reader
    can take (a short row's missing total, an amount whose unit it leaves off), the rows it leaves out of
    table 二, and how it prints its amounts. `printed` is changed to match."""
    kinds = job.layout.quirks
    if not kinds:
        return [], [], "wan"
    amounts = untidy.amount_forms(kinds, random.Random(f"{job.seed}:{job.township.name}:amounts"))
    if amounts == "yuan_bare" and template != "2019":
        amounts = "wan"  # 2021's fees column says 万元 in its header: a bare amount under it is in 万元
    unreadable: list[str] = []
    for code in sorted(DECIMAL_CELLS):
        if code in cells and code not in marks:
            printed[code] = untidy.print_amount(float(cells[code]), amounts)
            if amounts == "yuan_bare" and cells[code] > 0:
                unreadable.append(code)  # 元 printed bare: as 万元 it would be 10,000 times too much
    if "short_row" in kinds and "t3.carried_forward.total" not in marks:
        unreadable.append("t3.carried_forward.total")
    missing = ["t2.regulations"] if "partial_t2" in kinds else []
    return unreadable, missing, amounts


def _scan(job: _Job, data: bytes) -> scan.ScanParams:
    """Print, stamp with the body's seal and scan the PDF `data` to job.path."""
    rng = random.Random(f"{job.seed}:{job.township.name}:{job.year}:scan")
    with tempfile.TemporaryDirectory(prefix="gongkai-scan-") as tmp:
        printed = Path(tmp) / "printed.pdf"
        printed.write_bytes(data)
        # A township government's seal names the county too: 汤旺县XX镇人民政府.
        return scan.scan_pdf(printed, job.path, rng, seal_name=job.township.county + job.township.government)


def _pick_scans(rng: random.Random, jobs: list[_Job], base: dict[tuple[str, str], Layout], n: int) -> list[int]:
    """The indexes of n jobs to scan: townships that print WPS PDFs first, one year each before any gets a
    second. 汤旺河镇 and the township whose table breaks inside （四）无法提供 keep their text PDFs, for the
    tests that read those; townships writing as real ones do (demo.untidy) come last: a scan has no rules
    to read its cells by, and their narrow columns wrap every label. Taking the first n of one order makes
    a smaller count a subset of a larger."""
    order = list(range(len(jobs)))
    rng.shuffle(order)
    seen: dict[tuple[str, str], int] = {}
    ranked = []
    # A copy is told by its words: OCR's misreadings would blur the two years' likeness.
    copying = {(j.township.county, j.township.name) for j in jobs if j.prose != "fresh"}
    for i in order:
        t = (jobs[i].township.county, jobs[i].township.name)
        special = t[1] == "汤旺河镇" or bool(base[t].split_target) or bool(base[t].quirks) or t in copying
        ranked.append((special, base[t].medium != "pdf", seen.get(t, 0), len(ranked), i))
        seen[t] = seen.get(t, 0) + 1
    return [i for *_, i in sorted(ranked)[:n]]


def _corrections(rng: random.Random, jobs: list[_Job], folder: Path, n: int = 3) -> list[_Job]:
    """Corrected re-publications: up to `n` reports whose sums were wrong, printed again with them right (the
    same draws, so the same layout and prose), for corrections/ (the demo's second night puts one online in
    place of the first: one its portal serves plainly, demo.portal). Only reports whose every fault is
    within them, so that no other year's flags change; never 汤旺河镇's, nor a scan."""
    fixable = [
        j
        for j in jobs
        if j.kinds
        and set(j.kinds) <= set(faults.IN_REPORT)
        and not j.dashes
        and j.township.name != "汤旺河镇"
        and j.layout.medium != "scan"
    ]
    if not fixable:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    return [
        replace(job, corrected=True, path=folder / job.path.name) for job in rng.sample(fixable, min(n, len(fixable)))
    ]


def _county_jobs(
    county: County, year_list: list[int], folder: Path, bases: dict[tuple[str, str], Layout], untidy: float = 0.0
) -> tuple[list[_Job], int]:
    """The jobs of one county's reports, drawn from the county's own seed; and how many it misses."""
    seed = county.seed
    register = county.townships
    layouts = choose_layouts(random.Random(f"{seed}:layouts"), register, untidy)
    plan = faults.plan(random.Random(f"{seed}:faults"), [t.name for t in register], year_list)
    jobs: list[_Job] = []
    for t in register:
        base = bases[(t.county, t.name)] = layouts[t.name]
        numbers = township_numbers(
            random.Random(f"{seed}:{t.name}:numbers"),
            t.size,
            year_list,
            denied_other=base.denied_other,
            other_split=base.other_split,
            big_counts=base.thousands_sep,
            stale="stale_template" in base.quirks,
        )
        lay_rng = random.Random(f"{seed}:{t.name}:years")
        for year in year_list:
            lay = year_layout(lay_rng, base)
            key = (t.name, year)
            if key in plan.missing:
                continue
            path = folder / f"{t.name}-{year}{SUFFIX[lay.medium]}"
            jobs.append(_Job(seed, t, year, lay, numbers[year], plan.kinds(key), plan.dashes.get(key, ""), path))
    return _with_quality(seed, register, year_list, jobs, plan.missing), len(plan.missing)


def _with_quality(seed: int, register: list[Township], years: list[int], jobs: list[_Job], missing: set) -> list[_Job]:
    """The jobs with what demo.quality chose: prose copied or edited from last year, a part left out."""
    fees = {(j.township.name, j.year) for j in jobs if j.cells.get("t2.fees.amount_wan", 0) > 0}
    chosen = quality.plan(random.Random(f"{seed}:quality"), [t.name for t in register], years, missing, fees)
    at = {(j.township.name, j.year): i for i, j in enumerate(jobs)}
    for (name, year), i in at.items():
        mode, omit = chosen.mode((name, year)), chosen.omitted.get((name, year), "")
        lay = jobs[i].layout
        if mode == "copied":  # last year's text, so as long as last year's
            lay = replace(lay, prose=jobs[at[(name, year - 1)]].layout.prose)
        jobs[i] = replace(jobs[i], layout=lay, prose=mode, omit=omit)
    return jobs


def write_corpus(
    out_dir: Path,
    townships: int,
    years: tuple[int, int],
    seed: int,
    workers: int | None = None,
    scans: int = 0,
    counties: int = 1,
    untidy: float = 0.0,
) -> CorpusSummary:
    """Write out_dir/reports/*.pdf|.html|.htm|.docx + .json, out_dir/townships.csv and out_dir/county.json.

    `counties` > 1 writes a city (伊春市) of that many counties of `townships` townships each: 汤旺县 and
    invented ones (demo.register.build_province), 城关镇 in every one of them. Reports go to
    out_dir/reports/<county>/, the register gains `county` and `city` columns, and county.json holds the
    city with one entry per county (its own flags). A 城关镇 report's truth names it county + name
    (汤旺县城关镇), as the warehouse qualifies a name that repeats.

    `scans` township-years (at most every report) arrive as stamped scans, image-only PDFs (demo.scan);
    none by default, since reading one takes OCR, about 25 s a report.

    `untidy`: the share of each county's townships that write their reports as real townships do
    (demo.untidy: narrow columns, drifting headings and labels, units, stale templates, cover letters,
    tables and styles of their own), every kind in some township; none by default.

    Deterministic for a seed: each report draws from its own seeded generator, so the output does
    not depend on `workers` (default: one process per core for large corpora).
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    reports_dir = out_dir / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    province = build_province(counties, townships, seed)
    city = CITY if counties > 1 else None
    write_register(out_dir / "townships.csv", [t for c in province for t in c.townships], city)
    year_list = list(range(years[0], years[1] + 1))
    jobs: list[_Job] = []
    bases: dict[tuple[str, str], Layout] = {}
    missing = 0
    for county in province:
        folder = reports_dir / county.name if city else reports_dir
        folder.mkdir(exist_ok=True)
        county_jobs, county_missing = _county_jobs(county, year_list, folder, bases, untidy)
        jobs += county_jobs
        missing += county_missing
    for i in _pick_scans(random.Random(f"{seed}:scans"), jobs, bases, scans):
        job = jobs[i]
        path = job.path.with_suffix(SUFFIX["scan"])
        jobs[i] = replace(job, layout=replace(job.layout, medium="scan"), path=path)
    corrections = _corrections(random.Random(f"{seed}:correction"), jobs, out_dir / "corrections")
    jobs += corrections
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(jobs) >= 200 else 1
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            records = list(pool.map(_write_report, jobs, chunksize=16))
    else:
        records = [_write_report(job) for job in jobs]
    if corrections:  # written, with their truth, beside the county's reports: not among them
        del jobs[-len(corrections) :], records[-len(corrections) :]
    county_docs = []
    for county in province:
        own = [r for job, r in zip(jobs, records, strict=True) if job.township.county == county.name]
        by_key = {(r["township"], r["year"]): r for r in own}
        county_docs.append(
            {
                "county": county.name,
                "code": county.code,
                "seed": county.seed,
                "years": [year_list[0], year_list[-1]],
                "townships": [t.canonical for t in county.townships],
                "reports": len(own),
                "flags": truth.county_flags(by_key, [t.canonical for t in county.townships]),
            }
        )
    flags = [f for doc in county_docs for f in doc["flags"]]
    counts: dict[str, int] = {}
    for flag in [f for r in records for f in r["expected_flags"]] + flags:
        counts[flag["rule_id"]] = counts.get(flag["rule_id"], 0) + 1
    if city:
        doc = {
            "city": city,
            "seed": seed,
            "years": [year_list[0], year_list[-1]],
            "counties": county_docs,
            "reports": len(records),
        }
    else:  # one county: county.json as it always was
        doc = {k: v for k, v in county_docs[0].items() if k != "code"}
    (out_dir / "county.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return CorpusSummary(
        out_dir=out_dir,
        townships=sum(len(c.townships) for c in province),
        years=(year_list[0], year_list[-1]),
        reports=len(records),
        missing=missing,
        scans=sum(1 for r in records if r["layout"]["medium"] == "scan"),
        report_flags=sum(len(r["expected_flags"]) for r in records),
        county_flags=len(flags),
        seconds=time.perf_counter() - started,
        flag_counts=dict(sorted(counts.items())),
        counties=len(province),
    )
