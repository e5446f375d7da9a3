"""Tolerances the parser works with, in PDF points, gathered in one place like pdfplumber's TableSettings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParserSettings:
    # Words whose vertical centres lie within this distance share a visual line, or within this share
    # of their type size when that is more: digits in a Latin font beside a large CJK title sit a few
    # points off the CJK glyphs' centre (seen in Chromium's prints, 4 pt at 18 pt).
    line_tolerance: float = 3.0
    line_tolerance_ratio: float = 0.3
    # pdfplumber's word splitting: characters closer than this join into one word.
    x_tolerance: float = 1.5
    y_tolerance: float = 3.0
    # A number row further than this from every row label is not matched to any of them.
    max_label_distance: float = 60.0
    # Page headers and footers (page numbers) live in these top and bottom bands (fraction of height).
    margin_band: float = 0.08
    # Between pages, virtual y jumps by this much so that distances never cross a page break.
    page_gap: float = 100_000.0


DEFAULT_SETTINGS = ParserSettings()
