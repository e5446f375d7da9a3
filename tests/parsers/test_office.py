"""Word 97, WPS, RTF and OpenDocument files, converted by LibreOffice (Debian's, headless) and read by the Word
source: the same cells as the Word file they were made from, their own form as source_format. LibreOffice is
a toolchain the project does not write with: the files are made by it here from the generator's Word files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from gongkai.parsers import parse_report
from gongkai.parsers.report import ReportError
from gongkai.parsers.settings import DEFAULT_SETTINGS
from gongkai.parsers.sources.office import libreoffice

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        libreoffice() is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
    ),
]


def convert(source: Path, to: str, out: Path) -> Path:
    """`source` saved by LibreOffice as `to` (doc, rtf, odt) in `out`."""
    subprocess.run(
        [libreoffice(), "--headless", "--norestore", f"-env:UserInstallation={(out / 'profile').as_uri()}",
         "--convert-to", to, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    made = out / f"{source.stem}.{to}"
    assert made.is_file() and made.stat().st_size > 1000
    return made


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    from gongkai.demo.corpus import write_corpus

    out = tmp_path_factory.mktemp("county")
    write_corpus(out, townships=12, years=(2022, 2023), seed=2024, workers=1, untidy=0.5)
    return out


def test_word_files_saved_by_libreoffice_read_as_their_truth(county, tmp_path):
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((county / "reports").glob("*.json"))]
    words = [t for t in truths if t["file"].endswith(".docx")]
    assert len(words) >= 4
    for t in words:
        docx = county / "reports" / t["file"]
        for form in ("doc", "rtf", "odt"):
            made = convert(docx, form, tmp_path / form)
            report = parse_report(made)
            assert report.values == t["cells"], made.name
            assert sorted(c.code for c in report.unreadable) == sorted(t["unreadable"]), made.name
            assert report.missing_rows == t["missing_rows"], made.name
            assert (report.body, report.year, report.template) == (t["body"], t["year"], t["template"])
            assert report.source_format == form


def test_a_wps_file_is_read_as_the_word_file_it_is(county, tmp_path):
    # WPS Office's .wps is a Word 97 document under its own name: LibreOffice tells it by its content.
    t = json.loads(next(p for p in sorted((county / "reports").glob("*.json")) if ".docx" in p.read_text()).read_text())
    doc = convert(county / "reports" / t["file"], "doc", tmp_path)
    wps = shutil.copyfile(doc, tmp_path / "乡镇报告.wps")
    report = parse_report(wps)
    assert report.values == t["cells"] and report.source_format == "wps"


def test_a_broken_office_file_is_rejected_with_the_reason(tmp_path):
    path = tmp_path / "坏.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(ReportError) as err:
        parse_report(path)
    assert (err.value.reason, err.value.message) == (
        "CORRUPT_FILE",
        "旧版 Word 文档（.doc）无法由 LibreOffice 转换：文件已损坏，或不是它所说的格式。",
    )


def test_a_conversion_over_its_time_is_stopped_and_told(county, tmp_path):
    from dataclasses import replace

    doc = convert(next((county / "reports").glob("*.docx")), "doc", tmp_path)
    with pytest.raises(ReportError) as err:
        parse_report(doc, replace(DEFAULT_SETTINGS, office_timeout=0.05))
    assert err.value.reason == "PARSE_TIMEOUT"
    assert err.value.message == "LibreOffice 转换旧版 Word 文档（.doc）超过 0.05 秒仍未完成，已终止。"
    # and nothing of it is left running
    left = subprocess.run(["pgrep", "-f", "soffice.bin.*gongkai-office-"], capture_output=True, text=True)
    assert left.stdout == ""
