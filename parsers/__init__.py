"""PDF → typed report. `parse_pdf` is the entry point; `Report` and `Cell` are what it returns."""

from parsers.parse import parse_pdf
from parsers.report import Cell, Report, ReportError

__all__ = ["Cell", "Report", "ReportError", "parse_pdf"]
