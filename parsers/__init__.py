"""Report file → typed report. `parse_report` is the entry point; `Report` and `Cell` are what it returns.

`sources/` turns each kind of file (PDF, web page, Word) into positioned words; the modules beside it
are the one reading algorithm they all feed.
"""

from gongkai.parsers.parse import parse_report, read_report
from gongkai.parsers.report import Cell, Report, ReportError

__all__ = ["Cell", "Report", "ReportError", "parse_report", "read_report"]
