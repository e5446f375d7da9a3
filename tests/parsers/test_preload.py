"""Fonts' CMaps loaded once in a process that forks parsing children, so that no child loads them again."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow  # a child Python process


def test_a_generated_report_parses_with_nothing_left_to_load(tmp_path):
    """After `preload_cmaps`, parsing a report of the demo generator (STSong-Light, not embedded) reads no
    CMap file: what a forked child would have loaded for itself is already in the process."""
    from gongkai.demo.corpus import write_corpus

    write_corpus(tmp_path, townships=1, years=(2022, 2022), seed=5, workers=1)
    pdf = next((tmp_path / "reports").glob("*.pdf"))

    def cmaps_opened(preload: bool) -> tuple[str, list[str]]:
        # Python's audit hook sees every file the process opens: a public way to watch pdfminer load.
        script = textwrap.dedent(
            f"""
            import sys
            from gongkai.parsers import parse_report
            from gongkai.parsers.sources.pdf import preload_cmaps

            if {preload!r}:
                preload_cmaps()
            opened = []
            sys.addaudithook(lambda event, args: event == "open" and "cmap" in str(args[0]) and opened.append(
                str(args[0]).rsplit("/", 1)[-1]))
            report = parse_report({str(pdf)!r})
            print(report.year, len(report.cells), sorted(set(opened)))
            """
        )
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        year, cells, opened = out.stdout.split(" ", 2)
        assert year == "2022" and int(cells) > 100
        return year, eval(opened)  # a printed list of file names

    assert cmaps_opened(preload=True) == ("2022", [])
    # Without the preload the same parse opens CMap files: the hook does see them.
    assert any(name.startswith("UniGB") for name in cmaps_opened(preload=False)[1])
