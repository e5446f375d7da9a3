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
    # Table cells (parsers.cells): drawn boxes this thin are ruling lines; rules this close are one; a
    # rule drawn in pieces is one where the gaps are this short. A cell holding more text than this is
    # no label cell (a page frame, a layout table round prose) and is not joined. `read_cells` off
    # reads every table line by line, as an unruled one (the benchmark's measure of what cells cost).
    rule_max_width: float = 3.0
    rule_snap: float = 2.0
    rule_join: float = 3.0
    cell_max_chars: int = 80
    read_cells: bool = True
    # A row label with no key phrase (a typo in it: 4.保护第三放合法权益) is read as the template's label it
    # is at least this alike, when no other row's comes within the margin of it.
    label_similarity: float = 0.75
    label_margin: float = 0.15
    # A .doc, .wps, .rtf or .odt is converted by LibreOffice within this many seconds (under the parse's own
    # time limit, 60 s by default: a hang is then told as the converter's).
    office_timeout: float = 45.0
    # A heading is a short line: one worded otherwise than the template's (or misspelt) is read by what
    # it speaks of when numbered, or when at least this alike the template's heading when not.
    heading_max_chars: int = 30
    heading_similarity: float = 0.8
    # An amount printed with no unit in its cell or its column's header is taken in the template's 万元,
    # unless it comes to this many 万元 or more (1 亿元): a township's year in 元, its unit left off, would
    # read as that much (2 万元 of procurement printed as 20000). A district spending more is doubted too:
    # doubt is read by the analyst, a wrong amount is not.
    amount_unit_doubt: float = 10_000.0
    # Lines of one wrapped row label that each match its key phrase are at most this many lines apart.
    label_wrap_lines: int = 3
    # Header words up to this far left of the first value column still title a column (tables 二, 三);
    # table 四, one row of values under a three-row header, allows a blank first column this wide.
    header_margin: float = 12.0
    t4_header_margin: float = 40.0
    # A blank cell is recorded as a box this wide around its column's centre.
    blank_cell_width: float = 8.0
    blank_cell_height: float = 12.0  # when nothing else in its row gives the height
    # The title: at most this many lines; a candidate in larger type wins only when this much larger;
    # the lines above it belong to it only in the same type size, within this share of it.
    title_max_lines: int = 3
    title_larger: float = 1.1
    title_same_size: float = 0.15
    # The date signed at the report's end lies within its last lines.
    closing_lines: int = 4
    # OCR (scans, pasted images): pages are rendered at this resolution; onnxruntime uses this many
    # threads (one per parsing worker, so that N workers use N cores).
    ocr_dpi: int = 200
    ocr_threads: int = 1
    # A line's characters further apart than this share of its height are separate words (cells).
    ocr_split_gap: float = 0.6
    # Digits whose centres are further apart than this share of the line's height are in separate cells
    # (one number's digits sit about half a height apart).
    ocr_split_spacing: float = 1.3
    # Lines at least this many times as long as high show the page's skew.
    ocr_skew_min_ratio: float = 4.0
    # A cell in doubt is read again, by the recogniser alone on the cell's crop, from the page rendered
    # this many times sharper (measured on noisy 180 dpi scans: 1× and 2× alike, 1× needs no render).
    ocr_reread_scale: float = 1.0
    # A blank cell on an OCR'd page (a digit the detector missed?) is read from its column's centre,
    # this far either side, and its row's height with this share of it above and below.
    ocr_blank_half_width: float = 10.0
    ocr_blank_margin: float = 0.3
    # A reading no sum confirms stands when a second reading agrees, one of them at least this
    # confident; a reading that sums speak against, only at `ocr_contested`.
    ocr_agree: float = 0.5
    ocr_contested: float = 0.9
    # A page whose images cover this share of it is OCR'd as well as its text layer read (a table
    # pasted as a picture into a text PDF); a seal or a logo is far smaller.
    ocr_image_share: float = 0.2


DEFAULT_SETTINGS = ParserSettings()
