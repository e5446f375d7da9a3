"""Fonts' CMaps loaded once in a process that forks parsing children, so that no child loads them again."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_a_generated_report_parses_with_nothing_left_to_load(tmp_path):
    """After `preload_cmaps`, parsing a report of the demo generator (STSong-Light, not embedded) reads no
    CMap file: what a forked child would have loaded for itself is already in the process."""
    from demo.corpus import write_corpus

    write_corpus(tmp_path, townships=1, years=(2022, 2022), seed=5, workers=1)
    pdf = next((tmp_path / "reports").glob("*.pdf"))
    script = textwrap.dedent(
        f"""
        from pdfminer.cmapdb import CMapDB
        from parsers import parse_report
        from parsers.sources.pdf import preload_cmaps

        preload_cmaps()
        loaded = []
        original = CMapDB._load_data
        CMapDB._load_data = classmethod(lambda cls, name: loaded.append(name) or original.__func__(cls, name))
        report = parse_report({str(pdf)!r})
        print(report.year, len(report.cells), loaded)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    year, cells, loaded = out.stdout.split(" ", 2)
    assert (year, int(cells) > 100, loaded.strip()) == ("2022", True, "[]")
