"""The typed report a parser returns: metadata and every cell, each with where it was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

Number = int | float


class ReportError(Exception):
    """A file that is not a readable annual report. `reason` is a rejected-row code of the format doc."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Cell:
    """One printed cell. `value` is None when what was printed is not a number (see `raw`)."""

    code: str
    value: Number | None
    raw: str
    page: int  # 1-based
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points
    # Read by OCR: the recogniser's confidence (0-1) in what it read; None for a text layer, HTML or Word.
    confidence: float | None = None
    # An OCR reading in doubt (low confidence, or in a failing sum and not confirmed on a re-read): the
    # value is the best reading, to be confirmed by the analyst against `crop`, a PNG of the cell's image.
    uncertain: bool = False
    crop: bytes | None = field(default=None, repr=False, compare=False)
    # Why a printed value was not taken (an amount whose unit cannot be told, a row whose label could
    # not be told apart), for the analyst; None where the print itself says it (a dash, a word).
    note: str | None = None
    # An amount's column unit as its header prints it (采购总金额（元）): a second reading is read by it too.
    unit: str | None = None

    @property
    def readable(self) -> bool:
        return self.value is not None

    @property
    def ocr(self) -> bool:
        return self.confidence is not None


@dataclass
class Report:
    body: str  # most specific unit, e.g. 洪泽区, 汤旺河镇
    body_full_name: str  # the longest form printed, e.g. 淮安市洪泽区人民政府
    title: str
    year: int
    template: str  # "2019" | "2021"
    published_on: date | None
    pages: int
    cells: dict[str, Cell] = field(default_factory=dict)
    missing_rows: list[str] = field(default_factory=list)  # "t3.denied_query_item", rows not printed
    warnings: list[str] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)  # "一".."六" -> prose text of that section
    # Pages read by OCR: the slope (radians) their words were straightened by, about the page's centre;
    # cells' boxes are in straightened coordinates (`parsers.debug` turns them back onto the scan).
    skew: dict[int, float] = field(default_factory=dict)
    source_format: str = "pdf"  # pdf | html | docx | scan: the kind of file it was read from

    @property
    def values(self) -> dict[str, Number]:
        return {code: c.value for code, c in self.cells.items() if c.value is not None}

    @property
    def unreadable(self) -> list[Cell]:
        return [c for c in self.cells.values() if c.value is None]

    @property
    def ocr(self) -> bool:
        """Whether any cell was read by OCR (a scan, or a text PDF whose table is a pasted image)."""
        return any(c.ocr for c in self.cells.values())

    @property
    def uncertain(self) -> list[Cell]:
        return [c for c in self.cells.values() if c.uncertain]

    @property
    def denied_other(self) -> bool:
        return any(code.startswith("t3.denied_other.") for code in self.cells)

    @property
    def other_split(self) -> bool:
        return any(code.startswith("t3.other_misc.") for code in self.cells)

    def to_json(self) -> dict[str, Any]:
        """The object `gongkai parse --json` prints (shape fixed by the foundation issue)."""
        return {
            "body": self.body,
            "body_full_name": self.body_full_name,
            "year": self.year,
            "template": self.template,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "cells": self.values,
            "unreadable": [c.code for c in self.unreadable],
            "unreadable_detail": [
                {"code": c.code, "raw": c.raw, "page": c.page, "bbox": list(c.bbox), "note": c.note}
                for c in self.unreadable
            ],
            "missing_rows": self.missing_rows,
            "warnings": self.warnings,
            "pages": self.pages,
            "source_format": self.source_format,
            "ocr": self.ocr,
            "uncertain": [
                {
                    "code": c.code,
                    "value": c.value,
                    "raw": c.raw,
                    "confidence": c.confidence,
                    "page": c.page,
                    "bbox": list(c.bbox),
                }
                for c in self.uncertain
            ],
        }
