"""Scans: a generated report printed, stamped and scanned is an image-only PDF of the same pages, skewed
by the angle it reports, with the red seal over the signature; the corpus holds exactly the scans asked for."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pypdfium2
import pytest

from gongkai.cli import main
from gongkai.demo.corpus import write_corpus
from gongkai.demo.layout import DRAWN_MEDIA, MEDIA, choose_layouts, year_layout
from gongkai.demo.register import COUNTY, build_register
from gongkai.demo.scan import DPIS, ScanParams, scan_pdf, seal_mask

SEAL_NAME = COUNTY + "青山乡人民政府"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A WPS-style report with ruled tables, page numbers, and a name and date to sign."""
    out = tmp_path_factory.mktemp("source")
    write_corpus(out, 4, (2023, 2023), 1, workers=1)
    for truth in sorted((out / "reports").glob("*.json")):
        t = json.loads(truth.read_text(encoding="utf-8"))
        lay = t["layout"]
        if lay["medium"] == "pdf" and lay["ruling"] in ("lines", "rects") and t["published_on"] and lay["page_numbers"]:
            return out / "reports" / t["file"]
    raise AssertionError("seed 1 no longer gives a ruled, dated, numbered PDF: pick another seed")


@pytest.fixture(scope="module")
def scanned(source: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ScanParams]:
    target = tmp_path_factory.mktemp("scan") / "scan.pdf"
    params = scan_pdf(source, target, random.Random(3), dpi=150, seal_name=SEAL_NAME, crooked=1.0)
    return target, params


def _pixels(path: Path, page: int, dpi: int) -> np.ndarray:
    """The page's image at the scan's resolution, H×W×3."""
    with pypdfium2.PdfDocument(str(path)) as doc:
        return np.asarray(doc[page].render(scale=dpi / 72).to_pil().convert("RGB"))


def _skew(rgb: np.ndarray) -> float:
    """Degrees counter-clockwise that the page's rules and text lines run at: the angle at which its dark
    pixels project onto the fewest, fullest rows (a projection profile, searched coarse then fine)."""
    ys, xs = np.nonzero(rgb.mean(axis=2) < 110)
    ys, xs = ys.astype(np.float64), xs.astype(np.float64)

    def best(candidates: np.ndarray) -> float:
        scores = []
        for a in candidates:
            rows = np.round(ys + xs * math.tan(math.radians(a))).astype(np.int64)
            counts = np.bincount(rows - rows.min())
            scores.append(float(counts @ counts))
        return float(candidates[int(np.argmax(scores))])

    coarse = best(np.arange(-4, 4.001, 0.1))
    return best(np.arange(coarse - 0.1, coarse + 0.1001, 0.01))


def _red(rgb: np.ndarray) -> np.ndarray:
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    return (r > 140) & (r - g > 60) & (r - b > 50)


@pytest.mark.slow  # one scan, shared by the module (a few seconds)
def test_scan_has_no_text_and_the_source_pages(source: Path, scanned: tuple[Path, ScanParams]) -> None:
    target, params = scanned
    with pdfplumber.open(source) as src, pdfplumber.open(target) as scan:
        assert sum(len(p.chars) for p in src.pages) > 1000
        assert len(scan.pages) == len(src.pages) == len(params.page_angles) >= 4
        for a, b in zip(src.pages, scan.pages, strict=True):
            assert abs(float(a.width) - float(b.width)) < 1 and abs(float(a.height) - float(b.height)) < 1
            assert b.chars == [] and (b.extract_text() or "") == ""
            (image,) = b.images  # one JPEG filling the page, at the scan's resolution
            (px_w, px_h), expected = image["srcsize"], (float(a.width) * 150 / 72, float(a.height) * 150 / 72)
            assert abs(px_w - expected[0]) < 1 and abs(px_h - expected[1]) < 1
            assert image["stream"]["Filter"].name == "DCTDecode"
            assert (image["x0"], image["top"]) == (0, 0) and abs(image["x1"] - float(b.width)) < 0.01
    assert params.dpi == 150 and 35 <= params.quality <= 75 and 2 <= params.noise <= 6


@pytest.mark.slow
def test_pages_are_skewed_by_the_reported_angles(scanned: tuple[Path, ScanParams]) -> None:
    target, params = scanned
    assert 0.3 <= abs(params.angle) <= 1.5
    # crooked=1.0: one sheet went in more askew than the rest, the others within 0.1° of the feeder's skew.
    crooked = [i for i, a in enumerate(params.page_angles) if abs(a - params.angle) > 0.1]
    assert len(crooked) == 1 and 1.6 <= abs(params.page_angles[crooked[0]]) <= 2.5
    for page, angle in enumerate(params.page_angles):
        found = _skew(_pixels(target, page, params.dpi))
        assert abs(found - angle) < 0.3, (page, found, angle)


@pytest.mark.slow
def test_red_seal_over_the_signature_on_the_last_page(source: Path, scanned: tuple[Path, ScanParams]) -> None:
    target, params = scanned
    seal, dpi = params.seal, params.dpi
    last = len(params.page_angles) - 1
    assert seal.page == last + 1 and 40 * 72 / 25.4 <= seal.diameter <= 42 * 72 / 25.4
    for page in range(last):
        assert _red(_pixels(target, page, dpi)).sum() < 50, page
    red = _red(_pixels(target, last, dpi))
    ys, xs = np.nonzero(red)
    radius_px = seal.diameter / 2 * dpi / 72
    # Ring, star and name ink a good part of the disc (far from all of it: ink is never even).
    assert 0.08 < len(xs) / (math.pi * radius_px**2) < 0.6
    # Where the seal went: its centre on the sheet, turned with the sheet about the page's centre (the
    # sheet also sits up to 2 mm off, unrecorded).
    h, w = red.shape
    cx, cy = seal.center[0] * dpi / 72 - w / 2, seal.center[1] * dpi / 72 - h / 2
    t = math.radians(params.page_angles[last])
    ex, ey = w / 2 + cx * math.cos(t) + cy * math.sin(t), h / 2 - cx * math.sin(t) + cy * math.cos(t)
    mx, my = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
    assert math.hypot(mx - ex, my - ey) < 4 * dpi / 25.4
    assert abs((xs.max() - xs.min()) / 2 - radius_px) < 0.05 * radius_px  # the ring: about 4 cm across
    # Over the signature: the date, the last line above the page number, and the body's name above it
    # when the page break left it there.
    with pdfplumber.open(source) as doc:
        *lines, number = doc.pages[-1].extract_text_lines()
    assert number["text"] == f"- {last + 1} -" and lines[-1]["text"].endswith("日")
    signed = [ln for ln in lines[-2:] if ln["text"].endswith(("日", "人民政府", "办事处"))]
    for line in signed:
        x, y = (line["x0"] + line["x1"]) / 2, (line["top"] + line["bottom"]) / 2
        assert math.hypot(x - seal.center[0], y - seal.center[1]) < seal.diameter / 4, line["text"]


@pytest.mark.slow  # two more scans
def test_same_seed_same_bytes(source: Path, scanned: tuple[Path, ScanParams], tmp_path: Path) -> None:
    target, params = scanned
    again = scan_pdf(source, tmp_path / "again.pdf", random.Random(3), dpi=150, seal_name=SEAL_NAME, crooked=1.0)
    assert again == params and (tmp_path / "again.pdf").read_bytes() == target.read_bytes()
    other = scan_pdf(source, tmp_path / "other.pdf", random.Random(4), dpi=150, seal_name=SEAL_NAME)
    assert other.page_angles != params.page_angles
    assert (tmp_path / "other.pdf").read_bytes() != target.read_bytes()


def test_seal_mask_draws_ring_star_and_name() -> None:
    mask = np.asarray(seal_mask(SEAL_NAME, 240)) > 128
    size = 240
    yy, xx = np.mgrid[0:size, 0:size]
    r = np.hypot(xx - size / 2 + 0.5, yy - size / 2 + 0.5) / (size / 2)
    assert mask[(r > 0.94) & (r < 0.99)].mean() > 0.9  # the ring, closed all round
    assert mask[r < 0.08].all()  # the star's centre
    assert not mask[(r > 0.38) & (r < 0.46)].any()  # between star and name: paper
    band = (r > 0.52) & (r < 0.86)
    top, bottom = band & (yy < size * 0.45), band & (yy > size * 0.9)
    assert mask[top].mean() > 0.15 and not mask[bottom].any()  # the name round the top, the bottom open
    assert not (np.asarray(seal_mask("", 240)) > 128)[band].any()


def test_scans_are_never_drawn_by_weight() -> None:
    """A benchmark county of 1,000 reports holds no scan unless asked: OCR costs about 25 s a report."""
    register = build_register(200, 7)
    layouts = choose_layouts(random.Random("7:layouts"), register)
    rng = random.Random(1)
    years = [year_layout(rng, lay) for lay in layouts.values() for _ in range(5)]
    assert "scan" in MEDIA and "scan" not in DRAWN_MEDIA
    assert {lay.medium for lay in years} == set(DRAWN_MEDIA)


def _truths(out: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "reports").glob("*.json"))}


@pytest.mark.slow  # two scans at the resolution they draw, up to 300 dpi
def test_corpus_holds_the_scans_asked_for(tmp_path: Path) -> None:
    plain = write_corpus(tmp_path / "plain", 12, (2023, 2023), 2024, workers=1)
    mixed = write_corpus(tmp_path / "mixed", 12, (2023, 2023), 2024, workers=1, scans=2)
    assert plain.scans == 0 and mixed.scans == 2 and plain.reports == mixed.reports
    before, after = _truths(tmp_path / "plain"), _truths(tmp_path / "mixed")
    assert not [k for k, t in before.items() if t["layout"]["medium"] == "scan" or "scan" in t]
    scans = {k: t for k, t in after.items() if t["layout"]["medium"] == "scan"}
    assert len(scans) == 2 and before.keys() == after.keys()
    # Townships that print WPS PDFs are scanned first, one year each; 汤旺河镇 and the township whose table
    # breaks inside （四）无法提供 keep their text PDFs.
    base = choose_layouts(random.Random("2024:layouts"), build_register(12, 2024))
    eligible = {k for k, lay in base.items() if lay.medium == "pdf" and not lay.split_target and k != "汤旺河镇"}
    assert {t["township"] for t in scans.values()} == eligible and len(eligible) == 2
    for key, t in after.items():
        was = before[key]
        # The same report, numbers and flags as printed; only the scans' files and media differ.
        assert t["cells"] == was["cells"] and t["expected_flags"] == was["expected_flags"]
        assert t["pages"] == was["pages"] and t["published_on"] == was["published_on"]
        if key not in scans:
            assert t == was
            assert (tmp_path / "mixed/reports" / t["file"]).read_bytes() == (
                tmp_path / "plain/reports" / was["file"]
            ).read_bytes()
            continue
        assert t["file"] == was["file"] == f"{key}.pdf" and t["layout"] == {**was["layout"], "medium": "scan"}
        assert t["scan"]["dpi"] in DPIS and t["scan"]["seal"]["page"] == t["pages"]
        assert len(t["scan"]["page_angles"]) == t["pages"]
        with pdfplumber.open(tmp_path / "mixed/reports" / t["file"]) as doc:
            assert len(doc.pages) == t["pages"] and not any(p.chars for p in doc.pages)
    county = json.loads((tmp_path / "mixed/county.json").read_text(encoding="utf-8"))
    assert county == json.loads((tmp_path / "plain/county.json").read_text(encoding="utf-8"))


@pytest.mark.slow  # one scan
def test_cli_writes_the_scans_asked_for(tmp_path: Path, capsys: Any) -> None:
    assert main(["demo-data", "--out", str(tmp_path / "bad"), "--townships", "2", "--scans", "-1"]) == 2
    assert "扫描件份数不能为负数" in capsys.readouterr().err and not (tmp_path / "bad").exists()
    args = ["demo-data", "--out", str(tmp_path), "--townships", "2", "--years", "2024", "--seed", "5", "--scans", "1"]
    assert main(args) == 0
    assert "其中 1 份为盖章扫描件" in capsys.readouterr().out
    truths = _truths(tmp_path)
    scanned = [t for t in truths.values() if t["layout"]["medium"] == "scan"]
    assert len(scanned) == 1 and len(truths) == 2 and scanned[0]["file"].endswith(".pdf")
    with pdfplumber.open(tmp_path / "reports" / scanned[0]["file"]) as doc:
        assert len(doc.pages) == scanned[0]["pages"] > 1 and not any(p.chars for p in doc.pages)
